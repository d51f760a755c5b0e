/**
 * `LpgHost`: one host running the whole LPG with TCP in a single pipeline (RX, sockets, TX),
 * compiled by default: frames in, transmitted frames out, drops counted by reason.
 *
 * This is the harness applications sit on for the replay and the benchmarks: the application
 * polls its socket rings and the TCP engine (see `stack/apps/memcached/lpg_app.ts`), spawning
 * its sends in the same pipeline.
 *
 * Sources: `/work/shared/reference/dragonet-model.md` §12.2-§12.4 (pipelines, tasks, buffers
 * moved between owners; the pool of 2048-byte buffers), §6.7 (TCP), §6.6 (sockets).
 *
 * @module
 */
import { BufferPool } from "../../packet/buffer_pool.ts";
import { ExecContext } from "../../exec/context.ts";
import { compileProgram } from "../../exec/compiler.ts";
import { type Executor, Interpreter } from "../../exec/interpreter.ts";
import { buildProgram, nodeNumber, type Program } from "../../exec/program.ts";
import type { Graph } from "../../graph/types.ts";
import { type LpgConfig, LpgEnv } from "../env.ts";
import { buildLpg } from "../lpg.ts";
import type { UdpEndpoint } from "../udp_sockets_expansion.ts";
import { TcpEngine, type TcpEngineOptions } from "./engine.ts";
import { tcpLpgImpls, TcpLpgLink, withTcp } from "./lpg_tcp.ts";

/** Options of {@linkcode LpgHost}. */
export interface LpgHostOptions {
  /** Addresses and LPG knobs. */
  readonly lpg: LpgConfig;
  /** UDP endpoints (socket C-node configuration; may be empty). */
  readonly endpoints: readonly UdpEndpoint[];
  /** Executor (default `compiled`, the generated pipeline function). */
  readonly mode?: "compiled" | "interpreter";
  /** Buffers in the pool (default 4096). */
  readonly buffers?: number;
  /**
   * Bytes per buffer, headroom included (default 2048, reference §12.4; loopback captures need
   * up to 65536 + headroom).
   */
  readonly bufferSize?: number;
  /** TCP engine options (clock, ISN, checksum verification, ...). */
  readonly tcp?: TcpEngineOptions;
  /** Tasks the pipeline's queue holds (default 16384). */
  readonly taskCapacity?: number;
}

/** A drop count of one node and reason. */
export interface DropCount {
  /** Node id. */
  readonly node: string;
  /** Counter name (the reason). */
  readonly reason: string;
  /** Packets dropped. */
  readonly count: number;
}

/** A single-pipeline host running the LPG with TCP. */
export class LpgHost {
  /** The graph (LPG with the TCP nodes). */
  readonly graph: Graph;
  /** Its program. */
  readonly program: Program<LpgEnv>;
  /** The buffer pool. */
  readonly pool: BufferPool;
  /** Stack state. */
  readonly env: LpgEnv;
  /** The pipeline's context. */
  readonly ctx: ExecContext<LpgEnv>;
  /** The executor. */
  readonly exec: Executor;
  /** The TCP engine's link to the graph. */
  readonly tcp: TcpLpgLink;
  /** Number of the `rx.queue` node. */
  readonly rxQueue: number;
  /** Frames refused because the pool had no buffer or the frame did not fit one. */
  rxRefused = 0;

  /** Builds the graph, program, state and executor; throws on a bad configuration. */
  constructor(options: LpgHostOptions) {
    const engine = new TcpEngine(options.tcp ?? {});
    this.tcp = new TcpLpgLink(engine);
    this.graph = withTcp(buildLpg(options.endpoints));
    this.program = buildProgram(this.graph, tcpLpgImpls(this.graph, this.tcp));
    this.pool = new BufferPool({
      count: options.buffers ?? 4096,
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }),
    });
    this.env = new LpgEnv(this.pool, options.lpg);
    this.ctx = new ExecContext({
      program: this.program,
      pool: this.pool,
      env: this.env,
      taskCapacity: options.taskCapacity ?? 16384,
    });
    this.exec = (options.mode ?? "compiled") === "compiled"
      ? compileProgram(this.program, this.ctx)
      : new Interpreter(this.program, this.ctx);
    this.tcp.bind(this.program, this.ctx);
    this.rxQueue = nodeNumber(this.program, "rx.queue");
  }

  /** The TCP engine. */
  get engine(): TcpEngine {
    return this.tcp.engine;
  }

  /**
   * Copies one received frame into a pool buffer and runs it through the graph (not the tasks
   * it spawned: see {@linkcode LpgHost.drain}). Returns false when it was refused (counted).
   */
  receive(bytes: Uint8Array, off = 0, len: number = bytes.length - off): boolean {
    const pool = this.pool;
    const b = pool.alloc(this.ctx.owner);
    if (b < 0) {
      this.rxRefused++;
      return false;
    }
    const s = pool.start[b] ?? 0;
    if (len > pool.bufferSize - pool.headroom) {
      pool.free(b, this.ctx.owner);
      this.rxRefused++;
      return false;
    }
    pool.bytes.set(bytes.subarray(off, off + len), s);
    pool.length[b] = len;
    this.exec.run(this.rxQueue, b);
    return true;
  }

  /** Runs queued tasks (sends, ARP restarts), at most `limit`; returns how many ran. */
  drain(limit = 1 << 30): number {
    const tasks = this.ctx.tasks;
    const exec = this.exec;
    let n = 0;
    while (tasks.size > 0 && n < limit) {
      const node = tasks.peekNode();
      const buf = tasks.peekBuf();
      tasks.shift();
      exec.run(node, buf);
      n++;
    }
    return n;
  }

  /** Hands every transmitted frame to `sink` (a view valid during the call) and frees it. */
  takeTx(sink: (bytes: Uint8Array, off: number, len: number) => void): number {
    const pool = this.pool;
    const tx = this.env.tx;
    let n = 0;
    for (let b = tx.shift(); b >= 0; b = tx.shift()) {
      sink(pool.bytes, pool.start[b] ?? 0, pool.length[b] ?? 0);
      pool.free(b, this.ctx.owner);
      n++;
    }
    return n;
  }

  /** Every non-zero drop count of the graph (ports counted as drops and drop counters). */
  drops(): DropCount[] {
    const p = this.program;
    const out: DropCount[] = [];
    for (let n = 0; n < p.ids.length; n++) {
      const id = p.ids[n] ?? "";
      const byReason = new Map<string, number>();
      (p.dropPortCounter[n] ?? []).forEach((reason, port) => {
        if (reason === undefined) return;
        const c = this.ctx.ports[n * p.maxPorts + port] ?? 0;
        byReason.set(reason, (byReason.get(reason) ?? 0) + c);
      });
      const node = this.graph.nodes.find((g) => g.id === id);
      const spec = node === undefined ? undefined : this.graph.specs[node.spec];
      const dropNames = new Set((spec?.counters ?? []).filter((c) => c.drop).map((c) => c.name));
      (p.extraNames[n] ?? []).forEach((reason, k) => {
        if (!dropNames.has(reason)) return;
        const c = this.ctx.extra[(p.extraBase[n] ?? 0) + k] ?? 0;
        byReason.set(reason, (byReason.get(reason) ?? 0) + c);
      });
      for (const [reason, count] of byReason) if (count > 0) out.push({ node: id, reason, count });
    }
    return out;
  }
}
