/**
 * The Toeplitz RSS hash with a precomputed per-byte lookup table.
 *
 * Definition (nic-models.md §4; Microsoft "Verifying the RSS Hash Calculation", DPDK
 * `rte_softrss`): the key is a bit string (bit 0 = MSB of byte 0); for every set input bit i the
 * 32-bit key window starting at bit i is XORed into the result. The table holds, for each input
 * byte position and byte value, that byte's XOR contribution, so hashing costs one lookup per
 * input byte (the implementation hint of §4; SimBricks caches the key the same way).
 *
 * @module
 */

/** Parses a hex key ("6d5a56da...", optional spaces or colons) into bytes. */
export function parseKeyHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new Error(
      `Cannot parse RSS key "${hex}": expected an even number of hex digits (0-9, a-f)`,
    );
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Formats key bytes as lowercase hex without separators. */
export function formatKeyHex(key: Uint8Array): string {
  return Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Tables built so far by key (hex); bounded so that many random keys cannot grow it. */
const LUTS = new Map<string, Uint32Array>();
/** Keys whose tables are kept (the lab uses a handful). */
const MAX_CACHED_KEYS = 16;

/** lut[pos * 256 + byte] = XOR contribution of `byte` at input position `pos` for `key`. */
function buildLut(key: Uint8Array): Uint32Array {
  const inputBytes = key.length - 4;
  const lut = new Uint32Array(inputBytes * 256);
  const window = (bit: number): number => {
    let w = 0;
    for (let j = 0; j < 32; j++) {
      const b = bit + j;
      const v = ((key[b >> 3] ?? 0) >> (7 - (b & 7))) & 1;
      w = ((w << 1) | v) >>> 0;
    }
    return w;
  };
  const windows = new Uint32Array(8);
  for (let pos = 0; pos < inputBytes; pos++) {
    for (let bit = 0; bit < 8; bit++) windows[bit] = window(pos * 8 + bit);
    for (let v = 0; v < 256; v++) {
      let acc = 0;
      for (let bit = 0; bit < 8; bit++) {
        if ((v >> (7 - bit)) & 1) acc ^= windows[bit] ?? 0;
      }
      lut[pos * 256 + v] = acc >>> 0;
    }
  }
  return lut;
}

/**
 * A Toeplitz hasher for one key. Inputs up to `key.length - 4` bytes.
 *
 * @example
 * ```ts
 * import { parseKeyHex, ToeplitzHasher } from "./toeplitz.ts";
 * const h = new ToeplitzHasher(parseKeyHex(
 *   "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa",
 * ));
 * // 66.9.149.187 -> 161.142.100.80, addresses only
 * console.log(h.hashIpv4(0x420995bb, 0xa18e6450).toString(16)); // "323e8fc2"
 * ```
 */
export class ToeplitzHasher {
  /** Longest input in bytes this key supports. */
  readonly maxInputBytes: number;
  /** lut[pos * 256 + byte] = contribution of `byte` at input position `pos`. */
  private readonly lut: Uint32Array;

  /**
   * Precomputes the lookup table for `key` (at least 5 bytes), or reuses the table already built
   * for the same key bytes: the table is a pure function of the key and is never written after
   * it is built, so every NIC model and oracle using the default key shares one.
   */
  constructor(key: Uint8Array) {
    if (key.length < 5) {
      throw new Error(`Toeplitz key must be at least 5 bytes, got ${key.length}`);
    }
    this.maxInputBytes = key.length - 4;
    const id = formatKeyHex(key);
    let lut = LUTS.get(id);
    if (lut === undefined) {
      lut = buildLut(key);
      if (LUTS.size >= MAX_CACHED_KEYS) LUTS.clear();
      LUTS.set(id, lut);
    }
    this.lut = lut;
  }

  /** Hashes `len` bytes of `bytes` from `off` (len at most maxInputBytes). */
  hash(bytes: Uint8Array, off: number, len: number): number {
    if (len > this.maxInputBytes) {
      throw new Error(
        `Toeplitz input of ${len} bytes exceeds the ${this.maxInputBytes} bytes this key covers`,
      );
    }
    const lut = this.lut;
    let h = 0;
    for (let i = 0; i < len; i++) h ^= lut[(i << 8) | (bytes[off + i] ?? 0)] ?? 0;
    return h >>> 0;
  }

  /** Hashes a big-endian 32-bit word placed at input byte position `pos`. */
  private word(pos: number, w: number): number {
    const lut = this.lut;
    const base = pos << 8;
    return (lut[base | (w >>> 24)] ?? 0) ^ (lut[(base + 256) | ((w >>> 16) & 0xff)] ?? 0) ^
      (lut[(base + 512) | ((w >>> 8) & 0xff)] ?? 0) ^ (lut[(base + 768) | (w & 0xff)] ?? 0);
  }

  /** IPv4 2-tuple: src(4) | dst(4), addresses as unsigned 32-bit numbers. */
  hashIpv4(src: number, dst: number): number {
    return (this.word(0, src) ^ this.word(4, dst)) >>> 0;
  }

  /** IPv4 4-tuple: src(4) | dst(4) | sport(2) | dport(2). */
  hashIpv4Ports(src: number, dst: number, sport: number, dport: number): number {
    return (this.word(0, src) ^ this.word(4, dst) ^
      this.word(8, ((sport & 0xffff) << 16) | (dport & 0xffff))) >>> 0;
  }

  /**
   * IPv6 hash reading addresses straight from a frame: src at `srcOff`, dst at `srcOff + 16`,
   * ports (if `withPorts`) at `l4Off`.
   */
  hashIpv6(bytes: Uint8Array, srcOff: number, withPorts: boolean, l4Off: number): number {
    const lut = this.lut;
    let h = 0;
    for (let i = 0; i < 32; i++) h ^= lut[(i << 8) | (bytes[srcOff + i] ?? 0)] ?? 0;
    if (withPorts) {
      for (let i = 0; i < 4; i++) h ^= lut[((32 + i) << 8) | (bytes[l4Off + i] ?? 0)] ?? 0;
    }
    return h >>> 0;
  }
}
