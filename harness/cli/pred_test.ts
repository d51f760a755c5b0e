import assert from "node:assert/strict";
import { predCommand, predicateReport } from "./pred.ts";
import { readGraphFile } from "./graph.ts";
import { runCaptured } from "./_io.ts";

const G1 = "tests/graphs/g1.json";

Deno.test("lab pred", async (t) => {
  const g1 = await readGraphFile(G1);
  await t.step("prints the DNF reach predicate of the named nodes", () => {
    const r = predicateReport(g1, ["A3", "B1", "F3"]);
    assert.equal(r.failed, false);
    assert.equal(
      r.text,
      "A3  and(pred(A1,true),pred(A2,true))\nB1  pred(B,true)\nF3  false\n",
    );
  });
  await t.step("--unreachable lists the nodes whose predicate is false", () => {
    const r = predicateReport(g1, [], { unreachable: true });
    assert.equal(r.text, "F3\n1 of 31 nodes unreachable\n");
  });
  await t.step("the unreachable subcommand prints the same list", async () => {
    const { text } = await runCaptured(predCommand, ["unreachable", G1]);
    assert.equal(text, "F3\n1 of 31 nodes unreachable\n");
  });
  await t.step("an unknown node id is refused", () => {
    assert.throws(() => predicateReport(g1, ["Nope"]), /Graph "g1" has no node "Nope"/);
  });
  await t.step("a predicate over the term limit is reported, exit status 1", async () => {
    const { text, exitCode } = await runCaptured(predCommand, [
      "show",
      G1,
      "D3",
      "--max-terms",
      "1",
    ]);
    assert.equal(text, "D3  ! Cannot build DNF: it would hold 2 terms, more than maxTerms 1\n");
    assert.equal(exitCode, 1);
    await assert.rejects(
      runCaptured(predCommand, ["show", G1, "--max-terms", "0"]),
      /--max-terms must be an integer >= 1, got "0"/,
    );
  });
});
