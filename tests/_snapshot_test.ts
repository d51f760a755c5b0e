import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assertSnapshot, snapshotPath } from "./_snapshot.ts";

Deno.test("snapshot helper", async (t) => {
  const dir = await Deno.makeTempDir();
  const testUrl = pathToFileURL(join(dir, "thing_test.ts"));
  try {
    await t.step("snapshots live in __snapshots__ beside the test", () => {
      assert.equal(snapshotPath(testUrl, "a"), join(dir, "__snapshots__", "thing_test.ts.a.snap"));
      assert.throws(() => snapshotPath(testUrl, "a/b"), /Invalid snapshot name "a\/b"/);
    });
    await t.step("a missing snapshot fails and says how to create it", async () => {
      await assert.rejects(assertSnapshot(testUrl, "a", "one"), /UPDATE_SNAPSHOTS=1 to create it/);
    });
    await t.step(
      "update writes it; the same text then passes; other text fails with a diff",
      async () => {
        await assertSnapshot(testUrl, "a", "one\ntwo", { update: true });
        assert.equal(await Deno.readTextFile(snapshotPath(testUrl, "a")), "one\ntwo\n");
        await assertSnapshot(testUrl, "a", "one\ntwo", { update: false });
        await assert.rejects(
          assertSnapshot(testUrl, "a", "one\nthree", { update: false }),
          /differs[\s\S]*- two\n\+ three/,
        );
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
