import assert from "node:assert/strict";
import fc from "fast-check";
import { Simulator } from "./simulator.ts";
import { frameTimeNs, frameWithFcs, lineRatePps, Link, wireBytes } from "./wire.ts";

/**
 * Offers frames of `frameWithFcsBytes` at twice the line rate for `windowNs`; returns arrival
 * times and the link.
 */
function saturate(frameWithFcsBytes: number, windowNs: number, queueFrames: number) {
  const sim = new Simulator();
  const arrivals: number[] = [];
  const link = new Link(sim, "l", () => arrivals.push(sim.now), { queueFrames });
  const len = frameWithFcsBytes - 4;
  const period = frameTimeNs(len) / 2;
  let offered = 0;
  const send = sim.on("send", () => {
    link.send(offered, len);
    offered++;
    const next = Math.round(offered * period);
    if (next < windowNs) sim.at(next, send);
  });
  sim.at(0, send);
  sim.run();
  return { arrivals, link, offered };
}

Deno.test("Wire", async (t) => {
  await t.step("frame arithmetic matches host-stacks.md §5.4", () => {
    assert.equal(wireBytes(60), 84);
    assert.equal(wireBytes(0), 84); // padded to the 64-byte minimum
    assert.equal(frameWithFcs(10), 64);
    assert.equal(wireBytes(1514), 1538);
    const table: [number, number, number][] = [
      [64, 14.88e6, 67.2],
      [128, 8.45e6, 118.4],
      [256, 4.53e6, 220.8],
      [512, 2.35e6, 425.6],
      [1024, 1.20e6, 835.2],
      [1518, 0.81e6, 1230.4],
    ];
    for (const [withFcs, pps, ns] of table) {
      assert.ok(Math.abs(frameTimeNs(withFcs - 4) - ns) < 1e-9, `${withFcs} B time`);
      assert.ok(Math.abs(lineRatePps(withFcs - 4) / pps - 1) < 0.005, `${withFcs} B rate`);
    }
    // workloads.md-derived frames: UDP echo with 64-byte payload is a 110-byte frame.
    assert.ok(Math.abs(lineRatePps(106) - 9.62e6) < 0.01e6);
    assert.ok(Math.abs(lineRatePps(1070 - 4) - 1.147e6) < 0.001e6);
    assert.ok(Math.abs(lineRatePps(60, 40e9) - 4 * 14.88e6) < 0.01e6);
  });

  for (const size of [64, 1024]) {
    await t.step(`saturates at exactly the line rate with ${size}-byte frames`, () => {
      const windowNs = 1_000_000;
      const { arrivals, link, offered } = saturate(size, windowNs, 32);
      const bitsPerNs = 10;
      const wireBits = (size + 20) * 8;
      const lastBitBits = (size + 8) * 8;
      // Frame k's last bit leaves at k * wire time + (preamble + frame) time, back to back.
      const expected = arrivals.map((_, k) =>
        Math.ceil((k * wireBits + lastBitBits) / bitsPerNs) + link.propagationNs
      );
      assert.deepEqual(arrivals, expected);
      const inWindow = arrivals.filter((a) => a <= windowNs).length;
      const bound = (windowNs * 10e9) / 1e9 / wireBits;
      assert.ok(Math.abs(inWindow - bound) <= 1, `${inWindow} frames vs line rate ${bound}`);
      assert.equal(link.framesSent + link.drops, offered);
      assert.ok(link.drops > offered / 2 - 40 && link.drops < offered / 2 + 40);
      assert.equal(link.framesDelivered, link.framesSent);
      assert.ok(Math.abs(link.busyNs() - link.framesSent * wireBits / bitsPerNs) < 1e-6);
    });
  }

  await t.step("never delivers faster than the line rate, whatever the offered pattern", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 3000 }),
            len: fc.integer({ min: 0, max: 1514 }),
          }),
          { minLength: 2, maxLength: 80 },
        ),
        fc.constantFrom(1e9, 10e9, 25e9, 100e9),
        (frames, rateBps) => {
          const sim = new Simulator();
          const got: { at: number; len: number }[] = [];
          const link = new Link(sim, "l", (_tag, len) => got.push({ at: sim.now, len }), {
            rateBps,
          });
          const send = sim.on("send", (i) => {
            link.send(i, (frames[i] as { len: number }).len);
            const next = frames[i + 1];
            if (next !== undefined) sim.after(next.gap, send, i + 1);
          });
          sim.at(0, send, 0);
          sim.run();
          assert.equal(got.length, frames.length);
          for (let i = 1; i < got.length; i++) {
            const prev = got[i - 1] as { at: number };
            const cur = got[i] as { at: number; len: number };
            assert.ok(cur.at - prev.at >= frameTimeNs(cur.len, rateBps) - 1, `frame ${i}`);
          }
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("an idle link delivers after serialisation plus propagation", () => {
    const sim = new Simulator();
    const at: number[] = [];
    const link = new Link(sim, "l", () => at.push(sim.now), { propagationNs: 500 });
    link.send(0, 60);
    assert.equal(link.queued(), 0);
    link.send(1, 60);
    assert.equal(link.queued(), 1);
    sim.run();
    assert.deepEqual(at, [Math.ceil(57.6) + 500, Math.ceil(67.2 + 57.6) + 500]);
    assert.equal(link.queued(), 0);
  });

  await t.step("a queue of 0 frames drops whatever arrives while the wire is busy", () => {
    const sim = new Simulator();
    const link = new Link(sim, "l", () => {}, { queueFrames: 0 });
    assert.deepEqual([link.send(0, 60), link.send(1, 60), link.send(2, 60)], [true, false, false]);
    assert.equal(link.drops, 2);
  });

  await t.step("rejects bad lengths, rates, delays and queue sizes", () => {
    const sim = new Simulator();
    assert.throws(() => wireBytes(-1), /Frame length -1 B is invalid/);
    assert.throws(() => frameTimeNs(60, 0), /Line rate 0 b\/s is invalid/);
    assert.throws(
      () => new Link(sim, "x", () => {}, { propagationNs: 1.5 }),
      /"x" propagation delay 1.5 ns is invalid/,
    );
    assert.throws(
      () => new Link(sim, "y", () => {}, { queueFrames: -2 }),
      /"y" queue of -2 frames/,
    );
  });
});
