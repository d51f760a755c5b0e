import assert from "node:assert/strict";
import { GraphBuilder } from "./builder.ts";
import { atom } from "./expr.ts";
import { defineSpec } from "./types.ts";
import { validateGraph } from "./validate.ts";

const poll = defineSpec(
  {
    name: "queue.poll",
    kind: "fnode",
    ports: ["out"],
    attributes: { source: true, software: true },
  } as const,
);
const check = defineSpec({ name: "check", kind: "fnode", ports: ["true", "false"] } as const);
const deliver = defineSpec({ name: "deliver", kind: "fnode", ports: [] } as const);

Deno.test("graph builder", async (t) => {
  await t.step("clusters give qualified ids and string targets resolve in the cluster", () => {
    const b = new GraphBuilder("g");
    const rx = b.cluster("rx");
    const l3 = rx.cluster("l3");
    l3.node("ipv4", check, { out: { true: "udp", false: ".drop" } });
    l3.node("udp", deliver, { attributes: { sink: true } });
    rx.node("drop", deliver);
    const g = b.build();
    assert.deepEqual(g.nodes.map((n) => n.id), ["rx.l3.ipv4", "rx.l3.udp", "rx.drop"]);
    assert.deepEqual(g.edges, [
      { kind: "port", from: "rx.l3.ipv4", port: "true", to: "rx.l3.udp" },
      { kind: "port", from: "rx.l3.ipv4", port: "false", to: "rx.drop" },
    ]);
  });

  await t.step("leading dots may not climb above the root", () => {
    const b = new GraphBuilder("g");
    assert.throws(() => b.cluster("rx").resolve("..x"), /2 leading dots climb above the root/);
  });

  await t.step("repetition is generated: N queues from one function", () => {
    const b = new GraphBuilder("queues", { origin: "PRG" });
    const makeQueue = (q: number) => {
      const c = b.cluster(`q${q}`, { tag: `Q${q}` });
      const p = c.node("poll", poll, { out: { out: "deliver" } });
      p.spawn("repoll", p);
      c.node("deliver", deliver, { attributes: { sink: true } });
    };
    for (let q = 0; q < 5; q++) makeQueue(q);
    const g = b.build();
    assert.equal(g.nodes.length, 10);
    assert.deepEqual(g.nodes.filter((n) => n.tag === "Q3").map((n) => n.id), [
      "q3.poll",
      "q3.deliver",
    ]);
    assert.ok(g.nodes.every((n) => n.origin === "PRG"));
    assert.deepEqual(Object.keys(g.specs), ["deliver", "queue.poll"]);
    assert.deepEqual(validateGraph(g), []);
  });

  await t.step("handles add edges by typed port name and keep per-node predicates", () => {
    const b = new GraphBuilder("g");
    const a = b.node("a", check, { predicates: { true: atom("EthType", "IPv4") } });
    a.to("true", "x", "y").to("false", b.ref("x"));
    // @ts-expect-error "maybe" is not a port of spec "check"
    a.to("maybe", "x");
    const g = b.build();
    assert.deepEqual(g.nodes[0]?.predicates, { true: atom("EthType", "IPv4") });
    assert.deepEqual(g.edges.map((e) => e.kind === "port" ? `${e.port}->${e.to}` : ""), [
      "true->x",
      "true->y",
      "false->x",
      "maybe->x",
    ]);
  });

  await t.step("two different specs with one name are refused; the same spec twice is fine", () => {
    const b = new GraphBuilder("g");
    b.node("a", check);
    b.node("b", { ...check });
    const other = defineSpec({ name: "check", kind: "fnode", ports: ["yes"] } as const);
    assert.throws(() => b.node("c", other), /Cannot add spec "check"/);
  });

  await t.step("bad local names fail at declaration", () => {
    const b = new GraphBuilder("g");
    assert.throws(() => b.node("a b", check), /Invalid node name "a b"/);
    assert.throws(() => b.cluster(""), /Invalid cluster name ""/);
  });

  await t.step("duplicate ids are kept for validateGraph to report", () => {
    const b = new GraphBuilder("g");
    b.node("a", poll);
    b.node("a", poll);
    const codes = validateGraph(b.build()).map((p) => p.code);
    assert.ok(codes.includes("duplicate-id"));
  });
});
