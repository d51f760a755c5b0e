import assert from "node:assert/strict";
import { resultsCommand } from "./results.ts";
import { CaptureIo, runCaptured } from "./_io.ts";

const EXAMPLE = new URL("../../results/testdata/synthetic_result.json", import.meta.url).pathname;
const SLOWER = new URL("../../results/testdata/synthetic_slower.json", import.meta.url).pathname;

async function run(args: string[], sink = new CaptureIo()): Promise<string> {
  return (await runCaptured(resultsCommand, args, sink)).text;
}

Deno.test("lab results", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("show prints the summary table", async () => {
      const text = await run(["show", EXAMPLE]);
      assert.match(text, /^Result: complete, 16 runs\n/);
      assert.match(text, /\nstack-b\s+32\s+64\s+2\s+simulated\s+724,314/);
    });

    await t.step("validate says ok or lists every problem and fails", async () => {
      assert.match(await run(["validate", EXAMPLE]), /: ok \(schema 1, 16 runs, complete\)\n$/);
      const bad = `${dir}/bad.json`;
      await Deno.writeTextFile(bad, JSON.stringify({ schemaVersion: 1, complete: 1 }));
      const sink = new CaptureIo();
      await assert.rejects(
        run(["validate", bad], sink),
        /Result file ".*bad\.json" is invalid: 3 problems/,
      );
      assert.match(
        sink.text,
        /: 3 problems\n {2}\$\.context: is missing\n {2}\$\.runs: is missing\n {2}\$\.complete: must be true or false, got the number 1\n$/,
      );
    });

    await t.step("show fails with the file name on a truncated file", async () => {
      const cut = `${dir}/cut.json`;
      await Deno.writeTextFile(cut, (await Deno.readTextFile(EXAMPLE)).slice(0, 500));
      await assert.rejects(
        run(["show", cut]),
        /Result file ".*cut\.json" is invalid: the JSON ends early/,
      );
    });

    await t.step("csv prints the tidy CSV or writes it", async () => {
      const text = await run(["csv", EXAMPLE]);
      assert.match(
        text,
        /^run,stack,repetition,seed,clock,param\.clients,param\.payload,metric,unit,value\n/,
      );
      const path = `${dir}/r.csv`;
      assert.equal(await run(["csv", EXAMPLE, "--out", path]), `Wrote ${path}\n`);
      assert.equal(await Deno.readTextFile(path), text);
    });

    await t.step("plot writes the figures", async () => {
      const text = await run(["plot", EXAMPLE, "--out", `${dir}/plots`, "--where", "clients=32"]);
      assert.match(text, /Wrote .*throughput\.svg\n/);
      const ffi = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
      assert.match(
        text,
        ffi ? /Wrote .*latency_cdf\.png\n/ : /^skipped: PNG rendering needs --allow-ffi/,
      );
      const csv = await Deno.readTextFile(`${dir}/plots/latency_cdf.csv`);
      assert.deepEqual(
        [...new Set(csv.trim().split("\n").slice(1).map((l) => l.split(",")[0]))],
        ["stack-a", "stack-b"],
      );
      await assert.rejects(
        run(["plot", EXAMPLE, "--out", dir, "--where", "clients"]),
        /--where must be name=value/,
      );
    });

    await t.step("compare prints verdicts and gates only when asked", async () => {
      const text = await run(["compare", EXAMPLE, SLOWER]);
      assert.match(text, /gating regressions: 32\n$/);
      await assert.rejects(run(["compare", EXAMPLE, SLOWER, "--gate"]), /32 gating regressions/);
      assert.match(await run(["compare", EXAMPLE, EXAMPLE, "--gate"]), /0 regressed, 48 unchanged/);
      await assert.rejects(
        run(["compare", EXAMPLE, SLOWER, "--sim-tolerance", "-1"]),
        /--sim-tolerance must be a number >= 0, got "-1"/,
      );
    });

    await t.step("report writes one HTML page and names a corrupt input", async () => {
      const out = `${dir}/html/report.html`;
      const text = await run(["report", SLOWER, "--baseline", EXAMPLE, "--out", out]);
      assert.equal(text, `Wrote ${out}\n`);
      const html = await Deno.readTextFile(out);
      assert.match(html, /^<!DOCTYPE html>/);
      assert.equal([...html.matchAll(/class="vl-spec"/g)].length, 4);
      assert.match(html, /gating regressions: 32<\/p>/);
      const cut = `${dir}/cut2.json`;
      await Deno.writeTextFile(cut, '{"schemaVersion": 1,');
      await assert.rejects(
        run(["report", EXAMPLE, cut, "--out", `${dir}/bad.html`]),
        /Result file ".*cut2\.json" is invalid/,
      );
      await assert.rejects(run(["report", EXAMPLE]), /required option '--out <html>'/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
