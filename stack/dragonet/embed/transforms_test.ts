import assert from "node:assert/strict";
import { sfcDragonetConfig } from "../../../nicmodels/solarflare_sfc9020/config.ts";
import { buildSfc9020Prg } from "../../../nicmodels/solarflare_sfc9020/prg.ts";
import { attributesOf } from "../../graph/graph_index.ts";
import type { Graph } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { buildLpg } from "../../protocols/lpg.ts";
import { makeGraph } from "./make_graph.ts";
import { coupleTxSockets } from "./transforms.ts";

/** Endpoint 1: one socket (0); endpoint 2 (port 11211): sockets 1 and 2 of app 1. */
const lpg = () =>
  buildLpg([
    { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
    {
      sockets: [{ sid: 1, appId: 1 }, { sid: 2, appId: 1 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 11211,
    },
  ]);

/** Socket ids with a node carrying attribute `key` per queue tag. */
function socketsByTag(g: Graph, key: "tosocket" | "fromsocket"): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of g.nodes) {
    const sid = attributesOf(g, n).values?.[key];
    if (sid === undefined || n.tag === undefined) continue;
    (out[n.tag] ??= []).push(sid);
  }
  for (const v of Object.values(out)) v.sort();
  return out;
}

Deno.test("implementation transforms (reference §5.5)", async (t) => {
  await t.step("balanceAcrossRxQs: Q0 gets the last socket, Q1.. round robin", () => {
    const built = makeGraph(buildSfc9020Prg(sfcDragonetConfig(4)), lpg());
    assert.deepEqual(built.balance.assigned.map((a) => [a.tag, a.port]), [
      ["Q0", "s1"],
      ["Q1", "s0"],
      ["Q2", "s1"],
      ["Q3", "s0"],
    ]);
    assert.deepEqual(built.balance.warnings, []);
    assert.ok(!built.embedded.nodes.some((n) => attributesOf(built.embedded, n).loadBalance));
    assert.deepEqual(socketsByTag(built.embedded, "tosocket"), {
      Q0: ["0", "2"],
      Q1: ["0", "1"],
      Q2: ["0", "2"],
      Q3: ["0", "1"],
    });
    // coupleTxSockets: each queue sends only for the sockets it receives for.
    assert.deepEqual(
      socketsByTag(built.embedded, "fromsocket"),
      socketsByTag(built.embedded, "tosocket"),
    );
    assert.deepEqual(validateGraph(built.embedded), []);
  });

  await t.step("more sockets than queues gives a warning", () => {
    const built = makeGraph(buildSfc9020Prg(sfcDragonetConfig(1)), lpg());
    assert.equal(built.balance.warnings.length, 1);
    assert.match(built.balance.warnings[0] ?? "", /2 sockets but there are 1 queues/);
  });

  await t.step("without transforms every copy keeps its Balance node", () => {
    const built = makeGraph(buildSfc9020Prg(sfcDragonetConfig(2)), lpg(), { transforms: false });
    const balances = built.embedded.nodes.filter((n) =>
      attributesOf(built.embedded, n).loadBalance
    );
    assert.equal(balances.length, 2);
  });

  await t.step("coupleTxSockets drops a FromSocket whose queue has no ToSocket", () => {
    const g: Graph = {
      schemaVersion: 1,
      name: "c",
      specs: { s: { name: "s", kind: "fnode", ports: [] } },
      nodes: [
        {
          id: "a" as never,
          spec: "s",
          origin: "LPG",
          tag: "Q0",
          attributes: { values: { tosocket: "3" } },
        },
        {
          id: "b" as never,
          spec: "s",
          origin: "LPG",
          tag: "Q0",
          attributes: { values: { fromsocket: "3" } },
        },
        {
          id: "c" as never,
          spec: "s",
          origin: "LPG",
          tag: "Q1",
          attributes: { values: { fromsocket: "3" } },
        },
      ],
      edges: [],
    };
    assert.deepEqual(coupleTxSockets(g).nodes.map((n) => n.id), ["a", "b"]);
  });
});
