import assert from "node:assert/strict";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { UdpEchoClient } from "../echo/udp_rr.ts";
import { LatencyRecorder } from "../metrics/latency_recorder.ts";
import { Reflector } from "./_reflector.ts";
import { macOf, SERVER_IP } from "./_testing.ts";
import { aggregateClients } from "./aggregate.ts";
import { consecutiveFlows } from "./flow.ts";
import { LoadClient } from "./load_client.ts";
import { ClientClass } from "./types.ts";

const MS = 1_000_000;

Deno.test("aggregateClients", async (t) => {
  const tb = createTestbed({ seed: 3 });
  new Reflector(tb, { name: "s", mac: macOf(1), ip: SERVER_IP, serviceNs: 800 });
  const clients = [0, 1, 2].map((m) =>
    new LoadClient(tb, {
      name: `c${m}`,
      mac: macOf(2 + m),
      ip: SERVER_IP + 1 + m,
      flows: consecutiveFlows({
        count: 2,
        firstSrcPort: 8000,
        dstIp: SERVER_IP,
        dstPort: 7,
        dstMac: macOf(1),
        clientClass: m === 0 ? ClientClass.HighPriority : ClientClass.BestEffort,
      }),
      protocol: () => new UdpEchoClient(64),
      loop: { mode: "closed", outstanding: 2 },
      measureStartNs: 1 * MS,
      measureEndNs: 3 * MS,
      histogramMode: "packed",
    })
  );
  for (const c of clients) c.start();
  tb.sim.run(4 * MS);

  await t.step("counts add up and histograms merge", () => {
    const a = aggregateClients(clients);
    const rs = clients.map((c) => c.report());
    assert.equal(a.overall.completed, rs.reduce((s, r) => s + r.overall.completed, 0));
    assert.equal(a.overall.latency.count, a.overall.completed);
    assert.equal(a.classes[0]?.connections, 2);
    assert.equal(a.classes[1]?.connections, 4);
    assert.equal(a.overall.latency.maxNs, Math.max(...rs.map((r) => r.overall.latency.maxNs)));
    assert.equal(a.validTotalTps, a.overall.transactionsPerSecond);
    const back = LatencyRecorder.decode(a.histograms.overall ?? "", { mode: "packed" });
    assert.equal(back.count, a.overall.completed);
    back.destroy();
  });

  await t.step("reports given by the caller aggregate the same; one per client is required", () => {
    const rs = clients.map((c) => c.report());
    assert.deepEqual(aggregateClients(clients, rs), aggregateClients(clients));
    assert.throws(
      () => aggregateClients(clients, rs.slice(1)),
      new RegExp(`Cannot aggregate ${clients.length} clients with ${rs.length - 1} reports`),
    );
  });

  await t.step("a starved connection makes the valid total 0", () => {
    const tb2 = createTestbed({ seed: 3 });
    new Reflector(tb2, { name: "s", mac: macOf(1), ip: SERVER_IP, serviceNs: 800 }).drop = (n) =>
      n % 2 === 0;
    const c = new LoadClient(tb2, {
      name: "c",
      mac: macOf(2),
      ip: SERVER_IP + 1,
      flows: consecutiveFlows({
        count: 2,
        firstSrcPort: 8000,
        dstIp: SERVER_IP,
        dstPort: 7,
        dstMac: macOf(1),
      }),
      protocol: () => new UdpEchoClient(64),
      loop: { mode: "closed", outstanding: 1 },
      measureStartNs: 1 * MS,
      measureEndNs: 2 * MS,
      histogramMode: "packed",
    });
    c.start();
    tb2.sim.run(3 * MS);
    const a = aggregateClients([c]);
    assert.equal(a.minConnectionTps, 0);
    assert.equal(a.validTotalTps, 0);
    c.destroy();
  });
  await t.step("one class everywhere: overall is that class's merge, as merged separately", () => {
    const tb3 = createTestbed({ seed: 5 });
    new Reflector(tb3, { name: "s", mac: macOf(1), ip: SERVER_IP, serviceNs: 800 });
    const same = [0, 1].map((m) =>
      new LoadClient(tb3, {
        name: `c${m}`,
        mac: macOf(2 + m),
        ip: SERVER_IP + 1 + m,
        flows: consecutiveFlows({
          count: 2,
          firstSrcPort: 8000,
          dstIp: SERVER_IP,
          dstPort: 7,
          dstMac: macOf(1),
        }),
        protocol: () => new UdpEchoClient(64),
        loop: { mode: "closed", outstanding: 2 },
        measureStartNs: 1 * MS,
        measureEndNs: 3 * MS,
      })
    );
    for (const c of same) c.start();
    tb3.sim.run(4 * MS);
    const a = aggregateClients(same);
    const alone = LatencyRecorder.mergedSummary(
      same.map((c) => c.recorders().byClass[1] as LatencyRecorder),
    );
    assert.equal(a.histograms.overall, alone.encoded);
    assert.equal(a.histograms["best-effort"], alone.encoded);
    assert.deepEqual(a.overall.latency, alone.summary);
    assert.equal(a.overall.latency.count, a.overall.completed);
    for (const c of same) c.destroy();
  });

  for (const c of clients) c.destroy();
  assert.throws(() => aggregateClients([]), /Cannot aggregate 0 clients/);
});
