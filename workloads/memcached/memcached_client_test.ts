import assert from "node:assert/strict";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { Reflector } from "../clients/_reflector.ts";
import { CLIENT_IP, macOf, SERVER_IP } from "../clients/_testing.ts";
import type { LoopSpec } from "../clients/load_client.ts";
import { ClientClass } from "../clients/types.ts";
import { createMemcachedClient } from "./memcached_client.ts";
import {
  DRAGONET_MEMCACHED_1024,
  DRAGONET_MEMCACHED_64,
  FACEBOOK_ETC,
  type MemcachedWorkload,
} from "./presets.ts";

const MS = 1_000_000;

function run(o: {
  workload: MemcachedWorkload;
  connections: number;
  loop?: LoopSpec;
  untilNs: number;
  measureStartNs: number;
  measureEndNs: number;
  seed?: number;
  udpMaxPayload?: number;
  setup?: (server: Reflector) => void;
}) {
  const tb = createTestbed({ seed: o.seed ?? 42 });
  const server = new Reflector(tb, {
    name: "server",
    mac: macOf(1),
    ip: SERVER_IP,
    serviceNs: 2000,
    memcachedPort: o.workload.serverPort,
    ...(o.udpMaxPayload === undefined ? {} : { udpMaxPayload: o.udpMaxPayload }),
  });
  o.setup?.(server);
  const client = createMemcachedClient(tb, {
    workload: o.workload,
    name: "client0",
    mac: macOf(2),
    ip: CLIENT_IP,
    serverIp: SERVER_IP,
    serverMac: macOf(1),
    connections: o.connections,
    clientClass: (p) => (p % 2 === 0 ? ClientClass.HighPriority : ClientClass.BestEffort),
    ...(o.loop === undefined ? {} : { loop: o.loop }),
    measureStartNs: o.measureStartNs,
    measureEndNs: o.measureEndNs,
    ...(o.udpMaxPayload === undefined ? {} : { replyChunk: o.udpMaxPayload - 8 }),
    extra: { histogramMode: "packed" },
  });
  client.start();
  tb.sim.run(o.untilNs);
  const report = client.report();
  client.destroy();
  return { report, server };
}

Deno.test("memcached client over UDP against the real engine", async (t) => {
  await t.step("Dragonet 64: warm-up loads every key, then gets hit and sets store", () => {
    const { report, server } = run({
      workload: DRAGONET_MEMCACHED_64,
      connections: 4,
      untilNs: 25 * MS,
      measureStartNs: 10 * MS,
      measureEndNs: 20 * MS,
    });
    assert.equal(server.engine.store.currItems, DRAGONET_MEMCACHED_64.records);
    assert.ok(report.loadFinishedNs > 0 && report.loadFinishedNs < 10 * MS);
    assert.equal(report.loadErrors, 0);
    assert.equal(report.overall.errors, 0);
    assert.equal(report.overall.misses, 0);
    assert.equal(report.overall.timeouts, 0);
    assert.ok(report.overall.completed > 1000);
    const { gets = 0, sets = 0 } = report.protocolCounters;
    const ratio = gets / (gets + sets);
    assert.ok(Math.abs(ratio - 0.9) < 0.03, `get ratio ${ratio}`);
    assert.equal(report.protocol, "memcached-udp");
    assert.deepEqual(report.connections.map((c) => c.srcPort), [8000, 8001, 8002, 8003]);
  });

  await t.step("1024-byte values fit one datagram; replies are checked byte for byte", () => {
    const { report } = run({
      workload: DRAGONET_MEMCACHED_1024,
      connections: 2,
      untilNs: 12 * MS,
      measureStartNs: 5 * MS,
      measureEndNs: 10 * MS,
    });
    assert.equal(report.overall.errors, 0);
    assert.ok(report.overall.completed > 500);
  });

  await t.step("ETC: multi-datagram replies are reassembled; open loop hits its rate", () => {
    const { report } = run({
      workload: FACEBOOK_ETC,
      connections: 4,
      loop: { mode: "open", ratePerSecond: 50_000, interArrival: "fb_ia" },
      udpMaxPayload: 200,
      untilNs: 150 * MS,
      measureStartNs: 40 * MS,
      measureEndNs: 140 * MS,
    });
    assert.equal(report.loadErrors, 0);
    assert.equal(report.overall.errors, 0);
    assert.equal(report.overall.timeouts, 0);
    const rel = Math.abs(report.overall.transactionsPerSecond - 50_000) / 50_000;
    assert.ok(rel < 0.05, `achieved ${report.overall.transactionsPerSecond}`);
    assert.ok((report.protocolCounters.valuesClamped ?? 0) > 0);
  });

  await t.step("a corrupted value or a wrong status line is an error", () => {
    for (
      const tamper of [
        (p: Uint8Array) => {
          // Flip the last value byte before "\r\nEND\r\n" of a hit, or a letter of STORED.
          const i = p.length - 8;
          if (p.length > 20) p[i] = (p[i] ?? 0) ^ 0x20;
          else p[9] = 0x21;
        },
      ]
    ) {
      const { report } = run({
        workload: DRAGONET_MEMCACHED_64,
        connections: 1,
        untilNs: 6 * MS,
        measureStartNs: 2 * MS,
        measureEndNs: 5 * MS,
        setup: (s) => {
          s.tamper = (p, n) => {
            if (n === 1500 || n === 1501 || n === 1502) tamper(p);
          };
        },
      });
      assert.equal(report.overall.errors, 3);
      assert.equal(report.overall.completed + report.overall.errors, report.overall.sent);
    }
  });

  await t.step("a lost request is a timeout after the memaslap-style check", () => {
    const { report } = run({
      workload: { ...DRAGONET_MEMCACHED_64, timeoutNs: 1 * MS, timeoutCheckNs: 200_000 },
      connections: 2,
      untilNs: 12 * MS,
      measureStartNs: 2 * MS,
      measureEndNs: 10 * MS,
      setup: (s) => {
        s.drop = (n) => n === 2000;
      },
    });
    assert.equal(report.overall.timeouts, 1);
    assert.equal(report.overall.errors, 0);
  });

  await t.step(
    "memaslap loss model: a lost datagram idles its connection until the whole-second check after 10 s",
    () => {
      const tb = createTestbed({ seed: 5 });
      const server = new Reflector(tb, {
        name: "server",
        mac: macOf(1),
        ip: SERVER_IP,
        serviceNs: 1 * MS,
        memcachedPort: 7777,
      });
      const w = { ...DRAGONET_MEMCACHED_64, records: 3 };
      const client = createMemcachedClient(tb, {
        workload: w,
        name: "client0",
        mac: macOf(2),
        ip: CLIENT_IP,
        serverIp: SERVER_IP,
        serverMac: macOf(1),
        connections: 1,
        measureStartNs: 0,
        measureEndNs: 20_000 * MS,
        extra: { histogramMode: "packed" },
      });
      server.drop = (n) => n === 5; // sent at about 5 ms
      client.start();
      tb.sim.run(10_999 * MS);
      assert.equal(server.received, 6);
      tb.sim.run(11_000 * MS + 50_000);
      assert.equal(server.received, 7);
      const r = client.report();
      client.destroy();
      assert.equal(r.overall.timeouts, 1);
    },
  );

  await t.step(
    "a low-rate open-loop measuring client sees the queueing a closed-loop load causes",
    () => {
      const tb = createTestbed({ seed: 9 });
      new Reflector(tb, {
        name: "server",
        mac: macOf(1),
        ip: SERVER_IP,
        serviceNs: 2000,
        memcachedPort: 7777,
      });
      const common = {
        workload: DRAGONET_MEMCACHED_64,
        serverIp: SERVER_IP,
        serverMac: macOf(1),
        measureStartNs: 5 * MS,
        measureEndNs: 25 * MS,
        extra: { histogramMode: "packed" as const },
      };
      const load = createMemcachedClient(tb, {
        ...common,
        name: "load",
        mac: macOf(2),
        ip: CLIENT_IP,
        connections: 8,
      });
      const probe = createMemcachedClient(tb, {
        ...common,
        name: "probe",
        mac: macOf(3),
        ip: CLIENT_IP + 1,
        connections: 1,
        firstSrcPort: 9000,
        clientClass: ClientClass.HighPriority,
        load: false,
        loop: { mode: "open", ratePerSecond: 2000 },
      });
      load.start();
      probe.start();
      tb.sim.run(30 * MS);
      const l = load.report();
      const p = probe.report();
      load.destroy();
      probe.destroy();
      assert.equal(p.loadErrors + l.loadErrors, 0);
      assert.equal(p.overall.errors + l.overall.errors, 0);
      assert.ok(p.overall.completed > 20);
      // 8 closed-loop connections keep about 8 requests queued at a 2 µs server.
      assert.ok(p.overall.latency.meanNs > 8_000, `probe mean ${p.overall.latency.meanNs}`);
      assert.equal(p.classes[0]?.completed, p.overall.completed);
    },
  );

  await t.step("same seed, same report", () => {
    const once = () =>
      run({
        workload: FACEBOOK_ETC,
        connections: 2,
        loop: { mode: "open", ratePerSecond: 20_000, interArrival: "fb_ia" },
        untilNs: 30 * MS,
        measureStartNs: 20 * MS,
        measureEndNs: 28 * MS,
      }).report;
    assert.deepEqual(once(), once());
  });
});
