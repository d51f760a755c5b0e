import assert from "node:assert/strict";
import { decodePcap, encodePcap } from "../../stack/packet/pcap/mod.ts";
import { loUdp, mcUdp, payloadOf, records } from "../replay/_frames_test_util.ts";
import { runCaptured } from "./_io.ts";
import { replayCommand } from "./replay.ts";

Deno.test("lab replay", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "lab-replay-" });
  const input = `${dir}/in.pcap`;
  const output = `${dir}/out.pcap`;
  await Deno.writeFile(
    input,
    encodePcap(records([
      loUdp(40000, 11211, mcUdp(1, "set k 0 0 2\r\nhi\r\n")),
      loUdp(40000, 11211, mcUdp(2, "get k nothere\r\n")),
    ])),
  );

  await t.step("writes the transmitted frames and one summary line", async () => {
    const io = await runCaptured(replayCommand, [
      "--app",
      "memcached",
      "--ip",
      "127.0.0.1",
      "--mac",
      "00:00:00:00:00:00",
      input,
      output,
    ]);
    assert.match(
      io.text,
      /^read 2, fed 2, skipped 0 .*transmitted \d+, dropped 0, checksums fixed 2, bad 0/,
    );
    const { records: out } = decodePcap(await Deno.readFile(output));
    const texts = out.map((r) => payloadOf(r.data).text.slice(8)).join("");
    assert.equal(texts, "STORED\r\nVALUE k 0 2\r\nhi\r\nEND\r\n");
  });

  await t.step("--json prints the summary as an object", async () => {
    const io = await runCaptured(replayCommand, [
      "--app=echo",
      "--ip=127.0.0.1",
      "--json",
      input,
      output,
    ]);
    const s = JSON.parse(io.text);
    assert.equal(s.read, 2);
    assert.equal(s.skippedOtherHost, 0);
    assert.ok(s.drops.length > 0, "frames to 127.0.0.1 with a MAC not ours are dropped by L2");
  });

  await t.step("bad arguments are refused with the allowed values", async () => {
    await assert.rejects(
      runCaptured(replayCommand, ["--app", "redis", "--ip", "127.0.0.1", input, output]),
      /--app must be memcached or echo, got "redis"/,
    );
    await assert.rejects(
      runCaptured(replayCommand, ["--app", "echo", "--ip", "1.2.3", input, output]),
      /--ip must be an IPv4 address/,
    );
    await assert.rejects(
      runCaptured(replayCommand, ["--app", "echo", "--ip", "1.2.3.4", `${dir}/none.pcap`, output]),
      /Cannot read capture/,
    );
  });
  await Deno.remove(dir, { recursive: true });
});
