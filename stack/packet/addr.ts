/**
 * Text forms of IPv4 and MAC addresses: IPv4 addresses are unsigned 32-bit numbers in host
 * order (`0x7f000001` is 127.0.0.1), MACs are 6 bytes.
 *
 * These allocate strings; they are for configuration, reports and tests, not per-packet code.
 *
 * @module
 */

/** Dotted-quad text of an IPv4 address given as an unsigned 32-bit number. */
export function formatIpv4(u32: number): string {
  return `${(u32 >>> 24) & 0xff}.${(u32 >>> 16) & 0xff}.${(u32 >>> 8) & 0xff}.${u32 & 0xff}`;
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit number; throws a clear error. */
export function parseIpv4(str: string): number {
  const m = IPV4_RE.exec(str);
  if (m === null) {
    throw new SyntaxError(
      `Cannot parse IPv4 address "${str}": expected four dotted decimals a.b.c.d`,
    );
  }
  let out = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] ?? "";
    if (part.length > 1 && part.startsWith("0")) {
      throw new SyntaxError(
        `Cannot parse IPv4 address "${str}": part "${part}" has a leading zero (octal forms are not accepted)`,
      );
    }
    const n = Number(part);
    if (n > 255) {
      throw new SyntaxError(`Cannot parse IPv4 address "${str}": part ${n} must be 0..255`);
    }
    out = out * 256 + n;
  }
  return out;
}

const HEX = "0123456789abcdef";

/** Colon-separated lower-case text of the 6-byte MAC at `bytes[off..off+6)`; throws if out of range. */
export function formatMac(bytes: Uint8Array, off = 0): string {
  if (!(Number.isInteger(off) && off >= 0 && off + 6 <= bytes.length)) {
    throw new RangeError(
      `Cannot format MAC at offset ${off}: 6 bytes must lie within the ${bytes.length}-byte buffer`,
    );
  }
  let s = "";
  for (let i = 0; i < 6; i++) {
    const b = bytes[off + i] ?? 0;
    if (i > 0) s += ":";
    s += (HEX[b >>> 4] ?? "") + (HEX[b & 15] ?? "");
  }
  return s;
}

const MAC_RE =
  /^([0-9a-fA-F]{2})([:-])([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})\2([0-9a-fA-F]{2})$/;

/** Parses `aa:bb:cc:dd:ee:ff` (or with `-`) into 6 bytes; throws a clear error. */
export function parseMac(str: string): Uint8Array {
  const m = MAC_RE.exec(str);
  if (m === null) {
    throw new SyntaxError(
      `Cannot parse MAC address "${str}": expected six two-digit hex groups separated by ":" or "-"`,
    );
  }
  const out = new Uint8Array(6);
  const groups = [m[1], m[3], m[4], m[5], m[6], m[7]];
  for (let i = 0; i < 6; i++) out[i] = parseInt(groups[i] ?? "", 16);
  return out;
}
