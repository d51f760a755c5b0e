import assert from "node:assert/strict";
import fc from "fast-check";
import { CsumStatus, parseRxFrame, RxKey, TcpFlag } from "./rx_parse.ts";
import { buildTestFrame } from "./_test_frames.ts";

Deno.test("NIC receive parser", async (t) => {
  const k = new RxKey();
  const flow = { proto: 17, srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };

  await t.step("reads addresses, ports, flags and checks checksums", () => {
    const f = buildTestFrame({ ...flow, proto: 6, tcpFlags: TcpFlag.Syn });
    parseRxFrame(f, 0, f.length, k, true);
    assert.deepEqual(
      [k.ipVersion, k.proto, k.srcIp, k.dstIp, k.srcPort, k.dstPort, k.tcpFlags, k.vlan],
      [4, 6, 0x0a000002, 0x0a000001, 40000, 11211, TcpFlag.Syn, -1],
    );
    assert.equal(k.ipv4Csum, CsumStatus.Good);
    assert.equal(k.l4Csum, CsumStatus.Good);
    parseRxFrame(f, 0, f.length, k, false);
    assert.equal(k.ipv4Csum, CsumStatus.NotChecked);
  });

  await t.step("a VLAN tag moves the L3 header and is reported", () => {
    const f = buildTestFrame({ ...flow, vlan: 42 });
    parseRxFrame(f, 0, f.length, k, true);
    assert.equal(k.vlan, 42);
    assert.equal(k.l3Off, 18);
    assert.equal(k.dstPort, 11211);
    assert.equal(k.l4Csum, CsumStatus.Good);
  });

  await t.step("IPv6 UDP: ports read, checksum verified with the IPv6 pseudo-header", () => {
    const f = buildTestFrame({
      ...flow,
      srcIp: "3ffe:2501:200:1fff::7",
      dstIp: "3ffe:2501:200:3::1",
    });
    parseRxFrame(f, 0, f.length, k, true);
    assert.equal(k.ipVersion, 6);
    assert.equal(k.srcPort, 40000);
    assert.equal(k.l4Csum, CsumStatus.Good);
    f[f.length - 1] = (f[f.length - 1] ?? 0) ^ 1;
    parseRxFrame(f, 0, f.length, k, true);
    assert.equal(k.l4Csum, CsumStatus.Bad);
  });

  await t.step("a non-first IPv4 fragment has no ports and no L4 check", () => {
    const f = buildTestFrame(flow);
    f[20] = 0x00;
    f[21] = 0x10; // fragment offset 16 (x8 bytes)
    parseRxFrame(f, 0, f.length, k, false);
    assert.equal(k.fragment, true);
    assert.equal(k.hasPorts, false);
    assert.equal(k.l4Csum, CsumStatus.NotChecked);
  });

  await t.step("UDP checksum zero over IPv4 means none and is not checked", () => {
    const f = buildTestFrame(flow);
    f[40] = 0;
    f[41] = 0;
    parseRxFrame(f, 0, f.length, k, true);
    assert.equal(k.l4Csum, CsumStatus.NotChecked);
  });

  await t.step("truncations and random bytes never throw and never read past the length", () => {
    const good = buildTestFrame(flow);
    fc.assert(
      fc.property(fc.nat(good.length), fc.uint8Array({ maxLength: 120 }), (cut, junk) => {
        // A copy of exactly `cut` bytes: any read past the length would throw a RangeError.
        parseRxFrame(good.slice(0, cut), 0, cut, k, true);
        if (cut < 42 && k.hasPorts) return false;
        parseRxFrame(junk, 0, junk.length, k, true);
        return true;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
