/**
 * The one conformance suite every timed stack model runs (STYLE.md rule 9): every request
 * answered correctly at low load; drops only where a bounded queue overflowed, each with a
 * counted reason; nothing lost silently (sent = answered + dropped with a reason + in flight, at
 * any instant, and no buffer leaked after draining); bad frames counted by reason; runs
 * deterministic; core time fully accounted. Over TCP (memcached, the real engine on both
 * sides): every request answered correctly at low load; every frame the server received handed
 * to TCP, dropped with a reason, or still in a ring, and every buffer back after draining;
 * accept-queue overflow counted and the refused clients connected by their SYN retries.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ServerSpec } from "../../harness/stacks/server.ts";
import type { ClientMode, TestClient } from "./_client.ts";
import { type Scenario, scenario, schedule } from "./_scenario.ts";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { createServer } from "../../harness/stacks/server.ts";
import { aggregateClients } from "../../workloads/clients/aggregate.ts";
import { createMemcachedClient } from "../../workloads/memcached/memcached_client.ts";
import { createMemcachedTcpClient } from "../../workloads/memcached/memcached_tcp_client.ts";
import type { TcpLoadClient } from "../../workloads/clients/tcp_load_client.ts";
import type { Testbed } from "../../harness/sim/testbed.ts";
import type { Server } from "../../harness/stacks/server.ts";
import type { TcpStackBase } from "../../harness/stacks/_tcp_stack_base.ts";
import type { NetHost } from "../../harness/sim/testbed.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { TcpEngine } from "../../stack/protocols/tcp/engine.ts";
import { writeSegmentFrame } from "../../stack/protocols/tcp/frame.ts";
import { DRAGONET_MEMCACHED_64 } from "../../workloads/memcached/presets.ts";

/** A stack configuration under test: the server spec without its application. */
export type StackUnderTest = Omit<ServerSpec, "app">;

/** Drop reason names a stack may report when a bounded queue overflows. */
const QUEUE_DROPS = new Set([
  "testbed.port-full",
  "nic.rx_no_dma_resources",
  "nic.tx_ring_full",
  "stack.socket-full",
  "stack.no-reply-buffer",
]);

function setup(
  sut: StackUnderTest,
  app: "echo" | "memcached",
  mode: ClientMode,
  clients: number,
  flows: number,
  extra: Partial<ServerSpec> = {},
): Scenario {
  return scenario({ ...sut, ...extra, app }, mode, clients, flows);
}

/** Sum of counted drops anywhere (testbed, server NIC, stack), by reason name. */
export function dropsByReason(s: Scenario): Map<string, number> {
  const m = new Map<string, number>();
  const c = s.tb.counters;
  const tbDrops: [string, number][] = [
    ["testbed.uplink-full", c.dropUplinkFull],
    ["testbed.no-route", c.dropNoRoute],
    ["testbed.port-full", c.dropPortFull],
    ["testbed.no-buffer", c.dropNoBuffer],
    ["testbed.bad-length", c.dropBadLength],
  ];
  for (const [k, v] of tbDrops) if (v > 0) m.set(k, v);
  for (const [k, v] of Object.entries(s.server.stack.report().drops)) {
    if (!k.startsWith("packet.")) m.set(k, v);
  }
  return m;
}

/** sent = answered + dropped (with a reason) + in flight, checked at the current instant. */
function assertConservation(s: Scenario, when: string): void {
  const sent = s.clients.reduce((a, c) => a + c.sent, 0);
  const answered = s.clients.reduce((a, c) => a + c.answered, 0);
  let dropped = 0;
  for (const v of dropsByReason(s).values()) dropped += v;
  const st = s.server.stack;
  const inFlight = s.tb.inFlight() + st.inFlight() + st.repliesPending +
    s.server.host.nic.txInFlight;
  assert.equal(
    answered + dropped + inFlight,
    sent,
    `${when}: sent ${sent} != answered ${answered} + dropped ${dropped} + in flight ${inFlight}`,
  );
}

function runLowLoad(sut: StackUnderTest, app: "echo" | "memcached", mode: ClientMode): Scenario {
  const s = setup(sut, app, mode, 4, 2);
  schedule(s, 2, 10, 500_000, 1000);
  s.tb.sim.run(20_000_000);
  return s;
}

/** Why `sut` has no TCP cases, or null when it serves memcached over TCP. */
function tcpSkipReason(sut: StackUnderTest): string | null {
  if (sut.stack === "dragonet") {
    return "the Dragonet model serves UDP only (no TCP in its LPG runs)";
  }
  if (sut.variant !== undefined && sut.variant !== "default" && sut.variant !== "spin") {
    return `the Linux-like "${sut.variant}" variant is modelled over UDP only`;
  }
  return null;
}

interface TcpScenario {
  readonly tb: Testbed;
  readonly server: Server;
  readonly clients: TcpLoadClient[];
}

/** `machines` memaslap machines with `conns` TCP connections each, keys loaded over all of them. */
function tcpScenario(
  sut: StackUnderTest,
  machines: number,
  conns: number,
  measureEndNs: number,
  extra: Partial<ServerSpec> = {},
): TcpScenario {
  const tb = createTestbed({ seed: 42, poolBuffers: 16_384 });
  const server = createServer(tb, { ...sut, ...extra, app: "memcached", transport: "tcp" });
  const clients = Array.from({ length: machines }, (_, m) =>
    createMemcachedTcpClient(tb, {
      workload: { ...DRAGONET_MEMCACHED_64, records: 100 },
      name: `memaslap${m}`,
      mac: new Uint8Array([2, 0, 0, 0, 3, m + 1]),
      ip: ((10 << 24) | (3 << 8) | (m + 1)) >>> 0,
      serverIp: server.host.ip,
      serverMac: server.host.mac,
      connections: conns,
      firstSrcPort: 8000 + conns * m,
      loadOffset: conns * m,
      loadConnections: machines * conns,
      measureStartNs: Math.min(2_000_000, measureEndNs - 1),
      measureEndNs,
    }));
  for (const c of clients) c.start();
  return { tb, server, clients };
}

/** Frames the server received = handed to TCP + dropped before it (with a reason) + in rings. */
function assertTcpFramesAccounted(s: TcpScenario, when: string): void {
  const st = s.server.stack as TcpStackBase;
  const received = st.received();
  const nic = s.server.host.nic;
  let before = 0;
  for (const v of nic.drops) before += v;
  for (const v of st.drops) before += v;
  const accounted = st.segmentsIn() + before + st.inFlight();
  assert.equal(accounted, received, `${when}: received ${received} != accounted ${accounted}`);
}

async function runTcpCases(t: Deno.TestContext, sut: StackUnderTest): Promise<void> {
  const skip = tcpSkipReason(sut);
  const step = (name: string, fn: () => void) =>
    t.step({
      name: `tcp: ${name}${skip === null ? "" : ` (skipped: ${skip})`}`,
      ignore: skip !== null,
      fn,
    });

  await step("memaslap over TCP: handshakes, keys loaded, every reply correct at low load", () => {
    const s = tcpScenario(sut, 4, 2, 4_000_000);
    s.tb.sim.run(5_000_000);
    const agg = aggregateClients(s.clients);
    const reports = s.clients.map((c) => c.report());
    for (const c of s.clients) c.destroy();
    assert.ok(agg.overall.completed > 0);
    assert.equal(agg.overall.completed, agg.overall.sent);
    assert.equal(agg.overall.errors, 0);
    for (const r of reports) {
      assert.equal(r.connectionsEstablished, 2);
      assert.equal(r.connectionsBroken + r.loadErrors + r.garbled + r.rxUnknownPort, 0);
      assert.ok(r.loadFinishedNs > 0 && r.loadFinishedNs < 2_000_000, "keys loaded in time");
    }
    assert.deepEqual(s.server.stack.report().drops, {});
    const engine = (s.server.app as unknown as { engine: { counters: { getHits: number } } })
      .engine;
    assert.ok(engine.counters.getHits > 0, "gets found the loaded keys");
  });

  await step("nothing lost silently: frames accounted at every instant, buffers back", () => {
    const s = tcpScenario(sut, 2, 4, 3_000_000);
    for (let tNs = 100_000; tNs <= 3_000_000; tNs += 250_000) {
      s.tb.sim.run(tNs);
      assertTcpFramesAccounted(s, `at ${tNs} ns`);
    }
    s.tb.sim.run(200_000_000);
    assertTcpFramesAccounted(s, "after draining");
    const reports = s.clients.map((c) => c.report());
    for (const c of s.clients) c.destroy();
    for (const r of reports) {
      assert.equal(r.outstanding, 0, `${r.name}: requests left unanswered`);
      assert.equal(r.overall.completed, r.overall.sent);
      assert.equal(r.overall.errors, 0);
    }
    const st = s.server.stack;
    assert.equal(st.inFlight() + st.repliesPending + s.tb.inFlight(), 0);
    assert.equal(s.tb.pool.inUse, 0, "every buffer is back in the pool");
  });

  await step("accept-queue overflow: counted, and the refused clients connect by retrying", () => {
    // 32 SYNs at once against an accept queue of 1: the SYNs that find it full are dropped
    // (counted) and their clients retransmit after the initial RTO (1 s, host-stacks.md §2.4).
    const s = tcpScenario(sut, 1, 32, 1_000_000, { somaxconn: 1 });
    s.tb.sim.run(8_000_000_000);
    const r = s.server.stack.report();
    const overflow = (r.drops["tcp.accept-queue-full-syn"] ?? 0) +
      (r.drops["tcp.accept-queue-full-ack"] ?? 0);
    assert.ok(overflow > 0, `no accept-queue overflow counted: ${JSON.stringify(r.drops)}`);
    assert.equal(r.sockets.reduce((a, k) => a + k.drops, 0), overflow);
    for (const k of Object.keys(r.drops)) {
      assert.ok(k.startsWith("tcp.accept-queue-full"), `unexpected drop reason ${k}`);
    }
    const c = (s.clients[0] as TcpLoadClient).report();
    for (const x of s.clients) x.destroy();
    assert.equal(c.connectionsEstablished, 32, "every refused client connected on a retry");
    assert.equal(c.connectionsBroken + c.loadErrors, 0);
    assert.ok((c.tcp["retransmits"] ?? 0) > 0, "the refused SYNs were retransmitted");
  });

  await step(
    "bad segments: a bad checksum and a closed port counted, never answered with data",
    () => {
      const s = tcpScenario(sut, 1, 1, 2_000_000);
      const probe = new SegmentProbe(s.tb, s.server);
      s.tb.sim.run(500_000);
      probe.syn(9001, 7777, true); // bad TCP checksum
      probe.syn(9002, 9); // no listener on port 9: RST
      s.tb.sim.run(3_000_000);
      const r = s.server.stack.report();
      assert.equal(r.drops["packet.tcp-bad-checksum"], 1);
      assert.equal(r.drops["stack.bad-frame"], 1);
      assert.equal(r.drops["tcp.no-socket"], 1);
      assert.equal(probe.resets, 1, "the SYN to the closed port was answered with a RST");
      assert.equal(probe.other, 0);
      const c = (s.clients[0] as TcpLoadClient).report();
      for (const x of s.clients) x.destroy();
      assert.equal(c.overall.errors + c.connectionsBroken, 0);
      assert.equal(c.overall.completed, c.overall.sent);
    },
  );

  await step("the same seed gives the same report over TCP", () => {
    const run = () => {
      const s = tcpScenario(sut, 2, 2, 2_500_000);
      s.tb.sim.run(3_000_000);
      const out = { server: s.server.stack.report(), clients: s.clients.map((c) => c.report()) };
      for (const c of s.clients) c.destroy();
      return out;
    };
    assert.deepEqual(run(), run());
  });
}

/** Runs the suite against `sut` inside test `t`. */
export async function runStackConformance(
  t: Deno.TestContext,
  sut: StackUnderTest,
): Promise<void> {
  await t.step("answers every echo request correctly at low load, no drops", () => {
    const s = runLowLoad(sut, "echo", "echo");
    for (const c of s.clients) {
      assert.equal(c.wrong, 0, c.firstWrong);
      assert.equal(c.answered, c.sent, `${c.name}: ${c.answered} of ${c.sent} answered`);
    }
    assert.deepEqual([...dropsByReason(s)], []);
    assertConservation(s, "after the run");
  });

  await t.step("memcached: sets are stored and gets return the stored values", () => {
    const s = runLowLoad(sut, "memcached", "memcached-set-get");
    for (const c of s.clients) {
      assert.equal(c.wrong, 0, c.firstWrong);
      assert.equal(c.answered, c.sent);
    }
    const engine = (s.server.app as unknown as { engine: { counters: { getHits: number } } })
      .engine;
    assert.equal(engine.counters.getHits, s.clients.reduce((a, c) => a + c.sent, 0) / 2);
    assert.deepEqual([...dropsByReason(s)], []);
  });

  await t.step(
    "overload: drops only at bounded queues, each counted; conservation at every instant; no leak",
    () => {
      const s = setup(sut, "memcached", "memcached-get-miss", 8, 8, { socketQueueDatagrams: 16 });
      // 8 clients x 8 flows, 100 requests each 10 µs apart: 6.4 Mpps, below the line rate of
      // the server's port but far beyond any stack model's service rate.
      schedule(s, 8, 100, 10_000, 1000);
      for (let tNs = 5_000; tNs <= 1_200_000; tNs += 50_000) {
        s.tb.sim.run(tNs);
        assertConservation(s, `at ${tNs} ns`);
      }
      s.tb.sim.run(50_000_000);
      assertConservation(s, "after draining");
      const drops = dropsByReason(s);
      const serverDrops = [...drops.keys()].filter((k) => !k.startsWith("testbed."));
      assert.ok(serverDrops.length > 0, "an overload this large must overflow a server queue");
      for (const k of drops.keys()) assert.ok(QUEUE_DROPS.has(k), `unexpected drop reason ${k}`);
      for (const c of s.clients) assert.equal(c.wrong, 0, c.firstWrong);
      const report = s.server.stack.report();
      assert.equal(
        report.queues.reduce((a, q) => a + q.ringDrops, 0),
        report.drops["nic.rx_no_dma_resources"] ?? 0,
        "per-queue ring drops add up to the NIC's count",
      );
      const st = s.server.stack;
      assert.equal(st.inFlight() + st.repliesPending + s.tb.inFlight(), 0);
      assert.equal(s.tb.pool.inUse, 0, "every buffer is back in the pool");
    },
  );

  await t.step(
    "the workload's memaslap clients: every reply correct, none lost, closed loop",
    () => {
      const tb = createTestbed({ seed: 42, poolBuffers: 16_384 });
      const server = createServer(tb, { ...sut, app: "memcached" });
      const clients = [0, 1, 2, 3].map((m) =>
        createMemcachedClient(tb, {
          workload: { ...DRAGONET_MEMCACHED_64, records: 100 },
          name: `memaslap${m}`,
          mac: new Uint8Array([2, 0, 0, 0, 3, m + 1]),
          ip: ((10 << 24) | (3 << 8) | (m + 1)) >>> 0,
          serverIp: server.host.ip,
          serverMac: server.host.mac,
          connections: 2,
          firstSrcPort: 8000 + 2 * m,
          loadOffset: 2 * m,
          loadConnections: 8,
          measureStartNs: 2_000_000,
          measureEndNs: 4_000_000,
        })
      );
      for (const c of clients) c.start();
      tb.sim.run(5_000_000);
      const agg = aggregateClients(clients);
      const reports = clients.map((c) => c.report());
      for (const c of clients) c.destroy();
      assert.ok(agg.overall.completed > 0);
      assert.equal(agg.overall.completed, agg.overall.sent);
      assert.equal(agg.overall.errors + agg.overall.timeouts, 0);
      for (const r of reports) {
        assert.equal(r.loadErrors + r.late + r.garbled + r.rxUnknownPort + r.rxWrongSource, 0);
        assert.ok(r.loadFinishedNs > 0 && r.loadFinishedNs < 2_000_000, "keys loaded in time");
      }
      assert.deepEqual(server.stack.report().drops, {});
    },
  );

  await t.step("bad frames are counted with their reason and never answered", () => {
    const s = setup(sut, "echo", "echo", 1, 1);
    const c = s.clients[0] as TestClient;
    s.tb.sim.run(1000);
    c.sendBad("bad-checksum");
    c.sendBad("closed-port");
    s.tb.sim.run(10_000_000);
    const r = s.server.stack.report();
    assert.equal(r.drops["packet.udp-bad-checksum"], 1);
    assert.equal(r.drops["stack.bad-frame"], 1);
    assert.equal(r.drops["stack.no-socket"], 1);
    assert.equal(c.answered + c.wrong, 0);
    assert.equal(s.tb.pool.inUse, 0);
  });

  await t.step("the same seed gives the same report", () => {
    const a = runLowLoad(sut, "memcached", "memcached-set-get").server.stack.report();
    const b = runLowLoad(sut, "memcached", "memcached-set-get").server.stack.report();
    assert.deepEqual(a, b);
  });

  await runTcpCases(t, sut);

  await t.step("every core's time is busy or idle; busy is non-negative per category", () => {
    const s = runLowLoad(sut, "echo", "echo");
    const now = s.tb.sim.now;
    for (const core of s.server.host.cores) {
      for (const v of core.categoryNs) assert.ok(v >= 0);
      const busy = core.busyNs();
      assert.ok(busy <= now + 1, `core ${core.id} busy ${busy} > elapsed ${now}`);
      assert.ok(Math.abs(busy + core.idleNs() - now) < 1e-6);
    }
  });
}

/** A host that sends single SYNs to the server and counts what comes back. */
class SegmentProbe implements NetHost {
  readonly name = "probe";
  readonly mac = new Uint8Array([2, 0, 0, 0, 9, 9]);
  readonly ip = 0x0a000909;
  /** RST segments received. */
  resets = 0;
  /** Other frames received. */
  other = 0;
  readonly #tb: Testbed;
  readonly #server: Server;
  readonly #tx: (buf: number, len: number) => boolean;
  readonly #engine: TcpEngine;
  readonly #info = new FrameInfo();

  constructor(tb: Testbed, server: Server) {
    this.#tb = tb;
    this.#server = server;
    this.#engine = new TcpEngine({ clock: () => tb.sim.now });
    this.#tx = tb.attach(this);
  }

  /** Sends one SYN from `srcPort` to the server's `dstPort`, with a broken checksum if `bad`. */
  syn(srcPort: number, dstPort: number, bad = false): void {
    const e = this.#engine;
    e.connect(this.ip, this.#server.host.ip, dstPort, srcPort);
    const pool = this.#tb.pool;
    const buf = pool.alloc(0);
    const start = pool.start[buf] ?? 0;
    const len = writeSegmentFrame(e.tx, 0, pool.bytes, start, {
      srcMac: this.mac,
      dstMac: this.#server.host.mac,
    });
    e.tx.clear();
    if (bad) pool.bytes[start + 34 + 16] = (pool.bytes[start + 34 + 16] ?? 0) ^ 0xff;
    pool.length[buf] = len;
    this.#tx(buf, len);
  }

  receive(buf: number, len: number): void {
    const pool = this.#tb.pool;
    const ok = parseFrame(pool.bytes, pool.start[buf] ?? 0, len, this.#info) === 0;
    if (ok && (this.#info.tcpFlags & 0x04) !== 0) this.resets++;
    else this.other++;
    pool.free(buf, pool.owner[buf] ?? 0);
  }
}
