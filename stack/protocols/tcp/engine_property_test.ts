import assert from "node:assert/strict";
import fc from "fast-check";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { TcpCounter } from "./counters.ts";
import { runTransfer } from "./transfer.ts";

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
  const rng = xoroshiro128plus(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = uniformInt(rng, 0, 255);
  return out;
}

/** Totals over every case, to show the link really lost and reordered segments. */
const seen = { dropped: 0, retransmits: 0, outOfOrder: 0 };

function transfer(p: Case): void {
  const up = bytes(p.up, p.seed ^ 0x55);
  const down = bytes(p.down, p.seed ^ 0xaa);
  const r = runTransfer({
    up,
    down,
    engine: {
      timeWaitNs: 2_000_000_000,
      rcvBuffer: p.rcvBuffer,
      sndBuffer: p.sndBuffer,
      mss: p.mss,
      oooRanges: p.oooRanges,
      ...(p.wrapIsn ? { isn: () => 0xffffd000 } : {}),
    },
    link: { loss: p.loss, jitterNs: p.jitterUs * 1000, seed: p.seed },
    maxSteps: 30_000,
  });
  assert.ok(r.completed, r.problem);
  assert.deepEqual(r.serverReceived, up);
  assert.deepEqual(r.clientReceived, down);
  assert.equal(r.client.counters[TcpCounter.BytesSent], p.up, "each byte first sent once");
  assert.equal(r.server.counters[TcpCounter.BytesSent], p.down);
  assert.equal(r.server.counters[TcpCounter.BytesDelivered], p.up);
  assert.equal(r.client.counters[TcpCounter.Timeouts], 0);
  assert.equal(r.server.counters[TcpCounter.BadChecksum], 0);
  seen.dropped += r.link.dropped;
  for (const e of [r.client, r.server]) {
    seen.retransmits += e.counters[TcpCounter.Retransmits] ?? 0;
    seen.outOfOrder += e.counters[TcpCounter.OutOfOrderQueued] ?? 0;
  }
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
