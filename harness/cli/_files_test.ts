import assert from "node:assert/strict";
import { readInputFile } from "./_files.ts";

Deno.test("readInputFile", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await t.step("returns the text of a file", async () => {
      await Deno.writeTextFile(`${dir}/a.json`, "{}\n");
      assert.equal(await readInputFile(`${dir}/a.json`, "graph file"), "{}\n");
    });
    await t.step("names what the file is, the path and the reason", async () => {
      await assert.rejects(
        readInputFile(`${dir}/none.json`, "NIC config"),
        (e: unknown) =>
          e instanceof Error &&
          e.message === `Cannot read NIC config "${dir}/none.json": no such file`,
      );
      await assert.rejects(
        readInputFile(dir, "flows file"),
        /^Error: Cannot read flows file ".*": it is a directory$/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
