/**
 * Builds a small PRG-like example with generated per-queue structure: a hardware receive path
 * (frame in, CRC check, a filter C-node) in front of N queues, each an OR node `valid` and a
 * software queue-poll node that re-polls itself through a spawn edge (the shape of reference
 * `dragonet-model.md` §3.1 queue expansion and test E1 in §14). `queues.json` is `buildQueues(4)`.
 *
 * @module
 */
import { GraphBuilder } from "../../stack/graph/builder.ts";
import { atom } from "../../stack/graph/expr.ts";
import { defineSpec, type Graph } from "../../stack/graph/types.ts";

const frameIn = defineSpec(
  {
    name: "example.rx.in",
    kind: "fnode",
    ports: ["out"],
    attributes: { source: true },
    doc: "A frame arrives from the wire",
  } as const,
);
const crc = defineSpec(
  {
    name: "example.rx.crc",
    kind: "fnode",
    ports: ["true", "false"],
    counters: [{ name: "bad-crc", description: "Frames with a wrong Ethernet CRC", drop: true }],
    doc: "Checks the Ethernet CRC",
  } as const,
);
const filters = defineSpec(
  {
    name: "example.rx.filters",
    kind: "config",
    ports: ["queues", "default"],
    config: { space: "example.filter-list", expansion: "example.filter-chain", capacity: 128 },
    doc: "Programmable filter table choosing a queue",
  } as const,
);
const valid = defineSpec(
  { name: "example.rx.valid", kind: "or", ports: ["true", "false"] } as const,
);
const poll = defineSpec(
  {
    name: "example.rx.queue",
    kind: "fnode",
    ports: ["out"],
    attributes: { software: true, sink: true },
    doc: "The host polls one receive queue",
  } as const,
);
const drop = defineSpec(
  {
    name: "example.rx.drop",
    kind: "fnode",
    ports: [],
    attributes: { sink: true },
    counters: [{ name: "dropped", description: "Frames dropped by the NIC", drop: true }],
  } as const,
);

/** Returns the example PRG with `queues` generated queues (1..64). */
export function buildQueues(queues: number): Graph {
  if (!Number.isSafeInteger(queues) || queues < 1 || queues > 64) {
    throw new RangeError(`Cannot build the queue example: queues must be 1..64, got ${queues}`);
  }
  const b = new GraphBuilder(`example-${queues}-queues`, { origin: "PRG" });
  const rx = b.cluster("rx");
  rx.node("in", frameIn, { out: { out: "crc" } });
  rx.node("crc", crc, {
    predicates: { true: atom("CrcValid", "yes"), false: atom("CrcValid", "no") },
    out: { true: "filters", false: "drop" },
  });
  rx.node("drop", drop);
  const table = rx.node("filters", filters);
  for (let q = 0; q < queues; q++) {
    const queue = rx.cluster(`q${q}`, { tag: `Q${q}` });
    table.to("queues", queue.ref(`rx.q${q}.valid`));
    if (q === 0) table.to("default", queue.ref("rx.q0.valid"));
    queue.node("valid", valid, { out: { true: "poll" } });
    const p = queue.node("poll", poll);
    p.spawn("repoll", p);
  }
  return b.build();
}
