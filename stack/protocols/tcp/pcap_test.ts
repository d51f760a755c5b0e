/**
 * The engine's segments on the wire: a lossy connection (handshake, data both ways, a
 * retransmission, close) is framed, written as a pcap with `stack/packet/pcap/`, and read back
 * by tcpdump, which must decode every segment with a correct checksum and the same flags,
 * sequence numbers and options. A real Linux peer is out of reach without raw sockets (Deno's
 * `Deno.connect` hands over a byte stream, never segments), so tcpdump is the outside check.
 * Without tcpdump the step is ignored with a printed reason.
 */
import assert from "node:assert/strict";
import { parseIpv4, parseMac } from "../../packet/addr.ts";
import { encodePcap } from "../../packet/pcap/mod.ts";
import { TcpEngine } from "./engine.ts";
import { frameTcpSegment } from "./frame.ts";
import { FakeClock, flagText, Net, type TimedSeg } from "./_test_net.ts";

const CLIENT_IP = parseIpv4("10.1.0.1");
const SERVER_IP = parseIpv4("10.1.0.2");
const MACS = [parseMac("02:00:00:00:00:01"), parseMac("02:00:00:00:00:02")] as const;
const EPOCH_NS = 1_700_000_000_000_000_000n;

async function haveTcpdump(): Promise<boolean> {
  try {
    const r = await new Deno.Command("tcpdump", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return r.success;
  } catch {
    return false;
  }
}

const HAVE_TCPDUMP = await haveTcpdump();
if (!HAVE_TCPDUMP) {
  console.log("stack/protocols/tcp/pcap_test.ts: tcpdump is not installed, ignored");
}

function conversation(): TimedSeg[] {
  const clock = new FakeClock();
  const c = new TcpEngine({ clock: clock.read, timeWaitNs: 1_000_000_000 });
  const s = new TcpEngine({ clock: clock.read, timeWaitNs: 1_000_000_000 });
  let dropped = false;
  const net = new Net([c, s], clock, {
    // Lose the first data segment from the client once: tcpdump must show it twice.
    dropIf: (x) => x.from === 0 && x.payload.length > 0 && !dropped && (dropped = true),
  });
  const l = s.listen(80);
  const cid = c.connect(CLIENT_IP, SERVER_IP, 80, 40000);
  net.run();
  const sid = s.accept(l);
  c.send(cid, new TextEncoder().encode("GET /index.html HTTP/1.0\r\n\r\n"));
  net.run();
  const buf = new Uint8Array(4096);
  s.recv(sid, buf);
  s.send(sid, new Uint8Array(3000).fill(0x41));
  s.shutdown(sid);
  net.run();
  while (c.recv(cid, buf) > 0);
  c.close(cid);
  s.close(sid);
  net.run();
  return net.trace;
}

Deno.test({
  name: "tcpdump reads the engine's segments",
  ignore: !HAVE_TCPDUMP,
  fn: async () => {
    const trace = conversation();
    const frames = trace.map((seg) => {
      const out = new Uint8Array(34 + seg.bytes.length);
      const n = frameTcpSegment(seg.bytes, 0, seg.bytes.length, seg.srcIp, seg.dstIp, out, 0, {
        srcMac: MACS[seg.from] ?? MACS[0],
        dstMac: MACS[1 - seg.from] ?? MACS[1],
      });
      return { tsNs: EPOCH_NS + BigInt(seg.time), data: out.subarray(0, n) };
    });
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await Deno.writeFile(path, encodePcap(frames, { nanosecond: true }));
      const r = await new Deno.Command("tcpdump", {
        args: ["-r", path, "-nn", "-S", "-vv", "-tt"],
        stdout: "piped",
        stderr: "piped",
        env: { TZ: "UTC" },
      }).output();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const text = new TextDecoder().decode(r.stdout);
      const lines = text.split("\n").filter((x) => x.includes(" > ") && x.includes("Flags"));
      assert.equal(lines.length, trace.length, text);
      const tcpdumpFlags: Record<string, string> = {
        S: "[S]",
        SA: "[S.]",
        A: "[.]",
        PA: "[P.]",
        FA: "[F.]",
        FPA: "[FP.]",
        RA: "[R.]",
        R: "[R]",
      };
      for (const [i, seg] of trace.entries()) {
        const line = lines[i] ?? "";
        assert.match(line, /cksum 0x[0-9a-f]{4} \(correct\)/, line);
        assert.ok(
          line.includes(`Flags ${tcpdumpFlags[flagText(seg.flags)]}`),
          `${flagText(seg.flags)}: ${line}`,
        );
        const seqText = seg.payload.length > 0
          ? `seq ${seg.seq}:${(seg.seq + seg.payload.length) >>> 0}`
          : `seq ${seg.seq}`;
        assert.ok(line.includes(seqText), `${seqText}: ${line}`);
        if (seg.flags & 0x10) assert.ok(line.includes(`ack ${seg.ack}`), line);
      }
      assert.match(lines[0] ?? "", /options \[mss 1460,nop,wscale 7\]/);
      assert.match(lines[1] ?? "", /options \[mss 1460,nop,wscale 7\]/);
      assert.doesNotMatch(text, /bad|incorrect|truncated/i);
      const firstData = lines.filter((x) =>
        x.includes("10.1.0.1.40000 > ") && /length 28\b/.test(x)
      );
      assert.equal(
        firstData.length,
        2,
        "the lost request appears twice (original and retransmission)",
      );
    } finally {
      if (Deno.env.get("TCP_PCAP_KEEP") === undefined) await Deno.remove(path);
      else console.log(path);
    }
  },
});
