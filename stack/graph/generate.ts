/**
 * Generates random but valid layered graphs of a given size, for benchmarks and property tests
 * (deterministic under a seed).
 *
 * @module
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { GraphBuilder, type NodeHandle } from "./builder.ts";
import { defineSpec, type Graph, type PortName } from "./types.ts";

/** Specs used by generated graphs. */
export const GENERATED_SPECS = {
  source: defineSpec(
    {
      name: "gen.source",
      kind: "fnode",
      ports: ["out"],
      attributes: { source: true },
      doc: "Entry point of a generated graph",
    } as const,
  ),
  boolean: defineSpec(
    {
      name: "gen.boolean",
      kind: "fnode",
      ports: ["true", "false"],
      doc: "A generated boolean F-node",
    } as const,
  ),
  demux: defineSpec(
    {
      name: "gen.demux",
      kind: "fnode",
      ports: ["a", "b", "c"],
      doc: "A generated three-way F-node",
    } as const,
  ),
  and: defineSpec({ name: "gen.and", kind: "and", ports: ["true", "false"] } as const),
  or: defineSpec({ name: "gen.or", kind: "or", ports: ["true", "false"] } as const),
  sink: defineSpec(
    {
      name: "gen.sink",
      kind: "fnode",
      ports: [],
      attributes: { sink: true },
      counters: [{ name: "delivered", description: "Packets that reached this sink" }],
      doc: "Exit point of a generated graph",
    } as const,
  ),
} as const;

/** Options of {@linkcode generateLayeredGraph}. */
export interface GenerateOptions {
  /** Number of nodes, at least 3. */
  readonly nodes: number;
  /** Seed of the random generator. */
  readonly seed: number;
  /** Nodes per layer; default about the square root of `nodes`. */
  readonly width?: number;
}

interface Placed {
  readonly handle: NodeHandle;
  readonly ports: readonly PortName[];
  readonly boolean: boolean;
}

/**
 * Makes a layered graph: sources in the first layer, sinks in the last, and in between boolean
 * and three-way F-nodes (one input each, from a random earlier node and port) and AND/OR nodes
 * (two or three inputs from `true`/`false` ports of earlier nodes); every sink spawns a random
 * source. Nodes are ids `l<layer>.n<i>`. The result passes `validateGraph()`.
 *
 * @throws {RangeError} when `nodes` is below 3 or `width` below 1.
 */
export function generateLayeredGraph(options: GenerateOptions): Graph {
  const { nodes, seed } = options;
  if (!Number.isSafeInteger(nodes) || nodes < 3) {
    throw new RangeError(`Cannot generate a graph: nodes must be an integer >= 3, got ${nodes}`);
  }
  const width = options.width ?? Math.max(1, Math.round(Math.sqrt(nodes)));
  if (!Number.isSafeInteger(width) || width < 1) {
    throw new RangeError(`Cannot generate a graph: width must be an integer >= 1, got ${width}`);
  }
  const rng = xoroshiro128plus(seed);
  const pick = (n: number) => uniformInt(rng, 0, n - 1);
  const b = new GraphBuilder(`generated-${nodes}-${seed}`);
  const placed: Placed[] = [];
  const booleans: Placed[] = [];
  const sources: Placed[] = [];

  const sourceCount = Math.min(width, Math.max(1, Math.floor(nodes / 10)));
  const sinkCount = Math.min(width, Math.max(1, Math.floor(nodes / 10)), nodes - sourceCount - 1);
  const middle = nodes - sourceCount - sinkCount;
  let layer = 0;
  let inLayer = 0;
  const nextId = () => {
    const id = `l${layer}.n${inLayer++}`;
    return id;
  };
  const endLayer = () => {
    layer++;
    inLayer = 0;
  };

  for (let i = 0; i < sourceCount; i++) {
    const p = {
      handle: b.node(nextId(), GENERATED_SPECS.source),
      ports: GENERATED_SPECS.source.ports,
      boolean: false,
    };
    placed.push(p);
    sources.push(p);
  }
  endLayer();
  const earlier = { all: placed.length, booleans: 0 };
  for (let i = 0; i < middle; i++) {
    if (inLayer === width) {
      endLayer();
      earlier.all = placed.length;
      earlier.booleans = booleans.length;
    }
    const roll = pick(10);
    if (roll < 2 && earlier.booleans >= 2) {
      const spec = roll === 0 ? GENERATED_SPECS.and : GENERATED_SPECS.or;
      const handle = b.node(nextId(), spec);
      const inputs = 2 + pick(2);
      const used = new Set<string>();
      for (let k = 0; k < inputs; k++) {
        const from = booleans[pick(earlier.booleans)] as Placed;
        const port = pick(2) === 0 ? "true" : "false";
        const key = `${from.handle.id}/${port}`;
        if (used.has(key)) continue;
        used.add(key);
        b.edge(from.handle, port, handle);
      }
      const p = { handle, ports: spec.ports, boolean: true };
      placed.push(p);
      booleans.push(p);
    } else {
      const spec = roll < 8 ? GENERATED_SPECS.boolean : GENERATED_SPECS.demux;
      const handle = b.node(nextId(), spec);
      const from = placed[pick(earlier.all)] as Placed;
      b.edge(from.handle, from.ports[pick(from.ports.length)] as string, handle);
      const p = { handle, ports: spec.ports, boolean: spec === GENERATED_SPECS.boolean };
      placed.push(p);
      if (p.boolean) booleans.push(p);
    }
  }
  endLayer();
  for (let i = 0; i < sinkCount; i++) {
    const handle = b.node(nextId(), GENERATED_SPECS.sink);
    const from = placed[pick(placed.length)] as Placed;
    b.edge(from.handle, from.ports[pick(from.ports.length)] as string, handle);
    handle.spawn("restart", (sources[pick(sources.length)] as Placed).handle);
  }
  return b.build();
}
