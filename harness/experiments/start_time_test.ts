import assert from "node:assert/strict";
import { runStartTime } from "./start_time.ts";

Deno.test("runStartTime pins the start to SOURCE_DATE_EPOCH and refuses a malformed value", () => {
  assert.equal(runStartTime("1700000000").toISOString(), "2023-11-14T22:13:20.000Z");
  const before = Date.now();
  const now = runStartTime("").getTime();
  assert.ok(now >= before && now <= Date.now() + 1);
  assert.throws(
    () => runStartTime("1.5"),
    /SOURCE_DATE_EPOCH must be a whole number .* got "1\.5"/,
  );
  assert.throws(() => runStartTime("soon"), /got "soon"/);
});
