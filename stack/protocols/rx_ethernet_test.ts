import assert from "node:assert/strict";
import fc from "fast-check";
import { BufferPool } from "../packet/buffer_pool.ts";
import { DEFAULT_MTU, LpgEnv, maxFrameLength } from "./env.ts";
import { LOCAL_IP, LOCAL_MAC, makeStack, udpFrame } from "./_testing.ts";

const VALID_LENGTH = "rx.l2.valid-length";

for (const mode of ["interpreter", "compiled"] as const) {
  Deno.test(`Ethernet length check: runts and frames over the MTU are counted drops (${mode})`, async (t) => {
    await t.step("default MTU 1500 accepts a 1522-byte frame and delivers it", () => {
      const s = makeStack({ mode });
      assert.equal(s.env.mtu, DEFAULT_MTU);
      assert.equal(s.env.maxFrameLength, 1522);
      const f = udpFrame(7, new Uint8Array(1522 - 42).fill(7));
      assert.equal(f.length, 1522);
      s.receive(f);
      assert.equal(s.counter(VALID_LENGTH, "true"), 1);
      assert.equal(s.counter(VALID_LENGTH, "eth-oversize"), 0);
      assert.equal(s.env.socketRing(0).size, 1, "delivered to the echo socket");
    });
    await t.step("a 1523-byte frame is dropped as eth-oversize and goes no further", () => {
      const s = makeStack({ mode });
      const sent = s.receive(udpFrame(7, new Uint8Array(1523 - 42)));
      assert.equal(s.counter(VALID_LENGTH, "eth-oversize"), 1);
      assert.equal(s.counter(VALID_LENGTH, "eth-truncated"), 0);
      assert.equal(s.counter("rx.l2.classify-l3", "calls"), 0);
      assert.equal(s.env.socketRing(0).size, 0);
      assert.deepEqual(sent, []);
    });
    await t.step("a smaller MTU lowers the limit (MTU 1000: 1022 passes, 1023 drops)", () => {
      const s = makeStack({ mode, config: { mtu: 1000 } });
      s.receive(udpFrame(7, new Uint8Array(1022 - 42)));
      assert.equal(s.counter(VALID_LENGTH, "true"), 1);
      s.receive(udpFrame(7, new Uint8Array(1023 - 42)));
      assert.equal(s.counter(VALID_LENGTH, "eth-oversize"), 1);
    });
    await t.step("every length lands on exactly one port: runt, valid or oversize", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 68, max: 1900 }),
          fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 8 }),
          (mtu, lengths) => {
            const s = makeStack({ mode, config: { mtu } });
            const limit = mtu + 22;
            for (const n of lengths) s.receive(new Uint8Array(n));
            const want = (f: (n: number) => boolean) => lengths.filter(f).length;
            assert.equal(s.counter(VALID_LENGTH, "eth-truncated"), want((n) => n < 14));
            assert.equal(s.counter(VALID_LENGTH, "true"), want((n) => n >= 14 && n <= limit));
            assert.equal(s.counter(VALID_LENGTH, "eth-oversize"), want((n) => n > limit));
          },
        ),
        { seed: 42, numRuns: 25 },
      );
    });
  });
}

Deno.test("MTU knob: default, derived frame limit and refused values", async (t) => {
  await t.step("the frame limit is the MTU plus header, VLAN tag and FCS", () => {
    assert.equal(maxFrameLength(1500), 1522);
    assert.equal(maxFrameLength(9000), 9022);
  });
  await t.step("an MTU outside 68..65535 or not an integer is refused naming the knob", () => {
    const pool = new BufferPool({ count: 4 });
    for (const mtu of [67, 0, 65536, 1500.5, Number.NaN]) {
      assert.throws(
        () => new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC, mtu }),
        new RegExp(`mtu ${mtu} must be an integer 68\\.\\.65535`),
      );
    }
    assert.equal(new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC, mtu: 68 }).mtu, 68);
  });
});
