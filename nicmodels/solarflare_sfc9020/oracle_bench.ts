// Cost of one SFC oracle proposal: on the same configuration object (cached summary), and on a
// fresh configuration object with N installed rules (summary rebuilt: the scratch hashed table
// is refilled from the rules, whose compiled forms are cached per rule object).
import type { FilterRule, FlowSpec, NicConfig } from "../_shared/nic.ts";
import { sfcDragonetConfig } from "./config.ts";
import { Sfc9020Oracle } from "./oracle.ts";
import { distinctSlotRules } from "./_test_rules.ts";

const base = sfcDragonetConfig(10, 512);
const flow: FlowSpec = { srcIp: "192.168.7.7", dstIp: "10.0.0.1", srcPort: 5555, dstPort: 11211 };

function configWith(rules: FilterRule[]): NicConfig {
  return { ...base, filters: rules };
}

for (const n of [500, 2000]) {
  const rules = distinctSlotRules(n, 8192, 1);
  const oracle = new Sfc9020Oracle();
  const same = configWith(rules);
  oracle.propose(same, flow);
  oracle.propose(configWith(rules), flow); // warm the per-rule cache
  Deno.bench(`sfc9020 oracle propose: same config, ${n} rules`, { group: `oracle-${n}` }, () => {
    oracle.propose(same, flow);
  });
  Deno.bench(`sfc9020 oracle propose: new config object, ${n} rules`, {
    group: `oracle-${n}`,
  }, () => {
    oracle.propose(configWith(rules), flow);
  });
}
