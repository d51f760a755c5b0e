import assert from "node:assert/strict";
import fc from "fast-check";
import { EventQueue } from "./event_queue.ts";

Deno.test("EventQueue", async (t) => {
  await t.step("pops by time, then by sequence number among equal times", () => {
    const q = new EventQueue();
    q.push(1, 30, 0);
    q.push(2, 10, 1);
    q.push(3, 30, 2);
    q.push(4, 10, 3);
    q.push(5, 20, 4);
    const out: number[] = [];
    while (q.length > 0) out.push(q.pop());
    assert.deepEqual(out, [2, 4, 5, 1, 3]);
    assert.equal(q.pop(), -1);
    assert.equal(q.peekTime(), Infinity);
  });

  await t.step("a slot pushed at the instant being drained waits behind earlier ones", () => {
    const q = new EventQueue();
    q.push(1, 5, 0);
    q.push(2, 5, 1);
    q.push(3, 5, 2);
    assert.equal(q.pop(), 1);
    q.push(4, 5, 3); // scheduled "now" while 2 and 3 still wait at time 5
    q.push(5, 6, 4);
    assert.deepEqual([q.pop(), q.pop(), q.pop(), q.pop()], [2, 3, 4, 5]);
  });

  await t.step("grows past its initial capacity, including 3000 events at one instant", () => {
    const q = new EventQueue();
    for (let i = 0; i < 3000; i++) q.push(i, 7, i);
    for (let i = 0; i < 3000; i++) q.push(3000 + i, 1 + (i % 5), 3000 + i);
    assert.equal(q.length, 6000);
    let lastTime = -1;
    const at7: number[] = [];
    while (q.length > 0) {
      const time = q.peekTime();
      assert.ok(time >= lastTime);
      lastTime = time;
      const slot = q.pop();
      if (time === 7) at7.push(slot);
    }
    assert.deepEqual(at7, Array.from({ length: 3000 }, (_, i) => i));
  });

  await t.step("matches a sorted reference under random pushes and pops", () => {
    const op = fc.oneof(
      fc.record({ push: fc.constant(true), delay: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ push: fc.constant(false), delay: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const ref: { slot: number; time: number; seq: number }[] = [];
        let now = 0;
        let seq = 0;
        let slot = 0;
        for (const o of ops) {
          if (o.push) {
            q.push(slot, now + o.delay, seq);
            ref.push({ slot, time: now + o.delay, seq });
            slot++;
            seq++;
          } else {
            ref.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = ref.shift();
            const got = q.pop();
            assert.equal(got, expected === undefined ? -1 : expected.slot);
            if (expected !== undefined) now = expected.time;
          }
          assert.equal(q.length, ref.length);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
