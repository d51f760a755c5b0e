// Oracle cost per call with 2,000 installed Flow Director rules (five-tuple table full): the
// first call on a configuration object summarises it; later calls reuse the summary.
import type { FilterRule, NicConfig } from "../_shared/nic.ts";
import { benchFlow } from "../_shared/_bench_frames.ts";
import { Intel82599Oracle } from "./oracle.ts";
import { dragonetIntel82599Config } from "./default_config.ts";

const flows = (n: number, step: number): FilterRule[] =>
  Array.from({ length: n }, (_, i) => {
    const f = benchFlow(i * step);
    return {
      table: "fdir-perfect",
      match: { proto: 17, srcIp: f.srcIp, dstIp: f.dstIp, srcPort: f.srcPort, dstPort: f.dstPort },
      queue: 1 + (i % 9),
    };
  });
const five: FilterRule[] = Array.from({ length: 128 }, (_, i) => ({
  table: "five-tuple",
  match: { proto: 17, dstPort: 2000 + i },
  queue: 1,
  priority: 1,
}));
const base = dragonetIntel82599Config(10, 1);
const config: NicConfig = { ...base, filters: [...five, ...flows(2000, 3)] };
const oracle = new Intel82599Oracle();
const probe = benchFlow(1);
oracle.propose(config, probe);

Deno.bench("82599 oracle propose, 2000 FDir rules, summary cached", () => {
  oracle.propose(config, probe);
});
Deno.bench("82599 oracle propose, 2000 FDir rules, new config object each call", () => {
  oracle.propose({ ...config }, probe);
});
