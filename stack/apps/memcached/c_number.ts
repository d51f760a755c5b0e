/**
 * Decimal number parsing over byte ranges, with memcached's `safe_strto*` semantics.
 *
 * memcached parses numbers with C `strtoull`/`strtol` wrapped in `safe_strtoull`,
 * `safe_strtoul` and `safe_strtol` (util.c): leading whitespace and a sign are accepted, at
 * least one digit is required, the digits must be followed by whitespace or the end, overflow of
 * the 64-bit type fails, a `-` on an unsigned value fails only when the wrapped result is
 * negative as a signed number ("-0" is 0, "-18446744073709551615" is 1), and the 32-bit
 * variants keep the low 32 bits. Observed on memcached 1.6.18: flags `4294967296` store as 0,
 * a length of `4294967297` reads one byte.
 *
 * Results go to the shared {@link NUM} scratch so parsing allocates nothing.
 *
 * @module
 */

/** Result of the last successful parse: `NUM[0]` low 32 bits, `NUM[1]` high 32 bits. */
export const NUM: Uint32Array = new Uint32Array(2);

const TWO32 = 4294967296;

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** Scans digits into NUM as an unsigned 64-bit value; returns the end index, or -1 on error. */
function scanU64(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && isSpace(buf[i] as number)) i++;
  let neg = false;
  const sign = i < end ? buf[i] as number : 0;
  if (sign === 0x2b || sign === 0x2d) {
    neg = sign === 0x2d;
    i++;
  }
  const digitsStart = i;
  let lo = 0;
  let hi = 0;
  let overflow = false;
  while (i < end) {
    const d = (buf[i] as number) - 0x30;
    if (d < 0 || d > 9) break;
    if (!overflow) {
      const x = lo * 10 + d;
      const carry = Math.floor(x / TWO32);
      lo = x - carry * TWO32;
      hi = hi * 10 + carry;
      if (hi >= TWO32) overflow = true;
    }
    i++;
  }
  if (i === digitsStart || overflow) return -1;
  if (i < end) {
    const t = buf[i] as number;
    if (t !== 0 && !isSpace(t)) return -1;
  }
  if (neg) {
    // Two's complement negation of (hi, lo).
    const nlo = (TWO32 - lo) % TWO32;
    const nhi = lo === 0 ? (TWO32 - hi) % TWO32 : TWO32 - 1 - hi;
    lo = nlo;
    hi = nhi;
  }
  NUM[0] = lo;
  NUM[1] = hi;
  // Remember the sign for strtol callers.
  lastNegative = neg;
  lastMagnitudeHi = neg ? 0 : hi;
  return i;
}

let lastNegative = false;
let lastMagnitudeHi = 0;

/**
 * Parses an unsigned 64-bit decimal like memcached's `safe_strtoull`.
 *
 * @returns true and the value in {@link NUM}, or false when the text is not a valid number
 */
export function parseU64(buf: Uint8Array, start: number, end: number): boolean {
  if (scanU64(buf, start, end) < 0) return false;
  // A '-' is refused only when the wrapped result is negative as a signed 64-bit number.
  if (lastNegative && ((NUM[1] as number) & 0x80000000) !== 0) return false;
  return true;
}

/**
 * Parses an unsigned 32-bit decimal like memcached's `safe_strtoul` on a 64-bit build: the
 * 64-bit result is truncated to its low 32 bits.
 *
 * @returns the value, or -1 when the text is not a valid number
 */
export function parseU32(buf: Uint8Array, start: number, end: number): number {
  if (!parseU64(buf, start, end)) return -1;
  return NUM[0] as number;
}

/**
 * Parses a signed decimal like memcached's `safe_strtol` on a 64-bit build: C `strtol` into a
 * 64-bit `long` (overflow fails), then the low 32 bits as a signed `int32_t`.
 *
 * @returns true and the int32 value in {@link I32}[0], or false when the text is invalid
 */
export function parseI32(buf: Uint8Array, start: number, end: number): boolean {
  if (scanU64(buf, start, end) < 0) return false;
  // Range of a signed 64-bit long: magnitude up to 2^63 - 1, or 2^63 when negative.
  if (!lastNegative) {
    if ((lastMagnitudeHi & 0x80000000) !== 0) return false;
  } else {
    const hi = NUM[1] as number;
    const lo = NUM[0] as number;
    // After negation a valid negative is >= 2^63 (top bit set) or exactly 0.
    if ((hi & 0x80000000) === 0 && (hi !== 0 || lo !== 0)) return false;
  }
  I32[0] = NUM[0] as number;
  return true;
}

/** Result of the last successful {@link parseI32}. */
export const I32: Int32Array = new Int32Array(1);

/** Returns NUM as a JavaScript number (exact below 2^53). */
export function numValue(): number {
  return (NUM[1] as number) * TWO32 + (NUM[0] as number);
}

/** Returns NUM as a BigInt (exact). */
export function numBigInt(): bigint {
  return (BigInt(NUM[1] as number) << 32n) | BigInt(NUM[0] as number);
}
