import assert from "node:assert/strict";
import type { Graph, NodeId } from "../types.ts";
import { DEFAULT_EXPANSION } from "../types.ts";
import { applyConfig, ConfigError, configNodes, finalizeConfig } from "./apply.ts";
import { makeDefaultRegistries } from "./default_expansion.ts";
import { makeConfigRegistries, PORT_ENUM_SPACE } from "./expansion.ts";
import {
  assertSameRouting,
  chainOf,
  type UdpFilter,
  udpRegistries,
  udpTestGraph,
  walk,
} from "./_test_udp_filters.ts";

const id = (s: string) => s as NodeId;

/** `a.out → sw` (C-node with ports p, q) ; `sw.p → x`, `sw.q → y`; `b` feeds sw too. */
function switchGraph(): Graph {
  return {
    schemaVersion: 1,
    name: "switch",
    specs: {
      src: { name: "src", kind: "fnode", ports: ["out"] },
      sink: { name: "sink", kind: "fnode", ports: [] },
      sw: {
        name: "sw",
        kind: "config",
        ports: ["p", "q"],
        config: { space: PORT_ENUM_SPACE, expansion: DEFAULT_EXPANSION },
      },
    },
    nodes: [
      { id: id("a"), spec: "src", origin: "PRG" },
      { id: id("b"), spec: "src", origin: "PRG" },
      { id: id("sw"), spec: "sw", origin: "PRG" },
      { id: id("x"), spec: "sink", origin: "PRG" },
      { id: id("y"), spec: "sink", origin: "PRG" },
      { id: id("y2"), spec: "sink", origin: "PRG" },
    ],
    edges: [
      { kind: "port", from: id("a"), port: "out", to: id("sw") },
      { kind: "port", from: id("b"), port: "out", to: id("sw") },
      { kind: "port", from: id("sw"), port: "p", to: id("x") },
      { kind: "port", from: id("sw"), port: "q", to: id("y") },
      { kind: "port", from: id("sw"), port: "q", to: id("y2") },
    ],
  };
}

const edgeList = (g: Graph) =>
  g.edges.map((e) => e.kind === "port" ? `${e.from}.${e.port}->${e.to}` : `${e.from}~>${e.to}`)
    .sort();

Deno.test("applyConfig with the default expansion (a configurable switch)", async (t) => {
  const reg = makeDefaultRegistries();
  await t.step("every in-edge source goes to all targets of the chosen port", () => {
    const g = applyConfig(switchGraph(), [[id("sw"), "q"]], reg);
    assert.deepEqual(edgeList(g), ["a.out->y", "a.out->y2", "b.out->y", "b.out->y2"]);
    assert.equal(g.nodes.some((n) => n.id === "sw"), false);
    assert.deepEqual(configNodes(g), []);
  });
  await t.step("unconfigured C-nodes stay, and the input graph is not changed", () => {
    const before = switchGraph();
    const g = applyConfig(before, new Map(), reg);
    assert.deepEqual(g, before);
    assert.deepEqual(configNodes(g).map((n) => n.id), ["sw"]);
  });
  await t.step("a value outside the port enum is refused with the allowed values", () => {
    assert.throws(
      () => applyConfig(switchGraph(), [[id("sw"), "r"]], reg),
      (e: Error) =>
        e instanceof ConfigError &&
        e.message.includes('Configuration of C-node "sw" is not in Enum (p,q)') &&
        e.message.includes('value must be one of p, q, got "r"'),
    );
  });
  await t.step("keys that are not C-nodes and unregistered functions are refused", () => {
    assert.throws(
      () => applyConfig(switchGraph(), [[id("x"), "p"]], reg),
      /Cannot configure "x": it is a fnode, only C-nodes \(kind config\) take a configuration/,
    );
    assert.throws(
      () => applyConfig(switchGraph(), [[id("sw"), "p"], [id("sw"), "q"]], reg),
      /Cannot configure "sw": the configuration gives it two values/,
    );
    assert.throws(
      () => applyConfig(switchGraph(), [[id("nope"), "p"]], reg),
      /graph "switch" has no such node/,
    );
    assert.throws(
      () => applyConfig(switchGraph(), [[id("sw"), "p"]], makeConfigRegistries()),
      /Unknown expansion function "default": registered names are none/,
    );
  });
});

const A: UdpFilter = { sport: null, dport: 7, prio: 1, queue: 1 };
const B: UdpFilter = { sport: null, dport: 8, prio: 1, queue: 2 };

Deno.test("C1 filter-chain order (reference §14)", async (t) => {
  const graph = udpTestGraph();
  const slot = applyConfig(graph, [[id("rx.filters"), [A, B]]], udpRegistries("slot"));
  const original = applyConfig(graph, [[id("rx.filters"), [A, B]]], udpRegistries("reverse"));
  await t.step("slot rule: ties in list order, then the default queue", () => {
    assert.deepEqual(chainOf(slot), ["5T(UDP,*,*,*,7)", "5T(UDP,*,*,*,8)", "rx.q0"]);
  });
  await t.step("original rule (quirk Q1): equal priorities in reverse list order", () => {
    assert.deepEqual(chainOf(original), ["5T(UDP,*,*,*,8)", "5T(UDP,*,*,*,7)", "rx.q0"]);
  });
  await t.step("higher priority first regardless of list order", () => {
    const g = applyConfig(graph, [[id("rx.filters"), [A, { ...B, prio: 5 }]]], udpRegistries());
    assert.deepEqual(chainOf(g), ["5T(UDP,*,*,*,8)", "5T(UDP,*,*,*,7)", "rx.q0"]);
  });
  await t.step("both orders route identically: dst 7 → q1, dst 8 → q2, rest → q0", () => {
    assertSameRouting(slot, original);
    const base = { ethType: "IPv4", proto: "UDP", sport: 1000 } as const;
    assert.equal(walk(slot, { ...base, dport: 7 }), "rx.q1");
    assert.equal(walk(slot, { ...base, dport: 8 }), "rx.q2");
    assert.equal(walk(slot, { ...base, dport: 53 }), "rx.q0");
    assert.equal(walk(slot, { ...base, proto: "TCP", dport: 7 }), "rx.q0");
  });
  await t.step("with an empty FDir table behind: 5T chain → FDir (empty) → default queue", () => {
    const two = udpTestGraph(4, true);
    const g = applyConfig(two, [[id("rx.filters"), [A, B]], [id("rx.fdir"), []]], udpRegistries());
    assert.deepEqual(chainOf(g), ["5T(UDP,*,*,*,7)", "5T(UDP,*,*,*,8)", "rx.q0"]);
    assertSameRouting(g, slot);
    const C: UdpFilter = { sport: 1000, dport: 53, prio: 1, queue: 3 };
    const withFdir = applyConfig(
      two,
      new Map([[id("rx.fdir"), [C]], [id("rx.filters"), [A, B]]]),
      udpRegistries(),
    );
    assert.deepEqual(chainOf(withFdir), [
      "5T(UDP,*,*,*,7)",
      "5T(UDP,*,*,*,8)",
      "5T(UDP,*,*,1000,53)",
      "rx.q0",
    ]);
    assert.equal(
      walk(withFdir, { ethType: "IPv4", proto: "UDP", sport: 1000, dport: 53 }),
      "rx.q3",
    );
  });
  await t.step("an empty table (finalisation) is a straight edge to the default queue", () => {
    const g = finalizeConfig(graph, udpRegistries());
    assert.deepEqual(edgeList(g), ["rx.out->rx.q0"]);
  });
  await t.step("a table over capacity is refused naming the limit", () => {
    assert.throws(
      () => applyConfig(graph, [[id("rx.filters"), [A, B, A, B, A]]], udpRegistries()),
      /value must be 0\.\.4 elements, got a list of 5 elements/,
    );
  });
  await t.step("finalisation refuses C-nodes without an empty value", () => {
    assert.throws(
      () => finalizeConfig(switchGraph(), makeDefaultRegistries()),
      /Cannot finalise graph "switch": C-nodes "sw" \(Enum \(p,q\)\) have no empty value/,
    );
  });
});
