import assert from "node:assert/strict";
import fc from "fast-check";
import {
  booleanPortValue,
  isNodeKind,
  isOperatorKind,
  NODE_KINDS,
  nodeId,
  nodeIdProblem,
  qualify,
} from "./types.ts";

Deno.test("node ids", async (t) => {
  await t.step("accepts dotted segments of letters, digits, _ and -", () => {
    assert.equal(nodeId("rx.l3.ipv4.valid-checksum"), "rx.l3.ipv4.valid-checksum");
    assert.equal(nodeIdProblem("Q_0.RxQueue-1"), undefined);
  });
  await t.step("rejects empty ids, empty segments and other characters with a reason", () => {
    assert.match(nodeIdProblem("") ?? "", /must not be empty/);
    assert.match(nodeIdProblem("a..b") ?? "", /segment ""/);
    assert.match(nodeIdProblem("a.b c") ?? "", /segment "b c"/);
    assert.throws(() => nodeId("a/b"), /Cannot make node id: node id "a\/b" has segment "a\/b"/);
  });
  await t.step("qualify joins a prefix and a local name", () => {
    assert.equal(qualify(["rx", "l3"], "ipv4"), "rx.l3.ipv4");
    assert.equal(qualify([], "top"), "top");
  });
  await t.step("any dot-join of valid segments is a valid id", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        assert.equal(nodeIdProblem(segments.join(".")), undefined);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

Deno.test("node kinds and boolean ports", async (t) => {
  await t.step("the four operators are O-nodes, fnode and config are not", () => {
    assert.deepEqual(NODE_KINDS.filter(isOperatorKind), ["and", "or", "nand", "nor"]);
    assert.ok(isNodeKind("config"));
    assert.ok(!isNodeKind("xor"));
  });
  await t.step("only the exact names true and false are O-node inputs (quirk Q9 rejected)", () => {
    assert.equal(booleanPortValue("true"), true);
    assert.equal(booleanPortValue("false"), false);
    assert.equal(booleanPortValue("ipv4"), undefined);
    assert.equal(booleanPortValue("untrue"), undefined);
  });
});
