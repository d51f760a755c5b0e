import assert from "node:assert/strict";
import fc from "fast-check";
import type { Graph, NodeId } from "../types.ts";
import { applyConfig, ConfigError, configNodes, finalizeConfig } from "./apply.ts";
import { applyIncremental } from "./incremental.ts";
import {
  assertSameRouting,
  chainOf,
  type UdpFilter,
  udpRegistries,
  udpTestGraph,
  walk,
} from "./_test_udp_filters.ts";

const cnode = "rx.filters" as NodeId;

function insertAll(graph: Graph, filters: readonly UdpFilter[], reg = udpRegistries()): Graph {
  return filters.reduce((g, f) => applyIncremental(g, cnode, f, reg), graph);
}

Deno.test("C2 incremental configuration (reference §14)", async (t) => {
  const A: UdpFilter = { sport: 1000, dport: 53, prio: 1, queue: 2 };
  const B: UdpFilter = { sport: 1001, dport: 53, prio: 1, queue: 3 };
  const graph = udpTestGraph();
  const partial = insertAll(graph, [A, B]);
  await t.step("each insert goes in front of a copy of the C-node with one slot fewer", () => {
    const c = configNodes(partial);
    assert.deepEqual(c.map((n) => [n.id, n.slotsLeft]), [["rx.filters", 2]]);
    assert.deepEqual(chainOf(partial), [
      "5T(UDP,*,*,1000,53)",
      "5T(UDP,*,*,1001,53)",
      "rx.filters",
    ]);
    // The C-node keeps its out-edges (queues and default).
    const out = partial.edges.filter((e) => e.from === cnode).map((e) =>
      e.kind === "port" ? `${e.port}->${e.to}` : ""
    );
    assert.deepEqual(out, [
      "queues->rx.q0",
      "queues->rx.q1",
      "queues->rx.q2",
      "queues->rx.q3",
      "default->rx.q0",
    ]);
  });
  await t.step("new edges stay inside, come from predecessors or go to the C-node's side", () => {
    const before = new Set(graph.edges.map((e) => JSON.stringify(e)));
    const inserted = new Set(
      partial.nodes.filter((n) => n.spec === "test.udp-filter").map((n) => n.id),
    );
    const allowedTargets = new Set<string>([
      cnode,
      "rx.q0",
      "rx.q1",
      "rx.q2",
      "rx.q3",
      ...inserted,
    ]);
    for (const e of partial.edges) {
      if (before.has(JSON.stringify(e))) continue;
      assert.ok(e.from === "rx" || inserted.has(e.from), `edge from ${e.from}`);
      assert.ok(allowedTargets.has(e.to), `edge to ${e.to}`);
    }
  });
  await t.step("finalising routes exactly like the full configuration [A, B]", () => {
    const finished = finalizeConfig(partial, udpRegistries());
    const full = applyConfig(graph, [[cnode, [A, B]]], udpRegistries());
    assert.deepEqual(chainOf(finished), ["5T(UDP,*,*,1000,53)", "5T(UDP,*,*,1001,53)", "rx.q0"]);
    assertSameRouting(finished, full);
    const base = { ethType: "IPv4", proto: "UDP", dport: 53 } as const;
    assert.equal(walk(finished, { ...base, sport: 1000 }), "rx.q2");
    assert.equal(walk(finished, { ...base, sport: 1001 }), "rx.q3");
    assert.equal(walk(finished, { ...base, sport: 1002 }), "rx.q0");
  });
});

Deno.test("incremental configuration limits and errors", async (t) => {
  const f: UdpFilter = { sport: null, dport: 7, prio: 1, queue: 1 };
  await t.step("the last free slot wires the miss port straight to the default target", () => {
    const g = insertAll(udpTestGraph(2), [f, { ...f, dport: 8 }]);
    assert.deepEqual(configNodes(g), []);
    assert.deepEqual(chainOf(g), ["5T(UDP,*,*,*,7)", "5T(UDP,*,*,*,8)", "rx.q0"]);
    assert.throws(() => applyIncremental(g, cnode, f, udpRegistries()), /has no such node/);
  });
  await t.step("an element outside the element space is refused with its path", () => {
    assert.throws(
      () => applyIncremental(udpTestGraph(), cnode, { ...f, queue: 9 }, udpRegistries()),
      (e: Error) =>
        e instanceof ConfigError &&
        e.message.includes('Element for C-node "rx.filters"') &&
        e.message.includes("value.queue must be an integer 0..3 (Int 0 3), got 9"),
    );
  });
  await t.step("a C-node without an incremental function is refused", () => {
    const g = udpTestGraph();
    const spec = g.specs["rx.filters"];
    assert.ok(spec?.config);
    const plain: Graph = {
      ...g,
      specs: {
        ...g.specs,
        "rx.filters": { ...spec, config: { space: "udp-table", expansion: "udp-table" } },
      },
    };
    assert.throws(
      () => applyIncremental(plain, cnode, f, udpRegistries()),
      /spec "rx.filters" names no incremental function/,
    );
  });
});

Deno.test("property: incremental inserts then finalisation route like the full configuration", () => {
  const filter = fc.record({
    sport: fc.constantFrom(null, 7, 1000, 1001),
    dport: fc.constantFrom(null, 7, 8, 53),
    prio: fc.constant(1),
    queue: fc.integer({ min: 0, max: 3 }),
  });
  fc.assert(
    fc.property(fc.array(filter, { maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (fs, extra) => {
      const filters = fs.map((x) => ({ ...x }));
      const graph = udpTestGraph(filters.length + extra);
      const incremental = finalizeConfig(insertAll(graph, filters), udpRegistries());
      const full = applyConfig(graph, [[cnode, filters]], udpRegistries());
      assertSameRouting(incremental, full);
    }),
    { seed: 42, numRuns: 60 },
  );
});
