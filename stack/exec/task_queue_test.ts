import assert from "node:assert/strict";
import fc from "fast-check";
import { TaskQueue } from "./task_queue.ts";
import { Priority } from "./types.ts";

/** One operation on the queue: push (node, buf, priority) or shift. */
const opArb = fc.oneof(
  fc.record({
    push: fc.constant(true as const),
    node: fc.nat(100),
    buf: fc.integer({ min: -1, max: 100 }),
    high: fc.boolean(),
  }),
  fc.record({ push: fc.constant(false as const) }),
);

Deno.test("TaskQueue", async (t) => {
  await t.step("behaves like a bounded deque across many wraps (model check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(opArb, { maxLength: 60 }),
        (cap, ops) => {
          const q = new TaskQueue(cap);
          const model: [number, number][] = [];
          let refused = 0;
          for (const op of ops) {
            if (op.push) {
              const ok = q.push(op.node, op.buf, op.high ? Priority.High : Priority.Low);
              assert.equal(ok, model.length < cap);
              if (!ok) refused++;
              else if (op.high) model.unshift([op.node, op.buf]);
              else model.push([op.node, op.buf]);
            } else {
              q.shift();
              model.shift();
            }
            assert.equal(q.size, model.length);
            assert.equal(q.peekNode(), model[0]?.[0] ?? -1);
            assert.equal(q.peekBuf(), model[0]?.[1] ?? -1);
          }
          assert.equal(q.overflows, refused);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
