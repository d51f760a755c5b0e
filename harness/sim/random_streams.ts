/**
 * Seeded, named random streams: one seed, one independent stream per component.
 *
 * @module
 */
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";

/** A random stream: a pure-rand xoroshiro128+ generator that advances in place. */
export type RandomStream = JumpableRandomGenerator;

/** Record of one stream handed out, for the run's JSON context. */
export interface StreamRecord {
  /** Component name the stream was requested under. */
  readonly name: string;
  /** Replica index (e.g. the core number) within that component. */
  readonly index: number;
}

/** Largest replica index accepted by {@link RandomStreams.stream} (each index costs one jump). */
export const MAX_STREAM_INDEX = 4095;

/**
 * A registry of named random streams derived from one 32-bit seed.
 *
 * The stream for (name, index) depends only on the seed, the name and the index, never on which
 * other streams exist or the order they were requested in, so adding a component does not
 * perturb the others. The base state of a name is a 128-bit hash of (seed, name) (Murmur3
 * finalisers over the UTF-8 bytes); replicas of one component (index 0, 1, 2, ...) are that base
 * advanced by `index` xoroshiro128+ jumps of 2^64 steps each, so they never overlap. Streams of
 * different names start at hashed, effectively random points of the 2^128 - 1 period.
 *
 * Each (name, index) is handed out once: asking twice throws, because two components sharing a
 * stream would make each one's draws depend on the other's.
 *
 * @example
 * ```ts
 * import { RandomStreams } from "./random_streams.ts";
 * const a = new RandomStreams(42).stream("client.arrivals");
 * const b = new RandomStreams(42).stream("client.arrivals");
 * if (a.next() !== b.next()) throw new Error("streams differ");
 * ```
 */
export class RandomStreams {
  /** The 32-bit seed every stream derives from. */
  readonly seed: number;
  #issued = new Set<string>();
  #records: StreamRecord[] = [];

  /** Creates the registry for `seed`, an integer in 0..2^32-1. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      throw new RangeError(`Random seed ${seed} is invalid: must be an integer in 0..4294967295`);
    }
    this.seed = seed;
  }

  /** Returns the stream for component `name`, replica `index` (default 0). */
  stream(name: string, index = 0): RandomStream {
    if (name.length === 0) throw new Error("Random stream name must not be empty");
    if (!Number.isInteger(index) || index < 0 || index > MAX_STREAM_INDEX) {
      throw new RangeError(
        `Random stream "${name}" index ${index} is invalid: must be an integer in 0..${MAX_STREAM_INDEX}`,
      );
    }
    const key = `${index}:${name}`;
    if (this.#issued.has(key)) {
      throw new Error(
        `Random stream "${name}" index ${index} was already handed out; give each component its own name or index`,
      );
    }
    this.#issued.add(key);
    this.#records.push({ name, index });
    const rng = xoroshiro128plusFromState(baseState(this.seed, name));
    for (let i = 0; i < index; i++) rng.jump();
    return rng;
  }

  /** The streams handed out so far, in request order (for the run's record). */
  issued(): readonly StreamRecord[] {
    return this.#records.slice();
  }
}

/** Four 32-bit state words from (seed, name); never all zero. */
function baseState(seed: number, name: string): number[] {
  const bytes = new TextEncoder().encode(name);
  const words: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    let h = fmix32((seed ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0);
    for (const byte of bytes) {
      h = Math.imul(h ^ byte, 0x01000193) >>> 0;
      h = (h ^ (h >>> 15)) >>> 0;
    }
    h = fmix32((h ^ bytes.length ^ Math.imul(lane, 0x85ebca6b)) >>> 0);
    words.push(h | 0);
  }
  if (!words.some((w) => w !== 0)) words[0] = 1;
  return words;
}

/** Murmur3's 32-bit finaliser (full avalanche). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
