import assert from "node:assert/strict";
import { boolSpace, enumOf, intRange, listOf, maybe, sintBits, sumOf, tupleOf } from "./space.ts";
import { enumerateSpace, spaceSize } from "./enumerate.ts";

Deno.test("enumerateSpace", async (t) => {
  await t.step("scalars in their fixed order", () => {
    assert.deepEqual([...enumerateSpace(intRange(-1, 1))], [-1, 0, 1]);
    assert.deepEqual([...enumerateSpace(sintBits(2))], [-2, -1, 0, 1]);
    assert.deepEqual([...enumerateSpace(boolSpace)], [false, true]);
    assert.deepEqual([...enumerateSpace(maybe(enumOf(["A", "B"])))], [null, "A", "B"]);
  });

  await t.step("ordered lists count sequences, unordered lists count multisets", () => {
    const ordered = listOf(enumOf(["a", "b"]), { max: 2 });
    assert.deepEqual([...enumerateSpace(ordered)], [
      [],
      ["a"],
      ["b"],
      ["a", "a"],
      ["a", "b"],
      ["b", "a"],
      ["b", "b"],
    ]);
    const unordered = listOf(enumOf(["a", "b"]), { max: 2, ordered: false });
    assert.deepEqual([...enumerateSpace(unordered)], [[], ["a"], ["b"], ["a", "a"], ["a", "b"], [
      "b",
      "b",
    ]]);
    assert.equal(spaceSize(ordered), 7);
    assert.equal(spaceSize(unordered), 6);
  });

  await t.step("tuples and sums; the count matches spaceSize", () => {
    const s = tupleOf({ q: intRange(0, 2), m: maybe(boolSpace) });
    const all = [...enumerateSpace(s)];
    assert.equal(all.length, 9);
    assert.deepEqual(all[0], { q: 0, m: null });
    assert.deepEqual(all[8], { q: 2, m: true });
    assert.equal(spaceSize(s), 9);
    const sum = sumOf({ A: boolSpace, B: intRange(1, 3) });
    assert.deepEqual([...enumerateSpace(sum)], [
      { tag: "A", value: false },
      { tag: "A", value: true },
      { tag: "B", value: 1 },
      { tag: "B", value: 2 },
      { tag: "B", value: 3 },
    ]);
    const nested = listOf(s, { min: 1, max: 3, ordered: false });
    assert.equal([...enumerateSpace(nested)].length, spaceSize(nested));
    assert.equal(spaceSize(nested), 9 + 45 + 165);
  });

  await t.step("refuses spaces over the limit, naming size and limit", () => {
    const big = listOf(tupleOf({ a: intRange(0, 999), b: intRange(0, 999) }), { max: 2 });
    assert.throws(
      () => enumerateSpace(big),
      /Cannot enumerate \[\(a: Int 0 999, b: Int 0 999\)\]<0,2>: it holds 1000001000001 values, the limit is 1000000/,
    );
    assert.equal(spaceSize(listOf(intRange(0, 1000), { max: 4096 })), Infinity);
  });
});
