/**
 * Opens the HTML report in headless Chromium and checks that every figure renders (vega-embed
 * resolves and draws an SVG). Skipped, with the reason printed, where Chromium is not installed
 * (`apt-get install -y chromium`).
 *
 * @module
 */
import assert from "node:assert/strict";
import { writeReport } from "./report.ts";

const EXAMPLE = new URL("./testdata/synthetic_result.json", import.meta.url).pathname;
const SLOWER = new URL("./testdata/synthetic_slower.json", import.meta.url).pathname;

async function chromiumPath(): Promise<string | null> {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const { success } = await new Deno.Command(name, { args: ["--version"], stdout: "null" })
        .output();
      if (success) return name;
    } catch {
      // Not installed under this name.
    }
  }
  return null;
}

const chromium = await chromiumPath();
if (chromium === null) {
  console.log("report_browser_test: skipped, no Chromium found (apt-get install -y chromium)");
}

Deno.test({
  name: "HTML report in headless Chromium",
  ignore: chromium === null,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      await t.step("every figure renders to SVG", async () => {
        const out = `${dir}/report.html`;
        await writeReport([SLOWER], out, { baseline: EXAMPLE });
        const { stdout, success } = await new Deno.Command(chromium ?? "chromium", {
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            `--user-data-dir=${dir}/profile`,
            "--virtual-time-budget=20000",
            "--dump-dom",
            `file://${out}`,
          ],
          stdout: "piped",
          stderr: "null",
          signal: AbortSignal.timeout(120_000),
        }).output();
        assert.ok(success, "chromium exited with an error");
        const dom = new TextDecoder().decode(stdout);
        assert.match(dom, /<body[^>]* data-figures="4"/);
        assert.match(dom, /<body[^>]* data-figures-failed="0"/);
        assert.equal([...dom.matchAll(/<svg[^>]*class="marks"/g)].length, 4);
        assert.equal([...dom.matchAll(/class="figure[^"]*\berror\b/g)].length, 0);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
