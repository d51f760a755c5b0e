/**
 * Address parsing for NIC configuration data (not a hot path): IPv4 with optional prefix, IPv6.
 *
 * @module
 */

/** Parses a dotted-quad IPv4 address to an unsigned 32-bit number; throws a clear error. */
export function parseIpv4Address(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(
      `Cannot parse IPv4 address "${text}": expected four numbers 0..255 like 10.0.0.1`,
    );
  }
  return parts.reduce((acc, p) => ((acc << 8) | Number(p)) >>> 0, 0);
}

/** An IPv4 address with a prefix length (32 when none was written). */
export interface Ipv4Prefix {
  /** Address as an unsigned 32-bit number, host bits cleared. */
  readonly addr: number;
  /** Prefix length 0..32. */
  readonly prefix: number;
  /** Network mask as an unsigned 32-bit number. */
  readonly mask: number;
}

/** Parses "a.b.c.d" or "a.b.c.d/n"; throws a clear error on bad input. */
export function parseIpv4Prefix(text: string): Ipv4Prefix {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  let prefix = 32;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(p) || Number(p) > 32) {
      throw new Error(`Cannot parse IPv4 prefix "${text}": prefix length must be 0..32`);
    }
    prefix = Number(p);
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { addr: (parseIpv4Address(addrText) & mask) >>> 0, prefix, mask };
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIpv4Address(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 0xff}.${(addr >>> 8) & 0xff}.${addr & 0xff}`;
}

/** Parses an IPv6 address (with at most one "::") into 16 bytes; throws a clear error. */
export function parseIpv6Address(text: string): Uint8Array {
  const fail = () =>
    new Error(`Cannot parse IPv6 address "${text}": expected up to eight hex groups with one ::`);
  const halves = text.split("::");
  if (halves.length > 2) throw fail();
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) throw fail();
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill("0"), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw fail();
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}
