/**
 * The LPG's code templates (`inlineWork`) do what their work functions do: random and malformed
 * frames run through the interpreter and through the compiled function built with templates
 * (joins copied or called) and without them, and everything observable must be equal.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { BufferPool } from "../packet/buffer_pool.ts";
import { parseIpv4, parseMac } from "../packet/addr.ts";
import { ExecContext } from "../exec/context.ts";
import { type CompileOptions, compileProgram, generateSource } from "../exec/compiler.ts";
import { type Executor, Interpreter } from "../exec/interpreter.ts";
import { buildProgram, nodeNumber } from "../exec/program.ts";
import { LpgEnv } from "./env.ts";
import { buildLpg, lpgImpls } from "./lpg.ts";
import {
  arpReplyFrame,
  arpRequestFrame,
  LOCAL_IP,
  LOCAL_MAC,
  makeStack,
  PEER_IP,
  PEER_MAC,
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
  const graph = buildLpg(ENDPOINTS);
  const program = buildProgram(graph, lpgImpls(graph));
  const pool = new BufferPool({ count: 64 });
  const env = new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC });
  if (peer) {
    const m = parseMac(PEER_MAC);
    env.arpInsert(
      parseIpv4(PEER_IP) >>> 0,
      ((m[0] ?? 0) << 8) | (m[1] ?? 0),
      (((m[2] ?? 0) << 24) | ((m[3] ?? 0) << 16) | ((m[4] ?? 0) << 8) | (m[5] ?? 0)) >>> 0,
    );
  }
  const ctx = new ExecContext({ program, pool, env, trace: true });
  const exec: Executor = mode === "interpreter"
    ? new Interpreter(program, ctx)
    : compileProgram(program, ctx, { ...mode, trace: true });
  const rx = nodeNumber(program, "rx.queue");
  const traces: number[][] = [];
  const sent: number[][] = [];
  const delivered: number[][] = [];
  for (const frame of frames) {
    const b = pool.alloc(0);
    pool.bytes.set(frame, pool.start[b] ?? 0);
    pool.length[b] = frame.length;
    exec.run(rx, b);
    traces.push([...(ctx.trace ?? [])]);
    while (ctx.tasks.size > 0) {
      const node = ctx.tasks.peekNode();
      const buf = ctx.tasks.peekBuf();
      ctx.tasks.shift();
      exec.run(node, buf);
      traces.push([...(ctx.trace ?? [])]);
    }
    for (let t = env.tx.shift(); t >= 0; t = env.tx.shift()) {
      const s = pool.start[t] ?? 0;
      sent.push([...pool.bytes.slice(s, s + (pool.length[t] ?? 0))]);
      pool.free(t, 0);
    }
    for (const [sid, ring] of env.sockets) {
      for (let d = ring.shift(); d >= 0; d = ring.shift()) {
        delivered.push([sid, (env.l5[d] ?? 0) - (pool.start[d] ?? 0)]);
        pool.free(d, 0);
      }
    }
  }
  return {
    traces,
    sent,
    delivered,
    misses: [...ctx.misses],
    ports: [...ctx.ports],
    extra: [...ctx.extra],
    inUse: pool.inUse,
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
      assert.doesNotMatch(src, new RegExp(`w${n}\\(x, ${n}\\)`), s.program.ids[n]);
    }
    assert.ok(onPath.has(nodeNumber(s.program, "tx.udp.fill-header")), "the TX path was traced");
  });
});
