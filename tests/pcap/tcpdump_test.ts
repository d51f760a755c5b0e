/**
 * Cross-checks against tcpdump: files the lab writes read cleanly in tcpdump, and `lab pcap
 * show` agrees with `tcpdump -nn -S` line by line (options and marks aside) and on which frames
 * have bad checksums, for the shipped loopback capture, a fresh one when capture is allowed, and
 * frames the lab builds. Without tcpdump every step is ignored with a printed reason.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { PcapWriter } from "../../stack/packet/pcap/mod.ts";
import {
  buildArpReply,
  buildArpRequest,
  buildIcmpEchoFrame,
  buildIcmpErrorFrame,
  buildTcpFrame,
  buildUdpFrame,
} from "../../stack/packet/build.ts";
import { TcpFlag } from "../../stack/packet/tcp.ts";
import { IcmpType } from "../../stack/packet/icmp.ts";
import { showPcap } from "../../harness/cli/pcap.ts";
import { CaptureIo } from "../../harness/cli/_io.ts";
import { captureLoopback, haveTcpdump } from "./_loopback_capture.ts";

const FIXTURE = new URL("./loopback.pcap", import.meta.url).pathname;
const HAVE_TCPDUMP = await haveTcpdump();
if (!HAVE_TCPDUMP) {
  console.log("tests/pcap/tcpdump_test.ts: tcpdump is not installed, cross-checks ignored");
}

async function tcpdump(args: string[]): Promise<string> {
  const r = await new Deno.Command("tcpdump", {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { TZ: "UTC" },
  })
    .output();
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`tcpdump ${args.join(" ")} failed: ${err}`);
  return new TextDecoder().decode(r.stdout);
}

async function labShow(path: string, ethernet: boolean): Promise<string[]> {
  const out = new CaptureIo();
  await showPcap(path, { ethernet }, out);
  return out.text.trimEnd().split("\n");
}

/** Splits tcpdump output into packets (a packet starts with its time stamp). */
function packets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\d\d:\d\d:\d\d\.\d{6}(\d{3})? /.test(line)) out.push(line);
    else if (line.trim() !== "" && out.length > 0) out[out.length - 1] += "\n" + line;
  }
  return out;
}

/** Frame indices tcpdump -vv flags with a wrong checksum (not counting quoted datagrams). */
function tcpdumpBadChecksums(text: string): number[] {
  return packets(text).flatMap((p, i) => {
    const own = p.split("\n\t")[0] ?? ""; // an ICMP error's quoted datagram starts with a tab
    return /bad cksum|bad udp cksum|incorrect/.test(own) ? [i] : [];
  });
}

/** Frame indices `lab pcap show` marks with a wrong checksum. */
function labBadChecksums(lines: string[]): number[] {
  return lines.flatMap((l, i) => /\[bad (ip|udp|tcp|icmp) cksum\]/.test(l) ? [i] : []);
}

/** Compares lab and tcpdump -nn -S lines with tcpdump's TCP options and the lab's marks removed. */
async function assertShowAgrees(path: string, nanosecond = false): Promise<void> {
  for (const e of [false, true]) {
    const flags = [...(e ? ["-e"] : []), ...(nanosecond ? ["--time-stamp-precision=nano"] : [])];
    const theirs = packets(await tcpdump(["-nn", "-S", ...flags, "-r", path]))
      .map((l) => l.replace(/, options \[[^\]]*\]/, ""));
    const ours = (await labShow(path, e)).map((l) =>
      l.replace(/ \[(bad|malformed|truncated)[^\]]*\]/g, "").replace(/, options \[[^\]]*\]/, "")
    );
    deepStrictEqual(ours, theirs);
  }
  const verbose = await tcpdump(["-nn", "-vv", "-r", path]);
  deepStrictEqual(labBadChecksums(await labShow(path, false)), tcpdumpBadChecksums(verbose));
}

const MAC_A = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0a);
const MAC_B = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0b);

/** Frames of every kind the builders make, with correct checksums. */
function builtFrames(): Uint8Array[] {
  const buf = new Uint8Array(2048);
  const ip = { dstMac: MAC_B, srcMac: MAC_A, srcIp: 0xc0a80001, dstIp: 0xc0a80002 };
  const frames: Uint8Array[] = [];
  const add = (n: number) => frames.push(buf.slice(0, n));
  add(buildArpRequest(buf, 0, { srcMac: MAC_A, senderIp: ip.srcIp, targetIp: ip.dstIp }));
  add(
    buildArpReply(buf, 0, { srcMac: MAC_B, dstMac: MAC_A, senderIp: ip.dstIp, targetIp: ip.srcIp }),
  );
  add(
    buildUdpFrame(buf, 0, {
      ...ip,
      srcPort: 5000,
      dstPort: 6000,
      payload: new Uint8Array(100).fill(1),
    }),
  );
  add(
    buildUdpFrame(buf, 0, {
      ...ip,
      srcPort: 1,
      dstPort: 2,
      vlan: { id: 42, pcp: 5 },
      payload: new Uint8Array(3),
    }),
  );
  add(buildTcpFrame(buf, 0, {
    ...ip,
    srcPort: 40000,
    dstPort: 11211,
    seq: 123456,
    flags: TcpFlag.SYN,
    window: 64240,
    options: { mss: 1460, sackPermitted: true, windowScale: 7 },
  }));
  add(buildTcpFrame(buf, 0, {
    ...ip,
    srcPort: 40000,
    dstPort: 11211,
    seq: 123457,
    ack: 99,
    flags: TcpFlag.PSH | TcpFlag.ACK,
    window: 502,
    payload: new TextEncoder().encode("get key\r\n"),
  }));
  add(buildIcmpEchoFrame(buf, 0, { ...ip, id: 1, seq: 2, payload: new Uint8Array(56) }));
  const udp = frames[2] ?? new Uint8Array(0);
  add(
    buildIcmpErrorFrame(buf, 0, {
      ...ip,
      type: IcmpType.DestUnreachable,
      code: 3,
      original: udp.subarray(14),
    }),
  );
  return frames;
}

Deno.test("pcap cross-checks with tcpdump", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step({
      name: "files the lab writes read in tcpdump with the same frame count and no bad cksum",
      ignore: !HAVE_TCPDUMP,
      fn: async () => {
        const frames = builtFrames();
        for (const nanosecond of [false, true]) {
          for (const bigEndian of [false, true]) {
            const path = `${dir}/built-${nanosecond ? "ns" : "us"}-${bigEndian ? "be" : "le"}.pcap`;
            const w = await PcapWriter.create(path, { nanosecond, bigEndian });
            for (const [i, f] of frames.entries()) {
              await w.write(1_700_000_000_000_000_000n + BigInt(i) * 1_001n, f);
            }
            await w.close();
            const text = await tcpdump(["-nn", "-vv", "-r", path]);
            deepStrictEqual(packets(text).length, frames.length, text);
            ok(!/bad cksum|incorrect|\[\|/.test(text), text);
            await assertShowAgrees(path, nanosecond);
          }
        }
      },
    });

    await t.step({
      name: "frames cut by the snap length: same text as tcpdump, each marked truncated",
      ignore: !HAVE_TCPDUMP,
      fn: async () => {
        const frames = builtFrames();
        for (const snaplen of [30, 40, 50, 56, 60, 64, 80]) {
          const path = `${dir}/snap${snaplen}.pcap`;
          const w = await PcapWriter.create(path, { snaplen });
          for (const f of frames) await w.write(1_700_000_000_000_000_000n, f);
          await w.close();
          await assertShowAgrees(path);
          const marked = (await labShow(path, false)).map((l) =>
            l.includes(`[truncated: ${snaplen} of `)
          );
          deepStrictEqual(marked, frames.map((f) => f.length > snaplen));
        }
      },
    });

    await t.step({
      name: "lab pcap show agrees with tcpdump on the shipped loopback capture",
      ignore: !HAVE_TCPDUMP,
      fn: () => assertShowAgrees(FIXTURE),
    });

    await t.step({
      name: "a nanosecond pcap written by tcpdump reads the same as its microsecond source",
      ignore: !HAVE_TCPDUMP,
      fn: async () => {
        const path = `${dir}/loopback-ns.pcap`;
        await tcpdump(["-r", FIXTURE, "--time-stamp-precision=nano", "-w", path]);
        const head = (await Deno.readFile(path)).subarray(0, 4);
        deepStrictEqual([...head], [0x4d, 0x3c, 0xb2, 0xa1]); // little-endian nanosecond magic
        await assertShowAgrees(path, true);
        const strip = (l: string) => l.replace(/^(\S+\.\d{6})000 /, "$1 ");
        deepStrictEqual((await labShow(path, false)).map(strip), await labShow(FIXTURE, false));
      },
    });

    const live = HAVE_TCPDUMP
      ? await captureLoopback(`${dir}/live.pcap`)
      : { ok: false, reason: "no tcpdump" };
    if (!live.ok) {
      console.log(`tests/pcap/tcpdump_test.ts: live loopback capture ignored: ${live.reason}`);
    }
    await t.step({
      name: "lab pcap show agrees with tcpdump on a fresh loopback capture",
      ignore: !live.ok,
      fn: async () => {
        const lines = await labShow(`${dir}/live.pcap`, false);
        ok(lines.some((l) => l.includes("UDP, length 5")), lines.join("\n"));
        ok(lines.some((l) => l.includes("Flags [P.]") && l.includes("length 5")), lines.join("\n"));
        await assertShowAgrees(`${dir}/live.pcap`);
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
