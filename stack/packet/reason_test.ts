import assert from "node:assert/strict";
import {
  isReasonCode,
  Reason,
  REASON_COUNT,
  reasonDescription,
  reasonFromName,
  reasonName,
} from "./reason.ts";

Deno.test("Reason codes", async (t) => {
  await t.step("codes are dense, unique, fit a uint8, and Ok is 0", () => {
    const codes = Object.values(Reason).sort((a, b) => a - b);
    assert.equal(Reason.Ok, 0);
    assert.equal(codes.length, REASON_COUNT);
    codes.forEach((c, i) => assert.equal(c, i));
    assert.ok(REASON_COUNT <= 256);
  });

  await t.step("names are unique kebab-case and round-trip through reasonFromName", () => {
    const names = new Set<string>();
    for (const code of Object.values(Reason)) {
      const name = reasonName(code);
      assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(!names.has(name), `duplicate name ${name}`);
      names.add(name);
      assert.equal(reasonFromName(name), code);
      assert.ok(reasonDescription(code).length > 0);
    }
  });

  await t.step("stable names the rest of the lab relies on", () => {
    assert.equal(reasonName(Reason.Ipv4BadChecksum), "ipv4-bad-checksum");
    assert.equal(reasonName(Reason.UdpBadChecksum), "udp-bad-checksum");
    assert.equal(reasonName(Reason.UnknownEthertype), "unknown-ethertype");
    assert.equal(reasonName(Reason.Ok), "ok");
  });

  await t.step("unknown codes and names throw clear errors", () => {
    assert.equal(isReasonCode(REASON_COUNT), false);
    assert.equal(isReasonCode(1.5), false);
    assert.throws(
      () => reasonName(REASON_COUNT),
      /Unknown reason code \d+: codes are integers 0\.\.\d+/,
    );
    assert.throws(() => reasonDescription(-1), /Unknown reason code -1/);
    assert.throws(
      () => reasonFromName("ipv4-bad"),
      /Unknown reason name "ipv4-bad": expected one of ok,/,
    );
  });
});
