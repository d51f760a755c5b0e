/**
 * Samplers for parsed distributions, drawing from a pure-rand stream.
 *
 * Formulas follow mutilate's generators (workloads.md §4.2 "Sampling rules"), with U uniform on
 * (0, 1) from {@link openUnit}:
 * - generalized Pareto: loc + scale · (U^(−shape) − 1) / shape;
 * - GEV: E = −ln U, loc + scale · (E^(−shape) − 1) / shape;
 * - discrete with fallback: walk the table with U; past its mass, sample the fallback with a
 *   fresh U;
 * - normal: Box–Muller with two uniforms (mutilate reuses one uniform for both, which is not
 *   normal; the lab does not copy that);
 * - shape 0 of Pareto/GEV uses the limit (exponential / Gumbel) where mutilate asserts.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { FB_IA, FB_KEY, FB_VALUE_TABLE, FB_VALUE_TAIL } from "./facebook.ts";
import { type DistSpec, formatDistribution } from "./spec.ts";
import { openUnit } from "./unit.ts";

/** Draws numbers from one distribution. */
export interface Sampler {
  /** The distribution, as parsed. */
  readonly spec: DistSpec;
  /** Draws one value from `rng` (allocates nothing). */
  sample(rng: RandomGenerator): number;
  /**
   * The value for one given uniform `u` in (0, 1), as mutilate's `generate(U)` (used to derive a
   * key's size from a hash of its index): the inverse CDF for single-uniform families, the table
   * walk then the fallback at the same `u` for size tables. Normal uses its exact inverse CDF
   * (mutilate's single-uniform normal is not normal).
   */
  fromUniform(u: number): number;
  /** Closed-form mean (`Infinity` when it does not exist). */
  mean(): number;
  /**
   * The same family rescaled so its mean is 1 / `lambda`, as mutilate's `set_lambda` does for
   * inter-arrival gaps (fixed: 1/λ; uniform: max 2/λ; normal: mean 1/λ; exponential: rate λ;
   * Pareto: scale (1 − shape)/λ − (1 − shape)·loc). Throws for GEV and fb_value, which
   * mutilate cannot rescale either, and for Pareto with shape >= 1 (no mean).
   */
  withRate(lambda: number): Sampler;
}

/**
 * Creates the sampler of `spec`.
 *
 * @example
 * ```ts
 * import { createSampler, parseDistribution } from "./mod.ts";
 * import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
 * const ia = createSampler(parseDistribution("fb_ia")).withRate(1e5); // seconds
 * const gap = ia.sample(xoroshiro128plus(1));
 * if (!(gap >= 0)) throw new Error("negative gap");
 * ```
 */
export function createSampler(spec: DistSpec): Sampler {
  switch (spec.kind) {
    case "fixed":
      return new Fixed(spec, spec.value);
    case "uniform":
      return new Uniform(spec, spec.max);
    case "normal":
      return new Normal(spec, spec.mean, spec.sd);
    case "exponential":
      return new Exponential(spec, spec.lambda);
    case "pareto":
      return new GPareto(spec, spec.loc, spec.scale, spec.shape);
    case "gev":
      return new Gev(spec, spec.loc, spec.scale, spec.shape);
    case "fb_key":
      return new Gev(spec, FB_KEY.loc, FB_KEY.scale, FB_KEY.shape);
    case "fb_value":
      return new Discrete(
        spec,
        FB_VALUE_TABLE,
        new GPareto(
          { kind: "pareto", ...FB_VALUE_TAIL },
          FB_VALUE_TAIL.loc,
          FB_VALUE_TAIL.scale,
          FB_VALUE_TAIL.shape,
        ),
      );
    case "fb_ia":
      return new GPareto(spec, FB_IA.loc, FB_IA.scale, FB_IA.shape);
  }
}

function checkLambda(spec: DistSpec, lambda: number): void {
  if (!(lambda > 0) || !Number.isFinite(lambda)) {
    throw new RangeError(
      `Cannot rescale ${
        formatDistribution(spec)
      } to rate ${lambda}: the rate must be a finite number > 0`,
    );
  }
}

class Fixed implements Sampler {
  constructor(readonly spec: DistSpec, readonly value: number) {}
  sample(_rng: RandomGenerator): number {
    return this.value;
  }
  fromUniform(_u: number): number {
    return this.value;
  }
  mean(): number {
    return this.value;
  }
  withRate(lambda: number): Sampler {
    checkLambda(this.spec, lambda);
    return new Fixed({ kind: "fixed", value: 1 / lambda }, 1 / lambda);
  }
}

class Uniform implements Sampler {
  constructor(readonly spec: DistSpec, readonly max: number) {}
  sample(rng: RandomGenerator): number {
    return this.max * openUnit(rng);
  }
  fromUniform(u: number): number {
    return this.max * u;
  }
  mean(): number {
    return this.max / 2;
  }
  withRate(lambda: number): Sampler {
    checkLambda(this.spec, lambda);
    return new Uniform({ kind: "uniform", max: 2 / lambda }, 2 / lambda);
  }
}

class Normal implements Sampler {
  constructor(readonly spec: DistSpec, readonly mu: number, readonly sd: number) {}
  sample(rng: RandomGenerator): number {
    const u = openUnit(rng);
    const v = openUnit(rng);
    return this.mu + this.sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  fromUniform(u: number): number {
    return this.mu + this.sd * inverseNormalCdf(u);
  }
  mean(): number {
    return this.mu;
  }
  withRate(lambda: number): Sampler {
    checkLambda(this.spec, lambda);
    return new Normal({ kind: "normal", mean: 1 / lambda, sd: this.sd }, 1 / lambda, this.sd);
  }
}

class Exponential implements Sampler {
  constructor(readonly spec: DistSpec, readonly lambda: number) {}
  sample(rng: RandomGenerator): number {
    return this.fromUniform(openUnit(rng));
  }
  fromUniform(u: number): number {
    return -Math.log(u) / this.lambda;
  }
  mean(): number {
    return 1 / this.lambda;
  }
  withRate(lambda: number): Sampler {
    checkLambda(this.spec, lambda);
    return new Exponential({ kind: "exponential", lambda }, lambda);
  }
}

class GPareto implements Sampler {
  constructor(
    readonly spec: DistSpec,
    readonly loc: number,
    readonly scale: number,
    readonly shape: number,
  ) {}
  sample(rng: RandomGenerator): number {
    return this.fromUniform(openUnit(rng));
  }
  fromUniform(u: number): number {
    if (this.shape === 0) return this.loc - this.scale * Math.log(u);
    return this.loc + (this.scale * (Math.pow(u, -this.shape) - 1)) / this.shape;
  }
  mean(): number {
    return this.shape < 1 ? this.loc + this.scale / (1 - this.shape) : Infinity;
  }
  withRate(lambda: number): Sampler {
    checkLambda(this.spec, lambda);
    if (!(this.shape < 1)) {
      throw new RangeError(
        `Cannot rescale ${
          formatDistribution(this.spec)
        } to a rate: shape ${this.shape} must be < 1 for a finite mean`,
      );
    }
    const scale = (1 - this.shape) / lambda - (1 - this.shape) * this.loc;
    if (!(scale > 0)) {
      throw new RangeError(
        `Cannot rescale ${
          formatDistribution(this.spec)
        } to rate ${lambda}: the mean gap 1/${lambda} ` +
          `must exceed the location ${this.loc}`,
      );
    }
    return new GPareto(
      { kind: "pareto", loc: this.loc, scale, shape: this.shape },
      this.loc,
      scale,
      this.shape,
    );
  }
}

class Gev implements Sampler {
  constructor(
    readonly spec: DistSpec,
    readonly loc: number,
    readonly scale: number,
    readonly shape: number,
  ) {}
  sample(rng: RandomGenerator): number {
    return this.fromUniform(openUnit(rng));
  }
  fromUniform(u: number): number {
    const e = -Math.log(u);
    if (this.shape === 0) return this.loc - this.scale * Math.log(e);
    return this.loc + (this.scale * (Math.pow(e, -this.shape) - 1)) / this.shape;
  }
  mean(): number {
    // E[E^-k] = Γ(1 - k) for E ~ Exp(1), k < 1; the k -> 0 limit is Euler's constant.
    if (this.shape === 0) return this.loc + this.scale * EULER_GAMMA;
    if (!(this.shape < 1)) return Infinity;
    return this.loc + (this.scale * (gamma(1 - this.shape) - 1)) / this.shape;
  }
  withRate(_lambda: number): Sampler {
    throw new Error(
      `Cannot rescale ${
        formatDistribution(this.spec)
      } to a rate: mutilate defines no rate for GEV; ` +
        "allowed for fixed, uniform, normal, exponential, pareto and fb_ia",
    );
  }
}

class Discrete implements Sampler {
  readonly #cumulative: Float64Array;
  constructor(
    readonly spec: DistSpec,
    readonly table: readonly number[],
    readonly fallback: Sampler,
  ) {
    this.#cumulative = new Float64Array(table.length);
    let sum = 0;
    table.forEach((p, i) => {
      sum += p;
      this.#cumulative[i] = sum;
    });
  }
  sample(rng: RandomGenerator): number {
    const u = openUnit(rng);
    const c = this.#cumulative;
    for (let i = 0; i < c.length; i++) if (u < (c[i] as number)) return i;
    return this.fallback.sample(rng);
  }
  fromUniform(u: number): number {
    const c = this.#cumulative;
    for (let i = 0; i < c.length; i++) if (u < (c[i] as number)) return i;
    return this.fallback.fromUniform(u);
  }
  mean(): number {
    let m = 0;
    let mass = 0;
    this.table.forEach((p, v) => {
      m += p * v;
      mass += p;
    });
    return m + (1 - mass) * this.fallback.mean();
  }
  withRate(_lambda: number): Sampler {
    throw new Error(
      `Cannot rescale ${formatDistribution(this.spec)} to a rate: a size table has no rate; ` +
        "allowed for fixed, uniform, normal, exponential, pareto and fb_ia",
    );
  }
}

/** Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/** Lanczos approximation (g = 7, n = 9) of the gamma function; ~1e-15 relative error. */
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error below
 * 1.2e-9) for p in (0, 1).
 */
function inverseNormalCdf(p: number): number {
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
