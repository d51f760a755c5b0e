import assert from "node:assert/strict";
import { RandomStreams } from "./random_streams.ts";
import type { RandomStream } from "./random_streams.ts";

function draw(rng: RandomStream, n = 8): number[] {
  return Array.from({ length: n }, () => rng.next());
}

Deno.test("RandomStreams", async (t) => {
  await t.step("the same seed and name give the same sequence", () => {
    assert.deepEqual(
      draw(new RandomStreams(42).stream("client")),
      draw(new RandomStreams(42).stream("client")),
    );
  });

  await t.step("a stream does not depend on which other streams exist or their order", () => {
    const a = new RandomStreams(7);
    const clientFirst = draw(a.stream("client"));
    const b = new RandomStreams(7);
    b.stream("nic");
    draw(b.stream("server"), 100);
    assert.deepEqual(draw(b.stream("client")), clientFirst);
  });

  await t.step("seeds, names and indices give different sequences", () => {
    const seqs = [
      draw(new RandomStreams(1).stream("x")),
      draw(new RandomStreams(2).stream("x")),
      draw(new RandomStreams(1).stream("y")),
      draw(new RandomStreams(1).stream("x", 1)),
      draw(new RandomStreams(1).stream("x", 2)),
    ].map((s) => s.join());
    assert.equal(new Set(seqs).size, seqs.length);
  });

  await t.step("replica i is the base stream jumped i times", () => {
    const base = new RandomStreams(3).stream("core");
    base.jump();
    base.jump();
    assert.deepEqual(draw(new RandomStreams(3).stream("core", 2)), draw(base));
  });

  await t.step("handing out one stream twice throws and names it", () => {
    const r = new RandomStreams(5);
    r.stream("nic", 1);
    assert.throws(() => r.stream("nic", 1), /"nic" index 1 was already handed out/);
    assert.deepEqual(r.issued(), [{ name: "nic", index: 1 }]);
  });

  await t.step("rejects invalid seeds, names and indices", () => {
    assert.throws(() => new RandomStreams(-1), /seed -1 is invalid/);
    assert.throws(() => new RandomStreams(2 ** 32), /seed 4294967296 is invalid/);
    assert.throws(() => new RandomStreams(0).stream(""), /name must not be empty/);
    assert.throws(() => new RandomStreams(0).stream("a", 5000), /index 5000 is invalid/);
  });

  await t.step("outputs look uniform: mean of 100 000 draws near 0, both signs", () => {
    const rng = new RandomStreams(42).stream("uniformity");
    let sum = 0;
    let negative = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = rng.next();
      sum += v / 2 ** 31;
      if (v < 0) negative++;
    }
    assert.ok(Math.abs(sum / 100_000) < 0.01, `mean ${sum / 100_000}`);
    assert.ok(Math.abs(negative / 100_000 - 0.5) < 0.01, `negative share ${negative / 100_000}`);
  });
});
