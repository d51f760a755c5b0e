import assert from "node:assert/strict";
import fc from "fast-check";
import { parseIpv4 } from "../../packet/addr.ts";
import { TcpEngine, type TcpEngineOptions } from "./engine.ts";
import { TcpCounter } from "./counters.ts";
import { FakeClock, Net, seeded } from "./_test_net.ts";

const CLIENT = parseIpv4("192.168.1.10");
const SERVER = parseIpv4("192.168.1.20");

interface Case {
  readonly up: number;
  readonly down: number;
  readonly loss: number;
  readonly jitterUs: number;
  readonly seed: number;
  readonly wrapIsn: boolean;
  readonly rcvBuffer: number;
  readonly sndBuffer: number;
  readonly mss: number;
  readonly oooRanges: number;
}

function bytes(n: number, seed: number): Uint8Array {
  const r = seeded(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** One side's application: sends its stream, reads the other, half-closes, then closes. */
class App {
  sent = 0;
  got = 0;
  shut = false;
  closed = false;
  readonly received: Uint8Array;
  constructor(
    readonly e: TcpEngine,
    public id: number,
    readonly data: Uint8Array,
    expect: number,
  ) {
    this.received = new Uint8Array(expect + 1);
  }

  run(): void {
    if (this.closed || this.id < 0) return;
    const e = this.e;
    assert.equal(e.error(this.id), 0, `connection failed: ${e.describe(this.id)}`);
    while (this.sent < this.data.length) {
      const n = e.send(this.id, this.data, this.sent, this.data.length - this.sent);
      if (n <= 0) break;
      this.sent += n;
    }
    if (this.sent === this.data.length && !this.shut) this.shut = e.shutdown(this.id);
    for (;;) {
      const room = this.received.length - this.got;
      const n = e.recv(this.id, this.received, this.got, room);
      if (n === 0) break;
      this.got += n;
    }
    if (this.shut && e.isEof(this.id)) {
      e.close(this.id);
      this.closed = true;
    }
  }
}

/** Totals over every case, to show the link really lost and reordered segments. */
const seen = { dropped: 0, retransmits: 0, outOfOrder: 0 };

function transfer(p: Case): void {
  const clock = new FakeClock();
  const base: TcpEngineOptions = {
    clock: clock.read,
    timeWaitNs: 2_000_000_000,
    rcvBuffer: p.rcvBuffer,
    sndBuffer: p.sndBuffer,
    mss: p.mss,
    oooRanges: p.oooRanges,
    ...(p.wrapIsn ? { isn: () => 0xffffd000 } : {}),
  };
  const c = new TcpEngine(base);
  const s = new TcpEngine(base);
  const net = new Net([c, s], clock, {
    loss: p.loss,
    jitterNs: p.jitterUs * 1000,
    seed: p.seed,
  });
  const l = s.listen(8080);
  const upData = bytes(p.up, p.seed ^ 0x55);
  const downData = bytes(p.down, p.seed ^ 0xaa);
  const client = new App(c, c.connect(CLIENT, SERVER, 8080), upData, p.down);
  const server = new App(s, -1, downData, p.up);
  let steps = 0;
  for (; steps < 30_000; steps++) {
    if (server.id < 0) server.id = s.accept(l);
    client.run();
    server.run();
    while (c.events.shift());
    while (s.events.shift());
    if (!net.step()) break;
  }
  assert.ok(client.closed && server.closed, `stuck after ${steps} steps`);
  assert.equal(server.got, p.up);
  assert.equal(client.got, p.down);
  assert.deepEqual(server.received.subarray(0, p.up), upData);
  assert.deepEqual(client.received.subarray(0, p.down), downData);
  assert.equal(c.table.size + s.table.size, 0, "every slot is freed after TIME-WAIT");
  seen.dropped += net.dropped;
  for (const e of [c, s]) {
    seen.retransmits += e.counters[TcpCounter.Retransmits] ?? 0;
    seen.outOfOrder += e.counters[TcpCounter.OutOfOrderQueued] ?? 0;
  }
  assert.equal(c.counters[TcpCounter.Timeouts], 0);
  assert.equal(s.counters[TcpCounter.BadChecksum], 0);
}

Deno.test("TCP over a lossy, reordering link delivers the exact byte streams", async (t) => {
  await t.step("a lossless link with a wrapping sequence space", () => {
    transfer({
      up: 100_000,
      down: 70_000,
      loss: 0,
      jitterUs: 0,
      seed: 7,
      wrapIsn: true,
      rcvBuffer: 65536,
      sndBuffer: 65536,
      mss: 1460,
      oooRanges: 8,
    });
  });

  await t.step("random loss, delay, reordering, buffer sizes and MSS (fast-check, seed 42)", () => {
    fc.assert(
      fc.property(
        fc.record({
          up: fc.integer({ min: 0, max: 40_000 }),
          down: fc.integer({ min: 0, max: 40_000 }),
          lossPct: fc.integer({ min: 0, max: 20 }),
          jitterUs: fc.integer({ min: 0, max: 400 }),
          seed: fc.integer({ min: 1, max: 0x7fffffff }),
          wrapIsn: fc.boolean(),
          rcvBuffer: fc.constantFrom(1024, 4096, 65536),
          sndBuffer: fc.constantFrom(1024, 8192, 65536),
          mss: fc.constantFrom(100, 536, 1460),
          oooRanges: fc.constantFrom(0, 1, 8),
        }),
        ({ lossPct, ...p }) => transfer({ ...p, loss: lossPct / 100 }),
      ),
      { seed: 42, numRuns: 40 },
    );
    assert.ok(
      seen.dropped > 0 && seen.retransmits > 0 && seen.outOfOrder > 0,
      JSON.stringify(seen),
    );
  });
});
