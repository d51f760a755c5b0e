import assert from "node:assert/strict";
import fc from "fast-check";
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { choiceOption, integerOption, ipv4Option, listOption, numberOption } from "./_options.ts";
import { CaptureIo, runCaptured } from "./_io.ts";

Deno.test("option parsers", async (t) => {
  await t.step("integerOption accepts integers in range and names what is allowed", () => {
    const p = integerOption("--queues", { min: 2, max: 128 });
    assert.equal(p("2"), 2);
    assert.equal(p(" 128 "), 128);
    assert.equal(p.allowed, "an integer in 2..128");
    for (const bad of ["1", "129", "2.5", "", " ", "x", "1e400", "0x"]) {
      assert.throws(
        () => p(bad),
        (e: unknown) =>
          e instanceof InvalidArgumentError &&
          e.message === `--queues must be an integer in 2..128, got "${bad}"`,
      );
    }
    assert.throws(
      () => integerOption("--count", { min: 1 })("0"),
      /--count must be an integer >= 1, got "0"/,
    );
    assert.throws(() => integerOption("--n")("9007199254740993"), /--n must be an integer, got/);
  });

  await t.step("integerOption returns exactly the integers of its range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const p = integerOption("--n", { min: -10, max: 10 });
        if (n >= -10 && n <= 10) assert.equal(p(String(n)), n);
        else assert.throws(() => p(String(n)), InvalidArgumentError);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("numberOption handles open and exclusive bounds", () => {
    assert.equal(numberOption("--loss", { min: 0, max: 0.5 })("0.25"), 0.25);
    assert.throws(
      () => numberOption("--loss", { min: 0, max: 0.5 })("2"),
      /^.*--loss must be a number in 0\.\.0\.5, got "2"$/,
    );
    const positive = numberOption("--duration-ms", { min: 0, exclusiveMin: true });
    assert.equal(positive("0.5"), 0.5);
    assert.throws(() => positive("0"), /--duration-ms must be a number > 0, got "0"/);
    assert.throws(
      () => numberOption("--x", { min: 0 })("Infinity"),
      /a number >= 0, got "Infinity"/,
    );
    assert.throws(() => numberOption("--x", { max: 3 })("4"), /--x must be a number <= 3, got "4"/);
  });

  await t.step("choiceOption accepts only its choices", () => {
    const model = choiceOption("--model", ["mm1", "md1"]);
    const m: "mm1" | "md1" = model("md1");
    assert.equal(m, "md1");
    assert.throws(() => model("MM1"), /--model must be mm1 or md1, got "MM1"/);
    assert.throws(
      () => choiceOption("--stage", ["a", "b", "c"])("d"),
      /--stage must be one of a, b, c, got "d"/,
    );
  });

  await t.step("ipv4Option reads dotted quads", () => {
    const p = ipv4Option("--gold-src");
    assert.equal(p("10.0.0.222"), 0x0a0000de);
    assert.equal(p("255.255.255.255"), 0xffffffff);
    for (const bad of ["10.0.0", "10.0.0.256", "a.b.c.d", ""]) {
      assert.throws(
        () => p(bad),
        new RegExp(`--gold-src must be an IPv4 address like 10\\.0\\.0\\.1, got "${bad}"`),
      );
    }
  });

  await t.step("listOption parses every entry and names the bad one", () => {
    const sizes = listOption("--sizes", integerOption("--sizes", { min: 1, max: 65535 }));
    assert.deepEqual(sizes("64, 128,1518"), [64, 128, 1518]);
    assert.throws(
      () => sizes("64,x"),
      (e: unknown) =>
        e instanceof InvalidArgumentError &&
        e.message ===
          '--sizes must be a comma-separated list where each entry is an integer in 1..65535, got "64,x" (entry 2 is "x")',
    );
    assert.throws(() => sizes(""), /entry 1 is ""/);
  });

  await t.step("commander reports a parser's message as a usage error", async () => {
    const build = (io: CaptureIo) =>
      new Command("x").option("--n <n>", "n", integerOption("--n", { min: 1, max: 3 }), 1)
        .action((o) => io.write(`n=${o.n}\n`));
    const io = new CaptureIo();
    assert.equal((await runCaptured(() => build(io), ["--n", "3"], io)).text, "n=3\n");
    await assert.rejects(
      runCaptured(() => build(new CaptureIo()), ["--n", "4"]),
      /option '--n <n>' argument '4' is invalid\. --n must be an integer in 1\.\.3, got "4"/,
    );
  });
});
