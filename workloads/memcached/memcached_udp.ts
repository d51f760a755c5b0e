/**
 * The client side of memcached over UDP (ASCII protocol): requests with the 8-byte frame header
 * (request id, sequence 0, total 1, reserved 0; workloads.md §3), replies reassembled from their
 * datagrams by sequence number, and every reply checked against what the request must get back.
 *
 * Requests: `get <key>\r\n` with probability `getRatio`, else `set <key> 0 0 <n>\r\n<data>\r\n`
 * (flags and exptime 0, workloads.md §3.1); keys chosen by popularity; value sizes sampled per
 * set (mutilate) and clamped so the request fits one datagram (requests cannot span datagrams,
 * §3; counted as `valuesClamped`). Warm-up: each connection first sets its share of the records
 * (`load`); a warm-up set that fails or times out is not retried, so its key later reads as a
 * (counted) miss.
 *
 * Checks: a set must get exactly `STORED\r\n`; a get exactly `END\r\n` (a miss, counted) or
 * `VALUE <key> 0 <n>\r\n<data>\r\nEND\r\n` with the requested key and data of that key
 * (value_pattern.ts, compared through a {@link ValueTable}); datagrams must agree on the total,
 * arrive once each, and all but the last carry `replyChunk` bytes. Anything else is a wrong reply.
 *
 * @module
 */
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { KeyTable } from "./key_table.ts";
import type { Sampler } from "../dist/sampler.ts";
import {
  type ClientProtocol,
  ReplyStatus,
  type ReplyStatusCode,
  RequestKind,
  type RequestKindCode,
} from "../clients/protocol.ts";
import type { KeyChooser } from "./key_popularity.ts";
import { ValueTable } from "./value_table.ts";

/** The memcached UDP frame header (workloads.md §3). */
export const MEMCACHED_UDP_HEADER = 8;
/**
 * Reply bytes per datagram: 1400-byte payload limit including the 8-byte header
 * (`UDP_MAX_PAYLOAD_SIZE`, workloads.md §3).
 */
export const MEMCACHED_REPLY_CHUNK = 1392;
/** Datagrams one reply may use (replies to the lab's own requests fit in two). */
export const MAX_REPLY_DATAGRAMS = 8;

/** Options of {@link MemcachedUdpClient}. */
export interface MemcachedUdpOptions {
  /** Key length of every record (from `keyLengths`), shared by all connections. */
  readonly keyLengths: Uint8Array;
  /** Value size distribution (bytes). */
  readonly valueSize: Sampler;
  /** Fraction of gets, 0..1 (the rest are sets). */
  readonly getRatio: number;
  /** Which records requests address. */
  readonly keys: KeyChooser;
  /** This connection's random stream (operation, key and size draws). */
  readonly rng: RandomGenerator;
  /** Records this connection loads in warm-up: first, first + stride, ... (null: none). */
  readonly load: { readonly first: number; readonly stride: number } | null;
  /** Reply bytes per datagram (default {@link MEMCACHED_REPLY_CHUNK}). */
  readonly replyChunk?: number;
  /**
   * Every record's key bytes, built from `keyLengths` (default: built for this connection; a
   * client machine shares one over its connections).
   */
  readonly keyTable?: KeyTable;
  /** Every record's value bytes (default: built for this connection; shareable like `keyTable`). */
  readonly valueTable?: ValueTable;
}

const enc = new TextEncoder();
const GET = enc.encode("get ");
const SET = enc.encode("set ");
const FLAGS_EXP = enc.encode(" 0 0 ");
const CRLF = enc.encode("\r\n");
const STORED = enc.encode("STORED\r\n");
const END = enc.encode("END\r\n");
const VALUE = enc.encode("VALUE ");

/** One connection's memcached-over-UDP client protocol. */
export class MemcachedUdpClient implements ClientProtocol {
  /** Protocol name. */
  readonly name = "memcached-udp";
  /** Sets whose sampled value size was clamped to fit one datagram. */
  valuesClamped = 0;
  /** Gets sent. */
  gets = 0;
  /** Sets sent (warm-up excluded). */
  sets = 0;
  readonly #o: MemcachedUdpOptions;
  readonly #chunk: number;
  readonly #keyTable: KeyTable;
  readonly #values: ValueTable;
  #loadNext: number;
  // Per slot (grown on demand).
  #kind: Uint8Array = new Uint8Array(0);
  #key: Int32Array = new Int32Array(0);
  #total: Int32Array = new Int32Array(0);
  #got: Int32Array = new Int32Array(0);
  #lastLen: Int32Array = new Int32Array(0);
  #bufs: (Uint8Array | null)[] = [];

  /** Creates the protocol of one connection. */
  constructor(opts: MemcachedUdpOptions) {
    if (!(opts.getRatio >= 0 && opts.getRatio <= 1)) {
      throw new RangeError(`Get ratio ${opts.getRatio} is invalid: must be in 0..1`);
    }
    if (opts.keys.records !== opts.keyLengths.length) {
      throw new RangeError(
        `Key chooser covers ${opts.keys.records} records but ${opts.keyLengths.length} key lengths were given: they must match`,
      );
    }
    this.#chunk = opts.replyChunk ?? MEMCACHED_REPLY_CHUNK;
    if (!Number.isInteger(this.#chunk) || this.#chunk < 1 || this.#chunk > 65_527) {
      throw new RangeError(`Reply chunk ${this.#chunk} is invalid: must be an integer 1..65527`);
    }
    if (opts.load !== null && !(opts.load.first >= 0 && opts.load.stride >= 1)) {
      throw new RangeError(
        `Load share first ${opts.load.first}, stride ${opts.load.stride} is invalid: first >= 0, stride >= 1`,
      );
    }
    if (opts.keyTable !== undefined && opts.keyTable.lengths !== opts.keyLengths) {
      throw new RangeError(
        "Key table was built from another key-length table: build it from keyLengths",
      );
    }
    if (opts.valueTable !== undefined && opts.valueTable.records !== opts.keyLengths.length) {
      throw new RangeError(
        `Value table covers ${opts.valueTable.records} records but ${opts.keyLengths.length} key lengths were given: they must match`,
      );
    }
    this.#keyTable = opts.keyTable ?? new KeyTable(opts.keyLengths);
    this.#values = opts.valueTable ?? new ValueTable(opts.keyLengths.length);
    this.#o = opts;
    this.#loadNext = opts.load === null ? opts.keyLengths.length : opts.load.first;
  }

  /** True while warm-up sets remain. */
  loading(): boolean {
    return this.#loadNext < this.#o.keyLengths.length;
  }

  /** Writes a get, a set or a warm-up set. */
  writeRequest(slot: number, id: number, bytes: Uint8Array, off: number, cap: number): number {
    this.#ensure(slot);
    const o = this.#o;
    let index: number;
    let kind: RequestKindCode;
    if (this.loading()) {
      index = this.#loadNext;
      this.#loadNext += (o.load as { stride: number }).stride;
      kind = RequestKind.Load;
    } else {
      kind = o.getRatio > 0 && unit(o.rng) < o.getRatio ? RequestKind.Get : RequestKind.Set;
      index = o.keys.next(o.rng);
    }
    this.#kind[slot] = kind;
    this.#key[slot] = index;
    this.#total[slot] = -1;
    this.#got[slot] = 0;
    // Frame header: id, sequence 0, total 1, reserved 0.
    bytes[off] = id >>> 8;
    bytes[off + 1] = id & 0xff;
    bytes[off + 2] = 0;
    bytes[off + 3] = 0;
    bytes[off + 4] = 0;
    bytes[off + 5] = 1;
    bytes[off + 6] = 0;
    bytes[off + 7] = 0;
    let p = off + MEMCACHED_UDP_HEADER;
    const keyLen = o.keyLengths[index] as number;
    if (kind === RequestKind.Get) {
      this.gets++;
      p = put(GET, bytes, p);
      p += this.#keyTable.write(index, bytes, p);
      return put(CRLF, bytes, p) - off;
    }
    if (kind === RequestKind.Set) this.sets++;
    let n = Math.round(o.valueSize.sample(o.rng));
    if (!(n >= 0)) n = 0;
    // header + "set " + key + " 0 0 " + digits + CRLF + value + CRLF
    const fixed = MEMCACHED_UDP_HEADER + 4 + keyLen + 5 + 2 + 2;
    let max = cap - fixed - decimalDigits(cap);
    if (max < 0) max = 0;
    if (n > max) {
      n = max;
      this.valuesClamped++;
    }
    p = put(SET, bytes, p);
    p += this.#keyTable.write(index, bytes, p);
    p = put(FLAGS_EXP, bytes, p);
    p = writeDecimal(n, bytes, p);
    p = put(CRLF, bytes, p);
    this.#values.write(index, n, bytes, p);
    return put(CRLF, bytes, p + n) - off;
  }

  /** The kind of the request in `slot`. */
  kindOf(slot: number): RequestKindCode {
    return (this.#kind[slot] ?? RequestKind.Get) as RequestKindCode;
  }

  /** The request id in the frame header, or -1 for a datagram shorter than the header. */
  replyId(bytes: Uint8Array, off: number, len: number): number {
    if (len < MEMCACHED_UDP_HEADER) return -1;
    return ((bytes[off] as number) << 8) | (bytes[off + 1] as number);
  }

  /** Adds one datagram; checks the whole reply once every datagram is in. */
  onReply(slot: number, bytes: Uint8Array, off: number, len: number): ReplyStatusCode {
    const seq = ((bytes[off + 2] as number) << 8) | (bytes[off + 3] as number);
    const total = ((bytes[off + 4] as number) << 8) | (bytes[off + 5] as number);
    const body = off + MEMCACHED_UDP_HEADER;
    const n = len - MEMCACHED_UDP_HEADER;
    if (bytes[off + 6] !== 0 || bytes[off + 7] !== 0) return ReplyStatus.Wrong;
    if (total < 1 || total > MAX_REPLY_DATAGRAMS || seq >= total) return ReplyStatus.Wrong;
    if (total === 1) return this.#check(slot, bytes, body, n);
    const known = this.#total[slot] as number;
    if (known !== -1 && known !== total) return ReplyStatus.Wrong;
    this.#total[slot] = total;
    const bit = 1 << seq;
    const got = this.#got[slot] as number;
    if (got & bit) return ReplyStatus.Wrong;
    if (seq < total - 1 ? n !== this.#chunk : n > this.#chunk) return ReplyStatus.Wrong;
    let buf = this.#bufs[slot] ?? null;
    if (buf === null) {
      buf = new Uint8Array(MAX_REPLY_DATAGRAMS * this.#chunk);
      this.#bufs[slot] = buf;
    }
    const at = seq * this.#chunk;
    for (let i = 0; i < n; i++) buf[at + i] = bytes[body + i] as number;
    if (seq === total - 1) this.#lastLen[slot] = n;
    const now = got | bit;
    this.#got[slot] = now;
    if (now !== (1 << total) - 1) return ReplyStatus.Partial;
    return this.#check(slot, buf, 0, (total - 1) * this.#chunk + (this.#lastLen[slot] as number));
  }

  /** Forgets a reassembly in progress. */
  abandon(slot: number): void {
    if (slot < this.#got.length) {
      this.#got[slot] = 0;
      this.#total[slot] = -1;
    }
  }

  /** Counters of this protocol for reports. */
  counters(): Record<string, number> {
    return { gets: this.gets, sets: this.sets, valuesClamped: this.valuesClamped };
  }

  #check(slot: number, b: Uint8Array, p: number, n: number): ReplyStatusCode {
    const kind = this.#kind[slot];
    if (kind !== RequestKind.Get) {
      return equalAt(b, p, n, STORED) ? ReplyStatus.Done : ReplyStatus.Wrong;
    }
    if (equalAt(b, p, n, END)) return ReplyStatus.DoneMiss;
    // VALUE <key> 0 <len>\r\n<data>\r\nEND\r\n
    const end = p + n;
    if (!prefixAt(b, p, end, VALUE)) return ReplyStatus.Wrong;
    let q = p + VALUE.length;
    const index = this.#key[slot] as number;
    const keyLen = this.#o.keyLengths[index] as number;
    if (q + keyLen > end || !this.#keyTable.matches(index, b, q)) return ReplyStatus.Wrong;
    q += keyLen;
    if (q + 3 > end || b[q] !== 0x20 || b[q + 1] !== 0x30 || b[q + 2] !== 0x20) {
      return ReplyStatus.Wrong;
    }
    q += 3;
    let len = 0;
    let digits = 0;
    while (q < end && (b[q] as number) >= 0x30 && (b[q] as number) <= 0x39 && digits < 8) {
      len = len * 10 + (b[q] as number) - 0x30;
      q++;
      digits++;
    }
    if (digits === 0 || !prefixAt(b, q, end, CRLF)) return ReplyStatus.Wrong;
    q += 2;
    if (q + len + 2 + END.length !== end) return ReplyStatus.Wrong;
    if (!this.#values.matches(index, b, q, len)) return ReplyStatus.Wrong;
    q += len;
    if (!prefixAt(b, q, end, CRLF) || !prefixAt(b, q + 2, end, END)) return ReplyStatus.Wrong;
    return ReplyStatus.Done;
  }

  #ensure(slot: number): void {
    if (slot < this.#kind.length) return;
    const size = Math.max(slot + 1, this.#kind.length * 2, 4);
    const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
    this.#key = grow(this.#key, (n) => new Int32Array(n));
    this.#total = grow(this.#total, (n) => new Int32Array(n));
    this.#got = grow(this.#got, (n) => new Int32Array(n));
    this.#lastLen = grow(this.#lastLen, (n) => new Int32Array(n));
  }
}

/**
 * Writes the few bytes of `src` at `out[p..]` and returns the position after them (a loop: for a
 * handful of bytes, cheaper than a call to the `set` builtin).
 */
function put(src: Uint8Array, out: Uint8Array, p: number): number {
  if (p + src.length > out.length) {
    throw new RangeError(`Request of ${p + src.length} B does not fit a ${out.length}-byte buffer`);
  }
  for (let i = 0; i < src.length; i++) out[p + i] = src[i] as number;
  return p + src.length;
}

function equalAt(b: Uint8Array, p: number, n: number, want: Uint8Array): boolean {
  return n === want.length && prefixAt(b, p, p + n, want);
}

function prefixAt(b: Uint8Array, p: number, end: number, want: Uint8Array): boolean {
  if (p + want.length > end) return false;
  for (let i = 0; i < want.length; i++) if (b[p + i] !== want[i]) return false;
  return true;
}

function decimalDigits(n: number): number {
  let d = 1;
  for (let m = Math.floor(n / 10); m > 0; m = Math.floor(m / 10)) d++;
  return d;
}

function writeDecimal(n: number, out: Uint8Array, p: number): number {
  const d = decimalDigits(n);
  let m = n;
  for (let i = p + d - 1; i >= p; i--) {
    out[i] = 0x30 + (m % 10);
    m = Math.floor(m / 10);
  }
  return p + d;
}

function unit(rng: RandomGenerator): number {
  // 53-bit uniform in [0, 1) from two 26/27-bit draws.
  const hi = rng.next() >>> 6;
  const lo = rng.next() >>> 5;
  return (hi * 134_217_728 + lo) / 9_007_199_254_740_992;
}
