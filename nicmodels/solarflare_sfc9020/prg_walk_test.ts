import assert from "node:assert/strict";
import fc from "fast-check";
import {
  assertAgree,
  buildRecipeFrame,
  frameRecipe,
  POOL_IPS,
  POOL_MACS,
  POOL_PORTS,
} from "../_shared/_prg_frames.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import type { FilterRule, NicConfig } from "../_shared/nic.ts";
import { compilePrgWalker, walkPrg } from "../_shared/prg_walk.ts";
import { formatKeyHex } from "../_shared/toeplitz.ts";
import { ConfigError } from "../../stack/graph/config/apply.ts";
import { validateGraph } from "../../stack/graph/validate.ts";
import { SfcSetting } from "./capabilities.ts";
import { sfcDefaultConfig, sfcDragonetConfig } from "./config.ts";
import { Sfc9020Nic } from "./model.ts";
import { configureSfc9020Prg } from "./prg_configure.ts";

const configSfc = fc.record({
  queues: fc.integer({ min: 2, max: 16 }),
  rss: fc.option(
    fc.record({
      key: fc.uint8Array({ minLength: 40, maxLength: 40 }),
      table: fc.array(fc.nat(63), { minLength: 128, maxLength: 128 }),
      spread: fc.integer({ min: 1, max: 4 }),
    }),
  ),
  ucQueue: fc.nat(15),
  ucRss: fc.boolean(),
  mcQueue: fc.nat(15),
  mcRss: fc.boolean(),
  mcSame: fc.boolean(),
  // Few local endpoints, so full and wildcard filters of one endpoint meet.
  ip: fc.array(
    fc.record({
      proto: fc.constantFrom(6, 17, 17),
      dst: fc.nat(1),
      dport: fc.nat(1),
      full: fc.boolean(),
      src: fc.nat(3),
      sport: fc.nat(4),
      queue: fc.nat(15),
      rss: fc.boolean(),
      priority: fc.option(fc.integer({ min: 1, max: 3 })),
    }),
    { maxLength: 8 },
  ),
  mac: fc.array(
    fc.record({
      mac: fc.nat(POOL_MACS.length - 1),
      vlan: fc.option(fc.integer({ min: 0, max: 7 })),
      queue: fc.nat(15),
      rss: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

type Gen = typeof configSfc extends fc.Arbitrary<infer T> ? T : never;

function toConfig(g: Gen): NicConfig {
  const spread = g.rss === null ? 1 : Math.min(g.rss.spread, g.queues);
  // RSS spreads over base + entry: keep base + largest entry inside the queues.
  const base = (n: number, rss: boolean) =>
    rss && g.rss !== null ? n % (g.queues - spread + 1) : n % g.queues;
  const filters: FilterRule[] = [];
  for (const r of g.ip) {
    const pick = <T>(pool: readonly T[], i: number): T => pool[i % pool.length] as T;
    filters.push({
      table: "ip",
      match: {
        proto: r.proto,
        dstIp: pick(POOL_IPS, r.dst),
        dstPort: pick(POOL_PORTS, r.dport),
        ...(r.full ? { srcIp: pick(POOL_IPS, r.src), srcPort: pick(POOL_PORTS, r.sport) } : {}),
      },
      queue: base(r.queue, r.rss),
      ...(r.rss ? { rss: true } : {}),
      ...(r.priority === null ? {} : { priority: r.priority }),
    });
  }
  for (const r of g.mac) {
    filters.push({
      table: "mac",
      match: {
        dstMac: POOL_MACS[r.mac] ?? POOL_MACS[0],
        ...(r.vlan === null ? {} : { vlan: r.vlan }),
      },
      queue: base(r.queue, r.rss),
      ...(r.rss ? { rss: true } : {}),
    });
  }
  const uq = base(g.ucQueue, g.ucRss);
  const mq = g.mcSame ? uq : base(g.mcQueue, g.mcRss);
  const mcRss = g.mcSame ? g.ucRss : g.mcRss;
  return {
    queues: g.queues,
    ringSize: 1024,
    rss: g.rss === null ? null : {
      enabled: true,
      key: formatKeyHex(g.rss.key),
      table: g.rss.table.map((e) => e % spread),
    },
    filters,
    settings: {
      [SfcSetting.UnicastQueue]: uq,
      [SfcSetting.MulticastQueue]: mq,
      [SfcSetting.UnicastRss]: g.ucRss,
      [SfcSetting.MulticastRss]: mcRss,
    },
  };
}

function repair(c: NicConfig, validate: (c: NicConfig) => readonly { path: string }[]) {
  const bad = new Set<number>();
  for (const i of validate(c)) {
    const m = /^filters\[(\d+)\]/.exec(i.path);
    if (m !== null) bad.add(Number(m[1]));
  }
  return { ...c, filters: c.filters.filter((_, i) => !bad.has(i)) };
}

Deno.test("SFC9020 configured PRG", async (t) => {
  const validator = new Sfc9020Nic(sfcDragonetConfig(16));
  const validate = (c: NicConfig) => validator.validate(c);

  await t.step("full filters precede wildcard filters; RSS filters spread from their queue", () => {
    const cfg: NicConfig = {
      ...sfcDefaultConfig(8),
      filters: [
        { table: "ip", match: { proto: 17, dstIp: "10.0.0.2", dstPort: 7 }, queue: 1 },
        {
          table: "ip",
          match: { proto: 17, dstIp: "10.0.0.2", dstPort: 7, srcIp: "10.0.0.1", srcPort: 9 },
          queue: 2,
        },
        { table: "mac", match: { dstMac: "02:00:00:00:00:01" }, queue: 0, rss: true },
      ],
      settings: { [SfcSetting.UnicastRss]: false, [SfcSetting.MulticastRss]: false },
    };
    const g = configureSfc9020Prg(cfg);
    assert.deepEqual(validateGraph(g).filter((p) => p.code !== "unreachable"), []);
    const next = (id: string, port: string) =>
      g.edges.find((e) => e.kind === "port" && e.from === id && e.port === port)?.to;
    assert.equal(next("rx.csum-l4", "good"), "rx.c.ip.f1");
    assert.equal(next("rx.c.ip.f1", "false"), "rx.c.ip.f0");
    assert.equal(next("rx.c.ip.f0", "false"), "rx.c.mac.f2");
    assert.equal(next("rx.c.mac.f2", "true"), "rx.c.mac.f2-rss");
    const frame = (sport: number) =>
      buildTestFrame({ srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: sport, dstPort: 7 });
    assert.equal(walkPrg(g, frame(9)).queue, 2);
    assert.equal(walkPrg(g, frame(10)).queue, 1);
  });

  await t.step("a configuration the hashed table refuses is refused", () => {
    const rule: FilterRule = {
      table: "ip",
      match: { proto: 6, dstIp: "10.0.0.2", dstPort: 80 },
      queue: 1,
    };
    assert.throws(
      () =>
        configureSfc9020Prg({ ...sfcDragonetConfig(4), filters: [rule, { ...rule, queue: 2 }] }),
      (e) =>
        e instanceof ConfigError && /refused filters\[1\] \(tcp-wild\)/.test(e.message) &&
        /EEXIST/.test(e.message),
    );
    assert.throws(() => new Sfc9020Nic({ ...sfcDragonetConfig(4), filters: [rule, rule] }));
    const remoteOnly: FilterRule = {
      table: "ip",
      match: { proto: 17, dstIp: "10.0.0.2", dstPort: 7, srcPort: 9 },
      queue: 1,
    };
    assert.throws(
      () => configureSfc9020Prg({ ...sfcDragonetConfig(4), filters: [remoteOnly] }),
      (e) => e instanceof ConfigError && /filters\[0\] has only one remote field/.test(e.message),
    );
    assert.ok(validator.validate({ ...sfcDragonetConfig(4), filters: [remoteOnly] }).length > 0);
  });

  await t.step("EBUSY: both refuse the 201st filter on one probe sequence, accept 200", () => {
    // UDP wildcard local 10.0.x.y:p with x.y = p: key = ip ^ port ^ 1 is the same for every p,
    // so all filters share one probe sequence and the insert limit (200 hops) runs out.
    const rules = (n: number): FilterRule[] =>
      Array.from({ length: n }, (_, i) => ({
        table: "ip",
        match: { proto: 17, dstIp: `10.0.${(i + 1) >> 8}.${(i + 1) & 255}`, dstPort: i + 1 },
        queue: 0,
      }));
    const ok = { ...sfcDragonetConfig(4), filters: rules(200) };
    const busy = { ...sfcDragonetConfig(4), filters: rules(201) };
    new Sfc9020Nic(ok);
    assert.equal(
      configureSfc9020Prg(ok).nodes.filter((n) => n.id.startsWith("rx.c.ip.")).length,
      200,
    );
    assert.throws(() => new Sfc9020Nic(busy), /EBUSY/);
    assert.throws(
      () => configureSfc9020Prg(busy),
      (e) =>
        e instanceof ConfigError && /filters\[200\]/.test(e.message) && /EBUSY/.test(e.message),
    );
  });

  await t.step("model and PRG walk agree", () => {
    let checked = 0;
    fc.assert(
      fc.property(
        configSfc,
        fc.array(frameRecipe, { minLength: 10, maxLength: 20 }),
        (g, recipes) => {
          const cfg = repair(toConfig(g), validate);
          if (validate(cfg).length > 0) return;
          const nic = new Sfc9020Nic(cfg);
          const walker = compilePrgWalker(configureSfc9020Prg(cfg));
          for (const r of recipes) {
            assertAgree(nic, walker, buildRecipeFrame(r, cfg.filters), "SFC9020");
          }
          checked++;
        },
      ),
      { seed: 42, numRuns: 60 },
    );
    assert.ok(checked >= 50, `only ${checked} of 60 configurations were valid`);
  });
});
