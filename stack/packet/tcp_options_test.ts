import assert from "node:assert/strict";
import fc from "fast-check";
import { Reason } from "./reason.ts";
import {
  parseTcpOptions,
  TcpOptions,
  tcpOptionsLength,
  type TcpOptionsSpec,
  writeTcpOptions,
} from "./tcp_options.ts";
import { CAPTURED } from "./_captured_frames.ts";

Deno.test("TCP options", async (t) => {
  const opts = new TcpOptions();

  await t.step("captured Linux SYN: mss 65495, sackOK, TS 2214770792/0, wscale 10", () => {
    const f = CAPTURED.tcpSyn();
    assert.equal(parseTcpOptions(f, 54, 20, opts), Reason.Ok);
    assert.equal(opts.mss, 65495);
    assert.equal(opts.sackPermitted, true);
    assert.equal(opts.hasTimestamps, true);
    assert.equal(opts.tsVal, 2214770792);
    assert.equal(opts.tsEcr, 0);
    assert.equal(opts.windowScale, 10);
    assert.equal(opts.sackCount, 0);
  });

  await t.step("writing the same options reproduces the captured bytes", () => {
    const out = new Uint8Array(20);
    const n = writeTcpOptions(out, 0, {
      mss: 65495,
      sackPermitted: true,
      timestamps: { val: 2214770792, ecr: 0 },
      windowScale: 10,
    });
    assert.equal(n, 20);
    assert.deepEqual(out, CAPTURED.tcpSyn().subarray(54, 74));
  });

  await t.step("malformed option lists return TcpBadOptions and reset the struct", () => {
    const bad = [
      [2, 4, 0x05], // MSS overruns the area
      [2, 3, 0, 0], // MSS with length 3
      [8, 1, 0, 0], // length below 2
      [1, 1, 1, 3], // kind without a length byte
      [5, 6, 0, 0, 0, 0], // SACK with no whole block
    ];
    for (const b of bad) {
      assert.equal(
        parseTcpOptions(new Uint8Array(b), 0, b.length, opts),
        Reason.TcpBadOptions,
        `${b}`,
      );
    }
    assert.equal(parseTcpOptions(new Uint8Array(4), 2, 4, opts), Reason.FrameBoundsInvalid);
  });

  await t.step("unknown kinds are skipped; End stops parsing", () => {
    const b = new Uint8Array([30, 4, 9, 9, 2, 4, 0x05, 0xb4, 0, 77, 77, 77]);
    assert.equal(parseTcpOptions(b, 0, b.length, opts), Reason.Ok);
    assert.equal(opts.mss, 1460);
  });

  await t.step("too many options or bad values throw clear errors", () => {
    const out = new Uint8Array(64);
    assert.throws(
      () =>
        writeTcpOptions(out, 0, {
          mss: 1460,
          timestamps: { val: 1, ecr: 2 },
          sackBlocks: [1, 2, 3, 4, 5, 6],
        }),
      /TCP options of 44 bytes: a TCP header holds at most 40/,
    );
    assert.throws(
      () => writeTcpOptions(out, 0, { windowScale: 15 }),
      /window scale 15: must be an integer 0\.\.14/,
    );
    assert.throws(() => writeTcpOptions(out, 0, { sackBlocks: [1] }), /1 SACK edges/);
  });

  await t.step("property: parse(write(spec)) equals spec", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const spec = fc.record(
      {
        mss: fc.integer({ min: 0, max: 0xffff }),
        windowScale: fc.integer({ min: 0, max: 14 }),
        sackPermitted: fc.boolean(),
        timestamps: fc.record({ val: u32, ecr: u32 }),
        sackBlocks: fc.array(u32, { minLength: 2, maxLength: 4 }).map((a) =>
          a.slice(0, a.length & ~1)
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(spec, (s: TcpOptionsSpec) => {
        const out = new Uint8Array(48);
        const len = tcpOptionsLength(s);
        fc.pre(len <= 40);
        assert.equal(writeTcpOptions(out, 4, s), len);
        assert.equal(len % 4, 0);
        assert.equal(parseTcpOptions(out, 4, len, opts), Reason.Ok);
        assert.equal(opts.mss, s.mss ?? -1);
        assert.equal(opts.windowScale, s.windowScale ?? -1);
        assert.equal(opts.sackPermitted, s.sackPermitted === true);
        assert.equal(opts.hasTimestamps, s.timestamps !== undefined);
        if (s.timestamps) {
          assert.equal(opts.tsVal, s.timestamps.val);
          assert.equal(opts.tsEcr, s.timestamps.ecr);
        }
        const blocks = s.sackBlocks ?? [];
        assert.equal(opts.sackCount, blocks.length / 2);
        assert.deepEqual([...opts.sackBlocks.subarray(0, blocks.length)], blocks);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
