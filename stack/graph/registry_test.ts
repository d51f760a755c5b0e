import assert from "node:assert/strict";
import { Registry } from "./registry.ts";

Deno.test("registry", async (t) => {
  await t.step("returns what was registered under a name", () => {
    const r = new Registry<(v: number) => number>("expansion function");
    r.register("double", (v) => v * 2).register("inc", (v) => v + 1);
    assert.equal(r.get("double")(21), 42);
    assert.ok(r.has("inc"));
    assert.deepEqual(r.names(), ["double", "inc"]);
  });
  await t.step("names the missing entry and the known names", () => {
    const r = new Registry<number>("work function");
    r.register("a", 1);
    assert.throws(() => r.get("b"), {
      message: 'Unknown work function "b": registered names are a',
    });
  });
  await t.step("refuses duplicate and empty names", () => {
    const r = new Registry<number>("expansion function");
    r.register("x", 1);
    assert.throws(() => r.register("x", 2), /"x": the name is already registered/);
    assert.throws(() => r.register("", 2), /name must not be empty/);
  });
});
