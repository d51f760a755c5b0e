/**
 * The plumbing nodes that link pipelines (reference `dragonet-model.md` §12.2-§12.3): Mux sets
 * the packet's mux id, ToPipeline moves the buffer into the queue to another pipeline and aborts
 * (a full queue drops with a counted reason), FromPipeline polls a queue from another pipeline
 * and re-polls itself, Demux returns the mux id as its port and clears it.
 *
 * Each is generic over the environment, so any graph can be split into pipelines. Each work
 * function is built from its code template ({@linkcode templateWork}), so compiled pipelines
 * hold these nodes' bodies instead of calls.
 *
 * @module
 */
import { defineSpec, type GraphNode, type NodeSpec } from "../graph/types.ts";
import { templateWork } from "./compiler.ts";
import { ABORT, type NodeImpl, Priority, Spawn } from "./types.ts";

function param(node: GraphNode, key: string): number {
  const text = node.attributes?.values?.[key];
  const v = Number(text);
  if (text === undefined || !Number.isInteger(v) || v < 0) {
    throw new Error(`Node "${node.id}" needs attribute ${key}=<integer >= 0>, got ${text}`);
  }
  return v;
}

/** Spec of a Mux node (`ToPL<dst>_<node>`): sets the mux id and goes on to the ToPipeline sink. */
export const muxSpec: NodeSpec = defineSpec(
  {
    name: "pl.mux",
    kind: "fnode",
    ports: ["out"],
    doc: "Sets the packet's mux id (attribute muxid) for the destination's Demux",
  } as const,
);

/** Spec of a ToPipeline sink (`ToPL<dst>`). */
export const toPipelineSpec: NodeSpec = defineSpec(
  {
    name: "pl.to-pipeline",
    kind: "fnode",
    ports: ["drop"],
    attributes: { sink: true },
    counters: [
      { name: "moved", description: "Buffers moved to the other pipeline" },
      { name: "queue-full", description: "Inter-pipeline queue full", drop: true },
    ],
    doc: "Moves the buffer into the queue to another pipeline (attribute queue) and aborts",
  } as const,
);

/** Spec of a FromPipeline source (`FromPL<src>`). */
export const fromPipelineSpec: NodeSpec = defineSpec(
  {
    name: "pl.from-pipeline",
    kind: "fnode",
    ports: ["out", "idle"],
    attributes: { source: true, unproductive: true },
    doc: "Takes the next buffer from another pipeline (attribute queue); re-polls itself",
  } as const,
);

/** The Demux spec for a list of target node ids (port `_` first: no or unknown mux id). */
export function demuxSpec(name: string, targets: readonly string[]): NodeSpec {
  return {
    name,
    kind: "fnode",
    ports: ["_", ...targets],
    counters: [{ name: "bad-mux-id", description: "Packet without a known mux id", drop: true }],
    doc: "Sends the packet to the node its mux id names",
  };
}

/** Implementations of the plumbing specs (Demux specs are matched by name prefix `pl.demux`). */
export function pipelineImpls<E>(): Map<string, NodeImpl<E>> {
  const map = new Map<string, NodeImpl<E>>();
  map.set(muxSpec.name, {
    spec: muxSpec,
    params: (node) => [param(node, "muxid")],
    work: templateWork({
      code: (s) => `
        x.muxId[x.buf] = PR[${s.paramBase}] ?? -1;
        ${s.ret("0")}`,
    }),
  });
  map.set(toPipelineSpec.name, {
    spec: toPipelineSpec,
    params: (node) => [param(node, "queue")],
    extraCounters: ["moved"],
    dropPorts: { drop: "queue-full" },
    work: templateWork({
      code: (s) => `
        const q = x.outQueues[PR[${s.paramBase}] ?? 0];
        if (q === undefined || !q.push(x.buf, x.owner)) ${s.ret("0")}
        x.taken = true;
        XC[${s.extraBase}]++;
        ${s.ret(String(ABORT))}`,
    }),
  });
  map.set(fromPipelineSpec.name, {
    spec: fromPipelineSpec,
    params: (node) => [param(node, "queue")],
    work: templateWork({
      code: (s) => `
        if (x.buf < 0) {
          const q = x.inQueues[PR[${s.paramBase}] ?? 0];
          const b = q === undefined ? -1 : q.shift();
          x.spawn(${s.node}, ${Spawn.poll}, -1, ${Priority.Low});
          if (b < 0) ${s.ret("1")}
          x.buf = b;
        }
        ${s.ret("0")}`,
    }),
  });
  return map;
}

/** The Demux implementation for a Demux spec. */
export function demuxImpl<E>(spec: NodeSpec): NodeImpl<E> {
  const ports = spec.ports.length;
  return {
    spec,
    dropPorts: { _: "bad-mux-id" },
    work: templateWork({
      code: (s) => `
        const b = x.buf;
        const id = x.muxId[b] ?? -1;
        x.muxId[b] = -1;
        ${s.ret(`id > 0 && id < ${ports} ? id : 0`)}`,
    }),
  };
}
