/**
 * What each compiler option buys on the LPG: a 64-byte UDP echo (RX to the socket, the reply
 * sent from the payload in place, TX to the ring; what `UdpEchoApp` does, inlined here) through
 * the interpreter and through the compiled function with code templates and copied joins off
 * and on, side by side in one run.
 *
 * Run: `deno bench --allow-read stack/protocols/lpg_compile_bench.ts`
 */
import type { CompileOptions } from "../exec/compiler.ts";
import { nodeNumber } from "../exec/program.ts";
import { makeStack, udpFrame } from "./_testing.ts";

const BATCH = 1000;
const request = udpFrame(7, new Uint8Array(18).fill(0x5a));

/** An echo loop of BATCH frames over one stack; checks the first reply was sent. */
function echo(compile: CompileOptions | "interpreter"): () => void {
  const s = compile === "interpreter"
    ? makeStack({ buffers: 64 })
    : makeStack({ buffers: 64, mode: "compiled", compile });
  const { pool, env, exec, ctx, rxQueue } = s;
  const from = nodeNumber(s.program, "sock.s0.from");
  const ring = env.socketRing(0);
  const once = (): number => {
    const b = pool.alloc(0);
    pool.bytes.set(request, pool.start[b] ?? 0);
    pool.length[b] = request.length;
    exec.run(rxQueue, b);
    const d = ring.shift();
    env.txDstIp[d] = env.rxSrcIp[d] ?? 0;
    env.txDstPort[d] = env.rxSrcPort[d] ?? 0;
    env.txSrcPort[d] = env.rxDstPort[d] ?? 0;
    pool.start[d] = env.l5[d] ?? 0;
    pool.length[d] = ctx.view.getUint16((env.l4[d] ?? 0) + 4) - 8;
    exec.run(from, d);
    return env.tx.shift();
  };
  const first = once();
  if (first < 0 || pool.length[first] !== request.length) {
    throw new Error(`Echo through ${JSON.stringify(compile)} sent no 60-byte reply`);
  }
  pool.free(first, 0);
  return () => {
    for (let i = 0; i < BATCH; i++) pool.free(once(), 0);
  };
}

const variants: [string, CompileOptions | "interpreter"][] = [
  ["compiled: templates, joins copied (default)", {}],
  ["compiled: templates, joins called", { joinInlineLimit: 0 }],
  ["compiled: work-function calls, joins called", { inline: false, joinInlineLimit: 0 }],
  ["interpreter", "interpreter"],
];
const fns = variants.map(([name, options]) => [name, echo(options)] as const);
for (const [name, fn] of fns) {
  Deno.bench({
    name: `${name} (x${BATCH} frames)`,
    group: "lpg-udp-echo-compile-options",
    baseline: name.endsWith("(default)"),
    fn,
  });
}
