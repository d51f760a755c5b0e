import assert from "node:assert/strict";
import fc from "fast-check";
import { DescriptorRings } from "./rings.ts";

Deno.test("descriptor rings", async (t) => {
  await t.step("each queue is a bounded FIFO across wrap-around", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 2 })), { maxLength: 200 }),
        (steps) => {
          const rings = new DescriptorRings(3, 8);
          const model: number[][] = [[], [], []];
          const out = new Int32Array(1);
          let next = 0;
          for (const [push, q] of steps) {
            const m = model[q] ?? [];
            if (push) {
              const ok = rings.push(q, next, 60, 0, 0);
              if (ok !== m.length < 8) return false;
              if (ok) m.push(next);
              next++;
            } else {
              const n = rings.pop(q, 1, out);
              if (n !== (m.length > 0 ? 1 : 0)) return false;
              if (n === 1 && out[0] !== m.shift()) return false;
            }
            if (rings.pending(q) !== m.length) return false;
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  await t.step("lengthAt reads a waiting descriptor's length as peek does, -1 when absent", () => {
    const rings = new DescriptorRings(2, 4);
    for (let i = 0; i < 6; i++) {
      rings.push(1, i, 60 + i, 0, 0);
      if (i >= 2) rings.pop(1, 1);
    }
    for (let i = -1; i < 5; i++) {
      assert.equal(rings.lengthAt(1, i), rings.peek(1, i)?.length ?? -1);
    }
    assert.equal(rings.lengthAt(1, 0), 64);
    assert.equal(rings.lengthAt(0, 0), -1);
  });

  await t.step("bad sizes are rejected with the values", () => {
    assert.throws(
      () => new DescriptorRings(0, 8),
      /at least 1 queue and 1 descriptor, got 0 queues of 8/,
    );
  });
});
