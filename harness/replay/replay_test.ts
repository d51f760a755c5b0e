import assert from "node:assert/strict";
import { ChecksumMode } from "../../stack/packet/build.ts";
import { TcpFlag } from "../../stack/packet/tcp.ts";
import { formatSummary, replayCapture } from "./replay.ts";
import { LO, loTcp, loUdp, mcUdp, payloadOf, records } from "./_frames_test_util.ts";

const LOOP = { ip: "127.0.0.1", mac: "00:00:00:00:00:00" } as const;

Deno.test("replayCapture", async (t) => {
  for (const mode of ["compiled", "interpreter"] as const) {
    await t.step(`memcached over UDP answers set and get (${mode})`, () => {
      const { frames, summary } = replayCapture(
        records([
          loUdp(40000, 11211, mcUdp(1, "set k 0 0 2\r\nhi\r\n")),
          loUdp(40000, 11211, mcUdp(2, "get k\r\n")),
        ]),
        { app: "memcached", ...LOOP, mode },
      );
      assert.deepEqual(frames.map((f) => payloadOf(f.data).text.slice(8)), [
        "STORED\r\n",
        "VALUE k 0 2\r\nhi\r\nEND\r\n",
      ]);
      assert.deepEqual(frames.map((f) => payloadOf(f.data).dst), [40000, 40000]);
      assert.equal(summary.checksumsFixed, 2);
      assert.equal(summary.fed, 2);
      assert.equal(summary.transmitted, 2);
    });
  }

  await t.step("a wrong checksum is not fixed: the stack drops it with a reason", () => {
    const bad = loUdp(40000, 11211, mcUdp(1, "get k\r\n"), ChecksumMode.Full);
    bad[50] = (bad[50] ?? 0) ^ 0x01; // "get" becomes "fet": wrong checksum, not partial
    const { frames, summary } = replayCapture(records([bad]), { app: "memcached", ...LOOP });
    assert.equal(frames.length, 0);
    assert.equal(summary.checksumsBad, 1);
    assert.equal(summary.checksumsFixed, 0);
    assert.ok(summary.drops.some((d) => /checksum/.test(d.reason)), formatSummary(summary));
  });

  await t.step("--fix-checksums off leaves partial checksums to be dropped", () => {
    const { frames, summary } = replayCapture(
      records([loUdp(40000, 11211, mcUdp(1, "get k\r\n"))]),
      { app: "memcached", ...LOOP, fixChecksums: "off" },
    );
    assert.equal(frames.length, 0);
    assert.equal(summary.checksumsBad, 1);
    assert.ok(summary.drops.length > 0);
  });

  await t.step("frames for other hosts and the host's own frames are skipped and counted", () => {
    const { frames, summary } = replayCapture(
      records([
        loUdp(40000, 11211, mcUdp(1, "get k\r\n"), ChecksumMode.Partial, 0x7f000002),
        loUdp(11211, 40000, mcUdp(1, "END\r\n")),
        new Uint8Array(10),
      ]),
      { app: "memcached", ...LOOP },
    );
    assert.equal(frames.length, 0);
    assert.deepEqual(
      [
        summary.read,
        summary.fed,
        summary.skippedOtherHost,
        summary.skippedOwn,
        summary.skippedOther,
      ],
      [3, 0, 1, 1, 1],
    );
    assert.match(formatSummary(summary), /^read 3, fed 0, skipped 3 \(other host 1, own 1/);
  });

  await t.step("echo sends the payload back", () => {
    const { frames } = replayCapture(records([loUdp(40000, 7, "ping")]), { app: "echo", ...LOOP });
    assert.equal(frames.length, 1);
    const p = payloadOf(frames[0]?.data ?? new Uint8Array());
    assert.deepEqual([p.text, p.src, p.dst], ["ping", 7, 40000]);
  });

  await t.step("memcached over TCP: handshake with the captured ISN, reply in sequence", () => {
    const isn = 0x10000000;
    const c = 5000;
    const { frames, summary } = replayCapture(
      records([
        loTcp(40001, 11211, c, 0, TcpFlag.SYN),
        loTcp(11211, 40001, isn, c + 1, TcpFlag.SYN | TcpFlag.ACK), // the real server's, skipped
        loTcp(40001, 11211, c + 1, isn + 1, TcpFlag.ACK),
        loTcp(40001, 11211, c + 1, isn + 1, TcpFlag.ACK | TcpFlag.PSH, "version\r\n"),
      ]),
      { app: "memcached", ...LOOP },
    );
    assert.equal(summary.isnFromCapture, 1);
    const out = frames.map((f) => payloadOf(f.data));
    assert.equal(out[0]?.info.tcpSeq, isn, "SYN-ACK carries the captured ISN");
    const data = out.filter((p) => p.text.length > 0);
    assert.deepEqual(data.map((p) => p.text), ["VERSION 1.6.18\r\n"]);
    assert.equal(data[0]?.info.tcpSeq, isn + 1);
    assert.equal(data[0]?.info.ipDst, LO);
  });

  await t.step("bad options throw clear errors", () => {
    assert.throws(() => replayCapture([], { app: "echo", ip: "1.2.3" }), /dotted IPv4 quad/);
    assert.throws(() => replayCapture([], { app: "echo", ip: "1.2.3.4", port: 0 }), /1\.\.65535/);
    assert.throws(() => replayCapture([], { app: "echo", ip: "1.2.3.4", mac: "zz" }));
  });
});
