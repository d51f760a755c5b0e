import assert from "node:assert/strict";
import fc from "fast-check";
import {
  assertAgree,
  buildRecipeFrame,
  frameRecipe,
  POOL_ETHERTYPES,
  POOL_IPS,
  POOL_PORTS,
} from "../_shared/_prg_frames.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import type { FilterRule, NicConfig } from "../_shared/nic.ts";
import { compilePrgWalker, walkPrg } from "../_shared/prg_walk.ts";
import { formatKeyHex } from "../_shared/toeplitz.ts";
import { ConfigError } from "../../stack/graph/config/apply.ts";
import { validateGraph } from "../../stack/graph/validate.ts";
import { dragonetIntel82599Config } from "./default_config.ts";
import { Intel82599 } from "./model.ts";
import { configure82599Prg } from "./prg_configure.ts";

interface Mask {
  readonly proto: boolean;
  readonly srcIp: number;
  readonly dstIp: number;
  readonly srcPort: number;
  readonly dstPort: number;
}
const MASKS: readonly Mask[] = [
  { proto: true, srcIp: 32, dstIp: 32, srcPort: 0xffff, dstPort: 0xffff },
  { proto: true, srcIp: 0, dstIp: 32, srcPort: 0, dstPort: 0xffff },
  { proto: false, srcIp: 0, dstIp: 24, srcPort: 0, dstPort: 0x00ff },
];

const pick = <T>(pool: readonly T[], i: number): T => pool[i % pool.length] as T;

// Wildcards are common and priorities few, so overlapping rules and priority ties happen.
const ipRule = fc.record({
  proto: fc.option(fc.constantFrom(6, 17), { freq: 2 }),
  src: fc.option(fc.nat(3), { freq: 2 }),
  dst: fc.option(fc.nat(3), { freq: 2 }),
  sport: fc.option(fc.nat(4), { freq: 2 }),
  dport: fc.option(fc.nat(4), { freq: 2 }),
  prio: fc.integer({ min: 1, max: 3 }),
  queue: fc.integer({ min: -1, max: 15 }),
});

const config82599 = fc.record({
  queues: fc.integer({ min: 2, max: 16 }),
  mode: fc.constantFrom("perfect", "signature"),
  mask: fc.nat(MASKS.length - 1),
  synHigh: fc.boolean(),
  rxChecksum: fc.boolean(),
  smallFrame: fc.constantFrom(false, false, false, true),
  macs: fc.constantFrom(false, false, false, true),
  vlans: fc.constantFrom(false, false, false, true),
  rss: fc.option(
    fc.record({
      key: fc.uint8Array({ minLength: 40, maxLength: 40 }),
      table: fc.array(fc.nat(15), { minLength: 128, maxLength: 128 }),
      udp4: fc.constantFrom("2-tuple", "4-tuple"),
    }),
  ),
  ets: fc.subarray([...POOL_ETHERTYPES]),
  etQueue: fc.nat(15),
  syn: fc.option(fc.nat(15)),
  ft: fc.array(ipRule, { maxLength: 6 }),
  fd: fc.array(ipRule, { maxLength: 6 }),
});

type Gen = typeof config82599 extends fc.Arbitrary<infer T> ? T : never;

function toConfig(g: Gen): NicConfig {
  const q = (n: number) => ((n % g.queues) + g.queues) % g.queues;
  const mask = MASKS[g.mask] ?? (MASKS[0] as Mask);
  const filters: FilterRule[] = [];
  g.ets.forEach((et, i) => {
    filters.push({ table: "ethertype", match: { etherType: et }, queue: q(g.etQueue + i) });
  });
  if (g.syn !== null) filters.push({ table: "syn", match: { tcpSyn: true }, queue: q(g.syn) });
  for (const r of g.ft) {
    const match = {
      ...(r.proto === null ? {} : { proto: r.proto }),
      ...(r.src === null ? {} : { srcIp: pick(POOL_IPS, r.src) }),
      ...(r.dst === null ? {} : { dstIp: pick(POOL_IPS, r.dst) }),
      ...(r.sport === null ? {} : { srcPort: pick(POOL_PORTS, r.sport) }),
      ...(r.dport === null ? {} : { dstPort: pick(POOL_PORTS, r.dport) }),
    };
    filters.push({ table: "five-tuple", match, queue: q(Math.max(0, r.queue)), priority: r.prio });
  }
  const table = g.mode === "perfect" ? "fdir-perfect" : "fdir-signature";
  for (const r of g.fd) {
    const match = {
      ...(mask.proto ? { proto: r.proto ?? 17 } : {}),
      ...(mask.srcIp > 0 ? { srcIp: pick(POOL_IPS, r.src ?? 0) } : {}),
      ...(mask.dstIp > 0 ? { dstIp: pick(POOL_IPS, r.dst ?? 1) } : {}),
      ...(mask.srcPort !== 0 ? { srcPort: pick(POOL_PORTS, r.sport ?? 0) } : {}),
      ...(mask.dstPort !== 0 ? { dstPort: pick(POOL_PORTS, r.dport ?? 1) } : {}),
    };
    const queue = r.queue < 0 && g.mode === "perfect" ? -1 : q(Math.max(0, r.queue));
    filters.push({ table, match, queue });
  }
  const rssQueues = Math.min(g.queues, 16);
  return {
    queues: g.queues,
    ringSize: 512,
    rss: g.rss === null ? null : {
      enabled: true,
      key: formatKeyHex(g.rss.key),
      table: g.rss.table.map((e) => e % rssQueues),
      fields: { "ipv4-udp": g.rss.udp4 as "2-tuple" | "4-tuple" },
    },
    filters,
    settings: {
      fdirMode: g.mode,
      fdirMask: { ...mask },
      synHighPriority: g.synHigh,
      rxChecksum: g.rxChecksum,
      atr: false,
      ...(g.smallFrame ? { maxFrame: 140 } : {}),
      ...(g.macs ? { unicastMacs: ["02:00:00:00:00:01"] } : {}),
      ...(g.vlans ? { vlanFilter: [0, 1, 2, 3, 4] } : {}),
    },
  };
}

/** Drops the rules the validator names (duplicates, collisions), once. */
function repair(nic: (c: NicConfig) => readonly { path: string }[], c: NicConfig): NicConfig {
  const bad = new Set<number>();
  for (const i of nic(c)) {
    const m = /^filters\[(\d+)\]/.exec(i.path);
    if (m !== null) bad.add(Number(m[1]));
  }
  return { ...c, filters: c.filters.filter((_, i) => !bad.has(i)) };
}

Deno.test("82599 configured PRG", async (t) => {
  const validator = new Intel82599(dragonetIntel82599Config(16));
  const validate = (c: NicConfig) => validator.validate(c);

  await t.step("filters become F-nodes in precedence order; the graph validates", () => {
    const cfg: NicConfig = {
      ...dragonetIntel82599Config(4),
      filters: [
        { table: "five-tuple", match: { proto: 17, dstPort: 7 }, queue: 1, priority: 1 },
        { table: "five-tuple", match: { proto: 17, dstPort: 8 }, queue: 2, priority: 5 },
        { table: "ethertype", match: { etherType: 0x88f7 }, queue: 3 },
        {
          table: "fdir-perfect",
          match: { proto: 17, srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 1, dstPort: 9 },
          queue: -1,
        },
      ],
      settings: { fdirMode: "perfect" },
    };
    const g = configure82599Prg(cfg);
    assert.deepEqual(validateGraph(g).filter((p) => p.code !== "unreachable"), []);
    assert.equal(g.nodes.filter((n) => g.specs[n.spec]?.kind === "config").length, 0);
    // Chain: ethertype f2 -> five-tuple f1 (priority 5) -> f0 -> fdir f3 -> default.
    const next = (id: string, port: string) =>
      g.edges.find((e) => e.kind === "port" && e.from === id && e.port === port)?.to;
    assert.equal(next("rx.csum-l4", "good"), "rx.c.ethertype.f2");
    assert.equal(next("rx.c.ethertype.f2", "false"), "rx.c.five-tuple.f1");
    assert.equal(next("rx.c.five-tuple.f1", "false"), "rx.c.five-tuple.f0");
    assert.equal(next("rx.c.five-tuple.f0", "false"), "rx.c.fdir.f3");
    assert.equal(next("rx.c.fdir.f3", "true"), "rx.c.fdir.drop");
    assert.equal(next("rx.c.fdir.f3", "false"), "rx.to-default");
    assert.equal(next("rx.c.five-tuple.f0", "true"), "rx.q1.valid");
    // A UDP five-tuple rule's predicate is udpMatch of its fields.
    const f0 = g.nodes.find((n) => n.id === "rx.c.five-tuple.f0");
    assert.deepEqual(f0?.predicates?.true, {
      op: "and",
      args: [
        { op: "atom", key: "EthType", value: "IPv4" },
        { op: "atom", key: "IpProt", value: "UDP" },
        { op: "atom", key: "DstPort", value: "p7" },
      ],
    });
    const frame = buildTestFrame({ srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 5, dstPort: 8 });
    assert.equal(walkPrg(g, frame).queue, 2);
    const dropped = buildTestFrame({
      srcIp: "10.0.0.1",
      dstIp: "10.0.0.2",
      srcPort: 1,
      dstPort: 9,
    });
    assert.deepEqual(walkPrg(g, dropped), { queue: -1, flags: 37, hash: 0, drop: 3 });
  });

  await t.step("a table over its capacity at the configured PBALLOC is refused", () => {
    const filters: FilterRule[] = Array.from({ length: 2047 }, (_, i) => ({
      table: "fdir-perfect",
      match: { proto: 17, srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 1 + i, dstPort: 7 },
      queue: 1,
    }));
    assert.throws(
      () =>
        configure82599Prg({
          ...dragonetIntel82599Config(4),
          filters,
          settings: { fdirMode: "perfect" },
        }),
      (e) => e instanceof ConfigError && /2047 elements/.test(e.message) && /2046/.test(e.message),
    );
  });

  await t.step("a Flow Director rule that does not give the masked fields is refused", () => {
    const cfg: NicConfig = {
      ...dragonetIntel82599Config(4),
      filters: [{ table: "fdir-perfect", match: { proto: 17, dstPort: 7 }, queue: 1 }],
      settings: { fdirMode: "perfect" },
    };
    assert.ok(validate(cfg).length > 0);
    assert.throws(
      () => configure82599Prg(cfg),
      (e) => e instanceof ConfigError && /filters\[0\] leaves out srcIp/.test(e.message),
    );
  });

  for (const mode of ["perfect", "signature"] as const) {
    await t.step(`model and PRG walk agree (${mode} mode)`, () => {
      let checked = 0;
      fc.assert(
        fc.property(
          config82599.map((g) => ({ ...g, mode })),
          fc.array(frameRecipe, { minLength: 10, maxLength: 20 }),
          (g, recipes) => {
            const cfg = repair(validate, toConfig(g));
            if (validate(cfg).length > 0) return; // rare: a second repair would be needed
            const nic = new Intel82599(cfg);
            const walker = compilePrgWalker(configure82599Prg(cfg));
            for (const r of recipes) {
              assertAgree(nic, walker, buildRecipeFrame(r, cfg.filters), `82599 ${mode}`);
            }
            checked++;
          },
        ),
        { seed: 42, numRuns: 60 },
      );
      assert.ok(checked >= 50, `only ${checked} of 60 configurations were valid`);
    });
  }
});
