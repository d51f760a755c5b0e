import assert from "node:assert/strict";
import { GraphBuilder } from "../../graph/builder.ts";
import { defineSpec } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { TCP_COUNTERS } from "./counters.ts";
import { TCP_RX_SPEC, TcpRxPort, tcpRxSpec, tcpTxSpec } from "./spec.ts";

Deno.test("TCP graph specs", async (t) => {
  await t.step("numeric ports follow the spec's port order", () => {
    assert.equal(tcpRxSpec.ports[TcpRxPort.Consumed], "consumed");
    assert.equal(tcpRxSpec.ports[TcpRxPort.Drop], "drop");
    assert.equal(tcpRxSpec.name, TCP_RX_SPEC);
  });

  await t.step("every engine counter is declared, drop reasons marked", () => {
    assert.deepEqual(tcpRxSpec.counters?.map((c) => c.name), TCP_COUNTERS.map((c) => c.name));
    const drops = tcpRxSpec.counters?.filter((c) => c.drop === true).map((c) => c.name);
    assert.deepEqual(drops, TCP_COUNTERS.filter((c) => c.drop).map((c) => c.name));
    assert.ok(drops?.includes("no-socket") && drops.includes("accept-queue-full-ack"));
  });

  await t.step("a graph wiring TCP between IPv4 validation and TX validates cleanly", () => {
    const valid = defineSpec(
      { name: "rx.l4.tcp.valid", kind: "fnode", ports: ["true", "false"] } as const,
    );
    const ipTx = defineSpec(
      { name: "tx.l3.ipv4.prepare", kind: "fnode", ports: [], attributes: { sink: true } } as const,
    );
    const src = defineSpec(
      { name: "rx.queue", kind: "fnode", ports: ["out"], attributes: { source: true } } as const,
    );
    const drop = defineSpec(
      { name: "drop", kind: "fnode", ports: [], attributes: { sink: true } } as const,
    );
    const b = new GraphBuilder("tcp");
    b.node("queue", src, { out: { out: "rx.l4.tcp.valid" } });
    b.cluster("rx.l4.tcp").node("valid", valid, { out: { true: "engine", false: b.ref("drop") } });
    b.cluster("rx.l4.tcp").node("engine", tcpRxSpec, { out: { drop: b.ref("drop") } });
    b.cluster("tx.l4.tcp").node("segments", tcpTxSpec, { out: { out: b.ref("tx.ipv4") } });
    b.cluster("tx").node("ipv4", ipTx);
    b.node("drop", drop);
    const problems = validateGraph(b.build());
    assert.deepEqual(problems, []);
  });
});
