import assert from "node:assert/strict";
import fc from "fast-check";
import { ChecksumMode } from "../../stack/packet/build.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { verifyL4Checksum } from "../../stack/packet/verify.ts";
import { classifyL4Checksum, fillL4Checksum, L4Checksum } from "./checksums.ts";
import { loTcp, loUdp } from "./_frames_test_util.ts";

function parsed(f: Uint8Array): FrameInfo {
  const info = new FrameInfo();
  assert.equal(parseFrame(f, 0, f.length, info), 0);
  return info;
}

Deno.test("L4 checksums of captured frames", async (t) => {
  await t.step("partial UDP checksums are recognised and completed; full ones are Ok", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.integer({ min: 1, max: 65535 }),
        (p, port) => {
          const f = loUdp(port, 11211, p);
          const info = parsed(f);
          assert.equal(classifyL4Checksum(f, info), L4Checksum.Partial);
          assert.equal(fillL4Checksum(f, info), true);
          assert.equal(classifyL4Checksum(f, info), L4Checksum.Ok);
          assert.equal(verifyL4Checksum(f, info), 0);
          const full = loUdp(port, 11211, p, ChecksumMode.Full);
          assert.deepEqual(f, full);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("a changed byte makes a full checksum Bad, never Partial", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (p, at, flip) => {
          const f = loUdp(40000, 11211, p, ChecksumMode.Full);
          const info = parsed(f);
          const i = info.payload + (at % p.length);
          f[i] = (f[i] ?? 0) ^ flip;
          assert.equal(classifyL4Checksum(f, info), L4Checksum.Bad);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("TCP partial checksums complete too; UDP without checksum is Ok", () => {
    const f = loTcp(40000, 11211, 1, 2, 0x18, "get k\r\n");
    const info = parsed(f);
    assert.equal(classifyL4Checksum(f, info), L4Checksum.Partial);
    fillL4Checksum(f, info);
    assert.equal(verifyL4Checksum(f, info), 0);
    const none = loUdp(1, 2, "x", ChecksumMode.None);
    assert.equal(classifyL4Checksum(none, parsed(none)), L4Checksum.Ok);
  });

  await t.step("a cut segment is Truncated and not filled", () => {
    const f = loUdp(1, 2, "hello world, long enough");
    const info = parsed(f);
    info.udpLen = 200;
    assert.equal(classifyL4Checksum(f, info), L4Checksum.Truncated);
    assert.equal(fillL4Checksum(f, info), false);
  });
});
