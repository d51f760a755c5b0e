/**
 * Counts and enumerates the values of a finite configuration space.
 *
 * @module
 */
import { type ConfSpace, type ConfValue, intBounds, showSpace } from "./space.ts";

/** Default most values {@linkcode enumerateSpace} agrees to produce. */
export const DEFAULT_ENUMERATION_LIMIT = 1_000_000;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) {
    r = (r * (n - k + i)) / i;
    if (!Number.isFinite(r)) return Infinity;
  }
  return Math.round(r);
}

/**
 * Number of values in `space`: exact up to 2^53, approximate above, `Infinity` when it overflows
 * a double. An unordered list counts each multiset once.
 */
export function spaceSize(space: ConfSpace): number {
  switch (space.kind) {
    case "int":
    case "uint":
    case "sint": {
      const [lo, hi] = intBounds(space);
      return hi - lo + 1;
    }
    case "bool":
      return 2;
    case "enum":
      return space.values.length;
    case "maybe":
      return spaceSize(space.inner) + 1;
    case "list": {
      const n = spaceSize(space.element);
      let total = 0;
      for (let k = space.min; k <= space.max && Number.isFinite(total); k++) {
        total += space.ordered ? n ** k : binomial(n + k - 1, k);
      }
      return total;
    }
    case "tuple": {
      let p = 1;
      for (const s of Object.values(space.fields)) p *= spaceSize(s);
      return p;
    }
    case "sum": {
      let t = 0;
      for (const s of Object.values(space.alternatives)) t += spaceSize(s);
      return t;
    }
  }
}

function* values(space: ConfSpace): Generator<ConfValue> {
  switch (space.kind) {
    case "int":
    case "uint":
    case "sint": {
      const [lo, hi] = intBounds(space);
      for (let v = lo; v <= hi; v++) yield v;
      return;
    }
    case "bool":
      yield false;
      yield true;
      return;
    case "enum":
      yield* space.values;
      return;
    case "maybe":
      yield null;
      yield* values(space.inner);
      return;
    case "list": {
      const elems = [...values(space.element)];
      for (let k = space.min; k <= space.max; k++) {
        // idx is a k-digit counter over elems; unordered lists keep it non-decreasing.
        const idx = new Array<number>(k).fill(0);
        while (true) {
          yield idx.map((i) => elems[i] as ConfValue);
          let pos = k - 1;
          while (pos >= 0 && idx[pos] === elems.length - 1) pos--;
          if (pos < 0) break;
          const next = (idx[pos] as number) + 1;
          idx[pos] = next;
          for (let j = pos + 1; j < k; j++) idx[j] = space.ordered ? 0 : next;
        }
      }
      return;
    }
    case "tuple": {
      const entries = Object.entries(space.fields);
      const pools = entries.map(([, s]) => [...values(s)]);
      const idx = new Array<number>(entries.length).fill(0);
      while (true) {
        const rec: Record<string, ConfValue> = {};
        entries.forEach(([l], i) =>
          rec[l] = (pools[i] as ConfValue[])[idx[i] as number] as ConfValue
        );
        yield rec;
        let pos = entries.length - 1;
        while (pos >= 0 && idx[pos] === (pools[pos] as ConfValue[]).length - 1) idx[pos--] = 0;
        if (pos < 0) return;
        idx[pos] = (idx[pos] as number) + 1;
      }
    }
    case "sum":
      for (const [tag, s] of Object.entries(space.alternatives)) {
        for (const value of values(s)) yield { tag, value };
      }
      return;
  }
}

/**
 * Yields every value of `space` in a fixed order (integers ascending, `false` before `true`,
 * enum and sum in declaration order, wildcard first, lists by length then lexicographically,
 * tuples with the first field varying slowest). Throws when the space holds more than `limit`
 * values.
 */
export function enumerateSpace(
  space: ConfSpace,
  limit: number = DEFAULT_ENUMERATION_LIMIT,
): Generator<ConfValue> {
  const n = spaceSize(space);
  if (n > limit) {
    throw new RangeError(
      `Cannot enumerate ${showSpace(space)}: it holds ${n} values, the limit is ${limit}`,
    );
  }
  return values(space);
}
