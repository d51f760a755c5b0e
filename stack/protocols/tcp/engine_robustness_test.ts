import assert from "node:assert/strict";
import fc from "fast-check";
import { TCP_OK, TcpEngine } from "./engine.ts";
import { TCP_COUNTERS, TcpCounter } from "./counters.ts";
import { drain, FakeClock, feed } from "./_test_net.ts";

const DROP_CODES = new Set(TCP_COUNTERS.filter((c) => c.drop).map((c) => c.code));

Deno.test("TCP engine never throws on bad bytes and always names a reason", async (t) => {
  await t.step("random bytes, offsets and lengths (checksums not verified)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bytes: fc.uint8Array({ minLength: 0, maxLength: 120 }),
            off: fc.integer({ min: -4, max: 130 }),
            len: fc.integer({ min: -4, max: 130 }),
            port: fc.constantFrom(80, 81, 40000),
            advance: fc.integer({ min: 0, max: 3_000_000_000 }),
          }),
          { maxLength: 40 },
        ),
        (segments) => {
          const clock = new FakeClock();
          const e = new TcpEngine({
            clock: clock.read,
            verifyChecksum: false,
            timeWaitNs: 1e9,
            maxConnections: 64,
          });
          e.listen(80);
          for (const s of segments) {
            const b = s.bytes.slice();
            if (b.length >= 4) new DataView(b.buffer).setUint16(2, s.port);
            const r = e.input(b, s.off, s.len, 0x0a000001, 0x0a000002);
            assert.ok(r === TCP_OK || DROP_CODES.has(r), `code ${r}`);
            clock.now += s.advance;
            e.tick();
            e.tx.clear();
            assert.ok(e.table.size <= e.table.capacity);
          }
          // Each input segment is dropped for at most one reason.
          const inputDrops = TCP_COUNTERS.filter((c) =>
            c.drop && c.code !== TcpCounter.TxRingFull && c.code !== TcpCounter.EventRingFull
          ).reduce((sum, c) => sum + (e.counters[c.code] ?? 0), 0);
          assert.ok(inputDrops <= (e.counters[TcpCounter.SegmentsIn] ?? 0));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("mutated segments of a live connection (checksums verified)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.boolean(),
        (edits, fixChecksum) => {
          const clock = new FakeClock();
          const s = new TcpEngine({ clock: clock.read, maxConnections: 8 });
          const c = new TcpEngine({ clock: clock.read, maxConnections: 8 });
          s.listen(80);
          const cid = c.connect(0x0a000001, 0x0a000002, 80);
          for (let i = 0; i < 3; i++) {
            for (const x of drain(c)) feed(s, x);
            for (const x of drain(s)) feed(c, x);
          }
          c.send(cid, new Uint8Array(3000).fill(9));
          for (const seg of drain(c)) {
            const b = seg.bytes.slice();
            for (const e of edits) b[e.at % b.length] = e.value;
            if (fixChecksum) {
              // Recompute so the mutation reaches the state machine.
              const v = new DataView(b.buffer);
              v.setUint16(16, 0);
              let sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + b.length;
              for (let i = 0; i + 1 < b.length; i += 2) sum += v.getUint16(i);
              if (b.length % 2 === 1) sum += (b[b.length - 1] ?? 0) << 8;
              while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
              v.setUint16(16, ~sum & 0xffff);
            }
            const r = s.input(b, 0, b.length, seg.srcIp, seg.dstIp);
            assert.ok(r === TCP_OK || DROP_CODES.has(r), `code ${r}`);
          }
          clock.now += 10e9;
          s.tick();
          c.tick();
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
