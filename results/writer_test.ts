import assert from "node:assert/strict";
import { syntheticContext, syntheticResult } from "./_fixture.ts";
import { readResultFile } from "./validate.ts";
import {
  DENO_FILE_OPS,
  type FileOps,
  readTidyCsv,
  resultJsonText,
  ResultWriter,
  writeResultJson,
  writeTextAtomic,
  writeTidyCsv,
} from "./writer.ts";
import { tidyRows } from "./tidy_csv.ts";
import { ResultInputError } from "./run_builder.ts";

const sample = syntheticResult({ clients: [8, 16], repetitions: 1, samples: 50 });

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("result writer", async (t) => {
  await t.step("the same result is byte-identical, whatever the key order in memory", () => {
    const reordered = JSON.parse(JSON.stringify(sample, Object.keys(sample).reverse()));
    assert.equal(resultJsonText(structuredClone(sample)), resultJsonText(sample));
    assert.equal(resultJsonText({ ...reordered, ...sample }), resultJsonText(sample));
    assert.equal(
      resultJsonText(syntheticResult({ clients: [8, 16], repetitions: 1, samples: 50 })),
      resultJsonText(sample),
    );
  });

  await t.step("the committed example files are what the generator writes today", async () => {
    for (
      const [name, options] of [
        ["synthetic_result.json", {}],
        ["synthetic_slower.json", { latencyScale: 1.25 }],
      ] as const
    ) {
      const committed = await Deno.readTextFile(new URL(`./testdata/${name}`, import.meta.url));
      assert.equal(committed, resultJsonText(syntheticResult(options)), name);
    }
  });

  await t.step("JSON and CSV files round-trip", async () => {
    await withDir(async (dir) => {
      await writeResultJson(`${dir}/r.json`, sample);
      await writeTidyCsv(`${dir}/r.csv`, sample);
      assert.deepEqual(await readResultFile(`${dir}/r.json`), sample);
      assert.deepEqual(await readTidyCsv(`${dir}/r.csv`), tidyRows(sample));
      assert.deepEqual(await listDir(dir), ["r.csv", "r.json"]);
    });
  });

  await t.step("writes a valid partial result after every run, then completes it", async () => {
    await withDir(async (dir) => {
      const jsonPath = `${dir}/run.json`;
      const csvPath = `${dir}/run.csv`;
      const writer = await ResultWriter.create(sample.context, { jsonPath, csvPath });
      let onDisk = await readResultFile(jsonPath);
      assert.equal(onDisk.runs.length, 0);
      assert.equal(onDisk.complete, false);
      for (let i = 0; i < sample.runs.length; i++) {
        await writer.add(sample.runs[i] as (typeof sample.runs)[number]);
        onDisk = await readResultFile(jsonPath);
        assert.equal(onDisk.runs.length, i + 1);
        assert.equal(onDisk.complete, false);
        assert.equal((await readTidyCsv(csvPath)).filter((r) => r.metric === "tps").length, i + 1);
      }
      await writer.finish();
      assert.equal(await Deno.readTextFile(jsonPath), resultJsonText(sample));
      await assert.rejects(
        writer.add(sample.runs[0] as (typeof sample.runs)[number]),
        /already finished/,
      );
    });
  });

  await t.step(
    "rejects a repeated run, an unknown seed and an invalid run, keeping the file",
    async () => {
      await withDir(async (dir) => {
        const jsonPath = `${dir}/run.json`;
        const writer = await ResultWriter.create(sample.context, { jsonPath });
        const run = sample.runs[0] as (typeof sample.runs)[number];
        await writer.add(run);
        const before = await Deno.readTextFile(jsonPath);
        await assert.rejects(
          writer.add(run),
          (e: unknown) => e instanceof ResultInputError && /already added/.test(e.message),
        );
        await assert.rejects(
          writer.add({ ...run, repetition: 1, seed: 5 }),
          /uses seed 5, which the context does not list/,
        );
        await assert.rejects(
          writer.add({ ...run, repetition: 2, stack: "" }),
          /Run is invalid:\n {2}\$\.runs\[1\]\.stack: must be a non-empty name/,
        );
        assert.equal(await Deno.readTextFile(jsonPath), before);
      });
    },
  );

  await t.step("rejects an invalid context before writing anything", async () => {
    await withDir(async (dir) => {
      await assert.rejects(
        ResultWriter.create({ ...syntheticContext([1]), gitSha: "main" }, {
          jsonPath: `${dir}/r.json`,
        }),
        /Result context is invalid:\n {2}\$\.context\.gitSha/,
      );
      assert.deepEqual(await listDir(dir), []);
    });
  });

  await t.step("a failed write keeps the previous file and leaves no temporary file", async () => {
    await withDir(async (dir) => {
      const jsonPath = `${dir}/run.json`;
      let failRename = false;
      const ops: FileOps = {
        ...DENO_FILE_OPS,
        rename: (from, to) =>
          failRename ? Promise.reject(new Error("disk gone")) : DENO_FILE_OPS.rename(from, to),
      };
      const writer = await ResultWriter.create(sample.context, { jsonPath, ops });
      await writer.add(sample.runs[0] as (typeof sample.runs)[number]);
      const before = await Deno.readTextFile(jsonPath);
      failRename = true;
      await assert.rejects(writer.add(sample.runs[1] as (typeof sample.runs)[number]), /disk gone/);
      assert.equal(await Deno.readTextFile(jsonPath), before);
      assert.deepEqual(await listDir(dir), ["run.json"]);
      assert.equal(writer.result.runs.length, 1);
      failRename = false;
      await writer.add(sample.runs[1] as (typeof sample.runs)[number]);
      assert.equal((await readResultFile(jsonPath)).runs.length, 2);
    });
  });

  await t.step("a write that dies half-way leaves the old content in place", async () => {
    await withDir(async (dir) => {
      const path = `${dir}/f.txt`;
      await writeTextAtomic(path, "old\n");
      const ops: FileOps = {
        ...DENO_FILE_OPS,
        async writeFileSynced(p, data) {
          await DENO_FILE_OPS.writeFileSynced(p, data.subarray(0, 2));
          throw new Error("crash while writing");
        },
      };
      await assert.rejects(writeTextAtomic(path, "new content\n", ops), /crash while writing/);
      assert.equal(await Deno.readTextFile(path), "old\n");
      assert.deepEqual(await listDir(dir), ["f.txt"]);
    });
  });

  await t.step("reading a missing CSV names the file", async () => {
    await assert.rejects(
      readTidyCsv("/nonexistent/x.csv"),
      /Tidy CSV "\/nonexistent\/x.csv" is invalid: file: no such file/,
    );
  });
});
