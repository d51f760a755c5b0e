import assert from "node:assert/strict";
import fc from "fast-check";
import { applyOps, diffConfig, ruleKey, sameValue } from "./config_diff.ts";
import { type FilterRule, type NicConfig, NicConfigError } from "./nic.ts";

const ruleArb: fc.Arbitrary<FilterRule> = fc.record({
  table: fc.constantFrom("five-tuple", "fdir-perfect"),
  match: fc.record({ proto: fc.constantFrom(6, 17), dstPort: fc.integer({ min: 1, max: 6 }) }),
  queue: fc.integer({ min: 0, max: 3 }),
});

const configArb: fc.Arbitrary<NicConfig> = fc.record({
  queues: fc.integer({ min: 1, max: 8 }),
  ringSize: fc.constantFrom(64, 512),
  rss: fc.constant(null),
  filters: fc.array(ruleArb, { maxLength: 8 }),
  settings: fc.dictionary(fc.constantFrom("a", "b", "c"), fc.oneof(fc.boolean(), fc.nat(3))),
});

const sortedKeys = (c: NicConfig) => c.filters.map(ruleKey).sort();

Deno.test("configuration diff", async (t) => {
  await t.step("applying diff(a, b) to a gives b (filters as a multiset)", () => {
    fc.assert(
      fc.property(configArb, configArb, (a, b) => {
        const c = applyOps(a, diffConfig(a, b));
        return sameValue(sortedKeys(c), sortedKeys(b)) && c.queues === b.queues &&
          c.ringSize === b.ringSize && sameValue(c.settings, b.settings);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("diff(a, a) is empty and removes come before sets before adds", () => {
    fc.assert(
      fc.property(configArb, configArb, (a, b) => {
        if (diffConfig(a, a).length !== 0) return false;
        const order = diffConfig(a, b).map((o) => ({ remove: 0, set: 1, add: 2 })[o.op]);
        return order.every((v, i) => i === 0 || (order[i - 1] ?? 0) <= v);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("rule identity ignores key order; a changed queue is remove + add", () => {
    const r1: FilterRule = { table: "t", match: { proto: 17, dstPort: 1 }, queue: 1 };
    const r2: FilterRule = { queue: 1, match: { dstPort: 1, proto: 17 }, table: "t" };
    assert.equal(ruleKey(r1), ruleKey(r2));
    const a: NicConfig = { queues: 2, ringSize: 64, rss: null, filters: [r1], settings: {} };
    const ops = diffConfig(a, { ...a, filters: [{ ...r1, queue: 0 }] });
    assert.deepEqual(ops.map((o) => o.op), ["remove", "add"]);
  });

  await t.step("removing a rule that is not installed and unknown keys fail clearly", () => {
    const a: NicConfig = { queues: 2, ringSize: 64, rss: null, filters: [], settings: {} };
    assert.throws(
      () => applyOps(a, [{ op: "remove", rule: { table: "t", match: {}, queue: 0 } }]),
      (e: unknown) => e instanceof NicConfigError && /it is not installed/.test(e.message),
    );
    assert.throws(
      () => applyOps(a, [{ op: "set", key: "colour", value: 1 }]),
      /Unknown setting key "colour"/,
    );
    assert.throws(
      () => applyOps(a, [{ op: "set", key: "queues", value: "4" }]),
      /must be a number, got "4"/,
    );
  });
});
