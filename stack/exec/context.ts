/**
 * `ExecContext`: the per-pipeline state a node sees while it runs: the current buffer, the
 * buffer pool and a reused DataView over its arena, the environment (protocol state), counters,
 * node parameters and the task queue for spawns.
 *
 * Source: `/work/shared/reference/dragonet-model.md` §12.3 (node ABI `port = fn(ctx, state,
 * &input)`; a node may replace the input, take ownership, and spawn with a priority).
 *
 * @module
 */
import type { BufferPool } from "../packet/buffer_pool.ts";
import type { Program } from "./program.ts";
import { TaskQueue } from "./task_queue.ts";
import type { BoundedQueue } from "./bounded_queue.ts";
import { type PriorityCode, SPAWN_NAMES } from "./types.ts";

/** Options of an {@linkcode ExecContext}. */
export interface ExecContextOptions<E> {
  /** The program whose nodes run in this context. */
  readonly program: Program<E>;
  /** The buffer pool of the packets. */
  readonly pool: BufferPool;
  /** Protocol state the work functions use. */
  readonly env: E;
  /** Owner id of this pipeline in the pool (default 0). */
  readonly owner?: number;
  /** Task queue capacity (default 4096). */
  readonly taskCapacity?: number;
  /** Per-buffer mux ids shared by all pipelines on the pool (default: a fresh array). */
  readonly muxId?: Int32Array;
  /** Record the port trace of every run (tests; default false). */
  readonly trace?: boolean;
  /** Where this pipeline's source node polls buffers from (NIC ring or inter-pipeline queue). */
  readonly input?: BufSource;
}

/** A source of buffer ids: `shift()` returns the next one or -1 when empty. */
export interface BufSource {
  /** Removes and returns the next buffer id, or -1. */
  shift(): number;
}

const EMPTY_SOURCE: BufSource = { shift: () => -1 };

/** State of one pipeline's execution, shared by the interpreter and compiled code. */
export class ExecContext<E> {
  /** Protocol state. */
  readonly env: E;
  /** Buffer pool. */
  readonly pool: BufferPool;
  /** The pool's arena. */
  readonly bytes: Uint8Array;
  /** A DataView over the arena (offset 0 = arena byte 0). */
  readonly view: DataView;
  /** Owner id of this pipeline in the pool. */
  readonly owner: number;
  /** Buffer of the current run, or -1. A node may replace it. */
  buf: number = -1;
  /** Whether a node took ownership of the current buffer (it is not freed at the end of the run). */
  taken: boolean = false;
  /**
   * Calls of each node that activated no port: an abort, no output, or an O-node still waiting.
   * A node's total calls are these plus its port activations ({@linkcode ExecContext.callsOf}).
   */
  readonly misses: Float64Array;
  /** Activations per `(node * maxPorts + port)`. */
  readonly ports: Float64Array;
  /** Counters incremented by work functions themselves. */
  readonly extra: Float64Array;
  /** Offset of each node's extra counters. */
  readonly extraBase: Int32Array;
  /** Node parameters. */
  readonly params: Float64Array;
  /** Offset of each node's parameters. */
  readonly paramBase: Int32Array;
  /** Pending tasks. */
  readonly tasks: TaskQueue;
  /** Per-buffer mux ids (set by Mux nodes, read and cleared by Demux nodes). */
  readonly muxId: Int32Array;
  /** Port trace of the current run as (node, port) pairs when tracing, else null. */
  readonly trace: number[] | null;
  /** Where the pipeline's source node polls buffers from. */
  input: BufSource;
  /** Queues to other pipelines, indexed by the ToPipeline nodes' parameter. */
  outQueues: BoundedQueue[] = [];
  /** Queues from other pipelines, indexed by the FromPipeline nodes' parameter. */
  inQueues: BoundedQueue[] = [];
  /** Runs executed. */
  runs = 0;
  /** Runs whose buffer was still owned at the end and so freed (dropped). */
  freedAtEnd = 0;
  /** Spawns refused because the task queue was full. */
  spawnFailures = 0;
  /** Whether a productive node ran since the flag was last cleared. */
  productive = false;
  readonly #spawnTarget: Int32Array;
  readonly #maxPorts: number;

  /** Makes the context for a program. */
  constructor(options: ExecContextOptions<E>) {
    const p = options.program;
    this.env = options.env;
    this.pool = options.pool;
    this.bytes = options.pool.bytes;
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.owner = options.owner ?? 0;
    const n = p.ids.length;
    this.misses = new Float64Array(n);
    this.#maxPorts = p.maxPorts;
    this.ports = new Float64Array(n * p.maxPorts);
    this.extra = new Float64Array(p.extraCount);
    this.extraBase = p.extraBase;
    this.params = Float64Array.from(p.params);
    this.paramBase = p.paramBase;
    this.tasks = new TaskQueue(options.taskCapacity ?? 4096);
    this.muxId = options.muxId ?? new Int32Array(options.pool.count).fill(-1);
    this.trace = options.trace === true ? [] : null;
    this.#spawnTarget = p.spawnTarget;
    this.input = options.input ?? EMPTY_SOURCE;
  }

  /**
   * Queues a new run at the target of `node`'s spawn `code` with buffer `buf` (-1 for none).
   * Returns false when the node has no such spawn or the task queue is full (counted); the
   * caller still owns `buf` then.
   */
  spawn(node: number, code: number, buf: number, priority: PriorityCode): boolean {
    const target = this.#spawnTarget[node * SPAWN_NAMES.length + code] ?? -1;
    if (target < 0 || !this.tasks.push(target, buf, priority)) {
      this.spawnFailures++;
      return false;
    }
    return true;
  }

  /** Starts a run on `buf`: called by executors before the first node. */
  begin(buf: number): void {
    this.buf = buf;
    this.taken = false;
    this.runs++;
    if (this.trace !== null) this.trace.length = 0;
  }

  /** Ends a run: frees the buffer unless a node took it (reference §12.3). */
  end(): void {
    const b = this.buf;
    if (b >= 0 && !this.taken) {
      this.pool.free(b, this.owner);
      this.freedAtEnd++;
    }
    this.buf = -1;
  }

  /** Work-function calls (F-nodes) or evaluations (O-nodes) of node `n` so far. */
  callsOf(n: number): number {
    const mp = this.#maxPorts;
    let total = this.misses[n] ?? 0;
    for (let p = 0; p < mp; p++) total += this.ports[n * mp + p] ?? 0;
    return total;
  }

  /** Resets every counter to zero. */
  resetCounters(): void {
    this.misses.fill(0);
    this.ports.fill(0);
    this.extra.fill(0);
    this.runs = 0;
    this.freedAtEnd = 0;
    this.spawnFailures = 0;
  }
}
