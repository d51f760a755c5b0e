/**
 * The LPG's code templates (`templateWork`) are the one text of each node: its work function is
 * built from it, and random and malformed frames run through the interpreter and through the
 * compiled function built with templates (joins copied or called) and without them, and
 * everything observable must be equal.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type CompileOptions, generateSource, inlineOf, WORK_SITE } from "../exec/compiler.ts";
import { buildLpg, lpgImpls } from "./lpg.ts";
import { nodeNumber } from "../exec/program.ts";
import {
  arpReplyFrame,
  arpRequestFrame,
  makeStack,
  pingFrame,
  tcpFrame,
  udpFrame,
} from "./_testing.ts";
import type { UdpEndpoint } from "./udp_sockets_expansion.ts";

const ENDPOINTS: UdpEndpoint[] = [
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  {
    sockets: [{ sid: 1, appId: 0 }, { sid: 2, appId: 1 }, { sid: 3, appId: 1 }],
    srcIp: 0,
    srcPort: 0,
    dstIp: 0,
    dstPort: 53,
  },
];

const BASES: Uint8Array[] = [
  udpFrame(7, new Uint8Array([1, 2, 3, 4, 5])),
  udpFrame(53, new Uint8Array(12)),
  udpFrame(9, new Uint8Array(3)),
  udpFrame(7, new Uint8Array(0)),
  udpFrame(7, new Uint8Array(1), { l4Checksum: 2 }),
  pingFrame(3, 4, new Uint8Array([9, 8, 7])),
  arpRequestFrame(),
  arpReplyFrame(),
  tcpFrame(80),
];

/** A base frame with up to three byte edits and an optional cut. */
const frameArb = fc.record({
  base: fc.integer({ min: 0, max: BASES.length - 1 }),
  edits: fc.oneof(
    fc.constant<[number, number][]>([]),
    fc.array(fc.tuple(fc.nat(70), fc.nat(255)), { maxLength: 3 }),
  ),
  cut: fc.option(fc.nat(70), { nil: undefined }),
}).map(({ base, edits, cut }) => {
  const f = (BASES[base] ?? new Uint8Array()).slice();
  for (const [pos, value] of edits) if (pos < f.length) f[pos] = value;
  return cut === undefined ? f : f.slice(0, cut);
});

/** Feeds frames through one LPG; returns traces, sent bytes, deliveries and counters. */
function observe(
  mode: "interpreter" | CompileOptions,
  frames: readonly Uint8Array[],
  peer: boolean,
) {
  const s = mode === "interpreter"
    ? makeStack({ endpoints: ENDPOINTS, trace: true, knownPeer: peer, buffers: 64 })
    : makeStack({
      endpoints: ENDPOINTS,
      trace: true,
      knownPeer: peer,
      buffers: 64,
      mode: "compiled",
      compile: mode,
    });
  const traces: number[][] = [];
  const sent: number[][] = [];
  const delivered: number[][] = [];
  for (const frame of frames) {
    const b = s.pool.alloc(0);
    s.pool.bytes.set(frame, s.pool.start[b] ?? 0);
    s.pool.length[b] = frame.length;
    s.exec.run(s.rxQueue, b);
    traces.push([...(s.ctx.trace ?? [])]);
    while (s.ctx.tasks.size > 0) {
      const node = s.ctx.tasks.peekNode();
      const buf = s.ctx.tasks.peekBuf();
      s.ctx.tasks.shift();
      s.exec.run(node, buf);
      traces.push([...(s.ctx.trace ?? [])]);
    }
    for (const f of s.takeTx()) sent.push([...f]);
    for (const [sid, ring] of s.env.sockets) {
      for (let d = ring.shift(); d >= 0; d = ring.shift()) {
        delivered.push([sid, (s.env.l5[d] ?? 0) - (s.pool.start[d] ?? 0)]);
        s.pool.free(d, 0);
      }
    }
  }
  return {
    traces,
    sent,
    delivered,
    misses: [...s.ctx.misses],
    ports: [...s.ctx.ports],
    extra: [...s.ctx.extra],
    inUse: s.pool.inUse,
  };
}

const OPTIONS: Record<string, CompileOptions> = {
  "templates, default joins": {},
  "templates, joins called": { joinInlineLimit: 0 },
  "work-function calls only": { inline: false },
};

Deno.test("LPG code templates", async (t) => {
  await t.step("every compile option runs like the interpreter on random frames", () => {
    let sentTotal = 0;
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (frames, peer) => {
          const want = observe("interpreter", frames, peer);
          sentTotal += want.sent.length;
          for (const [name, options] of Object.entries(OPTIONS)) {
            assert.deepEqual(observe(options, frames, peer), want, name);
          }
        },
      ),
      { seed: 42, numRuns: 40 },
    );
    assert.ok(sentTotal > 20, `only ${sentTotal} frames sent: the deep paths were not reached`);
  });

  await t.step("the UDP echo path runs without a work-function call", () => {
    const s = makeStack({ trace: true });
    const onPath = new Set<number>();
    const record = () => {
      const trace = s.ctx.trace ?? [];
      for (let i = 0; i < trace.length; i += 2) onPath.add(trace[i] ?? 0);
    };
    const frame = udpFrame(7, new Uint8Array(4));
    const b = s.pool.alloc(0);
    s.pool.bytes.set(frame, s.pool.start[b] ?? 0);
    s.pool.length[b] = frame.length;
    s.exec.run(s.rxQueue, b);
    record();
    // The echo app's send: reply from the payload, as `UdpEchoApp.poll` does.
    const e = s.env;
    assert.equal(e.socketRing(0).shift(), b);
    e.txDstIp[b] = e.rxSrcIp[b] ?? 0;
    e.txDstPort[b] = e.rxSrcPort[b] ?? 0;
    e.txSrcPort[b] = e.rxDstPort[b] ?? 0;
    s.pool.start[b] = e.l5[b] ?? 0;
    s.pool.length[b] = 4;
    s.exec.run(nodeNumber(s.program, "sock.s0.from"), b);
    record();
    assert.equal(s.takeTx().length, 1);
    const src = generateSource(s.program);
    for (const n of onPath) {
      assert.doesNotMatch(
        src,
        new RegExp(`w${n}\\(x, ${n}\\)`),
        `node ${String(s.program.ids[n])} is called, not inlined`,
      );
    }
    assert.ok(onPath.has(nodeNumber(s.program, "tx.udp.fill-header")), "the TX path was traced");
  });
  await t.step("each templated node's work function is built from its template's text", () => {
    const graph = buildLpg([...ENDPOINTS]);
    let templated = 0;
    for (const [name, impl] of lpgImpls(graph)) {
      const template = inlineOf(impl.work);
      if (template === undefined) continue;
      templated++;
      const text = String(impl.work);
      for (const line of template.code(WORK_SITE).split("\n")) {
        if (line.trim() !== "") assert.ok(text.includes(line.trim()), `${name}: ${line.trim()}`);
      }
    }
    assert.ok(templated >= 30, `only ${templated} templated nodes`);
  });
});
