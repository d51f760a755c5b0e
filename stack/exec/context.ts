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

/**
 * Port counters an executor derives instead of counting (see
 * {@linkcode ExecContext.derivePorts}): parallel arrays, one entry per derived counter, in an
 * order where an entry's source slot, when itself derived, comes earlier.
 */
export interface PortDerivation {
  /** The derived counter's slot (`node * maxPorts + port`). */
  readonly slot: Int32Array;
  /** The node of the slot. */
  readonly node: Int32Array;
  /** The slot whose count equals the node's calls. */
  readonly source: Int32Array;
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
  /**
   * Corrections of derived port counters (see {@linkcode ExecContext.derivePorts}), per
   * `(node * maxPorts + port)`: compiled code lowers one when a derived node fails after its
   * calls were implied.
   */
  readonly portCorrections: Float64Array;
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
  readonly #ports: Float64Array;
  #derivation: PortDerivation | null = null;

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
    this.#ports = new Float64Array(n * p.maxPorts);
    this.portCorrections = new Float64Array(n * p.maxPorts);
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

  /**
   * Activations per `(node * maxPorts + port)`. Reading it brings the port counters that compiled
   * code derives instead of counting ({@linkcode ExecContext.derivePorts}) up to date, so every
   * entry is exact whenever read.
   */
  get ports(): Float64Array {
    if (this.#derivation !== null) this.#settle(this.#derivation);
    return this.#ports;
  }

  /**
   * Makes some port counters derived instead of counted (`null`: all counted), keeping every
   * counter's current value. A derived counter is the one port of its node that the executor does
   * not count: it is the node's calls (the count of the source slot, the one port activation that
   * always runs the node next) minus its misses and its other ports, plus its correction.
   *
   * Compiled code installs the derivation of its program (`compileProgram`); the
   * interpreter counts every port and removes it. One executor should run a context at a time.
   */
  derivePorts(derivation: PortDerivation | null): void {
    if (this.#derivation !== null) this.#settle(this.#derivation);
    this.#derivation = derivation;
    if (derivation === null) return;
    const raw = this.#ports;
    const corr = this.portCorrections;
    for (let k = 0; k < derivation.slot.length; k++) {
      const slot = derivation.slot[k] ?? 0;
      corr[slot] = 0;
      corr[slot] = (raw[slot] ?? 0) - this.#derived(derivation, k);
    }
  }

  /** Writes every derived port counter from its formula. */
  #settle(d: PortDerivation): void {
    const raw = this.#ports;
    for (let k = 0; k < d.slot.length; k++) raw[d.slot[k] ?? 0] = this.#derived(d, k);
  }

  /** The value of derived counter `k` of `d` from the counters it depends on. */
  #derived(d: PortDerivation, k: number): number {
    const raw = this.#ports;
    const mp = this.#maxPorts;
    const slot = d.slot[k] ?? 0;
    const node = d.node[k] ?? 0;
    let v = (raw[d.source[k] ?? 0] ?? 0) - (this.misses[node] ?? 0) +
      (this.portCorrections[slot] ?? 0);
    for (let q = node * mp; q < node * mp + mp; q++) if (q !== slot) v -= raw[q] ?? 0;
    return v;
  }

  /** Work-function calls (F-nodes) or evaluations (O-nodes) of node `n` so far. */
  callsOf(n: number): number {
    const mp = this.#maxPorts;
    const ports = this.ports;
    let total = this.misses[n] ?? 0;
    for (let p = 0; p < mp; p++) total += ports[n * mp + p] ?? 0;
    return total;
  }

  /** Resets every counter to zero. */
  resetCounters(): void {
    this.misses.fill(0);
    this.#ports.fill(0);
    this.portCorrections.fill(0);
    this.extra.fill(0);
    this.runs = 0;
    this.freedAtEnd = 0;
    this.spawnFailures = 0;
  }
}
