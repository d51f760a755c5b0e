/**
 * The central invariant (reference `dragonet-model.md` §1, §5): the NIC model steering frames to
 * queues plus the embedded software graph deliver exactly what the software-only LPG delivers,
 * socket by socket, and send exactly the same frames. The software graph is the real LPG (with
 * the classifier predicates of `lpg_predicates.ts`) embedded into the configured 82599 PRG, so
 * each queue runs a pruned copy.
 *
 * Frames are drawn from a seeded generator; `DRAGONET_INVARIANT_FRAMES` sets how many (default
 * 10000; the full run is 100000).
 */
import assert from "node:assert/strict";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import type { NicConfig } from "../../../nicmodels/_shared/nic.ts";
import { RxResult } from "../../../nicmodels/_shared/nic.ts";
import { dragonetIntel82599Config } from "../../../nicmodels/intel_82599/default_config.ts";
import { Intel82599 } from "../../../nicmodels/intel_82599/model.ts";
import { configure82599Prg } from "../../../nicmodels/intel_82599/prg_configure.ts";
import { TableId82599 } from "../../../nicmodels/intel_82599/capabilities.ts";
import { PipelineSet } from "../../exec/pipelines.ts";
import type { Graph } from "../../graph/types.ts";
import { parseIpv4, parseMac } from "../../packet/addr.ts";
import { BufferPool } from "../../packet/buffer_pool.ts";
import { BufRing, LpgEnv } from "../../protocols/env.ts";
import { buildLpg, lpgImpls } from "../../protocols/lpg.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import {
  arpRequestFrame,
  LOCAL_IP,
  LOCAL_MAC,
  PEER_IP,
  PEER_MAC,
  pingFrame,
  udpFrame,
} from "../../protocols/_testing.ts";
import { etherClassifyL3 } from "../../protocols/rx_ethernet.ts";
import { ipv4Classify } from "../../protocols/rx_ipv4.ts";
import { constImpls } from "./const_impls.ts";
import { annotateLpgPredicates, lpgCollapsible } from "./lpg_predicates.ts";
import { makeGraph } from "./make_graph.ts";

function frameCount(): number {
  const text = Deno.env.get("DRAGONET_INVARIANT_FRAMES");
  if (text === undefined || text === "") return 10_000;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    throw new RangeError(
      `DRAGONET_INVARIANT_FRAMES must be an integer 1..10000000, got "${text}"`,
    );
  }
  return n;
}

const QUEUES = 4;
const ENDPOINTS: UdpEndpoint[] = [
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  { sockets: [{ sid: 1, appId: 1 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 9 },
  {
    sockets: [{ sid: 2, appId: 1 }],
    srcIp: parseIpv4(PEER_IP) >>> 0,
    srcPort: 40001,
    dstIp: 0,
    dstPort: 9,
  },
];

const udp = (dstPort: number, srcPort: number | undefined, queue: number) => ({
  table: TableId82599.FiveTuple,
  match: { proto: 17, dstPort, ...(srcPort === undefined ? {} : { srcPort }) },
  queue,
  priority: 1,
});

/** The NIC configuration: 5-tuple filters steer some flows off the default queue. */
function nicConfig(): NicConfig {
  const base = dragonetIntel82599Config(QUEUES);
  return { ...base, filters: [udp(7, 40000, 1), udp(7, 40002, 2), udp(9, undefined, 3)] };
}

/** Two five-tuple filters per steered queue, both ports on queue 3 (the control loop's shape). */
function twoPerQueueConfig(): NicConfig {
  const base = dragonetIntel82599Config(QUEUES);
  return {
    ...base,
    filters: [
      udp(7, 40000, 1),
      udp(7, 40001, 1),
      udp(9, 40002, 2),
      udp(9, 40003, 2),
      udp(7, 40003, 3),
      udp(9, 40000, 3),
    ],
  };
}

/** One generated frame, by kind, from a seeded generator. */
function makeFrame(rng: RandomGenerator, i: number): Uint8Array {
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setUint32(0, i);
  const kind = uniformInt(rng, 0, 9);
  const srcPort = 40000 + uniformInt(rng, 0, 3);
  if (kind <= 4) return udpFrame(7, payload, { srcPort });
  if (kind <= 6) return udpFrame(9, payload, { srcPort });
  if (kind === 7) return udpFrame(5000, payload, { srcPort });
  if (kind === 8) return pingFrame(1, i & 0xffff, payload);
  return arpRequestFrame();
}

interface Observed {
  readonly delivered: string[];
  readonly sent: string[];
}

const hex = (pool: BufferPool, b: number) =>
  Array.from(
    pool.bytes.subarray(pool.start[b] ?? 0, (pool.start[b] ?? 0) + (pool.length[b] ?? 0)),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");

/**
 * Runs `frames` through the pipelines of `graph`; `steer` gives each frame's queue (-1 = the NIC
 * dropped it). Returns every socket delivery and every sent frame.
 */
function run(
  graph: Graph,
  frames: readonly Uint8Array[],
  steer: (f: Uint8Array) => number,
): Observed {
  const pool = new BufferPool({ count: 1024 });
  // A fake clock one second further per batch refills the ICMP error bucket (burst above a batch):
  // both runs see the same limiter, never the wall clock.
  let clock = 0;
  const env = new LpgEnv(pool, {
    localIp: LOCAL_IP,
    localMac: LOCAL_MAC,
    icmpErrorBurst: 1000,
    now: () => clock,
  });
  const m = parseMac(PEER_MAC);
  env.arpInsert(
    parseIpv4(PEER_IP) >>> 0,
    (m[0] ?? 0) << 8 | (m[1] ?? 0),
    ((m[2] ?? 0) << 24 | (m[3] ?? 0) << 16 | (m[4] ?? 0) << 8 | (m[5] ?? 0)) >>> 0,
  );
  const rings = new Map<string, BufRing>();
  for (let q = 0; q < QUEUES; q++) rings.set(`Q${q}`, new BufRing(256));
  const set = new PipelineSet({
    graph,
    impls: new Map([...lpgImpls(graph), ...constImpls()]),
    pool,
    env,
    inputs: rings,
  });
  const out: Observed = { delivered: [], sent: [] };
  const collect = () => {
    for (const [sid, ring] of env.sockets) {
      for (let b = ring.shift(); b >= 0; b = ring.shift()) {
        out.delivered.push(`${sid}:${hex(pool, b)}`);
        pool.free(b, pool.owner[b] ?? 0);
      }
    }
    for (let b = env.tx.shift(); b >= 0; b = env.tx.shift()) {
      out.sent.push(hex(pool, b));
      pool.free(b, pool.owner[b] ?? 0);
    }
  };
  set.start();
  set.run(16);
  // Gratuitous ARP at start: one per queue pipeline in the embedded graph, so not compared.
  for (let b = env.tx.shift(); b >= 0; b = env.tx.shift()) pool.free(b, pool.owner[b] ?? 0);
  const BATCH = 64;
  for (let i = 0; i < frames.length; i += BATCH) {
    for (const f of frames.slice(i, i + BATCH)) {
      const q = steer(f);
      if (q < 0) continue;
      const b = pool.alloc(0);
      assert.ok(b >= 0, "buffer pool exhausted");
      pool.bytes.set(f, pool.start[b] ?? 0);
      pool.length[b] = f.length;
      assert.ok(rings.get(`Q${q}`)?.push(b), `queue ${q} ring full`);
    }
    set.run(200);
    collect();
    clock += 1000;
  }
  return out;
}

Deno.test("central invariant: NIC model + embedded graph deliver what the LPG delivers", () => {
  const n = frameCount();
  const rng = xoroshiro128plus(42);
  const frames = Array.from({ length: n }, (_, i) => makeFrame(rng, i));
  const lpg = buildLpg(ENDPOINTS);
  const config = nicConfig();
  const nic = new Intel82599(config);
  // The configured PRG (filters expanded) and the LPG with classifier predicates: the NIC's
  // steering prunes each queue's copy (ARP/ICMP gone from the filtered queues, sockets of other
  // ports gone, demux filters folded away).
  const built = makeGraph(configure82599Prg(config), annotateLpgPredicates(lpg), {
    collapsible: lpgCollapsible,
  });
  const outcomes = built.embedding.queues.map((q) => [...q.outcomes.values()]);
  assert.ok(outcomes.some((o) => o.includes("removed")), "some queue copy is pruned");
  assert.ok(outcomes.some((o) => o.includes("const")), "some demux filter is decided by the NIC");
  const rx = new RxResult();
  const perQueue = new Array<number>(QUEUES).fill(0);
  const embedded = run(built.software, frames, (f) => {
    rx.reset();
    const q = nic.classify(f, 0, f.length, rx);
    if (q >= 0) perQueue[q] = (perQueue[q] ?? 0) + 1;
    return q;
  });
  const reference = run(lpg, frames, () => 0);
  // Not vacuous: every queue got frames, sockets received, the stack answered.
  assert.ok(perQueue.every((c) => c > 0), `frames per queue ${perQueue.join(",")}`);
  assert.ok(reference.delivered.length > 0 && reference.sent.length > 0);
  assert.deepEqual(embedded.delivered.sort(), reference.delivered.sort());
  assert.deepEqual(embedded.sent.sort(), reference.sent.sort());
});

Deno.test("central invariant: two filters per queue, the LPG's own spec predicates, default options", () => {
  const n = frameCount();
  const rng = xoroshiro128plus(7);
  const frames = Array.from({ length: n }, (_, i) => makeFrame(rng, i));
  const lpg = buildLpg(ENDPOINTS);
  const config = twoPerQueueConfig();
  const nic = new Intel82599(config);
  // What the control loop's default builder does: no annotation, no collapsible option. The
  // classifiers' spec predicates prune ports; their effects attribute keeps them running.
  const built = makeGraph(configure82599Prg(config), lpg);
  const classifiers = lpg.nodes.filter((x) =>
    x.spec === etherClassifyL3.spec.name || x.spec === ipv4Classify.spec.name
  ).map((x) => x.id);
  assert.equal(classifiers.length, 2);
  for (const q of built.embedding.queues.slice(1)) {
    // Steered queues get only UDP: each classifier keeps one live port, and still runs.
    for (const id of classifiers) {
      assert.equal(q.outcomes.get(id), "partial", `${q.queue.tag} ${id}`);
    }
    assert.ok([...q.outcomes.values()].includes("removed"), "the steered queues lose ARP and ICMP");
  }
  const rx = new RxResult();
  const perQueue = new Array<number>(QUEUES).fill(0);
  const embedded = run(built.software, frames, (f) => {
    rx.reset();
    const q = nic.classify(f, 0, f.length, rx);
    if (q >= 0) perQueue[q] = (perQueue[q] ?? 0) + 1;
    return q;
  });
  const reference = run(lpg, frames, () => 0);
  assert.ok(perQueue.every((c) => c > 0), `frames per queue ${perQueue.join(",")}`);
  assert.ok(reference.delivered.length > 0 && reference.sent.length > 0);
  assert.deepEqual(embedded.delivered.sort(), reference.delivered.sort());
  assert.deepEqual(embedded.sent.sort(), reference.sent.sort());
});
