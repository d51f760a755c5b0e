import assert from "node:assert/strict";
import { classifyFlow, LOCAL_IP } from "./_test_util.ts";
import { costByName } from "./cost_choice.ts";
import { DRAGONET_NICS, type DragonetNicId } from "./dragonet_nics.ts";
import { endpointsForFlows, explain, formatExplanation } from "./explain.ts";

const flows = [0, 1, 2, 3, 4].map((k) => ({
  srcIp: 0x0a010000 + k,
  srcPort: 5000 + k,
  dstIp: LOCAL_IP,
  dstPort: k < 3 ? 7 : 8,
}));

Deno.test("explain", async (t) => {
  await t.step("one listening endpoint per distinct local address and port", () => {
    assert.deepEqual(endpointsForFlows([...flows, { srcPort: 1 }]), [
      { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: LOCAL_IP, dstPort: 7 },
      { sockets: [{ sid: 1, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: LOCAL_IP, dstPort: 8 },
      { sockets: [{ sid: 2, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 0 },
    ]);
  });
  await t.step("the chosen configuration steers each flow's frames to its queue", () => {
    for (const id of Object.keys(DRAGONET_NICS) as DragonetNicId[]) {
      const nic = DRAGONET_NICS[id];
      const x = explain({
        nic,
        queues: 3,
        cost: costByName({ name: "balance" }),
        flows,
        graphs: false,
      });
      assert.deepEqual(x.placement.map((p) => p.queue), [1, 2, 1, 2, 1]);
      assert.deepEqual(x.perQueue, [0, 3, 2]);
      const model = nic.model(nic.initialConfig(3));
      model.apply(x.ops);
      for (const p of x.placement) assert.equal(classifyFlow(model, p.flow), p.queue, id);
      assert.equal(x.built, null);
    }
  });
  await t.step("priority cost keeps gold flows on their own queues", () => {
    const x = explain({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 4,
      cost: costByName({ name: "priority", goldSrc: 0x0a010000 }),
      flows,
      graphs: false,
    });
    const gold = x.placement.filter((p) => p.flow.srcIp === 0x0a010000).map((p) => p.queue);
    const be = x.placement.filter((p) => p.flow.srcIp !== 0x0a010000).map((p) => p.queue);
    assert.equal(gold.length, 1);
    assert.ok(!be.includes(gold[0] as number));
  });
  await t.step("builds the embedded graph and one pipeline per queue and application", () => {
    const x = explain({
      nic: DRAGONET_NICS["solarflare-sfc9020"],
      queues: 2,
      cost: costByName({ name: "balance" }),
      flows: flows.slice(0, 2),
    });
    assert.deepEqual(x.built?.pipelines.map((p) => p.name).sort(), ["App0", "Q0", "Q1"]);
    const text = formatExplanation(x);
    assert.match(text, /^NIC solarflare-sfc9020, 2 queues \(queue 0 = default\), 2 flows\n/);
    assert.match(text, /UDP 10\.1\.0\.1:5001 -> 10\.0\.0\.1:7 +-> 1\n/);
    assert.match(text, /RxL4UDP\(\*:\* \/ 10\.0\.0\.1:7\) sockets 0@app0/);
    assert.match(text, /pipelines:\n {2}App0 /);
  });
  await t.step("bad queue counts and missing gold sources are clear errors", () => {
    assert.throws(
      () =>
        explain({
          nic: DRAGONET_NICS["intel-82599"],
          queues: 1,
          cost: costByName({ name: "balance" }),
          flows,
        }),
      /Queue count 1 is not usable on intel-82599: must be an integer 2\.\.128/,
    );
    assert.throws(() => costByName({ name: "static" }), /Cost "static" needs the source address/);
  });
});
