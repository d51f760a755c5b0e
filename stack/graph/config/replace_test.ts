import assert from "node:assert/strict";
import type { NodeId } from "../types.ts";
import { applyConfig, ConfigError, finalizeConfig } from "./apply.ts";
import { insertTracked, replaceElement, replaceFilter } from "./replace.ts";
import {
  assertSameRouting,
  labelOf,
  matchOf,
  type UdpFilter,
  udpRegistries,
  udpTestGraph,
} from "./_test_udp_filters.ts";

const cnode = "rx.filters" as NodeId;

Deno.test("replace change (CcReplace, reference §3.2)", async (t) => {
  const A: UdpFilter = { sport: 1000, dport: 53, prio: 1, queue: 2 };
  const B: UdpFilter = { sport: 1001, dport: 53, prio: 1, queue: 3 };
  const C: UdpFilter = { sport: 1002, dport: 54, prio: 1, queue: 2 };
  const reg = udpRegistries();

  await t.step("recycling A's filter for C routes like configuring C and B fully", () => {
    const a = insertTracked(udpTestGraph(), cnode, A, reg);
    assert.equal(a.created.length, 1);
    const ab = insertTracked(a.graph, cnode, B, reg);
    const recycled = replaceElement(ab.graph, a.created[0] as NodeId, cnode, C, reg);
    const full = applyConfig(udpTestGraph(), [[cnode, [C, B]]], udpRegistries());
    assertSameRouting(finalizeConfig(recycled, reg), full);
  });

  await t.step("replaceFilter rewrites label and match and keeps the edges", () => {
    const a = insertTracked(udpTestGraph(), cnode, A, reg);
    const id = a.created[0] as NodeId;
    const g = replaceFilter(a.graph, id, { label: labelOf(C), match: matchOf(C) });
    assert.equal(g.nodes.find((n) => n.id === id)?.label, "5T(UDP,*,*,1002,54)");
    assert.deepEqual(g.edges, a.graph.edges);
    const full = applyConfig(udpTestGraph(), [[cnode, [C]]], udpRegistries());
    assertSameRouting(finalizeConfig(g, reg), full);
  });

  await t.step("a replace that changes the queue or targets a non-filter is refused", () => {
    const a = insertTracked(udpTestGraph(), cnode, A, reg);
    const id = a.created[0] as NodeId;
    assert.throws(
      () => replaceElement(a.graph, id, cnode, B, reg),
      (e: unknown) => e instanceof ConfigError && /keeps the queue/.test(e.message),
    );
    assert.throws(
      () => replaceFilter(a.graph, "rx" as NodeId, { label: "x", match: matchOf(C) }),
      /must be an F-node with ports true and false/,
    );
    assert.throws(
      () => replaceFilter(a.graph, "nope" as NodeId, { label: "x", match: matchOf(C) }),
      /has no such node/,
    );
  });
});
