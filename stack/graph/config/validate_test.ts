import assert from "node:assert/strict";
import fc from "fast-check";
import {
  boolSpace,
  enumOf,
  intRange,
  listOf,
  maybe,
  sintBits,
  sumOf,
  tupleOf,
  uintBits,
} from "./space.ts";
import { assertValue, formatIssues, validateValue } from "./validate.ts";
import { enumerateSpace } from "./enumerate.ts";

/** The E10k 5-tuple filter table space (`dragonet-model.md` §3.3). */
const fiveTuple = listOf(
  tupleOf({
    sip: maybe(uintBits(32)),
    dip: maybe(uintBits(32)),
    proto: maybe(enumOf(["TCP", "UDP", "SCTP", "OTHER"])),
    sport: maybe(uintBits(16)),
    dport: maybe(uintBits(16)),
    prio: intRange(1, 7),
    queue: intRange(0, 9),
  }),
  { max: 128 },
);

const good = { sip: null, dip: null, proto: "UDP", sport: null, dport: 7, prio: 1, queue: 1 };

Deno.test("validateValue", async (t) => {
  await t.step("accepts a well-formed 5-tuple table", () => {
    assert.deepEqual(validateValue(fiveTuple, [good, { ...good, dport: 8, queue: 2 }]), {
      ok: true,
    });
  });

  await t.step("names the path, the value and what is allowed", () => {
    const r = validateValue(fiveTuple, [good, { ...good, prio: 9 }]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.issues, [{
      path: "value[1].prio",
      got: "9",
      allowed: "an integer 1..7 (Int 1 7)",
    }]);
    assert.equal(formatIssues(r.issues), "value[1].prio must be an integer 1..7 (Int 1 7), got 9");
  });

  await t.step("reports every issue at once: missing, unknown and wrong fields", () => {
    const { prio: _p, ...noPrio } = good;
    const r = validateValue(fiveTuple, [{ ...noPrio, proto: "ICMP", extra: 1 }]);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.issues.map((i) => i.path), [
      "value[0].proto",
      "value[0].prio",
      "value[0].extra",
    ]);
    assert.match(r.issues[0]?.allowed ?? "", /one of TCP, UDP, SCTP, OTHER/);
  });

  await t.step("checks list length against the table capacity", () => {
    const r = validateValue(fiveTuple, new Array(129).fill(good));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.issues, [{
      path: "value",
      got: "a list of 129 elements",
      allowed: "0..128 elements",
    }]);
  });

  await t.step("integer widths: uint, sint and non-integers", () => {
    assert.equal(validateValue(uintBits(16), 65535).ok, true);
    assert.equal(validateValue(uintBits(16), 65536).ok, false);
    assert.equal(validateValue(uintBits(16), -1).ok, false);
    assert.equal(validateValue(sintBits(8), -128).ok, true);
    assert.equal(validateValue(sintBits(8), 128).ok, false);
    assert.equal(validateValue(intRange(0, 3), 1.5).ok, false);
    assert.equal(validateValue(intRange(0, 3), "1").ok, false);
    assert.equal(validateValue(boolSpace, 0).ok, false);
  });

  await t.step("sum values carry a known tag and a value of its space", () => {
    const s = sumOf({ Queue: intRange(0, 3), Drop: boolSpace });
    assert.equal(validateValue(s, { tag: "Queue", value: 2 }).ok, true);
    const r = validateValue(s, { tag: "Queue", value: 7 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.issues[0]?.path, "value<Queue>");
    const r2 = validateValue(s, { tag: "Mirror", value: 1 });
    assert.equal(r2.ok, false);
    if (!r2.ok) assert.equal(r2.issues[0]?.allowed, "one of Queue, Drop");
  });

  await t.step("wildcard null is accepted only inside maybe", () => {
    assert.equal(validateValue(maybe(uintBits(8)), null).ok, true);
    assert.equal(validateValue(uintBits(8), null).ok, false);
  });

  await t.step("assertValue throws a message naming the space and the issue", () => {
    assert.throws(
      () => assertValue(intRange(1, 7), 0, "Priority"),
      /^TypeError: Priority is not in Int 1 7 \(1 issue\):\nvalue must be an integer 1\.\.7 \(Int 1 7\), got 0$/,
    );
    const v: number = assertValue(intRange(1, 7), 3);
    assert.equal(v, 3);
  });

  await t.step("every enumerated value validates; arbitrary junk never crashes", () => {
    const space = tupleOf({
      a: maybe(enumOf(["x", "y"])),
      b: listOf(intRange(0, 2), { min: 1, max: 2, ordered: false }),
      c: sumOf({ L: boolSpace, R: sintBits(2) }),
    });
    for (const v of enumerateSpace(space)) assert.deepEqual(validateValue(space, v), { ok: true });
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = validateValue(space, junk);
        return r.ok || r.issues.length > 0;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

Deno.test("space constructors reject impossible spaces", async (t) => {
  await t.step("bounds, widths, labels, duplicates", () => {
    assert.throws(() => intRange(5, 1), /lo <= hi, got 5\.\.1/);
    assert.throws(() => uintBits(64), /bits must be an integer 1\.\.53, got 64/);
    assert.throws(() => enumOf(["A", "A"]), /value "A" appears twice/);
    assert.throws(() => enumOf([]), /at least one value/);
    assert.throws(() => listOf(boolSpace, { min: 3, max: 2 }), /got 3\.\.2/);
    assert.throws(() => tupleOf({ "bad label": boolSpace }), /label "bad label"/);
    assert.throws(() => maybe(maybe(boolSpace)), /already a maybe space/);
  });
});
