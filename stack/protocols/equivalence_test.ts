/**
 * The interpreter and the compiled function execute the LPG the same way: random and malformed
 * frames run through both, and the port trace of every run, the transmitted bytes, socket
 * deliveries and every counter must be equal.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  arpReplyFrame,
  arpRequestFrame,
  makeStack,
  pingFrame,
  tcpFrame,
  type TestStack,
  udpFrame,
} from "./_testing.ts";
import { internetChecksum } from "../packet/checksum.ts";
import { parseIpv4 } from "../packet/addr.ts";
import type { UdpEndpoint } from "./udp_sockets_expansion.ts";

const ENDPOINTS: UdpEndpoint[] = [
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  {
    sockets: [{ sid: 1, appId: 0 }, { sid: 2, appId: 1 }],
    srcIp: parseIpv4("10.0.0.2") >>> 0,
    srcPort: 40000,
    dstIp: 0,
    dstPort: 53,
  },
  { sockets: [{ sid: 3, appId: 1 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 53 },
];

const BASES: Uint8Array[] = [
  udpFrame(7, new Uint8Array([1, 2, 3, 4, 5])),
  udpFrame(53, new Uint8Array(12)),
  udpFrame(53, new Uint8Array(12), { srcPort: 40001 }),
  udpFrame(9, new Uint8Array(3)),
  udpFrame(7, new Uint8Array(0), { l4Checksum: 2 }),
  pingFrame(3, 4, new Uint8Array([9, 8, 7])),
  arpRequestFrame(),
  arpReplyFrame(),
  tcpFrame(80),
];

/** A frame: a base with byte edits and an optional cut, IP checksum optionally fixed; or noise. */
const frameArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      base: fc.integer({ min: 0, max: BASES.length - 1 }),
      edits: fc.oneof(
        { weight: 1, arbitrary: fc.constant<[number, number][]>([]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 3 }) },
      ),
      cut: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.nat(80) },
      ),
      fixIp: fc.boolean(),
    }).map(({ base, edits, cut, fixIp }) => {
      const f = (BASES[base] ?? new Uint8Array()).slice();
      for (const [pos, value] of edits) if (pos < f.length) f[pos] = value;
      if (fixIp && f.length >= 34 && f[12] === 8 && f[13] === 0) {
        const ihl = ((f[14] ?? 0) & 15) * 4;
        if (ihl >= 20 && 14 + ihl <= f.length) {
          f[24] = 0;
          f[25] = 0;
          const sum = internetChecksum(f, 14, ihl);
          f[24] = sum >> 8;
          f[25] = sum & 255;
        }
      }
      return cut === undefined ? f : f.slice(0, cut);
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 90 }) },
);

interface Observed {
  traces: number[][];
  tx: number[][];
  delivered: number[][];
}

function feed(s: TestStack, frames: readonly Uint8Array[]): Observed {
  const out: Observed = { traces: [], tx: [], delivered: [] };
  const record = () => out.traces.push([...(s.ctx.trace ?? [])]);
  for (const frame of frames) {
    const b = s.pool.alloc(0);
    s.pool.bytes.set(frame, s.pool.start[b] ?? 0);
    s.pool.length[b] = frame.length;
    s.exec.run(s.rxQueue, b);
    record();
    while (s.ctx.tasks.size > 0) {
      const node = s.ctx.tasks.peekNode();
      const buf = s.ctx.tasks.peekBuf();
      s.ctx.tasks.shift();
      s.exec.run(node, buf);
      record();
    }
    for (const f of s.takeTx()) out.tx.push([...f]);
    for (const [sid, ring] of s.env.sockets) {
      for (let d = ring.shift(); d >= 0; d = ring.shift()) {
        out.delivered.push([sid, (s.env.l5[d] ?? 0) - (s.pool.start[d] ?? 0)]);
        s.pool.free(d, 0);
      }
    }
  }
  return out;
}

Deno.test("interpreter and compiled LPG agree on random and malformed frames", () => {
  const stats = { runs: 0, tx: 0, delivered: 0 };
  fc.assert(
    fc.property(
      fc.array(frameArb, { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (frames, knownPeer) => {
        const opts = { endpoints: ENDPOINTS, trace: true, knownPeer, buffers: 64 } as const;
        const a = makeStack({ ...opts, mode: "interpreter" });
        const b = makeStack({ ...opts, mode: "compiled" });
        const oa = feed(a, frames);
        const ob = feed(b, frames);
        assert.deepEqual(ob.traces, oa.traces);
        assert.deepEqual(ob.tx, oa.tx);
        assert.deepEqual(ob.delivered, oa.delivered);
        assert.deepEqual(b.ctx.misses, a.ctx.misses);
        assert.deepEqual(b.ctx.ports, a.ctx.ports);
        assert.deepEqual(b.ctx.extra, a.ctx.extra);
        assert.equal(b.ctx.freedAtEnd, a.ctx.freedAtEnd);
        assert.equal(b.env.pendingCount, a.env.pendingCount);
        assert.equal(b.pool.inUse, a.pool.inUse);
        stats.runs++;
        stats.tx += oa.tx.length;
        stats.delivered += oa.delivered.length;
      },
    ),
    { seed: 42, numRuns: 60 },
  );
  // The generator reaches the deep paths, not only early drops.
  assert.ok(stats.tx > stats.runs, `only ${stats.tx} frames sent in ${stats.runs} runs`);
  assert.ok(stats.delivered > stats.runs / 2, `only ${stats.delivered} deliveries`);
});

Deno.test("the equivalence check can fail: a different local address shows up", () => {
  const frames = [pingFrame(1, 1, new Uint8Array(4))];
  const a = makeStack({ trace: true, mode: "interpreter" });
  const b = makeStack({ trace: true, mode: "compiled" });
  // The compiled stack believes in another local address, so its IPv4 check fails.
  (b.env as { localIp: number }).localIp = 1;
  assert.notDeepEqual(feed(b, frames).traces, feed(a, frames).traces);
});
