import { deepStrictEqual } from "node:assert/strict";
import fc from "fast-check";
import { FlowTable } from "./flow_table.ts";

Deno.test("FlowTable", async (t) => {
  await t.step("folds both directions of a conversation into one flow", () => {
    const f = new FlowTable(16);
    f.add(6, 0x7f000001, 40000, 0x7f000001, 80, 74);
    f.add(6, 0x7f000001, 80, 0x7f000001, 40000, 66);
    f.add(17, 0x0a000001, 53, 0x0a000002, 53, 100);
    deepStrictEqual(f.size, 2);
    deepStrictEqual(f.top(1), [{
      proto: 6,
      addrA: 0x7f000001,
      portA: 80,
      addrB: 0x7f000001,
      portB: 40000,
      packets: 2,
      bytes: 140,
    }]);
  });

  await t.step("agrees with a Map of string keys through growth", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(1, 6, 17),
            fc.nat(7),
            fc.nat(3),
            fc.nat(7),
            fc.nat(3),
            fc.nat(1500),
          ),
          { maxLength: 400 },
        ),
        (pkts) => {
          const f = new FlowTable(16);
          const m = new Map<string, { packets: number; bytes: number }>();
          for (const [proto, s, sp, d, dp, len] of pkts) {
            f.add(proto, s, sp, d, dp, len);
            const fwd = s < d || (s === d && sp <= dp);
            const key = fwd ? `${proto} ${s}:${sp} ${d}:${dp}` : `${proto} ${d}:${dp} ${s}:${sp}`;
            const e = m.get(key) ?? { packets: 0, bytes: 0 };
            m.set(key, { packets: e.packets + 1, bytes: e.bytes + len });
          }
          deepStrictEqual(f.size, m.size);
          const got = new Map(
            f.top(1e9).map((x) => [`${x.proto} ${x.addrA}:${x.portA} ${x.addrB}:${x.portB}`, {
              packets: x.packets,
              bytes: x.bytes,
            }]),
          );
          deepStrictEqual(got, m);
        },
      ),
      { seed: 42, numRuns: 50 },
    );
  });
});
