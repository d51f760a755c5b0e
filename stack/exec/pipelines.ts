/**
 * Splitting a graph into pipelines and running them (reference `dragonet-model.md` §12.2):
 * nodes with `appid=<a>` go to pipeline `App<a>`, others to their queue tag (`Q0` when untagged);
 * every edge between pipelines becomes Mux -> ToPipeline in the source and FromPipeline -> Demux
 * in the destination, linked by a bounded queue that moves buffer ownership.
 *
 * The original put an OR `Demux_` between FromPipeline and Demux to merge several inputs; here
 * each source pipeline has its own FromPipeline and Demux, so the OR is not needed.
 *
 * @module
 */
import { attributesOf, indexGraph } from "../graph/graph_index.ts";
import type { Edge, Graph, GraphNode, NodeId, NodeSpec } from "../graph/types.ts";
import { nodeId } from "../graph/types.ts";
import type { BufferPool } from "../packet/buffer_pool.ts";
import { BoundedQueue, DEFAULT_QUEUE_SLOTS } from "./bounded_queue.ts";
import { compileProgram } from "./compiler.ts";
import { type BufSource, ExecContext } from "./context.ts";
import { type Executor, Interpreter } from "./interpreter.ts";
import {
  demuxImpl,
  demuxSpec,
  fromPipelineSpec,
  muxSpec,
  pipelineImpls,
  toPipelineSpec,
} from "./pipeline_nodes.ts";
import { buildProgram, type Program } from "./program.ts";
import { type NodeImpl, Priority, Spawn, SPAWN_NAMES } from "./types.ts";

/** One pipeline's graph and the queues it reads and writes. */
export interface PipelineGraph {
  /** Pipeline name (`Q0`, `App1`). */
  readonly name: string;
  /** Its graph, plumbing included. */
  readonly graph: Graph;
  /** Names of the pipelines it sends to, indexed like its ToPipeline `queue` attribute. */
  readonly sendsTo: readonly string[];
  /** Names of the pipelines it receives from, indexed like its FromPipeline `queue` attribute. */
  readonly receivesFrom: readonly string[];
}

/** The pipeline a node belongs to: `App<appid>`, else its tag, else `Q0`. */
export function pipelineOf(graph: Graph, node: GraphNode): string {
  const app = attributesOf(graph, node).values?.["appid"];
  if (app !== undefined) return `App${app}`;
  return node.tag ?? "Q0";
}

function safe(id: string): string {
  return id.replaceAll(".", "_");
}

/**
 * Splits a graph into pipelines with Mux/ToPipeline and FromPipeline/Demux plumbing.
 *
 * @throws {Error} when a spawn edge crosses pipelines (spawns stay inside one pipeline).
 */
export function splitPipelines(graph: Graph): PipelineGraph[] {
  const index = indexGraph(graph);
  const owner = index.nodes.map((n) => pipelineOf(graph, n));
  const names = [...new Set(owner)].sort();
  const parts = new Map<string, { nodes: GraphNode[]; edges: Edge[]; specs: Set<string> }>();
  for (const name of names) parts.set(name, { nodes: [], edges: [], specs: new Set() });
  const extraSpecs = new Map<string, NodeSpec>();
  index.nodes.forEach((n, i) => {
    const part = parts.get(owner[i] ?? "Q0");
    part?.nodes.push(n);
    part?.specs.add(n.spec);
  });
  // Cross edges grouped by (src pipeline, dst pipeline), targets in first-seen order.
  const cross = new Map<string, { targets: NodeId[]; edges: Edge[] }>();
  for (const e of graph.edges) {
    const from = index.numberOf.get(e.from);
    const to = index.numberOf.get(e.to);
    if (from === undefined || to === undefined) continue;
    const src = owner[from] ?? "Q0";
    const dst = owner[to] ?? "Q0";
    if (src === dst) {
      parts.get(src)?.edges.push(e);
      continue;
    }
    if (e.kind === "spawn") {
      throw new Error(
        `Cannot split graph "${graph.name}": spawn "${e.spawn}" from "${e.from}" (${src}) to ` +
          `"${e.to}" (${dst}) crosses pipelines; spawns must stay inside one pipeline`,
      );
    }
    const key = `${src}\u0000${dst}`;
    let group = cross.get(key);
    if (group === undefined) {
      group = { targets: [], edges: [] };
      cross.set(key, group);
    }
    if (!group.targets.includes(e.to)) group.targets.push(e.to);
    group.edges.push(e);
  }
  const sendsTo = new Map<string, string[]>(names.map((n) => [n, []]));
  const receivesFrom = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [key, group] of cross) {
    const [src = "", dst = ""] = key.split("\u0000");
    const sp = parts.get(src);
    const dp = parts.get(dst);
    if (sp === undefined || dp === undefined) continue;
    const outIndex = sendsTo.get(src)?.length ?? 0;
    sendsTo.get(src)?.push(dst);
    const inIndex = receivesFrom.get(dst)?.length ?? 0;
    receivesFrom.get(dst)?.push(src);
    // Source side: one Mux per target, one ToPipeline sink.
    const sink = nodeId(`pl.to-${dst}`);
    sp.nodes.push({
      id: sink,
      spec: toPipelineSpec.name,
      label: `ToPL${dst}`,
      origin: "LPG",
      attributes: { values: { pipeline: dst, queue: String(outIndex) } },
    });
    sp.specs.add(toPipelineSpec.name);
    sp.specs.add(muxSpec.name);
    group.targets.forEach((target, k) => {
      const mux = nodeId(`pl.to-${dst}.${safe(target)}`);
      sp.nodes.push({
        id: mux,
        spec: muxSpec.name,
        label: `ToPL${dst}_${target}`,
        origin: "LPG",
        attributes: { values: { multiplex: target, muxPL: dst, muxid: String(k + 1) } },
      });
      sp.edges.push({ kind: "port", from: mux, port: "out", to: sink });
    });
    for (const e of group.edges) {
      if (e.kind !== "port") continue;
      sp.edges.push({ ...e, to: nodeId(`pl.to-${dst}.${safe(e.to)}`) });
    }
    // Destination side: FromPipeline -> Demux -> targets.
    const source = nodeId(`pl.from-${src}`);
    const demux = nodeId(`pl.from-${src}.demux`);
    const spec = demuxSpec(`pl.demux.${src}-to-${dst}`, group.targets);
    extraSpecs.set(spec.name, spec);
    dp.nodes.push({
      id: source,
      spec: fromPipelineSpec.name,
      label: `FromPL${src}`,
      origin: "LPG",
      attributes: { values: { frompipeline: src, queue: String(inIndex) } },
    });
    dp.nodes.push({ id: demux, spec: spec.name, label: "Demux", origin: "LPG" });
    dp.specs.add(fromPipelineSpec.name);
    dp.specs.add(spec.name);
    dp.edges.push({ kind: "port", from: source, port: "out", to: demux });
    dp.edges.push({ kind: "spawn", from: source, spawn: "poll", to: source });
    for (const target of group.targets) {
      dp.edges.push({ kind: "port", from: demux, port: target, to: target });
    }
  }
  const allSpecs: Record<string, NodeSpec> = {
    ...graph.specs,
    [muxSpec.name]: muxSpec,
    [toPipelineSpec.name]: toPipelineSpec,
    [fromPipelineSpec.name]: fromPipelineSpec,
  };
  for (const [name, spec] of extraSpecs) allSpecs[name] = spec;
  return names.map((name) => {
    const part = parts.get(name) ?? { nodes: [], edges: [], specs: new Set<string>() };
    const specs: Record<string, NodeSpec> = {};
    for (const s of [...part.specs].sort()) {
      const spec = allSpecs[s];
      if (spec !== undefined) specs[s] = spec;
    }
    return {
      name,
      graph: {
        ...graph,
        name: `${graph.name}.${name}`,
        specs,
        nodes: part.nodes,
        edges: part.edges,
      },
      sendsTo: sendsTo.get(name) ?? [],
      receivesFrom: receivesFrom.get(name) ?? [],
    };
  });
}

/** One running pipeline. */
export interface Pipeline<E> {
  /** Its name. */
  readonly name: string;
  /** Its program. */
  readonly program: Program<E>;
  /** Its execution context (counters, task queue). */
  readonly ctx: ExecContext<E>;
  /** Its executor. */
  readonly exec: Executor;
}

/** Options of {@linkcode createPipelines}. */
export interface PipelineOptions<E> {
  /** The whole graph (configured). */
  readonly graph: Graph;
  /** Implementations of its F-node specs (plumbing is added). */
  readonly impls: ReadonlyMap<string, NodeImpl<E>>;
  /** The shared buffer pool. */
  readonly pool: BufferPool;
  /** The shared environment. */
  readonly env: E;
  /** Interpreter or compiled (default interpreter). */
  readonly mode?: "interpreter" | "compiled";
  /** Inter-pipeline queue capacity (default 81 920). */
  readonly queueSlots?: number;
  /** Input of each hardware-queue pipeline by name (its `rx.queue`-like source polls it). */
  readonly inputs?: ReadonlyMap<string, BufSource>;
  /** Record port traces (default false). */
  readonly trace?: boolean;
}

/** Every pipeline of a graph, linked by bounded queues, run in turns on one thread. */
export class PipelineSet<E> {
  /** Pipelines by name. */
  readonly pipelines: Map<string, Pipeline<E>> = new Map();
  /** Queues by name (`<src>_to_<dst>`). */
  readonly queues: Map<string, BoundedQueue> = new Map();

  /** Splits the graph, builds and links every pipeline. */
  constructor(options: PipelineOptions<E>) {
    const parts = splitPipelines(options.graph);
    const owners = new Map(parts.map((p, i) => [p.name, i + 1]));
    // Mux ids travel with the buffer across pipelines, so every context shares one array.
    const muxId = new Int32Array(options.pool.count).fill(-1);
    for (const part of parts) {
      const impls = new Map<string, NodeImpl<E>>([...options.impls, ...pipelineImpls<E>()]);
      for (const [name, spec] of Object.entries(part.graph.specs)) {
        if (name.startsWith("pl.demux.")) impls.set(name, demuxImpl<E>(spec));
      }
      const program = buildProgram(part.graph, impls);
      const ctx = new ExecContext<E>({
        program,
        pool: options.pool,
        env: options.env,
        owner: owners.get(part.name) ?? 0,
        muxId,
        trace: options.trace ?? false,
        ...(options.inputs?.get(part.name) === undefined
          ? {}
          : { input: options.inputs.get(part.name) as BufSource }),
      });
      const exec = options.mode === "compiled"
        ? compileProgram(program, ctx, { trace: options.trace ?? false })
        : new Interpreter(program, ctx);
      this.pipelines.set(part.name, { name: part.name, program, ctx, exec });
    }
    for (const part of parts) {
      const src = this.pipelines.get(part.name);
      for (const dst of part.sendsTo) {
        const name = `${part.name}_to_${dst}`;
        let q = this.queues.get(name);
        if (q === undefined) {
          q = new BoundedQueue(
            name,
            options.pool,
            owners.get(dst) ?? 0,
            options.queueSlots ?? DEFAULT_QUEUE_SLOTS,
          );
          this.queues.set(name, q);
        }
        src?.ctx.outQueues.push(q);
      }
    }
    for (const part of parts) {
      const dst = this.pipelines.get(part.name);
      for (const src of part.receivesFrom) {
        const q = this.queues.get(`${src}_to_${part.name}`);
        if (q !== undefined) dst?.ctx.inQueues.push(q);
      }
    }
  }

  /** Returns a pipeline by name; throws naming the pipelines when absent. */
  get(name: string): Pipeline<E> {
    const p = this.pipelines.get(name);
    if (p === undefined) {
      throw new Error(
        `Unknown pipeline "${name}": pipelines are ${[...this.pipelines.keys()].join(", ")}`,
      );
    }
    return p;
  }

  /**
   * Starts every pipeline: queues its init nodes (high priority) and one poll task for each
   * node with a `poll` spawn to itself (low priority).
   */
  start(): void {
    const ns = SPAWN_NAMES.length;
    for (const p of this.pipelines.values()) {
      for (const n of p.program.initNodes) p.ctx.tasks.push(n, -1, Priority.High);
      for (let n = 0; n < p.program.ids.length; n++) {
        if (p.program.spawnTarget[n * ns + Spawn.poll] === n) p.ctx.tasks.push(n, -1, Priority.Low);
      }
    }
  }

  /**
   * Runs tasks in turns, up to `perTurn` per pipeline per turn, for `turns` turns or until a
   * turn runs no productive node; returns the number of tasks run.
   */
  run(turns: number, perTurn = 64): number {
    let total = 0;
    for (let t = 0; t < turns; t++) {
      let productive = false;
      for (const p of this.pipelines.values()) {
        const ctx = p.ctx;
        ctx.productive = false;
        for (let k = 0; k < perTurn && ctx.tasks.size > 0; k++) {
          const node = ctx.tasks.peekNode();
          const buf = ctx.tasks.peekBuf();
          ctx.tasks.shift();
          p.exec.run(node, buf);
          total++;
        }
        if (ctx.productive) productive = true;
      }
      if (!productive) break;
    }
    return total;
  }
}
