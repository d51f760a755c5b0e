/**
 * Configuration spaces: the typed set of values a C-node accepts.
 *
 * A space is plain serialisable data (Dragonet's `ConfType`: `Bool`, `Int lo hi`, `UInt bits`,
 * `SInt bits`, `Enum (A,B)`, `<T>`, `[T]<min,max>`, `{T}<min,max>`, `(lbl: T, ...)`, sum types;
 * source: `/work/shared/reference/dragonet-model.md` §2.5, original `Unicorn/Parser.hs`).
 * Values are plain JSON-compatible data too: see {@linkcode ValueOf}.
 *
 * @module
 */

/** Widest unsigned or signed integer width a space may declare: values are JS numbers. */
export const MAX_INT_BITS = 53;

/** Integers `lo..hi` inclusive (Unicorn `Int lo hi`). */
export interface IntSpace {
  /** Discriminator. */
  readonly kind: "int";
  /** Smallest value. */
  readonly lo: number;
  /** Largest value. */
  readonly hi: number;
}

/** Unsigned integers of `bits` bits, `0..2^bits-1` (Unicorn `UInt bits`). */
export interface UIntSpace {
  /** Discriminator. */
  readonly kind: "uint";
  /** Width in bits (1..53). */
  readonly bits: number;
}

/** Two's-complement integers of `bits` bits, `-2^(bits-1)..2^(bits-1)-1` (Unicorn `SInt bits`). */
export interface SIntSpace {
  /** Discriminator. */
  readonly kind: "sint";
  /** Width in bits (1..53). */
  readonly bits: number;
}

/** `true` or `false` (Unicorn `Bool`). */
export interface BoolSpace {
  /** Discriminator. */
  readonly kind: "bool";
}

/** One of a fixed list of names (Unicorn `Enum (A,B)`; a C-node without a type uses its ports). */
export interface EnumSpace<V extends string = string> {
  /** Discriminator. */
  readonly kind: "enum";
  /** The allowed names, distinct. */
  readonly values: readonly V[];
}

/** A value of `inner` or the wildcard `null` (Unicorn `<T>`: "match anything"). */
export interface MaybeSpace<S extends ConfSpace = ConfSpace> {
  /** Discriminator. */
  readonly kind: "maybe";
  /** The space of non-wildcard values. */
  readonly inner: S;
}

/**
 * Lists of `min..max` elements of `element` (Unicorn `[T]<min,max>` when ordered, `{T}<min,max>`
 * when not). An unordered list is a multiset: two lists that differ only in order are the same
 * configuration, and enumeration yields each multiset once.
 */
export interface ListSpace<S extends ConfSpace = ConfSpace> {
  /** Discriminator. */
  readonly kind: "list";
  /** The space of each element. */
  readonly element: S;
  /** Fewest elements. */
  readonly min: number;
  /** Most elements (the table capacity). */
  readonly max: number;
  /** Whether element order matters. */
  readonly ordered: boolean;
}

/** A record with fixed labelled fields, in declaration order (Unicorn `(lbl: T, ...)`). */
export interface TupleSpace<
  F extends Readonly<Record<string, ConfSpace>> = Readonly<Record<string, ConfSpace>>,
> {
  /** Discriminator. */
  readonly kind: "tuple";
  /** Field spaces by label, in declaration order. */
  readonly fields: F;
}

/** Exactly one of several labelled alternatives: values are `{ tag, value }` (Unicorn sum type). */
export interface SumSpace<
  A extends Readonly<Record<string, ConfSpace>> = Readonly<Record<string, ConfSpace>>,
> {
  /** Discriminator. */
  readonly kind: "sum";
  /** Alternative spaces by tag. */
  readonly alternatives: A;
}

/** Any configuration space. */
export type ConfSpace =
  | IntSpace
  | UIntSpace
  | SIntSpace
  | BoolSpace
  | EnumSpace
  | MaybeSpace
  | ListSpace
  | TupleSpace
  | SumSpace;

/** The TypeScript type of the values of space `S` (wildcard = `null`, sum = `{ tag, value }`). */
export type ValueOf<S> = S extends IntSpace | UIntSpace | SIntSpace ? number
  : S extends BoolSpace ? boolean
  : S extends EnumSpace<infer V> ? V
  : S extends MaybeSpace<infer I> ? ValueOf<I> | null
  : S extends ListSpace<infer E> ? readonly ValueOf<E>[]
  : S extends TupleSpace<infer F> ? { readonly [K in keyof F]: ValueOf<F[K]> }
  : S extends SumSpace<infer A>
    ? { [K in keyof A]: { readonly tag: K; readonly value: ValueOf<A[K]> } }[keyof A]
  : never;

/** Any configuration value (the JSON-compatible union of all {@linkcode ValueOf} results). */
export type ConfValue =
  | number
  | boolean
  | string
  | null
  | readonly ConfValue[]
  | { readonly [label: string]: ConfValue };

function checkWidth(kind: string, bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_INT_BITS) {
    throw new RangeError(
      `Cannot make ${kind} space: bits must be an integer 1..${MAX_INT_BITS}, got ${bits}`,
    );
  }
}

/** Makes the space of integers `lo..hi` inclusive. */
export function intRange(lo: number, hi: number): IntSpace {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
    throw new RangeError(
      `Cannot make int space: bounds must be safe integers with lo <= hi, got ${lo}..${hi}`,
    );
  }
  return { kind: "int", lo, hi };
}

/** Makes the space of unsigned `bits`-bit integers (1..53 bits). */
export function uintBits(bits: number): UIntSpace {
  checkWidth("uint", bits);
  return { kind: "uint", bits };
}

/** Makes the space of signed `bits`-bit integers (1..53 bits). */
export function sintBits(bits: number): SIntSpace {
  checkWidth("sint", bits);
  return { kind: "sint", bits };
}

/** The space `{ false, true }`. */
export const boolSpace: BoolSpace = { kind: "bool" };

/** Makes the space of the given names; names must be distinct and non-empty. */
export function enumOf<const V extends string>(values: readonly V[]): EnumSpace<V> {
  if (values.length === 0) {
    throw new RangeError("Cannot make enum space: it needs at least one value, got none");
  }
  const seen = new Set<string>();
  for (const v of values) {
    if (v.length === 0) throw new RangeError("Cannot make enum space: values must be non-empty");
    if (seen.has(v)) throw new RangeError(`Cannot make enum space: value "${v}" appears twice`);
    seen.add(v);
  }
  return { kind: "enum", values: [...values] };
}

/** Makes the wildcardable space `<inner>` (value `null` = wildcard). */
export function maybe<S extends ConfSpace>(inner: S): MaybeSpace<S> {
  if (inner.kind === "maybe") {
    throw new RangeError("Cannot make maybe space: the inner space is already a maybe space");
  }
  return { kind: "maybe", inner };
}

/** Options of {@linkcode listOf}. */
export interface ListOptions {
  /** Fewest elements (default 0). */
  readonly min?: number;
  /** Most elements (required: every table has a capacity). */
  /** Most elements (the table capacity). */
  readonly max: number;
  /** Whether element order matters (default true). */
  readonly ordered?: boolean;
}

/** Makes the space of lists of `element` with `min..max` elements. */
export function listOf<S extends ConfSpace>(element: S, options: ListOptions): ListSpace<S> {
  const min = options.min ?? 0;
  const max = options.max;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max) {
    throw new RangeError(
      `Cannot make list space: lengths must be integers with 0 <= min <= max, got ${min}..${max}`,
    );
  }
  return { kind: "list", element, min, max, ordered: options.ordered ?? true };
}

const LABEL_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkLabels(what: string, labels: readonly string[]): void {
  if (labels.length === 0) {
    throw new RangeError(`Cannot make ${what} space: it needs at least one label, got none`);
  }
  for (const l of labels) {
    if (!LABEL_RE.test(l)) {
      throw new RangeError(
        `Cannot make ${what} space: label "${l}" must match ${LABEL_RE.source}`,
      );
    }
  }
}

/** Makes the labelled-tuple space with the given fields (in declaration order). */
export function tupleOf<const F extends Readonly<Record<string, ConfSpace>>>(
  fields: F,
): TupleSpace<F> {
  checkLabels("tuple", Object.keys(fields));
  return { kind: "tuple", fields };
}

/** Makes the sum space whose values are `{ tag, value }` with `value` in the tagged space. */
export function sumOf<const A extends Readonly<Record<string, ConfSpace>>>(
  alternatives: A,
): SumSpace<A> {
  checkLabels("sum", Object.keys(alternatives));
  return { kind: "sum", alternatives };
}

/** Smallest and largest value of an integer space. */
export function intBounds(space: IntSpace | UIntSpace | SIntSpace): readonly [number, number] {
  switch (space.kind) {
    case "int":
      return [space.lo, space.hi];
    case "uint":
      return [0, 2 ** space.bits - 1];
    case "sint":
      return [-(2 ** (space.bits - 1)), 2 ** (space.bits - 1) - 1];
  }
}

/** Renders a space in Unicorn-like notation, e.g. `[(sip: <UInt 32>, prio: Int 1 7)]<0,128>`. */
export function showSpace(space: ConfSpace): string {
  switch (space.kind) {
    case "int":
      return `Int ${space.lo} ${space.hi}`;
    case "uint":
      return `UInt ${space.bits}`;
    case "sint":
      return `SInt ${space.bits}`;
    case "bool":
      return "Bool";
    case "enum":
      return `Enum (${space.values.join(",")})`;
    case "maybe":
      return `<${showSpace(space.inner)}>`;
    case "list": {
      const [open, close] = space.ordered ? ["[", "]"] : ["{", "}"];
      return `${open}${showSpace(space.element)}${close}<${space.min},${space.max}>`;
    }
    case "tuple":
      return `(${
        Object.entries(space.fields).map(([l, s]) => `${l}: ${showSpace(s)}`).join(", ")
      })`;
    case "sum":
      return Object.entries(space.alternatives).map(([l, s]) => `${l} ${showSpace(s)}`).join(
        " | ",
      );
  }
}
