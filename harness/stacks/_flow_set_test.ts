import assert from "node:assert/strict";
import fc from "fast-check";
import { FlowSet } from "./_flow_set.ts";

Deno.test("FlowSet", async (t) => {
  await t.step("matches a Set of ip * 65536 + port under random adds", () => {
    const flow = fc.tuple(
      fc.integer({ min: 0, max: 0xffff_ffff }),
      fc.integer({ min: 0, max: 0xffff }),
    );
    fc.assert(
      fc.property(fc.array(flow, { maxLength: 400 }), (flows) => {
        const s = new FlowSet();
        const ref = new Set<number>();
        for (const [ip, port] of flows) {
          const key = ip * 65_536 + port;
          assert.equal(s.has(ip, port), ref.has(key));
          assert.equal(s.add(ip, port), !ref.has(key));
          ref.add(key);
          assert.equal(s.size, ref.size);
        }
        for (const [ip, port] of flows) {
          assert.ok(s.has(ip, port ^ 1) === ref.has(ip * 65_536 + (port ^ 1)));
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  await t.step("refuses a port outside 0..65535", () => {
    assert.throws(() => new FlowSet().add(1, 65_536), /Flow port 65536 is invalid/);
  });
});
