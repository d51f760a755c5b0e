/**
 * A tiny snapshot helper for tests: compares text against a committed file under
 * `__snapshots__/` beside the test, rewriting the file only when `UPDATE_SNAPSHOTS=1` is set.
 *
 * @example
 * ```ts ignore
 * import { assertSnapshot } from "../../tests/_snapshot.ts";
 * Deno.test("messages", async () => {
 *   await assertSnapshot(import.meta.url, "messages", "text to compare");
 * });
 * ```
 *
 * @module
 */
import { AssertionError } from "node:assert/strict";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Returns the snapshot file of a test module and snapshot name. */
export function snapshotPath(testUrl: string | URL, name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new TypeError(
      `Invalid snapshot name "${name}": use only letters, digits, ".", "_" and "-"`,
    );
  }
  const file = fileURLToPath(testUrl);
  return join(dirname(file), "__snapshots__", `${basename(file)}.${name}.snap`);
}

/** Whether snapshots are being rewritten (`UPDATE_SNAPSHOTS=1`). */
export function updatingSnapshots(): boolean {
  return Deno.env.get("UPDATE_SNAPSHOTS") === "1";
}

/**
 * Asserts that `actual` equals the committed snapshot `name` of the test module `testUrl`.
 *
 * With `UPDATE_SNAPSHOTS=1` (or `update: true`) it writes the snapshot instead and passes.
 *
 * @throws {AssertionError} when the snapshot differs or does not exist (the message says how to
 *   create it).
 */
export async function assertSnapshot(
  testUrl: string | URL,
  name: string,
  actual: string,
  options: { readonly update?: boolean } = {},
): Promise<void> {
  const path = snapshotPath(testUrl, name);
  const text = actual.endsWith("\n") ? actual : actual + "\n";
  if (options.update ?? updatingSnapshots()) {
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, text);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new AssertionError({
        message:
          `Snapshot "${path}" does not exist; run the test with UPDATE_SNAPSHOTS=1 to create it`,
      });
    }
    throw err;
  }
  if (expected !== text) {
    throw new AssertionError({
      message: `Snapshot "${name}" differs from ${path} (rerun with UPDATE_SNAPSHOTS=1 if the ` +
        `change is intended)\n${lineDiff(expected, text)}`,
      actual: text,
      expected,
      operator: "snapshot",
    });
  }
}

/** A short line diff: the differing lines, prefixed - (snapshot) and + (actual). */
function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 40; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined) out.push(`- ${a[i]}`);
    if (b[i] !== undefined) out.push(`+ ${b[i]}`);
  }
  return out.join("\n");
}
