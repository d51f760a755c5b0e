/**
 * Test and benchmark harness for the LPG (private): one stack in a single pipeline, executed by
 * the interpreter or the compiled function, with helpers to inject frames and collect what is
 * transmitted.
 *
 * @module
 */
import { BufferPool } from "../packet/buffer_pool.ts";
import { parseIpv4, parseMac } from "../packet/addr.ts";
import {
  buildArpReply,
  buildArpRequest,
  buildIcmpEchoFrame,
  buildTcpFrame,
  buildUdpFrame,
} from "../packet/build.ts";
import { ExecContext } from "../exec/context.ts";
import { type CompileOptions, compileProgram } from "../exec/compiler.ts";
import { type Executor, Interpreter } from "../exec/interpreter.ts";
import { buildProgram, nodeNumber, type Program } from "../exec/program.ts";
import type { Graph } from "../graph/types.ts";
import { type LpgConfig, LpgEnv } from "./env.ts";
import { buildLpg, lpgImpls } from "./lpg.ts";
import type { UdpEndpoint } from "./udp_sockets_expansion.ts";

/** Local addresses of the test stack. */
export const LOCAL_IP = "10.0.0.1";
/** Local MAC of the test stack. */
export const LOCAL_MAC = "02:00:00:00:00:01";
/** A peer's addresses. */
export const PEER_IP = "10.0.0.2";
/** A peer's MAC. */
export const PEER_MAC = "02:00:00:00:00:02";

/** Options of {@linkcode makeStack}. */
export interface StackOptions {
  /** Endpoints (default: one echo socket, sid 0 app 0, on `*:7`). */
  readonly endpoints?: readonly UdpEndpoint[];
  /** Executor (default interpreter). */
  readonly mode?: "interpreter" | "compiled";
  /** Compiler options in mode `compiled` (`trace` is taken from {@linkcode StackOptions.trace}). */
  readonly compile?: CompileOptions;
  /** Record port traces. */
  readonly trace?: boolean;
  /** Configuration overrides. */
  readonly config?: Partial<LpgConfig>;
  /** Pool size (default 256). */
  readonly buffers?: number;
  /** Learn the peer's MAC up front (default true). */
  readonly knownPeer?: boolean;
}

/** A stack under test. */
export interface TestStack {
  /** The graph. */
  readonly graph: Graph;
  /** Its program. */
  readonly program: Program<LpgEnv>;
  /** The pool. */
  readonly pool: BufferPool;
  /** The stack state. */
  readonly env: LpgEnv;
  /** The context. */
  readonly ctx: ExecContext<LpgEnv>;
  /** The executor. */
  readonly exec: Executor;
  /** Number of the `rx.queue` node. */
  readonly rxQueue: number;
  /** Runs one received frame, then every task it spawned; returns the transmitted frames. */
  receive(frame: Uint8Array): Uint8Array[];
  /** Runs queued tasks (at most `limit`); returns how many ran. */
  drain(limit?: number): number;
  /** Takes every frame in the TX ring (freeing its buffers). */
  takeTx(): Uint8Array[];
  /** Value of a counter of a node: a port name, `calls`, or a spec counter name. */
  counter(id: string, name: string): number;
}

/** The default echo endpoint: `*:* / *:7`, socket 0 of app 0. */
export const ECHO_ENDPOINT: UdpEndpoint = {
  sockets: [{ sid: 0, appId: 0 }],
  srcIp: 0,
  srcPort: 0,
  dstIp: 0,
  dstPort: 7,
};

/** Makes a single-pipeline stack. */
export function makeStack(options: StackOptions = {}): TestStack {
  const graph = buildLpg(options.endpoints ?? [ECHO_ENDPOINT]);
  const program = buildProgram(graph, lpgImpls(graph));
  const pool = new BufferPool({ count: options.buffers ?? 256 });
  const env = new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC, ...options.config });
  if (options.knownPeer ?? true) {
    const m = parseMac(PEER_MAC);
    env.arpInsert(
      parseIpv4(PEER_IP) >>> 0,
      ((m[0] ?? 0) << 8) | (m[1] ?? 0),
      (((m[2] ?? 0) << 24) | ((m[3] ?? 0) << 16) | ((m[4] ?? 0) << 8) | (m[5] ?? 0)) >>> 0,
    );
  }
  const ctx = new ExecContext({ program, pool, env, trace: options.trace ?? false });
  const exec: Executor = options.mode === "compiled"
    ? compileProgram(program, ctx, { ...options.compile, trace: options.trace ?? false })
    : new Interpreter(program, ctx);
  const rxQueue = nodeNumber(program, "rx.queue");
  const drain = (limit = 1000) => {
    let n = 0;
    while (ctx.tasks.size > 0 && n < limit) {
      const node = ctx.tasks.peekNode();
      const buf = ctx.tasks.peekBuf();
      ctx.tasks.shift();
      exec.run(node, buf);
      n++;
    }
    return n;
  };
  const takeTx = () => {
    const out: Uint8Array[] = [];
    for (let b = env.tx.shift(); b >= 0; b = env.tx.shift()) {
      const s = pool.start[b] ?? 0;
      out.push(pool.bytes.slice(s, s + (pool.length[b] ?? 0)));
      pool.free(b, 0);
    }
    return out;
  };
  const receive = (frame: Uint8Array) => {
    const b = pool.alloc(0);
    if (b < 0) throw new Error("Test stack pool is exhausted");
    const s = pool.start[b] ?? 0;
    pool.bytes.set(frame, s);
    pool.length[b] = frame.length;
    exec.run(rxQueue, b);
    drain();
    return takeTx();
  };
  const counter = (id: string, name: string) => {
    const n = nodeNumber(program, id);
    if (name === "calls") return ctx.callsOf(n);
    const ports = program.portNames[n] ?? [];
    const p = ports.indexOf(name);
    if (p >= 0) return ctx.ports[n * program.maxPorts + p] ?? 0;
    const drops = program.dropPortCounter[n] ?? [];
    let total = 0;
    let found = false;
    drops.forEach((c, port) => {
      if (c === name) {
        found = true;
        total += ctx.ports[n * program.maxPorts + port] ?? 0;
      }
    });
    const k = program.extraNames[n]?.indexOf(name) ?? -1;
    if (k >= 0) {
      found = true;
      total += ctx.extra[(program.extraBase[n] ?? 0) + k] ?? 0;
    }
    if (!found) throw new Error(`Node "${id}" has no counter or port "${name}"`);
    return total;
  };
  return { graph, program, pool, env, ctx, exec, rxQueue, receive, drain, takeTx, counter };
}

const scratch = new Uint8Array(2048);

function frameOf(len: number): Uint8Array {
  return scratch.slice(0, len);
}

/** A UDP datagram from the peer to the local stack. */
export function udpFrame(
  dstPort: number,
  payload: Uint8Array,
  overrides: Partial<import("../packet/build.ts").UdpFrameSpec> = {},
): Uint8Array {
  return frameOf(buildUdpFrame(scratch, 0, {
    dstMac: parseMac(LOCAL_MAC),
    srcMac: parseMac(PEER_MAC),
    srcIp: parseIpv4(PEER_IP),
    dstIp: parseIpv4(LOCAL_IP),
    srcPort: 40000,
    dstPort,
    payload,
    ...overrides,
  }));
}

/** An ICMP echo request from the peer. */
export function pingFrame(id: number, seq: number, payload: Uint8Array): Uint8Array {
  return frameOf(buildIcmpEchoFrame(scratch, 0, {
    dstMac: parseMac(LOCAL_MAC),
    srcMac: parseMac(PEER_MAC),
    srcIp: parseIpv4(PEER_IP),
    dstIp: parseIpv4(LOCAL_IP),
    id,
    seq,
    payload,
  }));
}

/** An ARP request from the peer for `targetIp` (default the local IP). */
export function arpRequestFrame(targetIp = LOCAL_IP): Uint8Array {
  return frameOf(buildArpRequest(scratch, 0, {
    srcMac: parseMac(PEER_MAC),
    senderIp: parseIpv4(PEER_IP),
    targetIp: parseIpv4(targetIp),
  }));
}

/** An ARP reply from the peer to the local stack. */
export function arpReplyFrame(): Uint8Array {
  return frameOf(buildArpReply(scratch, 0, {
    srcMac: parseMac(PEER_MAC),
    dstMac: parseMac(LOCAL_MAC),
    senderIp: parseIpv4(PEER_IP),
    targetIp: parseIpv4(LOCAL_IP),
  }));
}

/** A TCP SYN from the peer. */
export function tcpFrame(dstPort: number): Uint8Array {
  return frameOf(buildTcpFrame(scratch, 0, {
    dstMac: parseMac(LOCAL_MAC),
    srcMac: parseMac(PEER_MAC),
    srcIp: parseIpv4(PEER_IP),
    dstIp: parseIpv4(LOCAL_IP),
    srcPort: 40000,
    dstPort,
    seq: 1,
    flags: 2,
  }));
}
