import assert from "node:assert/strict";
import { createTestbed, type Testbed } from "../../harness/sim/testbed.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { TcpEngine } from "../../stack/protocols/tcp/engine.ts";
import { writeSegmentFrame } from "../../stack/protocols/tcp/frame.ts";
import { TcpEvent } from "../../stack/protocols/tcp/state.ts";
import { MemcachedEngine } from "../../stack/apps/memcached/engine.ts";
import { TcpSession } from "../../stack/apps/memcached/tcp_session.ts";
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { createKeyChooser } from "../memcached/key_popularity.ts";
import { MemcachedTcpClient } from "../memcached/memcached_tcp.ts";
import { consecutiveFlows } from "./flow.ts";
import type { LoopSpec } from "./load_client.ts";
import type { StreamProtocol } from "./stream_protocol.ts";
import { TcpLoadClient } from "./tcp_load_client.ts";
import type { ClientNetHost } from "./types.ts";

const SERVER_IP = 0x0a000001;
const CLIENT_IP = 0x0a000002;
const macOf = (n: number) => new Uint8Array([2, 0, 0, 0, 0, n]);

/**
 * A memcached server host with no costs: its own TCP engine and a session per connection,
 * answering at once; `corrupt` flips one byte of every reply longer than 20 bytes; `listen`
 * false leaves the port closed (SYNs are answered with RST).
 */
class TestServer implements ClientNetHost {
  readonly name = "server";
  readonly mac = macOf(1);
  readonly ip = SERVER_IP;
  readonly engine: TcpEngine;
  readonly #tb: Testbed;
  readonly #tx: (buf: number, len: number) => boolean;
  readonly #app = new MemcachedEngine({ clock: () => 0 });
  readonly #sessions = new Map<number, TcpSession>();
  readonly #info = new FrameInfo();
  readonly #buf = new Uint8Array(1 << 16);
  readonly #corrupt: boolean;
  readonly #listener: number;
  maxReadable = 0;

  constructor(tb: Testbed, opts: { corrupt?: boolean; listen?: boolean } = {}) {
    this.#tb = tb;
    this.engine = new TcpEngine({ clock: () => tb.sim.now });
    this.#listener = opts.listen === false ? -1 : this.engine.listen(7777);
    this.#corrupt = opts.corrupt ?? false;
    this.#tx = tb.attach(this);
  }

  receive(buf: number, len: number): void {
    const pool = this.#tb.pool;
    if (parseFrame(pool.bytes, pool.start[buf] ?? 0, len, this.#info) === 0) {
      this.engine.inputFrame(pool.bytes, this.#info);
    }
    pool.free(buf, pool.owner[buf] ?? 0);
    const e = this.engine;
    while (e.events.shift()) {
      if (e.events.code === TcpEvent.AcceptReady) {
        for (let id = e.accept(this.#listener); id >= 0; id = e.accept(this.#listener)) {
          this.#sessions.set(id, new TcpSession(this.#app));
        }
      }
    }
    for (const [id, s] of this.#sessions) {
      const n = e.recv(id, this.#buf);
      if (n === 0) continue;
      this.maxReadable = Math.max(this.maxReadable, n);
      const reply = s.receive(this.#buf.subarray(0, n)).slice();
      if (this.#corrupt && reply.length > 20) reply[reply.length - 9] = 0x21;
      e.send(id, reply);
    }
    const tx = e.tx;
    for (let i = 0; i < tx.count; i++) {
      const b = pool.alloc(0);
      const l = writeSegmentFrame(tx, i, pool.bytes, pool.start[b] ?? 0, {
        srcMac: this.mac,
        dstMac: macOf(2),
      });
      pool.length[b] = l;
      this.#tx(b, l);
    }
    tx.clear();
  }
}

function setup(
  loop: LoopSpec,
  opts: { corrupt?: boolean; listen?: boolean; flows?: number } = {},
): { tb: Testbed; server: TestServer; client: TcpLoadClient } {
  const tb = createTestbed({ seed: 3, poolBuffers: 4096 });
  const server = new TestServer(tb, opts);
  const records = 50;
  const lengths = keyLengths(records, createSampler(parseDistribution("fixed:32")));
  const client = new TcpLoadClient(tb, {
    name: "c",
    mac: macOf(2),
    ip: CLIENT_IP,
    flows: consecutiveFlows({
      count: opts.flows ?? 2,
      firstSrcPort: 9000,
      dstIp: SERVER_IP,
      dstPort: 7777,
      dstMac: server.mac,
    }),
    protocol: (i) =>
      new MemcachedTcpClient({
        keyLengths: lengths,
        valueSize: createSampler(parseDistribution("fixed:200")),
        getRatio: 0.9,
        keys: createKeyChooser({ kind: "uniform" }, records),
        rng: tb.streams.stream("test.memcached", i),
        load: { first: i, stride: opts.flows ?? 2 },
      }),
    loop,
    measureStartNs: 1_000_000,
    measureEndNs: 3_000_000,
    histogramMode: "packed",
  });
  client.start();
  return { tb, server, client };
}

Deno.test("TCP load client", async (t) => {
  await t.step(
    "closed loop: handshake, load, then every measured request answered correctly",
    () => {
      const { tb, client, server } = setup({ mode: "closed", outstanding: 4 });
      tb.sim.run(10_000_000);
      const r = client.report();
      client.destroy();
      assert.equal(r.protocol, "memcached-tcp");
      assert.equal(r.connectionsEstablished, 2);
      assert.ok(r.loadFinishedNs > 0 && r.loadFinishedNs < 1_000_000);
      assert.ok(r.overall.sent > 100);
      assert.equal(r.overall.completed, r.overall.sent);
      assert.equal(r.overall.errors + r.loadErrors + r.connectionsBroken + r.outstanding, 0);
      assert.ok((r.protocolCounters.gets ?? 0) > 0);
      assert.ok(r.overall.latency.count === r.overall.completed);
      // Four requests pipelined: the server sees more than one request's bytes at a time.
      assert.ok(server.maxReadable > 60, `largest read ${server.maxReadable}`);
    },
  );

  await t.step("open loop: requests at the target rate, latency from the intended time", () => {
    const { tb, client } = setup({ mode: "open", ratePerSecond: 200_000 });
    tb.sim.run(10_000_000);
    const r = client.report();
    client.destroy();
    // 200 000/s over a 2 ms window: about 400 arrivals.
    assert.ok(r.overall.sent > 300 && r.overall.sent < 500, `sent ${r.overall.sent}`);
    assert.equal(r.overall.completed, r.overall.sent);
    assert.equal(r.overall.errors, 0);
  });

  await t.step("wrong data is counted as an error, never as a completion", () => {
    const { tb, client } = setup({ mode: "closed", outstanding: 1 }, { corrupt: true });
    tb.sim.run(10_000_000);
    const r = client.report();
    client.destroy();
    assert.ok(r.loadErrors + r.overall.errors > 0);
    assert.equal(r.overall.completed + r.overall.errors, r.overall.sent);
  });

  await t.step("a closed port: every connection is reset and counted broken", () => {
    const { tb, client } = setup({ mode: "closed", outstanding: 1 }, { listen: false, flows: 3 });
    tb.sim.run(10_000_000);
    const r = client.report();
    client.destroy();
    assert.equal(r.connectionsEstablished, 0);
    assert.equal(r.connectionsBroken, 3);
    assert.equal(r.overall.sent, 0);
    assert.equal(r.tcp["rst-received"], 3);
  });

  await t.step("bad options are refused with the value named", () => {
    const tb = createTestbed({ seed: 1 });
    const flows = consecutiveFlows({
      count: 1,
      firstSrcPort: 9000,
      dstIp: SERVER_IP,
      dstPort: 7777,
      dstMac: macOf(1),
    });
    const base = {
      name: "x",
      mac: macOf(2),
      ip: CLIENT_IP,
      // Never asked for a request: construction fails first or nothing starts.
      protocol: () => ({}) as StreamProtocol,
      loop: { mode: "closed", outstanding: 1 } as const,
      measureStartNs: 0,
      measureEndNs: 1,
    };
    assert.throws(
      () => new TcpLoadClient(tb, { ...base, flows: [...flows, ...flows] }),
      /source port 9000 is used twice/,
    );
    assert.throws(
      () => new TcpLoadClient(tb, { ...base, flows, loop: { mode: "closed", outstanding: 0 } }),
      /outstanding 0 is invalid/,
    );
    assert.throws(() => new TcpLoadClient(tb, { ...base, flows: [] }), /has no flows/);
  });
});
