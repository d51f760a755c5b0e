import assert from "node:assert/strict";
import fc from "fast-check";
import { BoundedQueue } from "./bounded_queue.ts";

Deno.test("BoundedQueue", async (t) => {
  await t.step("refuses pushes beyond capacity and counts them", () => {
    const q = new BoundedQueue(3);
    assert.deepEqual([1, 2, 3, 4, 5].map((v) => q.push(v)), [true, true, true, false, false]);
    assert.equal(q.drops, 2);
    assert.equal(q.pushed, 3);
    assert.equal(q.shift(), 1);
    assert.ok(q.push(6));
    assert.deepEqual([q.shift(), q.shift(), q.shift()], [2, 3, 6]);
    assert.equal(q.maxLength, 3);
  });

  await t.step("capacity 0 drops everything; empty shift and peek throw", () => {
    const q = new BoundedQueue(0);
    assert.equal(q.push(1), false);
    assert.equal(q.drops, 1);
    assert.throws(() => q.shift(), /Cannot shift an empty queue/);
    assert.throws(() => q.peek(), /Cannot peek an empty queue/);
  });

  await t.step("rejects invalid capacities with the value in the message", () => {
    assert.throws(() => new BoundedQueue(-1), /capacity -1 is invalid/);
    assert.throws(() => new BoundedQueue(1.5), /capacity 1.5 is invalid/);
  });

  await t.step("behaves like an array with a length limit (bounded and unbounded)", () => {
    const cmd = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(-1));
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(Infinity)),
        fc.array(cmd, { maxLength: 400 }),
        (capacity, cmds) => {
          const q = new BoundedQueue(capacity);
          const ref: number[] = [];
          let drops = 0;
          for (const c of cmds) {
            if (c >= 0) {
              const accepted = ref.length < capacity;
              if (accepted) ref.push(c);
              else drops++;
              assert.equal(q.push(c), accepted);
            } else if (ref.length > 0) {
              assert.equal(q.shift(), ref.shift());
            }
            assert.equal(q.length, ref.length);
          }
          assert.equal(q.drops, drops);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
