import assert from "node:assert/strict";
import type { FilterRule, NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { NicConfigMapper } from "./nic_config_mapper.ts";
import { PLAN_82599, PLAN_SFC9020, planFromCapabilities } from "./mapper_plan.ts";
import { INTEL_82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { qmapOf, remapAffected } from "./queue_mapper.ts";

const five = (match: FilterRule["match"], queue: number, priority = 1): FilterRule => ({
  table: "five-tuple",
  match: { proto: 17, ...match },
  queue,
  priority,
});
const cfg = (filters: FilterRule[], base: NicConfig = dragonetIntel82599Config(10)) => ({
  ...base,
  filters,
});
const ip = (s: string) => s.split(".").reduce((a, p) => ((a << 8) | Number(p)) >>> 0, 0);

Deno.test("queue mapping from a NIC configuration", async (t) => {
  const m = new NicConfigMapper(PLAN_82599);
  await t.step("C1: dst 7 -> Q1, dst 8 -> Q2, everything else to default queue 0", () => {
    const c = cfg([five({ dstPort: 7 }, 1), five({ dstPort: 8 }, 2)]);
    assert.equal(m.queueOf(c, { srcPort: 5, dstPort: 7 }), 1);
    assert.equal(m.queueOf(c, { dstPort: 8 }), 2);
    assert.equal(m.queueOf(c, { dstPort: 9 }), 0);
  });
  await t.step("a wildcard field in the flow matches only a filter wildcarding it", () => {
    const c = cfg([five({ srcPort: 1000, dstPort: 53 }, 2)]);
    assert.equal(m.queueOf(c, { dstPort: 53 }), 0, "filter covers only part of the flow");
    assert.equal(m.queueOf(c, { srcPort: 1000, dstPort: 53 }), 2);
    assert.equal(m.queueOf(c, { srcIp: ip("10.0.0.1"), srcPort: 1000, dstPort: 53 }), 2);
  });
  await t.step("five-tuple: highest priority wins, ties to the earlier rule", () => {
    const c = cfg([five({ dstPort: 7 }, 1, 1), five({ srcPort: 9, dstPort: 7 }, 3, 5)]);
    assert.equal(m.queueOf(c, { srcPort: 9, dstPort: 7 }), 3);
    const tie = cfg([five({ dstPort: 7 }, 4), five({ srcPort: 9, dstPort: 7 }, 3)]);
    assert.equal(m.queueOf(tie, { srcPort: 9, dstPort: 7 }), 4);
  });
  await t.step("five-tuple precedes Flow Director; prefixes; other protocols never claim", () => {
    const flow = { srcIp: ip("10.0.0.2"), dstIp: ip("10.0.0.1"), srcPort: 1, dstPort: 2 };
    const fdir: FilterRule = {
      table: "fdir-perfect",
      match: { proto: 17, srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 1, dstPort: 2 },
      queue: 5,
    };
    assert.equal(m.queueOf(cfg([fdir]), flow), 5);
    assert.equal(m.queueOf(cfg([fdir, five({ srcIp: "10.0.0.0/24" }, 6)]), flow), 6);
    assert.equal(m.queueOf(cfg([fdir, five({ srcIp: "10.0.1.0/24" }, 6)]), flow), 5);
    const tcp: FilterRule = { table: "five-tuple", match: { proto: 6, dstPort: 2 }, queue: 7 };
    assert.equal(m.queueOf(cfg([tcp]), flow), 0);
  });
  await t.step("SFC9020: full filters before wildcard filters", () => {
    const sm = new NicConfigMapper(PLAN_SFC9020);
    const flow = { srcIp: ip("10.0.0.2"), dstIp: ip("10.0.0.1"), srcPort: 4000, dstPort: 7 };
    const wild: FilterRule = {
      table: "ip",
      match: { proto: 17, dstIp: "10.0.0.1", dstPort: 7 },
      queue: 2,
    };
    const full: FilterRule = {
      table: "ip",
      match: { proto: 17, srcIp: "10.0.0.2", srcPort: 4000, dstIp: "10.0.0.1", dstPort: 7 },
      queue: 3,
    };
    assert.equal(sm.queueOf({ ...sfcDragonetConfig(4), filters: [wild, full] }, flow), 3);
    assert.equal(sm.queueOf({ ...sfcDragonetConfig(4), filters: [wild] }, flow), 2);
  });
  await t.step("RSS enabled is refused with a clear error", () => {
    const c = {
      ...dragonetIntel82599Config(4),
      rss: { enabled: true, key: "", table: [] },
    };
    assert.throws(() => m.queueOf(c, { dstPort: 1 }), /config\.rss\.enabled must be false/);
  });
  await t.step("incremental remap equals the full map when the change stays in its queues", () => {
    const flows = [{ dstPort: 7 }, { dstPort: 8 }, { dstPort: 9 }];
    const c1 = cfg([five({ dstPort: 7 }, 1)]);
    const c2 = cfg([five({ dstPort: 7 }, 1), five({ dstPort: 9 }, 3)]);
    const inc = remapAffected(m, c2, qmapOf(m, c1, flows), [0, 3], [{ dstPort: 10 }]);
    assert.deepEqual(inc, qmapOf(m, c2, [...flows, { dstPort: 10 }]));
  });
});

Deno.test("rule compilation parses addresses like the NIC models", () => {
  const m = new NicConfigMapper(PLAN_82599);
  for (const text of ["0.0.0.0", "255.255.255.255", "10.1.2.3", "192.168.0.1/16"]) {
    const c = cfg([five({ srcIp: text }, 2)]);
    const addr = ip(text.split("/")[0] as string);
    assert.equal(m.queueOf(c, { srcIp: addr }), 2, text);
    assert.equal(m.queueOf(c, { srcIp: (addr ^ 0x01000000) >>> 0 }), 0, text);
  }
  assert.throws(() => m.queueOf(cfg([five({ srcIp: "10.1.2" }, 2)]), {}), /Cannot parse IPv4/);
  assert.throws(() => m.queueOf(cfg([five({ srcIp: "10.1.2.256" }, 2)]), {}), /Cannot parse/);
});

Deno.test("a plan derived from capabilities alone", async (t) => {
  const m = new NicConfigMapper(planFromCapabilities(INTEL_82599));
  await t.step("stages in precedence order, higher priority first within a stage", () => {
    const c = cfg([five({ dstPort: 7 }, 1, 2), five({ srcPort: 3, dstPort: 7 }, 2, 6)]);
    assert.equal(m.queueOf(c, { srcPort: 3, dstPort: 7 }), 2);
    assert.equal(m.queueOf(c, { srcPort: 4, dstPort: 7 }), 1);
  });
  await t.step("a table the precedence does not name never claims a flow", () => {
    // the 82599 lists Flow Director as the stage "fdir", not the table id "fdir-perfect"
    const fdir: FilterRule = { table: "fdir-perfect", match: { proto: 17, dstPort: 7 }, queue: 3 };
    assert.equal(m.queueOf(cfg([fdir]), { dstPort: 7 }), 0);
    assert.equal(new NicConfigMapper(PLAN_82599).queueOf(cfg([fdir]), { dstPort: 7 }), 3);
  });
});
