import assert from "node:assert/strict";
import { nicCommand } from "./nic.ts";
import { runCaptured } from "./_io.ts";
import { encodePcap } from "../../stack/packet/pcap/mod.ts";
import { buildTestFrame } from "../../nicmodels/_shared/_test_frames.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(nicCommand, args)).text;
}

Deno.test("lab nic", async (t) => {
  const dir = await Deno.makeTempDir();
  const pcap = `${dir}/in.pcap`;
  const flow = { proto: 17, srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };
  const frames = [
    buildTestFrame(flow),
    buildTestFrame({ ...flow, dstPort: 80 }),
    buildTestFrame({ ...flow, proto: 6, tcpFlags: 0x02 }),
  ];
  const bad = buildTestFrame(flow);
  bad[40] = (bad[40] ?? 0) ^ 0xff; // corrupt the UDP checksum
  frames.push(bad);
  await Deno.writeFile(
    pcap,
    encodePcap(frames.map((data, i) => ({ tsNs: BigInt(i) * 1000n, data }))),
  );
  const cfg = `${dir}/nic.json`;
  await Deno.writeTextFile(
    cfg,
    JSON.stringify({
      queues: 4,
      rss: null,
      settings: { fdirMode: "perfect" },
      filters: [
        { table: "five-tuple", match: { proto: 17, dstPort: 11211 }, queue: 2, priority: 1 },
        { table: "syn", match: { tcpSyn: true }, queue: 3 },
      ],
    }),
  );

  await t.step("classify prints the queue, rule and checksum status of every frame", async () => {
    const lines = (await run(["classify", "intel-82599", pcap, "--config", cfg, "--counters"]))
      .trimEnd().split("\n");
    assert.equal(lines[0], "0  queue 2  filter  five-tuple[0]  csum ip-ok,l4-ok");
    assert.equal(lines[1], "1  queue 0  default  csum ip-ok,l4-ok");
    assert.equal(lines[2], "2  queue 3  filter  syn[0]  csum ip-ok,l4-ok");
    assert.equal(lines[3], "3  queue 2  filter  five-tuple[0]  csum ip-ok,l4-bad");
    assert.equal(lines[4], "-- queue 0: 1, queue 2: 2, queue 3: 1");
    assert.ok(lines.includes("     five-tuple[0]_hits: 2"));
  });

  await t.step("classify without a config uses the NIC's default (RSS)", async () => {
    const lines = (await run(["classify", "rss", pcap])).trimEnd().split("\n");
    assert.match(
      lines[0] ?? "",
      /^0 {2}queue \d+ {2}rss {2}hash 0x[0-9a-f]{8} {2}csum ip-ok,l4-ok$/,
    );
  });

  await t.step("validate reports every problem and fails", async () => {
    const badCfg = `${dir}/bad.json`;
    await Deno.writeTextFile(
      badCfg,
      JSON.stringify({
        queues: 4,
        filters: [{ table: "five-tuple", match: { srcIp: "10.0.0.0/24" }, queue: 9, priority: 9 }],
      }),
    );
    await assert.rejects(
      () => run(["validate", "intel-82599", "--config", badCfg]),
      /3 problem\(s\)[\s\S]*Queue 9 is not configured[\s\S]*priority 1\.\.7, got 9[\s\S]*needs a \/24 mask/,
    );
    assert.match(
      await run(["validate", "intel-82599", "--config", cfg]),
      /ok \(2 filters, 4 queues\)/,
    );
  });

  await t.step("clear errors for an unknown NIC, a missing file and malformed JSON", async () => {
    await assert.rejects(
      () => run(["caps", "e1000"]),
      /Unknown NIC "e1000": allowed are intel-82599, solarflare-sfc9020, rss/,
    );
    await assert.rejects(
      () => run(["classify", "rss", `${dir}/none.pcap`]),
      /Cannot open pcap file ".*none\.pcap": no such file/,
    );
    await assert.rejects(
      () => run(["validate", "rss", "--config", `${dir}/none.json`]),
      /Cannot read NIC config ".*none\.json": no such file/,
    );
    const junk = `${dir}/junk.json`;
    await Deno.writeTextFile(junk, `{"filters": 3}`);
    await assert.rejects(
      () => run(["classify", "rss", pcap, "--config", junk]),
      /Cannot read NIC config ".*junk\.json": field "filters" must be an array, got 3/,
    );
  });

  await t.step("caps prints each limit with its source", async () => {
    const text = await run(["caps", "intel-82599"]);
    assert.match(
      text,
      /table five-tuple: .*\n {4}capacity: 128 {2}\[nic-models\.md §2\.4; ixgbe IXGBE_MAX_FTQF_FILTERS\]/,
    );
    assert.match(text, /rss max queues: 16 {2}\[nic-models\.md §2\.3/);
  });

  await t.step("show prints the PRG derived from the configuration", async () => {
    const configured = await run(["show", "intel-82599", "--config", cfg]);
    assert.match(configured, /^digraph "intel-82599-prg"/);
    assert.match(configured, /rx\.c\.five-tuple\.f0/, "one filter node per rule");
    assert.doesNotMatch(configured, /Five-tuple filters .*\(128\)/, "no C-node left");
    const dot = await run(["show", "intel-82599", "--config", cfg, "--unconfigured"]);
    assert.match(dot, /^digraph "intel-82599-prg"/);
    assert.match(dot, /Five-tuple filters .*\(128\)/);
    assert.match(dot, /Flow Director perfect \(2046 at PBALLOC 1\)/);
    assert.doesNotMatch(dot, /rx\.c\.rss/, "RSS is off in this configuration");
    const json = JSON.parse(await run(["show", "rss", "--json"]));
    assert.equal(json.name, "rss-prg");
  });

  const hasDot = await new Deno.Command("dot", { args: ["-V"], stderr: "null" }).output()
    .then((o) => o.success, () => false);
  if (!hasDot) console.log("  ignored SVG rendering: Graphviz dot is not installed");
  await t.step({
    name: "show renders the configured PRG to SVG with Graphviz",
    ignore: !hasDot,
    fn: async () => {
      const svg = `${dir}/prg.svg`;
      assert.match(await run(["show", "intel-82599", "--config", cfg, "--svg", svg]), /Wrote/);
      assert.match(await Deno.readTextFile(svg), /<svg/);
    },
  });

  await Deno.remove(dir, { recursive: true });
});
