import assert from "node:assert/strict";
import { defaultIsn, resolveTcpConfig } from "./config.ts";

Deno.test("TCP configuration", async (t) => {
  await t.step("defaults follow their sources", () => {
    const c = resolveTcpConfig();
    assert.equal(c.mss, 1460);
    assert.equal(c.defaultPeerMss, 536);
    assert.equal(c.initialRtoNs, 1_000_000_000);
    assert.equal(c.somaxconn, 128);
    assert.equal(c.windowScale, 7);
  });

  await t.step("overrides apply and others keep the default", () => {
    const c = resolveTcpConfig({ mss: 536 });
    assert.equal(c.mss, 536);
    assert.equal(c.somaxconn, 128);
  });

  await t.step("errors name the knob, the range and the value", () => {
    assert.throws(
      () => resolveTcpConfig({ windowScale: 15 }),
      /"windowScale" must be an integer -1..14, got 15/,
    );
    assert.throws(
      () => resolveTcpConfig({ maxRtoNs: 1, minRtoNs: 2 }),
      /"maxRtoNs" must be an integer 2..\d+, got 1/,
    );
    assert.throws(
      () => resolveTcpConfig({ windowScale: -1, rcvBuffer: 100_000 }),
      /"rcvBuffer" 100000 needs window scaling/,
    );
    assert.throws(() => resolveTcpConfig({ synBacklog: 0.5 }), /"synBacklog" must be an integer/);
  });

  await t.step("the default ISN depends on the 4-tuple and advances with time", () => {
    const a = defaultIsn(1, 2, 3, 4, 0);
    assert.notEqual(a, defaultIsn(1, 2, 3, 5, 0));
    assert.equal(defaultIsn(1, 2, 3, 4, 4000), (a + 1) >>> 0);
  });
});
