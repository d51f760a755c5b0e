import assert from "node:assert/strict";
import { assertSnapshot } from "../tests/_snapshot.ts";
import { syntheticResult } from "./_fixture.ts";
import { formatSummary } from "./summary.ts";
import { groupDigits, nsToUs } from "./_table.ts";

Deno.test("summary table", async (t) => {
  const result = syntheticResult();

  await t.step("one aligned row per stack and point (snapshot)", async () => {
    const text = formatSummary(result);
    await assertSnapshot(import.meta.url, "synthetic", text);
    const lines = text.split("\n").filter((l) => l.startsWith("stack-"));
    assert.equal(lines.length, 8);
    const header = text.split("\n").find((l) => l.startsWith("stack "));
    assert.ok(header !== undefined);
    for (const l of lines) assert.equal(l.length, header.length);
  });

  await t.step("marks partial results and results without runs", () => {
    const partial = { ...result, complete: false, runs: [] };
    const text = formatSummary(partial);
    assert.match(
      text,
      /^Result: PARTIAL \(experiment still running or interrupted\), 0 runs so far/,
    );
    assert.match(text, /\(no runs yet\)/);
  });

  await t.step("shows a dash for points without latency samples", () => {
    const run = result.runs[0];
    assert.ok(run !== undefined);
    const text = formatSummary({
      ...result,
      runs: [{ ...run, metrics: { ...run.metrics, latency: null } }],
    });
    assert.match(text, /stack-a\s+8\s+64\s+1\s+simulated\s+[\d,]+\s+0\s+-\s+-\s+-\s+0\s+0/);
  });

  await t.step("formats numbers without locale", () => {
    assert.equal(groupDigits(1234567.891), "1,234,568");
    assert.equal(groupDigits(-1234.5, 1), "-1,234.5");
    assert.equal(groupDigits(999), "999");
    assert.equal(nsToUs(12_345), "12.35");
  });
});
