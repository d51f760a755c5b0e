import assert from "node:assert/strict";
import fc from "fast-check";
import { assertSnapshot } from "../tests/_snapshot.ts";
import { syntheticResult } from "./_fixture.ts";
import {
  formatProblems,
  parseResult,
  readResultFile,
  ResultFileError,
  validateResult,
  validateRun,
} from "./validate.ts";
import { resultJsonText } from "./writer.ts";

// deno-lint-ignore no-explicit-any
type Mutable = Record<string, any>;

function broken(): Mutable {
  return structuredClone(
    syntheticResult({ clients: [8, 16], repetitions: 1, samples: 50 }),
  ) as Mutable;
}

function fileError(fn: () => unknown): ResultFileError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ResultFileError, `expected ResultFileError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ResultFileError");
}

Deno.test("validateResult", async (t) => {
  await t.step("accepts a well-formed result", () => {
    assert.deepEqual(validateResult(syntheticResult({ samples: 50 })), []);
  });

  await t.step("reports every problem with its path (snapshot)", async () => {
    const doc = broken();
    doc.context.gitSha = "HEAD";
    doc.context.startedAt = "yesterday";
    doc.context.seeds[0] = 1.5;
    doc.context.extra = true;
    doc.complete = "yes";
    const run0 = doc.runs[0];
    run0.clock = "cpu";
    run0.params.clients = "32";
    run0.params["bad name"] = 1;
    run0.metrics.tps = { value: -1, unit: "tps" };
    run0.metrics.latency.p99 = 1;
    run0.metrics.latency.count = 7;
    run0.metrics.drops = { rx_ring_full: -3 };
    run0.metrics.queues = [{ rx_packets: { value: 1, unit: "packets" } }];
    const run1 = doc.runs[1];
    run1.metrics.latency.histogram = "not base64!";
    run1.seed = 999;
    delete run1.repetition;
    doc.runs.push(structuredClone(doc.runs[2]));
    const problems = validateResult(doc);
    await assertSnapshot(import.meta.url, "problems", formatProblems(problems));
  });

  await t.step("refuses newer schema versions and foreign documents", () => {
    assert.match(
      validateResult({ schemaVersion: 2 })[0]?.message ?? "",
      /newer than this lab reads \(1\); update the lab/,
    );
    assert.match(validateResult({ runs: [] })[0]?.message ?? "", /does not look like/);
    assert.deepEqual(validateResult([1]), [{
      path: "$",
      message: "must be an object, got an array",
    }]);
  });

  await t.step("requires the same parameter to keep one type across runs", () => {
    const doc = broken();
    doc.runs[1].params.payload = "big";
    const problems = validateResult(doc);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.path, "$.runs[1].params.payload");
    assert.match(problems[0]?.message ?? "", /a parameter keeps one type/);
  });

  await t.step("never throws on mutated documents (property)", () => {
    const base = broken();
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v !== null && typeof v === "object") {
        paths.push(path);
        for (const k of Object.keys(v)) walk((v as Mutable)[k], [...path, k]);
      } else {
        paths.push(path);
      }
    };
    walk(base, []);
    const junk = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.double(),
      fc.string(),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), junk, (path, value) => {
        const doc = structuredClone(base);
        let parent: Mutable = doc;
        for (const k of path.slice(0, -1)) parent = parent[k];
        const last = path[path.length - 1] as string;
        if (value === undefined) delete parent[last];
        else parent[last] = value;
        const problems = validateResult(doc);
        for (const p of problems) assert.match(p.path, /^\$/);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  await t.step("validateRun checks a run on its own", () => {
    const run = broken().runs[0];
    assert.deepEqual(validateRun(run), []);
    run.stack = "a,b";
    assert.equal(validateRun(run, "$.runs[5]")[0]?.path, "$.runs[5].stack");
  });
});

Deno.test("reading result files", async (t) => {
  const text = resultJsonText(syntheticResult({ clients: [8], repetitions: 1, samples: 20 }));

  await t.step("parses its own canonical output", () => {
    assert.equal(parseResult(text, "r.json").runs.length, 2);
  });

  await t.step("names the file and the problem for empty, truncated and non-JSON text", () => {
    assert.equal(
      fileError(() => parseResult("  \n", "empty.json")).message,
      'Result file "empty.json" is invalid: the file is empty',
    );
    assert.match(
      fileError(() => parseResult(text.slice(0, 200), "cut.json")).message,
      /^Result file "cut.json" is invalid: the JSON ends early \(truncated file\?\)/,
    );
    assert.match(
      fileError(() => parseResult("tps,12\n", "x.csv")).message,
      /^Result file "x.csv" is invalid: the file is not valid JSON/,
    );
  });

  await t.step("every truncation gives a ResultFileError, never a crash (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 2 }), (n) => {
        fileError(() => parseResult(text.slice(0, n), "cut.json"));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step(
    "flipped characters give problems or a valid result, never a crash (property)",
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: text.length - 1 }),
          fc.constantFrom("0", "A", "}", '"', "x", "-"),
          (at, ch) => {
            const mutated = text.slice(0, at) + ch + text.slice(at + 1);
            try {
              parseResult(mutated, "m.json");
            } catch (err) {
              assert.ok(err instanceof ResultFileError, String(err));
            }
          },
        ),
        { seed: 42, numRuns: 150 },
      );
    },
  );

  await t.step("reports missing files, directories and non-UTF-8 bytes by name", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const bin = `${dir}/bin.json`;
      await Deno.writeFile(bin, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
      const cases: [string, string][] = [
        [`${dir}/none.json`, "no such file"],
        [dir, "it is a directory; give a result .json file"],
        [bin, "the file is not UTF-8 text"],
      ];
      for (const [path, message] of cases) {
        await assert.rejects(readResultFile(path), (err: unknown) => {
          assert.ok(err instanceof ResultFileError);
          assert.equal(err.message, `Result file "${path}" is invalid: ${message}`);
          return true;
        });
      }
      const good = `${dir}/good.json`;
      await Deno.writeTextFile(good, text);
      assert.equal((await readResultFile(good)).runs.length, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
