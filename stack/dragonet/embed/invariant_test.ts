/**
 * The central invariant (issue 7; reference `dragonet-model.md` §1, §5): for random NIC
 * configurations, random endpoint sets and random frames (valid and malformed), the NIC model
 * plus the embedded software graph deliver exactly what the software-only LPG delivers, frame by
 * frame: the same socket (for an endpoint with several sockets: a socket of the same endpoint,
 * since `balanceAcrossRxQs` pins one socket per queue where the LPG balances round robin), the
 * same drop-reason class (`_invariant_classes.ts` defines the classes and why names differ) and
 * the same transmitted bytes.
 *
 * For each of the three NICs (Intel 82599 with random five-tuple, EtherType and SYN filters and
 * optional RSS,
 * SFC9020 with random full and wildcard IP filters, the plain RSS NIC with a random key, table
 * and hashed fields), fast-check (seed 42) draws endpoint sets (wildcards, overlapping
 * endpoints, up to three sockets per endpoint) and configurations steering those flows and
 * unrelated ones to random queues within the NIC's limits. SFC configurations its hashed table
 * refuses are skipped (a failed `fc.pre`, replaced by another draw) and counted. Each of the
 * `RUNS` applied configurations gets its share of `DRAGONET_INVARIANT_FRAMES` frames per NIC:
 * default 40000, 11-16 s for the whole file on the lab's 2-core machine; the full
 * figure, 100000 per NIC, takes about 40 s.
 *
 * Two divergences this test found are closed and pinned by their own steps: oversize frames (the
 * LPG's MTU check, `eth-oversize`) and EtherType filters for protocols the LPG lacks (a copy
 * with a live drop port survives cleanup); the generator draws both cases.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { formatIpv4Address } from "../../../nicmodels/_shared/addr.ts";
import {
  type FilterRule,
  NIC_DROP_NAMES,
  type NicConfig,
  NicConfigError,
  type NicModel,
  RxResult,
} from "../../../nicmodels/_shared/nic.ts";
import { TableId82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { Intel82599 } from "../../../nicmodels/intel_82599/model.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { rssNicCapabilities } from "../../../nicmodels/rss/capabilities.ts";
import { RssNic } from "../../../nicmodels/rss/model.ts";
import { configureRssNicPrg } from "../../../nicmodels/rss/prg_configure.ts";
import { SFC_IP_TABLE } from "../../../nicmodels/solarflare_sfc9020/capabilities.ts";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { Sfc9020Nic } from "../../../nicmodels/solarflare_sfc9020/model.ts";
import { configureSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg_configure.ts";
import type { Graph } from "../../graph/types.ts";
import { buildLpg, lpgImpls } from "../../protocols/lpg.ts";
import { buildProgram } from "../../exec/program.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import { udpFrame } from "../../protocols/_testing.ts";
import { DROP_CLASS_OF, dropClassOf } from "./_invariant_classes.ts";
import {
  FRAME_KINDS,
  LOCAL,
  nextFrame,
  OTHER_LOCAL,
  OTHER_PEER,
  PEER,
  PORTS,
  REMOTE_PORTS,
} from "./_invariant_frames.ts";
import { type FrameOutcome, FrameRunner } from "./_invariant_run.ts";
import { lpgCollapsible } from "./lpg_predicates.ts";
import { makeGraph } from "./make_graph.ts";

function frameBudget(): number {
  const text = Deno.env.get("DRAGONET_INVARIANT_FRAMES");
  if (text === undefined || text === "") return 40_000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    throw new RangeError(
      `DRAGONET_INVARIANT_FRAMES must be an integer 1..10000000, got "${text}"`,
    );
  }
  return n;
}

/** Property runs (configurations) per NIC; the frame budget is split evenly between them. */
const RUNS = 10;

// ---- Endpoint sets -------------------------------------------------------------------------

const arbEndpointShape = fc.record({
  srcIp: fc.constantFrom(0, 0, PEER, OTHER_PEER),
  srcPort: fc.constantFrom(0, 0, ...REMOTE_PORTS),
  dstIp: fc.constantFrom(0, 0, LOCAL),
  dstPort: fc.constantFrom(...PORTS),
  sockets: fc.integer({ min: 1, max: 3 }),
  appId: fc.integer({ min: 0, max: 2 }),
});

/** Up to five distinct endpoints (overlapping through wildcards), sockets numbered in order. */
const arbEndpoints = fc.uniqueArray(arbEndpointShape, {
  maxLength: 5,
  selector: (e) => `${e.srcIp}:${e.srcPort}:${e.dstIp}:${e.dstPort}`,
}).map((shapes) => {
  let sid = 0;
  return shapes.map((s): UdpEndpoint => ({
    srcIp: s.srcIp,
    srcPort: s.srcPort,
    dstIp: s.dstIp,
    dstPort: s.dstPort,
    sockets: Array.from({ length: s.sockets }, () => ({ sid: sid++, appId: s.appId })),
  }));
});

// ---- NIC configurations --------------------------------------------------------------------

/** One NIC under test: how to draw a configuration and build its model and configured PRG. */
interface NicCase {
  readonly name: string;
  /** Whether its filters can decide LPG nodes (RSS hashes cannot: nothing is pruned). */
  readonly filters: boolean;
  /** Configurations for an endpoint set (filters aimed at its flows and at unrelated ones). */
  config(endpoints: readonly UdpEndpoint[]): fc.Arbitrary<NicConfig>;
  model(config: NicConfig): NicModel;
  prg(config: NicConfig): Graph;
}

/** A UDP flow a filter matches; undefined fields are wildcards. */
interface Flow {
  readonly dstPort: number | undefined;
  readonly srcPort: number | undefined;
  readonly srcIp: number | undefined;
  readonly dstIp: number | undefined;
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A flow unrelated to any endpoint (drawn from the same address and port pools). */
const arbUnrelatedFlow: fc.Arbitrary<Flow> = fc.record({
  dstPort: opt(fc.constantFrom(...PORTS, 5000)),
  srcPort: opt(fc.constantFrom(...REMOTE_PORTS)),
  srcIp: opt(fc.constantFrom(PEER, OTHER_PEER)),
  dstIp: opt(fc.constantFrom(LOCAL, OTHER_LOCAL)),
});

/** A flow of endpoint `e`: its fixed fields, its wildcards left open or narrowed at random. */
const arbEndpointFlow = (e: UdpEndpoint): fc.Arbitrary<Flow> =>
  fc.record({
    dstPort: e.dstPort !== 0 ? fc.constant(e.dstPort) : opt(fc.constantFrom(...PORTS)),
    srcPort: e.srcPort !== 0 ? fc.constant(e.srcPort) : opt(fc.constantFrom(...REMOTE_PORTS)),
    srcIp: e.srcIp !== 0 ? fc.constant(e.srcIp) : opt(fc.constantFrom(PEER, OTHER_PEER)),
    dstIp: e.dstIp !== 0 ? fc.constant(e.dstIp) : opt(fc.constant(LOCAL)),
  });

/** Flows for filters: about two thirds aimed at the endpoints, the rest unrelated. */
const arbFlow = (endpoints: readonly UdpEndpoint[]): fc.Arbitrary<Flow> =>
  endpoints.length === 0 ? arbUnrelatedFlow : fc.oneof(
    { weight: 1, arbitrary: arbUnrelatedFlow },
    { weight: 2, arbitrary: fc.constantFrom(...endpoints).chain(arbEndpointFlow) },
  );

const arbKeyHex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((k) =>
    Array.from(k, (x) => x.toString(16).padStart(2, "0")).join("")
  );

const arbRss = (queues: number, entries: number, keyBytes: number) =>
  fc.record({
    enabled: fc.constant(true),
    key: arbKeyHex(keyBytes),
    table: fc.array(fc.integer({ min: 0, max: queues - 1 }), {
      minLength: entries,
      maxLength: entries,
    }),
    fields: fc.record({ "ipv4-udp": fc.constantFrom("2-tuple" as const, "4-tuple" as const) }),
  });

const intel82599: NicCase = {
  name: "Intel 82599 (five-tuple, EtherType and SYN filters, optional RSS)",
  filters: true,
  // Queue counts, priorities (1..7), EtherType filters (8) and the one SYN filter stay within
  // INTEL_82599's declared limits (nic-models.md §2.4, §2.6).
  config: (endpoints) =>
    fc.integer({ min: 2, max: 8 }).chain((queues) =>
      fc.record({
        queues: fc.constant(queues),
        rss: fc.option(arbRss(queues, 128, 40), { nil: null }),
        fiveTuple: fc.array(
          fc.record({
            flow: arbFlow(endpoints),
            queue: fc.integer({ min: 0, max: queues - 1 }),
            priority: fc.integer({ min: 1, max: 7 }),
          }),
          { maxLength: 6 },
        ),
        etherType: fc.uniqueArray(
          fc.record({
            // IPv4 and ARP, and IPv6 and LLDP, which the LPG counts as unsupported drops.
            etherType: fc.constantFrom(0x0806, 0x0800, 0x86dd, 0x88cc),
            queue: fc.integer({ min: 0, max: queues - 1 }),
          }),
          { maxLength: 3, selector: (r) => r.etherType },
        ),
        syn: opt(fc.integer({ min: 0, max: queues - 1 })),
      })
    ).map(({ queues, rss, fiveTuple, etherType, syn }): NicConfig => ({
      ...dragonetIntel82599Config(queues),
      rss,
      filters: [
        ...fiveTuple.map(({ flow, queue, priority }): FilterRule => ({
          table: TableId82599.FiveTuple,
          match: {
            proto: 17,
            ...(flow.dstPort === undefined ? {} : { dstPort: flow.dstPort }),
            ...(flow.srcPort === undefined ? {} : { srcPort: flow.srcPort }),
            ...(flow.srcIp === undefined ? {} : { srcIp: formatIpv4Address(flow.srcIp) }),
            ...(flow.dstIp === undefined ? {} : { dstIp: formatIpv4Address(flow.dstIp) }),
          },
          queue,
          priority,
        })),
        ...etherType.map(({ etherType, queue }): FilterRule => ({
          table: TableId82599.EtherType,
          match: { etherType },
          queue,
        })),
        ...(syn === undefined
          ? []
          : [{ table: TableId82599.Syn, match: { tcpSyn: true }, queue: syn }]),
      ],
    })),
  model: (config) => new Intel82599(config),
  prg: configure82599Prg,
};

const sfc9020: NicCase = {
  name: "SFC9020 (full and wildcard IP filters)",
  filters: true,
  // Full filters give the whole 5-tuple, wildcard ones local address and port; priorities 0..3
  // (nic-models.md §3.2, §3.5). Missing fields of a drawn flow are filled in.
  config: (endpoints) =>
    fc.integer({ min: 2, max: 8 }).chain((queues) =>
      fc.record({
        queues: fc.constant(queues),
        filters: fc.array(
          fc.record({
            full: fc.boolean(),
            flow: arbFlow(endpoints),
            queue: fc.integer({ min: 0, max: queues - 1 }),
            priority: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 6 },
        ),
      })
    ).map(({ queues, filters }): NicConfig => ({
      ...sfcDragonetConfig(queues),
      filters: filters.map(({ full, flow, queue, priority }): FilterRule => ({
        table: SFC_IP_TABLE,
        match: {
          proto: 17,
          dstIp: formatIpv4Address(flow.dstIp ?? LOCAL),
          dstPort: flow.dstPort ?? PORTS[0],
          ...(full
            ? {
              srcIp: formatIpv4Address(flow.srcIp ?? PEER),
              srcPort: flow.srcPort ?? REMOTE_PORTS[0],
            }
            : {}),
        },
        queue,
        priority,
      })),
    })),
  model: (config) => new Sfc9020Nic(config),
  prg: configureSfc9020Prg,
};

const RSS_QUEUES = 4;
const RSS_CAPS = rssNicCapabilities({ queues: RSS_QUEUES, tableEntries: 16, keyBytes: 40 });
const plainRss: NicCase = {
  name: "plain RSS NIC (random key, table and hashed fields)",
  filters: false,
  config: () =>
    arbRss(RSS_QUEUES, 16, 40).map((rss): NicConfig => ({
      queues: RSS_QUEUES,
      ringSize: RSS_CAPS.rings.default.value,
      rss,
      filters: [],
      settings: {},
    })),
  model: (config) => new RssNic({ queues: RSS_QUEUES, tableEntries: 16, keyBytes: 40 }, config),
  prg: (config) => configureRssNicPrg(RSS_CAPS, config),
};

// ---- The comparison ------------------------------------------------------------------------

/** Per-NIC tallies, reported and checked for coverage after the property. */
interface Tally {
  runs: number;
  refused: number;
  frames: number;
  nicDropped: number;
  delivered: number;
  sent: number;
  pruned: number;
  readonly refusals: Set<string>;
  readonly classes: Map<string, number>;
  readonly kinds: Uint32Array;
  readonly perQueue: Map<number, number>;
}

function newTally(): Tally {
  return {
    runs: 0,
    refused: 0,
    frames: 0,
    nicDropped: 0,
    delivered: 0,
    sent: 0,
    pruned: 0,
    refusals: new Set(),
    classes: new Map(),
    kinds: new Uint32Array(FRAME_KINDS.length),
    perQueue: new Map(),
  };
}

function describe(o: FrameOutcome, endpointOf: ReadonlyMap<number, number>) {
  return {
    endpoints: o.sockets.map((s) => endpointOf.get(s) ?? -1),
    dropClass: dropClassOf(o.drops),
    sent: o.sent,
  };
}

function checkConfig(
  nic: NicCase,
  endpoints: readonly UdpEndpoint[],
  config: NicConfig,
  seed: number,
  frames: number,
  tally: Tally,
  source: (rng: RandomGenerator) => Uint8Array = (rng) => nextFrame(rng, endpoints, tally.kinds),
): void {
  let model: NicModel;
  let prg: Graph;
  try {
    model = nic.model(config);
    prg = nic.prg(config);
  } catch (e) {
    // The SFC's hashed table may refuse an insertion (equal filter, search limit): skip.
    if (e instanceof NicConfigError) {
      tally.refused++;
      tally.refusals.add(e.message.replace(/\d+/g, "N"));
      fc.pre(false);
    }
    throw e;
  }
  tally.runs++;
  const lpg = buildLpg(endpoints);
  const built = makeGraph(prg, lpg, { collapsible: lpgCollapsible });
  // Did the NIC's steering decide anything for the software (a queue copy pruned or folded)?
  if (
    built.embedding.queues.some((q) =>
      [...q.outcomes.values()].some((o) => o === "removed" || o === "const")
    )
  ) tally.pruned++;
  const embedded = new FrameRunner(built.software, config.queues);
  const reference = new FrameRunner(lpg, 1);
  const endpointOf = new Map<number, number>();
  endpoints.forEach((e, i) => e.sockets.forEach((s) => endpointOf.set(s.sid, i)));
  const rng = xoroshiro128plus(seed);
  const rx = new RxResult();
  // balanceAcrossRxQs pins one socket per (endpoint, queue): the embedded graph must keep to it.
  const pinned = new Map<string, number>();
  for (let i = 0; i < frames; i++) {
    const f = source(rng);
    rx.reset();
    const q = model.classify(f, 0, f.length, rx);
    let got: FrameOutcome;
    if (q < 0) {
      tally.nicDropped++;
      got = { sockets: [], drops: [NIC_DROP_NAMES[rx.drop] ?? `nic-drop-${rx.drop}`], sent: [] };
    } else {
      tally.perQueue.set(q, (tally.perQueue.get(q) ?? 0) + 1);
      got = embedded.step(f, q);
    }
    const want = reference.step(f, 0);
    const a = describe(got, endpointOf);
    const b = describe(want, endpointOf);
    const hex = Array.from(f.subarray(0, 128), (x) => x.toString(16).padStart(2, "0")).join("") +
      (f.length > 128 ? `... (${f.length} bytes)` : "");
    assert.deepEqual(
      a,
      b,
      `${nic.name}: frame ${i} on queue ${q} differs\nframe ${hex}\nLPG drops ${
        want.drops.join(",")
      }, embedded drops ${got.drops.join(",")}\nendpoints ${JSON.stringify(endpoints)}\n` +
        `config ${JSON.stringify(config)}`,
    );
    for (const sid of got.sockets) {
      const key = `${endpointOf.get(sid)}:${q}`;
      const first = pinned.get(key) ?? sid;
      pinned.set(key, first);
      assert.equal(
        sid,
        first,
        `${nic.name}: endpoint:queue ${key} reached sockets ${first}, ${sid}`,
      );
    }
    tally.frames++;
    if (want.sockets.length > 0) tally.delivered++;
    if (want.sent.length > 0) tally.sent++;
    tally.classes.set(b.dropClass, (tally.classes.get(b.dropClass) ?? 0) + 1);
  }
}

Deno.test("central invariant: NIC model + embedded graph deliver what the LPG delivers", async (t) => {
  const budget = frameBudget();
  const perRun = Math.max(1, Math.ceil(budget / RUNS));
  for (const nic of [intel82599, sfc9020, plainRss]) {
    await t.step(nic.name, () => {
      const tally = newTally();
      fc.assert(
        fc.property(
          arbEndpoints.chain((eps) => fc.tuple(fc.constant(eps), nic.config(eps))),
          fc.integer(),
          ([endpoints, config], seed) => {
            checkConfig(nic, endpoints, config, seed, perRun, tally);
          },
        ),
        // Refused configurations fail `fc.pre` and are replaced (at most 4 * RUNS of them).
        { seed: 42, numRuns: RUNS, maxSkipsPerRun: 4 },
      );
      console.log(
        `${nic.name}: ${tally.runs} configurations (${tally.refused} refused), ${tally.frames} ` +
          `frames, ${tally.nicDropped} dropped by the NIC, ${tally.delivered} delivered, ` +
          `${tally.sent} answered, ${tally.pruned} configurations pruned the software; classes ` +
          `${JSON.stringify(Object.fromEntries(tally.classes))}; refusals ${[...tally.refusals]}`,
      );
      // Not vacuous: configurations ran, frames were delivered and answered, several queues
      // were used, and every drop class the generator aims at occurred.
      assert.equal(tally.runs, RUNS, "configurations applied");
      assert.ok(tally.delivered > 0 && tally.sent > 0, "no delivery or no answer");
      if (nic.filters) {
        assert.ok(tally.pruned > 0, "no configuration let the embedding prune the software");
      }
      assert.ok(tally.perQueue.size >= 2, `frames reached queues ${[...tally.perQueue.keys()]}`);
      if (budget >= 2000) {
        for (
          const c of [
            "none",
            "link",
            "unsupported",
            "arp",
            "ipv4-header",
            "ipv4-fragment",
            "ipv4-not-local",
            "icmp",
            "udp",
          ]
        ) {
          assert.ok((tally.classes.get(c) ?? 0) > 0, `no frame of class ${c}`);
        }
      }
    });
  }
  // A divergence this test found, now closed: the 82599 and the plain RSS NIC drop frames longer
  // than their largest frame (1522 bytes by default: `rx_oversize`), and the LPG, which had no
  // MTU check, delivered them. The LPG's Ethernet length check now drops frames over its MTU +
  // 22 bytes as `eth-oversize` (same class); the SFC9020 model has no such check, so there the
  // embedded graph's own length check drops them. The generator draws frames around the limit;
  // this step sends only frames over it, to every NIC.
  await t.step({
    name: "oversize frames are dropped as link errors by the NIC or the LPG's MTU check",
    fn: () => {
      const endpoints: UdpEndpoint[] = [
        { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
      ];
      const tally = newTally();
      const oversize = (rng: RandomGenerator) =>
        udpFrame(7, new Uint8Array(1523 - 42 + uniformInt(rng, 0, 400)));
      for (const nic of [intel82599, sfc9020, plainRss]) {
        const config = fc.sample(nic.config(endpoints), { seed: 42, numRuns: 1 })[0];
        assert.ok(config !== undefined);
        checkConfig(nic, endpoints, config, 42, 50, tally, oversize);
      }
      assert.equal(tally.classes.get("link"), 150, "oversize frames not all dropped as link");
    },
  });
  // A divergence this test found, now closed: an 82599 EtherType filter steering an EtherType
  // the LPG does not implement (IPv6, LLDP) to a queue leaves that queue's copy with no live
  // receive path beyond the drop ports; cleanup (dragonet-model.md §5.6) used to remove the whole
  // chain, freeing the frames uncounted. The embedding now makes a copy with a live drop port a
  // sink, so the queue counts `ipv6-unsupported` / `unknown-ethertype` as the LPG does. The
  // generator draws these filters too; this step pins the case with both on their own queues.
  await t.step({
    name: "EtherType filters for protocols the LPG lacks (IPv6, LLDP) are counted drops",
    fn: () => {
      const endpoints: UdpEndpoint[] = [
        { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
      ];
      const config: NicConfig = {
        ...dragonetIntel82599Config(3),
        filters: [
          { table: TableId82599.EtherType, match: { etherType: 0x86dd }, queue: 1 },
          { table: TableId82599.EtherType, match: { etherType: 0x88cc }, queue: 2 },
        ],
      };
      const tally = newTally();
      checkConfig(intel82599, endpoints, config, 42, 2000, tally);
      assert.ok((tally.perQueue.get(1) ?? 0) > 0, "no IPv6 frame reached queue 1");
      assert.ok((tally.perQueue.get(2) ?? 0) > 0, "no LLDP frame reached queue 2");
    },
  });
});

Deno.test("drop classes: every reason has a class and an unknown reason is refused", () => {
  assert.equal(dropClassOf([]), "none");
  assert.equal(dropClassOf(["udp-bad-checksum", "ipv4-bad-checksum"]), "ipv4-header");
  assert.equal(dropClassOf(["rx_length_errors"]), dropClassOf(["eth-truncated"]));
  for (const name of NIC_DROP_NAMES.slice(1)) assert.ok(name in DROP_CLASS_OF, name);
  // Every drop reason the LPG's implementations declare (several sockets per endpoint, so the
  // Balance node is in) has a class.
  const lpg = buildLpg([
    {
      sockets: [{ sid: 0, appId: 0 }, { sid: 1, appId: 1 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 7,
    },
  ]);
  const reasons = buildProgram(lpg, lpgImpls(lpg)).dropPortCounter.flat().filter((r) =>
    r !== undefined
  );
  assert.ok(reasons.length >= 20, `only ${reasons.length} drop ports`);
  for (const r of reasons) assert.ok(r in DROP_CLASS_OF, `LPG drop reason ${r} has no class`);
  assert.throws(() => dropClassOf(["no-such-reason"]), /Drop reason "no-such-reason" has no class/);
});
