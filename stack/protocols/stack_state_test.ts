import assert from "node:assert/strict";
import { parseStackState } from "./stack_state.ts";

Deno.test("stack-state files", async (t) => {
  await t.step("wildcards become 0 and addresses numbers", () => {
    const s = parseStackState(JSON.stringify({
      localIp: "10.0.0.1",
      localMac: "02:00:00:00:00:01",
      endpoints: [
        { local: "*:7", sockets: [{ sid: 0, app: 0 }] },
        { local: "10.0.0.1:53", remote: "0.0.0.9:1000", sockets: [{ sid: 1, app: 2 }] },
      ],
    }));
    assert.deepEqual(s.endpoints[0], {
      sockets: [{ sid: 0, appId: 0 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 7,
    });
    assert.equal(s.endpoints[1]?.srcIp, 9);
    assert.equal(s.endpoints[1]?.dstIp, 0x0a000001);
    assert.equal(s.mtu, 1500, "the Ethernet MTU by default");
  });
  await t.step("mtu is read and checked against 68..65535", () => {
    const text = (mtu: unknown) =>
      JSON.stringify({ localIp: "10.0.0.1", localMac: "02:00:00:00:00:01", mtu });
    assert.equal(parseStackState(text(9000)).mtu, 9000);
    for (const bad of [67, 65536, 1500.5, "1500"]) {
      assert.throws(
        () => parseStackState(text(bad), "f.json"),
        /Cannot read stack state "f.json": field "mtu" must be an integer 68..65535, got /,
      );
    }
  });
  await t.step("bad input gives a specific error naming the field", () => {
    assert.throws(
      () => parseStackState("{", "f.json"),
      /Cannot read stack state "f.json": not JSON/,
    );
    assert.throws(
      () => parseStackState(JSON.stringify({ localIp: 1, localMac: "x" }), "f.json"),
      /field "localIp"/,
    );
    assert.throws(
      () =>
        parseStackState(JSON.stringify({
          localIp: "10.0.0.1",
          localMac: "02:00:00:00:00:01",
          endpoints: [{ local: "*:70000", sockets: [{ sid: 0, app: 0 }] }],
        })),
      /endpoints\[0\]\.local "\*:70000": port must be 1..65535/,
    );
    assert.throws(
      () =>
        parseStackState(JSON.stringify({
          localIp: "10.0.0.1",
          localMac: "02:00:00:00:00:01",
          endpoints: [{ local: "*:7", sockets: [] }],
        })),
      /sockets must be a non-empty list/,
    );
  });
});
