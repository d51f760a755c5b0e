import assert from "node:assert/strict";
import fc from "fast-check";
import { applyOps } from "../../../nicmodels/_shared/config_diff.ts";
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { Intel82599Oracle } from "../../../nicmodels/intel_82599/oracle.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import type { Flow } from "./flow.ts";
import { NicOracleAdapter } from "./oracle.ts";
import { Intel82599SearchOracle } from "./oracles/intel_82599.ts";
import { at, connectFlows } from "./_test_setup.ts";

const flowArb: fc.Arbitrary<Flow> = fc.record({
  srcIp: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  dstIp: fc.option(fc.constant(0x0a000001), { nil: undefined }),
  srcPort: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  dstPort: fc.integer({ min: 7, max: 8 }),
}).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));

Deno.test("82599 search oracle agrees with the NIC model's oracle", async (t) => {
  await t.step("same candidates along random commit sequences (five-tuple then FDir)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(flowArb, fc.nat()), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 2, max: 6 }),
        (steps, nq) => {
          // start with 120 of the 128 five-tuple slots used so sequences reach Flow Director
          const filled = connectFlows(120).map((_f, i) => ({
            table: "five-tuple",
            match: { proto: 17, dstPort: 20000 + i },
            queue: 1 + (i % (nq - 1)),
            priority: 1,
          }));
          let cfg: NicConfig = { ...dragonetIntel82599Config(nq), filters: filled };
          const mine = new Intel82599SearchOracle(cfg);
          const ref = new NicOracleAdapter("ref", new Intel82599Oracle(), cfg);
          for (const [flow, pick] of steps) {
            const a = mine.propose(flow);
            const b = ref.propose(flow);
            assert.deepEqual(a, b);
            const c = a[pick % Math.max(1, a.length)];
            if (c === undefined) continue;
            mine.commit(c);
            ref.commit(c);
            cfg = applyOps(cfg, c.ops);
          }
          // replacement agrees too, on the last installed rule
          const last = cfg.filters[cfg.filters.length - 1];
          const flow = at(steps, 0)[0];
          if (last !== undefined) {
            assert.deepEqual(mine.replace(last, flow), ref.replace(last, flow));
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
