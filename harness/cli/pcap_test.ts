import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { pcapCommand } from "./pcap.ts";
import { runCaptured } from "./_io.ts";
import { encodePcap } from "../../stack/packet/pcap/mod.ts";

const FIXTURE = new URL("../../tests/pcap/loopback.pcap", import.meta.url).pathname;
const CLI = new URL("../cli.ts", import.meta.url).pathname;

async function run(args: string[]): Promise<string> {
  return (await runCaptured(pcapCommand, args)).text;
}

Deno.test("lab pcap", async (t) => {
  await t.step("show prints one line per frame of the loopback capture", async () => {
    const lines = (await run(["show", FIXTURE])).trimEnd().split("\n");
    deepStrictEqual(lines.length, 11);
    deepStrictEqual(
      lines[0],
      "02:14:57.856293 IP 127.0.0.1.43694 > 127.0.0.1.47001: UDP, length 5 [bad udp cksum]",
    );
    deepStrictEqual(
      lines[2],
      "02:14:57.856643 IP 127.0.0.1 > 127.0.0.1: ICMP 127.0.0.1 udp port 47003 unreachable, length 42",
    );
  });

  await t.step("show -e -c 1 prints the link header of the first frame only", async () => {
    deepStrictEqual(
      await run(["show", FIXTURE, "-e", "-c", "1"]),
      "02:14:57.856293 00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype IPv4 (0x0800), length 47: 127.0.0.1.43694 > 127.0.0.1.47001: UDP, length 5 [bad udp cksum]\n",
    );
  });

  await t.step("stats --json reports the capture", async () => {
    const r = JSON.parse(await run(["stats", FIXTURE, "--json", "--top", "1"]));
    deepStrictEqual([r.frames, r.wireBytes, r.flows, r.topFlows.length], [11, 720, 4, 1]);
    deepStrictEqual(r.protocols.tcp, 8);
    deepStrictEqual(r.badChecksums, { ipv4: 0, udp: 2, tcp: 8, icmp: 0 });
    deepStrictEqual([r.linkType, r.nanosecond, r.first], [1, false, "2026-11-22T02:14:57.856293Z"]);
  });

  await t.step("stats prints text", async () => {
    const text = await run(["stats", FIXTURE]);
    ok(text.includes("frames:         11\n"), text);
    ok(text.includes("icmp 127.0.0.1 <-> 127.0.0.1: 1 packet, 76 bytes"), text);
  });

  await t.step("bad arguments and files give specific errors", async () => {
    await rejects(run(["show", FIXTURE, "-c", "0"]), /--count must be an integer >= 1, got "0"/);
    await rejects(
      run(["show", "/nonexistent/x.pcap"]),
      /Cannot open pcap file "\/nonexistent\/x.pcap": no such file/,
    );
    const dir = await Deno.makeTempDir();
    try {
      const ng = `${dir}/x.pcapng`;
      await Deno.writeFile(
        ng,
        Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a),
      );
      await rejects(run(["stats", ng]), /pcapng file .*editcap -F pcap/);
      const raw = `${dir}/raw.pcap`;
      await Deno.writeFile(raw, encodePcap([], { linkType: 101 }));
      await rejects(run(["show", raw]), /link type RAW/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  await t.step("the real CLI prints frames, then the damage and exits 1", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cut = `${dir}/cut.pcap`;
      await Deno.writeFile(cut, (await Deno.readFile(FIXTURE)).slice(0, 300));
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", CLI, "pcap", "show", cut],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const out = new TextDecoder().decode(r.stdout);
      const err = new TextDecoder().decode(r.stderr);
      deepStrictEqual(r.code, 1);
      deepStrictEqual(out.trimEnd().split("\n").length, 3);
      ok(
        err.includes(
          "record 3 at byte offset 243 truncated: header says 74 captured bytes, only 41 present",
        ),
        err,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
