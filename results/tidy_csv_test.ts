import assert from "node:assert/strict";
import fc from "fast-check";
import { syntheticResult } from "./_fixture.ts";
import {
  parseTidyCsv,
  resultToTidyCsv,
  stringifyTidyRows,
  TidyCsvError,
  tidyRows,
} from "./tidy_csv.ts";
import type { TidyRow } from "./tidy_csv.ts";

function csvError(fn: () => unknown): TidyCsvError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TidyCsvError, String(err));
    return err;
  }
  assert.fail("expected a TidyCsvError");
}

Deno.test("tidy CSV", async (t) => {
  const result = syntheticResult({ clients: [8, 16], repetitions: 2, samples: 50 });

  await t.step("has one row per run x metric, in a fixed column order", () => {
    const rows = tidyRows(result);
    const perRun = 1 + 9 + 1 + 1 + 4 + 1 + 1; // tps, latency, drops, timeouts, queues, core, other
    assert.equal(rows.length, result.runs.length * perRun);
    const csv = resultToTidyCsv(result);
    assert.equal(
      csv.split("\n")[0],
      "run,stack,repetition,seed,clock,param.clients,param.payload,metric,unit,value",
    );
    assert.match(csv, /\n0,stack-a,0,43,simulated,8,64,tps,1\/s,\d+\n/);
    assert.match(csv, /,core\.0\.busy,fraction,0\.2\n/);
  });

  await t.step("reads back to the same rows", () => {
    const rows = tidyRows(result);
    assert.deepEqual(parseTidyCsv(resultToTidyCsv(result), "r.csv"), rows);
  });

  await t.step("round-trips arbitrary rows, parameters and values (property)", () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
    const label = fc.stringMatching(/^[A-Za-zé][A-Za-z0-9 é;:'-]{0,8}[A-Za-z]$/);
    const row = fc.record({
      run: fc.nat(1000),
      stack: label,
      repetition: fc.nat(20),
      seed: fc.nat(),
      clock: fc.constantFrom("simulated" as const, "wall" as const),
      params: fc.dictionary(
        name,
        fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), label),
        {
          maxKeys: 3,
        },
      ),
      metric: fc.constantFrom("tps", "latency.p99", "drops.rx_ring_full"),
      unit: fc.constantFrom("1/s" as const, "ns" as const, "count" as const),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows: TidyRow[]) => {
        const normal = rows.map((r) => ({
          ...r,
          value: Object.is(r.value, -0) ? 0 : r.value,
          params: Object.fromEntries(
            Object.entries(r.params).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]),
          ),
        }));
        assert.deepEqual(parseTidyCsv(stringifyTidyRows(rows), "p.csv"), normal);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("names the file, line and column of every bad cell", () => {
    const text = [
      "run,stack,repetition,seed,clock,param.clients,metric,unit,value",
      "0,a,0,1,simulated,8,tps,1/s,10",
      "x,a,0,1,cpu,8,tps,tps,ten",
      "1,a,0",
    ].join("\n");
    const err = csvError(() => parseTidyCsv(text, "bad.csv"));
    assert.deepEqual(err.problems.map((p) => p.path), [
      'line 3, column "run"',
      'line 3, column "clock"',
      'line 3, column "unit"',
      'line 3, column "value"',
      "line 4",
    ]);
    assert.match(err.message, /^Tidy CSV "bad.csv" has 5 problems:/);
  });

  await t.step("rejects a foreign header, an empty file and broken quoting", () => {
    assert.match(
      csvError(() => parseTidyCsv("a,b,c\n1,2,3\n", "x.csv")).message,
      /line 1: header is "a,b,c"; expected run,stack,repetition,seed,clock,param\.<name>\.\.\.,metric,unit,value/,
    );
    assert.match(csvError(() => parseTidyCsv("", "e.csv")).message, /the file is empty/);
    assert.match(csvError(() => parseTidyCsv('run,"stack\n', "q.csv")).message, /cannot be parsed/);
  });
});
