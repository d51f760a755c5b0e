import assert from "node:assert/strict";
import { decodePcap } from "../../stack/packet/pcap/mod.ts";
import { tcpCommand } from "./tcp.ts";
import { runCaptured } from "./_io.ts";

async function run(args: string[]): Promise<string> {
  return (await runCaptured(tcpCommand, args)).text;
}

Deno.test("lab tcp", async (t) => {
  await t.step(
    "transfer over a lossy link completes with intact streams and writes a pcap",
    async () => {
      const path = await Deno.makeTempFile({ suffix: ".pcap" });
      try {
        const text = await run([
          "transfer",
          "--up",
          "30000",
          "--down",
          "5000",
          "--loss",
          "0.1",
          "--jitter-us",
          "100",
          "--seed",
          "3",
          "--pcap",
          path,
        ]);
        assert.match(
          text,
          /result: completed; streams intact \(up 30000\/30000, down 5000\/5000\)/,
        );
        assert.match(text, /^retransmits +\d+ +\d+ /m);
        assert.match(
          text,
          /^bytes-sent +30000 +5000 /m,
          "first transmissions count every byte once",
        );
        const n = Number(/wrote (\d+) frames/.exec(text)?.[1]);
        const { records } = decodePcap(await Deno.readFile(path));
        assert.equal(records.length, n);
        assert.ok(n > 30);
      } finally {
        await Deno.remove(path);
      }
    },
  );

  await t.step("counters lists every counter with its kind", async () => {
    const text = await run(["counters"]);
    assert.match(text, /^ +22 +no-socket +drop +No connection or listener/m);
    assert.match(text, /^ +0 +segments-in +stat /m);
  });

  await t.step("bad options are refused with the allowed range", async () => {
    await assert.rejects(
      () => run(["transfer", "--loss", "2"]),
      /--loss must be a number in 0..0.5, got "2"/,
    );
  });
});
