import assert from "node:assert/strict";
import { Simulator } from "./simulator.ts";
import { EthernetSwitch } from "./switch.ts";
import { frameTimeNs, Link } from "./wire.ts";

Deno.test("EthernetSwitch", async (t) => {
  await t.step("a frame crosses input link, switch latency and output link", () => {
    const sim = new Simulator();
    const got: number[] = [];
    const sw = new EthernetSwitch(sim, "tor", { latencyNs: 500, port: { propagationNs: 0 } });
    const server = sw.addPort(() => got.push(sim.now));
    const client = new Link(sim, "c0", (tag, len) => sw.forward(tag, len, server), {
      propagationNs: 0,
    });
    client.send(1, 60);
    sim.run();
    // 57.6 ns to the last bit on each link, rounded up, plus 500 ns in the switch.
    assert.deepEqual(got, [58 + 500 + 58]);
  });

  await t.step(
    "eight clients at line rate converge on one port: it carries exactly line rate",
    () => {
      const sim = new Simulator();
      let delivered = 0;
      const sw = new EthernetSwitch(sim, "tor", { port: { queueFrames: 100 } });
      const server = sw.addPort(() => delivered++);
      const perClient = 2000;
      for (let c = 0; c < 8; c++) {
        const link = new Link(sim, `c${c}`, (tag, len) => sw.forward(tag, len, server));
        for (let i = 0; i < perClient; i++) link.send(i, 60);
      }
      sim.run();
      const port = sw.port(server);
      assert.equal(sw.forwarded, 8 * perClient);
      assert.equal(port.framesSent + port.drops, 8 * perClient);
      assert.equal(delivered, port.framesSent);
      // Clients send for perClient frame times; the port drains one frame per frame time.
      const sendingNs = perClient * frameTimeNs(60);
      assert.ok(Math.abs(port.framesSent - (perClient + 100)) <= 2, `${port.framesSent} sent`);
      assert.ok(port.busyNs() <= sim.now && port.busyNs() > sendingNs);
    },
  );

  await t.step("rejects unknown ports, long frames and bad latencies", () => {
    const sim = new Simulator();
    const sw = new EthernetSwitch(sim, "s");
    assert.throws(() => sw.forward(0, 60, 0), /Switch "s" has no port 0: ports are 0\.\.-1/);
    sw.addPort(() => {});
    assert.throws(() => sw.forward(0, 70_000, 0), /Frame length 70000 B is invalid/);
    assert.throws(() => sw.port(3), /has no port 3/);
    assert.throws(
      () => new EthernetSwitch(sim, "t", { latencyNs: -1 }),
      /latency -1 ns is invalid/,
    );
  });
});
