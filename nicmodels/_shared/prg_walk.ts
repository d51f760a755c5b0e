/**
 * Walks a configured PRG with a real frame: from the entry node, each F-node's implementation
 * (looked up by spec name, `prg_nodes.ts`) picks the port to follow; O-nodes follow the
 * reference's short-circuit rule (`dragonet-model.md` §2.2); the walk ends at an RX queue node
 * (the queue) or where a node drops the frame.
 *
 * {@link compilePrgWalker} resolves nodes, implementations and edges once into typed arrays;
 * {@link PrgWalker.walk} then allocates nothing per frame. {@link walkPrg} is the convenience
 * form `walkPrg(configuredPrg, frameBytes) -> { queue, flags, hash, drop }`.
 *
 * @module
 */
import type { Graph } from "../../stack/graph/types.ts";
import { NicDrop, RxResult } from "./nic.ts";
import { PRG_ENTRY_SPEC, PRG_RX_QUEUE_SPEC } from "./prg.ts";
import { PRG_DROP, PrgFrame, prgNodeFactory, type PrgNodeFn } from "./prg_nodes.ts";

/** Drop codes of the walk itself (beyond {@link NicDrop}): the graph, not the frame, is at fault. */
export const PrgWalkDrop = {
  /** The activated port has no edge. */
  NoEdge: 100,
  /** An O-node needed more inputs than a single-path walk delivers. */
  Undecided: 101,
  /** The walk visited more nodes than the graph has (a cycle). */
  Cycle: 102,
} as const;

/** What a walk found (the plain-object form of {@link walkPrg}). */
export interface PrgWalkResult {
  /** RX queue, or -1 when dropped. */
  readonly queue: number;
  /** `RxFlag` bits: checksum status, RSS hash, filter match. */
  readonly flags: number;
  /** RSS hash when `flags` has `RxFlag.RssHash`. */
  readonly hash: number;
  /** A `NicDrop` or {@link PrgWalkDrop} code; 0 when delivered. */
  readonly drop: number;
}

/** Thrown when a graph cannot be walked; the message names the node and what is wrong. */
export class PrgWalkError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = "PrgWalkError";
  }
}

function reachableFrom(graph: Graph, start: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.kind !== "port") continue;
    const list = out.get(e.from);
    if (list === undefined) out.set(e.from, [e.to]);
    else list.push(e.to);
  }
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const to of out.get(id) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return seen;
}

const KIND_F = 0;
const KIND_OR = 1;
const KIND_AND = 2;
const KIND_NAND = 3;
const KIND_NOR = 4;
const KIND_QUEUE = 5;

/** A configured PRG compiled for walking frames. */
export class PrgWalker {
  /** The graph this walker was compiled from. */
  readonly graph: Graph;
  readonly #fns: (PrgNodeFn | null)[];
  readonly #kind: Uint8Array;
  readonly #queue: Int32Array;
  readonly #indeg: Int32Array;
  readonly #next: Int32Array;
  readonly #portBool: Int8Array;
  readonly #width: number;
  readonly #entry: number;
  readonly #frame = new PrgFrame();

  /** Compiles `graph` (see {@link compilePrgWalker}). */
  constructor(graph: Graph) {
    this.graph = graph;
    const n = graph.nodes.length;
    const index = new Map<string, number>();
    graph.nodes.forEach((node, i) => index.set(node.id, i));
    let width = 1;
    for (const node of graph.nodes) {
      const spec = graph.specs[node.spec];
      if (spec !== undefined) width = Math.max(width, spec.ports.length);
    }
    this.#width = width;
    this.#fns = new Array(n).fill(null);
    this.#kind = new Uint8Array(n);
    this.#queue = new Int32Array(n).fill(-1);
    this.#indeg = new Int32Array(n);
    this.#next = new Int32Array(n * width).fill(-1);
    this.#portBool = new Int8Array(n * width).fill(-1);
    const entryIds = graph.nodes.filter((n) => n.spec === PRG_ENTRY_SPEC).map((n) => n.id);
    if (entryIds.length !== 1) {
      throw new PrgWalkError(
        `Cannot walk "${graph.name}": it needs exactly one entry node of spec ` +
          `"${PRG_ENTRY_SPEC}", has ${entryIds.length}`,
      );
    }
    const reach = reachableFrom(graph, entryIds[0] as string);
    let entry = -1;
    graph.nodes.forEach((node, i) => {
      if (!reach.has(node.id)) return;
      const spec = Object.hasOwn(graph.specs, node.spec) ? graph.specs[node.spec] : undefined;
      if (spec === undefined) {
        throw new PrgWalkError(
          `Cannot walk "${graph.name}": node "${node.id}" has unknown spec "${node.spec}"`,
        );
      }
      spec.ports.forEach((p, j) => {
        this.#portBool[i * width + j] = p === "true" ? 1 : p === "false" ? 0 : -1;
      });
      switch (spec.kind) {
        case "config":
          throw new PrgWalkError(
            `Cannot walk "${graph.name}": C-node "${node.id}" is not configured; apply a ` +
              "configuration first (configure the NIC's PRG)",
          );
        case "or":
          this.#kind[i] = KIND_OR;
          break;
        case "and":
          this.#kind[i] = KIND_AND;
          break;
        case "nand":
          this.#kind[i] = KIND_NAND;
          break;
        case "nor":
          this.#kind[i] = KIND_NOR;
          break;
        default:
          if (spec.name === PRG_RX_QUEUE_SPEC) {
            const q = Number(node.attributes?.values?.queue ?? NaN);
            if (!Number.isInteger(q) || q < 0) {
              throw new PrgWalkError(
                `Cannot walk "${graph.name}": queue node "${node.id}" lacks a "queue" attribute`,
              );
            }
            this.#kind[i] = KIND_QUEUE;
            this.#queue[i] = q;
          } else {
            this.#kind[i] = KIND_F;
            let factory;
            try {
              factory = prgNodeFactory(spec.name);
            } catch (e) {
              throw new PrgWalkError(
                `Cannot walk "${graph.name}": node "${node.id}": ${(e as Error).message}`,
              );
            }
            this.#fns[i] = factory(node, spec);
          }
      }
      if (spec.name === PRG_ENTRY_SPEC) entry = i;
    });
    this.#entry = entry;
    for (const e of graph.edges) {
      if (e.kind !== "port") continue;
      const from = index.get(e.from);
      const to = index.get(e.to);
      if (from === undefined || to === undefined) {
        throw new PrgWalkError(
          `Cannot walk "${graph.name}": edge ${e.from} -> ${e.to} names an unknown node`,
        );
      }
      const spec = graph.specs[graph.nodes[from]?.spec ?? ""];
      const p = spec?.ports.indexOf(e.port) ?? -1;
      if (p < 0) {
        throw new PrgWalkError(
          `Cannot walk "${graph.name}": edge from "${e.from}" leaves unknown port "${e.port}"`,
        );
      }
      const slot = from * width + p;
      if (this.#next[slot] !== -1) {
        throw new PrgWalkError(
          `Cannot walk "${graph.name}": port "${e.port}" of "${e.from}" has several targets; ` +
            "a configured PRG sends each port to one node",
        );
      }
      this.#next[slot] = to;
      this.#indeg[to] = (this.#indeg[to] ?? 0) + 1;
    }
  }

  /**
   * Walks one frame (`len` bytes of `bytes` at `off`) and fills `out` (queue, flags, hash,
   * drop); returns the queue or -1.
   */
  walk(bytes: Uint8Array, off: number, len: number, out: RxResult): number {
    const f = this.#frame;
    f.bytes = bytes;
    f.off = off;
    f.len = len;
    const r = f.out;
    r.reset();
    const w = this.#width;
    let cur = this.#entry;
    let value = -1; // boolean value of the port we arrived by (-1 = not a boolean port)
    let steps = 0;
    for (;; steps++) {
      if (steps > this.#kind.length) {
        r.drop = PrgWalkDrop.Cycle;
        break;
      }
      const kind = this.#kind[cur] ?? KIND_F;
      let port: number;
      if (kind === KIND_QUEUE) {
        r.queue = this.#queue[cur] ?? -1;
        break;
      } else if (kind === KIND_F) {
        port = (this.#fns[cur] as PrgNodeFn)(f);
        if (port === PRG_DROP) break;
      } else {
        const shortValue = kind === KIND_OR || kind === KIND_NOR ? 1 : 0;
        let outTrue: boolean;
        if (value === shortValue) outTrue = kind === KIND_OR || kind === KIND_NAND;
        else if ((this.#indeg[cur] ?? 0) === 1 && value >= 0) {
          outTrue = kind === KIND_AND || kind === KIND_NOR;
        } else {
          r.drop = PrgWalkDrop.Undecided;
          break;
        }
        port = outTrue ? 0 : 1; // O-node ports are exactly true, false
      }
      const nxt = this.#next[cur * w + port] ?? -1;
      if (nxt < 0) {
        r.drop = PrgWalkDrop.NoEdge;
        break;
      }
      value = this.#portBool[cur * w + port] ?? -1;
      cur = nxt;
    }
    out.queue = r.drop === NicDrop.None ? r.queue : -1;
    out.flags = r.flags;
    out.hash = r.hash;
    out.drop = r.drop;
    out.stage = r.stage;
    out.table = -1;
    out.slot = -1;
    return out.queue;
  }
}

/**
 * Compiles a configured PRG for walking.
 *
 * @throws {PrgWalkError} when a C-node is left, a spec has no implementation, a port has several
 * targets, or there is no single entry node.
 */
export function compilePrgWalker(graph: Graph): PrgWalker {
  return new PrgWalker(graph);
}

const cache = new WeakMap<Graph, PrgWalker>();

/**
 * Walks `frame` through `configuredPrg` (compiled once per graph object and cached) and returns
 * the queue, the descriptor flags, the RSS hash and the drop code.
 *
 * @example
 * ```ts ignore
 * const prg = configure82599Prg(config);
 * const { queue, flags } = walkPrg(prg, frameBytes);
 * ```
 */
export function walkPrg(configuredPrg: Graph, frame: Uint8Array): PrgWalkResult {
  let w = cache.get(configuredPrg);
  if (w === undefined) {
    w = compilePrgWalker(configuredPrg);
    cache.set(configuredPrg, w);
  }
  const out = scratch;
  w.walk(frame, 0, frame.length, out);
  return { queue: out.queue, flags: out.flags, hash: out.hash, drop: out.drop };
}

const scratch = new RxResult();
