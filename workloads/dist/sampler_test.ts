import assert from "node:assert/strict";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { parseDistribution } from "./parse.ts";
import { createSampler, type Sampler } from "./sampler.ts";
import { openUnit } from "./unit.ts";

const N = 200_000;

function draws(text: string | Sampler, seed = 42, n = N): Float64Array {
  const s = typeof text === "string" ? createSampler(parseDistribution(text)) : text;
  const rng = xoroshiro128plus(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = s.sample(rng);
  return out;
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function sd(xs: Float64Array): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Largest gap between the empirical and the closed-form CDF over `points`. */
function cdfGap(xs: Float64Array, cdf: (x: number) => number, points: number[]): number {
  const sorted = xs.slice().sort();
  let gap = 0;
  for (const p of points) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) <= p) lo = mid + 1;
      else hi = mid;
    }
    gap = Math.max(gap, Math.abs(lo / sorted.length - cdf(p)));
  }
  return gap;
}

const gpCdf = (loc: number, scale: number, k: number) => (x: number) =>
  x < loc ? 0 : 1 - Math.pow(1 + (k * (x - loc)) / scale, -1 / k);
const gevCdf = (loc: number, scale: number, k: number) => (x: number) => {
  const t = 1 + (k * (x - loc)) / scale;
  return t <= 0 ? (k > 0 ? 0 : 1) : Math.exp(-Math.pow(t, -1 / k));
};

/** Kolmogorov–Smirnov 99.9% bound for N samples is about 1.95 / sqrt(N). */
const KS = 1.95 / Math.sqrt(N);

Deno.test("Distribution samplers", async (t) => {
  await t.step("openUnit stays strictly inside (0, 1) and is uniform", () => {
    const rng = xoroshiro128plus(7);
    let s = 0;
    for (let i = 0; i < N; i++) {
      const u = openUnit(rng);
      assert.ok(u > 0 && u < 1);
      s += u;
    }
    assert.ok(Math.abs(s / N - 0.5) < 0.003);
  });

  await t.step("means match closed forms (within 4 standard errors)", () => {
    const cases: [string, number, number][] = [
      ["fixed:42", 42, 0],
      ["uniform:1000", 500, 1000 / Math.sqrt(12)],
      ["normal:100,15", 100, 15],
      ["exponential:0.25", 4, 4],
      ["pareto:0,1,0", 1, 1],
      ["pareto:10,5,0.2", 10 + 5 / 0.8, 5 / 0.8 / Math.sqrt(1 - 0.4)],
      ["pareto:0,2,-0.5", 2 / 1.5, 2],
      ["gev:0,1,0", 0.5772156649015329, Math.PI / Math.sqrt(6)],
      ["gev:5,2,0.2", 5 + (2 * (1.1642297137253034 - 1)) / 0.2, 3],
      ["gev:5,2,-0.3", 5 + (2 * (0.8974706963062772 - 1)) / -0.3, 3],
    ];
    for (const [text, expected, sigma] of cases) {
      const s = createSampler(parseDistribution(text));
      assert.ok(
        Math.abs(s.mean() - expected) < 1e-9 * Math.max(1, expected),
        `${text} closed form`,
      );
      const m = mean(draws(s));
      assert.ok(
        Math.abs(m - expected) <= 4 * sigma / Math.sqrt(N) + 1e-12,
        `${text}: ${m} vs ${expected}`,
      );
    }
  });

  await t.step("shapes match closed-form CDFs (Kolmogorov–Smirnov, 99.9%)", () => {
    const exp = draws("exponential:2");
    assert.ok(cdfGap(exp, (x) => 1 - Math.exp(-2 * x), [0.05, 0.2, 0.5, 1, 2]) < KS);
    const gp = draws("pareto:15,214.476,0.348238");
    assert.ok(cdfGap(gp, gpCdf(15, 214.476, 0.348238), [20, 100, 183.1, 500, 2000]) < KS);
    const gev = draws("gev:30.7984,8.20449,0.078688");
    assert.ok(cdfGap(gev, gevCdf(30.7984, 8.20449, 0.078688), [20, 30, 36, 50, 70]) < KS);
    const gevNeg = draws("gev:0,1,-0.4");
    assert.ok(cdfGap(gevNeg, gevCdf(0, 1, -0.4), [-1, 0, 0.5, 1, 2]) < KS);
    const u = draws("uniform:10");
    assert.ok(cdfGap(u, (x) => x / 10, [1, 3, 5, 7, 9]) < KS);
    const n = draws("normal:0,1").sort();
    assert.ok(Math.abs(quantile(n, 0.5)) < 0.01);
    assert.ok(Math.abs(quantile(n, 0.975) - 1.959964) < 0.03);
    assert.ok(Math.abs(sd(n) - 1) < 0.01);
  });

  await t.step("fb_key matches workloads.md §4.2: mean 36.2, p1/p50/p99 19.0/33.8/76.3", () => {
    const s = createSampler(parseDistribution("fb_key"));
    assert.ok(Math.abs(s.mean() - 36.2) < 0.05);
    const xs = draws(s).sort();
    assert.ok(Math.abs(mean(xs) - 36.2) < 0.15);
    assert.ok(Math.abs(quantile(xs, 0.01) - 19.0) < 0.3);
    assert.ok(Math.abs(quantile(xs, 0.5) - 33.8) < 0.3);
    assert.ok(Math.abs(quantile(xs, 0.99) - 76.3) < 1.5);
  });

  await t.step("fb_value: table sizes with their probabilities, GP tail with median 183.1", () => {
    const s = createSampler(parseDistribution("fb_value"));
    assert.ok(Math.abs(s.mean() - 194.4) < 0.1, String(s.mean()));
    const xs = draws(s);
    let twos = 0;
    let elevens = 0;
    const tail: number[] = [];
    for (const x of xs) {
      if (x === 2) twos++;
      if (x === 11) elevens++;
      if (x >= 15) tail.push(x);
      else assert.ok(Number.isInteger(x), `table value ${x}`);
    }
    assert.ok(Math.abs(twos / N - 0.1782) < 0.004);
    assert.ok(Math.abs(elevens / N - 0.08989) < 0.003);
    assert.ok(Math.abs(tail.length / N - 0.55845) < 0.004);
    tail.sort((a, b) => a - b);
    assert.ok(Math.abs((tail[tail.length >> 1] as number) - 183.1) < 4);
    assert.ok(Math.abs(mean(xs) - 194.4) < 5);
  });

  await t.step("fb_ia: mean 18.97 µs; rescaled to a rate its mean is 1/rate", () => {
    const s = createSampler(parseDistribution("fb_ia"));
    assert.ok(Math.abs(s.mean() - 18.97) < 0.01);
    assert.ok(Math.abs(mean(draws(s)) / 18.97 - 1) < 0.01);
    const r = s.withRate(200_000);
    assert.ok(Math.abs(r.mean() - 5e-6) < 1e-18);
    assert.ok(Math.abs(mean(draws(r)) / 5e-6 - 1) < 0.01);
  });

  await t.step("every rescalable family gets mean 1/rate, as mutilate's set_lambda", () => {
    // mutilate keeps the normal sd when rescaling, so the test uses a small one.
    for (
      const text of ["fixed:3", "uniform:9", "normal:4,0.00001", "exponential:7", "pareto:0,3,0.3"]
    ) {
      const r = createSampler(parseDistribution(text)).withRate(1000);
      assert.ok(Math.abs(r.mean() - 1e-3) < 1e-15, text);
      const m = mean(draws(r, 1, 50_000));
      assert.ok(Math.abs(m / 1e-3 - 1) < 0.03, `${text}: ${m}`);
    }
  });

  await t.step("rescaling what mutilate cannot rescale throws and says what is allowed", () => {
    assert.throws(
      () => createSampler(parseDistribution("fb_key")).withRate(10),
      /Cannot rescale fb_key to a rate: mutilate defines no rate for GEV; allowed for fixed/,
    );
    assert.throws(() => createSampler(parseDistribution("fb_value")).withRate(10), /size table/);
    assert.throws(
      () => createSampler(parseDistribution("pareto:0,1,1.5")).withRate(10),
      /shape 1.5 must be < 1/,
    );
    assert.throws(
      () => createSampler(parseDistribution("pareto:1,1,0.5")).withRate(10),
      /mean gap 1\/10 must exceed the location 1/,
    );
    assert.throws(
      () => createSampler(parseDistribution("exponential:1")).withRate(0),
      /rate must be/,
    );
    assert.equal(createSampler(parseDistribution("pareto:0,1,1.5")).mean(), Infinity);
  });

  await t.step("the same seed gives the same draws; another seed does not", () => {
    assert.deepEqual(draws("fb_value", 9, 1000), draws("fb_value", 9, 1000));
    assert.notDeepEqual(draws("fb_value", 9, 1000), draws("fb_value", 10, 1000));
  });
});

Deno.test("Sampler.fromUniform", async (t) => {
  await t.step("is the inverse CDF of single-uniform families", () => {
    const u = 0.3;
    const at = (text: string) => createSampler(parseDistribution(text)).fromUniform(u);
    assert.equal(at("fixed:5"), 5);
    assert.equal(at("uniform:10"), 3);
    assert.ok(Math.abs(at("exponential:2") - -Math.log(0.3) / 2) < 1e-15);
    assert.ok(Math.abs(at("normal:0,1") - -0.5244005127080407) < 1e-8);
    assert.ok(Math.abs(at("normal:10,2") - (10 + 2 * -0.5244005127080407)) < 1e-8);
    assert.ok(
      Math.abs(
        createSampler(parseDistribution("normal:0,1")).fromUniform(0.001) - -3.090232306167813,
      ) < 1e-7,
    );
  });

  await t.step("walks a size table with the given uniform, then the tail at the same one", () => {
    const s = createSampler(parseDistribution("fb_value"));
    assert.equal(s.fromUniform(0.001), 0);
    assert.equal(s.fromUniform(0.1), 2);
    const tail = createSampler(parseDistribution("pareto:15,214.476,0.348238"));
    assert.equal(s.fromUniform(0.9), tail.fromUniform(0.9));
  });
});
