import assert from "node:assert/strict";
import { createTestbed } from "../../harness/sim/testbed.ts";
import { Reflector } from "../clients/_reflector.ts";
import { CLIENT_IP, macOf, SERVER_IP } from "../clients/_testing.ts";
import { ReplyStatus } from "../clients/protocol.ts";
import { createEchoClient } from "./echo_client.ts";
import { DRAGONET_ECHO_1024, DRAGONET_ECHO_64, DRAGONET_ECHO_BURSTS } from "./presets.ts";
import { UdpEchoClient } from "./udp_rr.ts";

const MS = 1_000_000;

Deno.test("UDP echo client", async (t) => {
  await t.step("requests carry the id and the size; only the same bytes back are done", () => {
    const c = new UdpEchoClient(64);
    const b = new Uint8Array(100);
    assert.equal(c.writeRequest(0, 0xabcd, b, 10, 1472), 64);
    assert.equal(c.replyId(b, 10, 64), 0xabcd);
    assert.equal(c.onReply(0, b, 10, 64), ReplyStatus.Done);
    assert.equal(c.onReply(0, b, 10, 63), ReplyStatus.Wrong);
    b[50] = (b[50] ?? 0) ^ 0x80;
    assert.equal(c.onReply(0, b, 10, 64), ReplyStatus.Wrong);
    assert.throws(
      () => new UdpEchoClient(1),
      /Echo request size 1 B is invalid: must be an integer 2\.\.1472/,
    );
  });

  await t.step("the payload after the id is the documented pattern of the id", () => {
    const c = new UdpEchoClient(1472);
    const b = new Uint8Array(1472);
    for (const id of [0, 1, 255, 0x1234, 0xffff]) {
      c.writeRequest(0, id, b, 0, 1472);
      for (let j = 2; j < 1472; j++) {
        const want = (Math.imul(id + 1, 0x9e37) + Math.imul(j, 131) + (j >>> 8)) & 0xff;
        assert.equal(b[j], want, `id ${id} byte ${j}`);
      }
      assert.equal(c.onReply(0, b, 0, 1472), ReplyStatus.Done);
    }
  });

  await t.step(
    "Dragonet presets: burst B keeps B in flight per instance, frames of 110 / 1070 B",
    () => {
      for (const w of [DRAGONET_ECHO_64, DRAGONET_ECHO_1024]) {
        for (const burst of DRAGONET_ECHO_BURSTS.slice(0, 2)) {
          const tb = createTestbed({ seed: 1 });
          let frameLen = 0;
          const server = new Reflector(tb, {
            name: "server",
            mac: macOf(1),
            ip: SERVER_IP,
            serviceNs: 500,
            echoPort: w.serverPort,
          });
          const receive = server.receive.bind(server);
          server.receive = (buf, len) => {
            frameLen = len;
            receive(buf, len);
          };
          const client = createEchoClient(tb, {
            workload: w,
            name: "c",
            mac: macOf(2),
            ip: CLIENT_IP,
            serverIp: SERVER_IP,
            serverMac: macOf(1),
            connections: 2,
            loop: { mode: "closed", outstanding: burst },
            measureStartNs: 1 * MS,
            measureEndNs: 3 * MS,
            extra: { histogramMode: "packed" },
          });
          client.start();
          tb.sim.run(2 * MS);
          assert.equal(client.outstanding(), 2 * burst);
          tb.sim.run(4 * MS);
          const r = client.report();
          client.destroy();
          // workloads.md §3.1: frame = 46 + payload with FCS; the testbed counts frames without it.
          assert.equal(frameLen + 4, 46 + w.requestSize);
          assert.equal(r.overall.errors, 0);
          assert.deepEqual(r.connections.map((c) => c.srcPort), [5000, 5001]);
          assert.ok(r.overall.transactionsPerSecond > 0);
        }
      }
    },
  );
});
