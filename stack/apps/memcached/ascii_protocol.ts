/**
 * The memcached ASCII protocol: one request per step, parsed from bytes, replies written as
 * memcached 1.6.18 writes them.
 *
 * Mirrors memcached 1.6 `proto_text.c`: lines end at `\n` (a `\r` before it is dropped), the
 * tokenizer splits on spaces only (so tabs and other control bytes are part of a key, as the
 * real server accepts them) and returns at most 24 tokens, commands are dispatched on their
 * first byte, a wrong token count answers `ERROR`, `noreply` is the last token and silences
 * every reply of that command, a too-long key (over 250 bytes) answers
 * `CLIENT_ERROR bad command line format`, and a data block that does not end in `\r\n` answers
 * `CLIENT_ERROR bad data chunk` after consuming exactly `<bytes> + 2` bytes. Numbers follow
 * `c_number.ts`. A line of more than 2048 bytes without a newline closes the connection unless
 * it starts with `get ` or `gets `. A completed get sends every reply so far (`conn_mwrite`); a
 * too-long key in a get drops every reply not yet sent on the connection, earlier commands'
 * included, and answers only the error (all observed on memcached 1.6.18).
 *
 * Keys: memcached's "no control characters" is a client-side rule; the 1.6.18 server accepts
 * any byte but space, NUL and newline in an ASCII key, and so does this engine.
 *
 * Commands: get, gets, gat, gats, set, add, replace, append, prepend, cas, delete, incr, decr,
 * touch, flush_all, version, verbosity, quit, stats (the engine's counters only). Meta commands
 * (`mg`, `ms`, ...) and the admin commands are answered `ERROR`.
 *
 * @module
 */
import {
  ASCII_LINE_LIMIT,
  ASCII_MAX_TOKENS,
  KEY_MAX_LENGTH,
  REALTIME_MAXDELTA,
} from "./constants.ts";
import {
  CloseMode,
  type ConnState,
  DeltaResult,
  NEED_DATA,
  NEED_MORE,
  StoreMode,
  type StoreModeCode,
  StoreResult,
} from "./codes.ts";
import { I32, numBigInt, numValue, parseI32, parseU32, parseU64 } from "./c_number.ts";
import type { MemcachedEngine } from "./engine.ts";
import type { OutBuffer } from "./out_buffer.ts";

const enc = new TextEncoder();
const lit = (s: string): Uint8Array => enc.encode(s);

const R_ERROR = lit("ERROR\r\n");
const R_BAD_FORMAT = lit("CLIENT_ERROR bad command line format\r\n");
const R_BAD_CHUNK = lit("CLIENT_ERROR bad data chunk\r\n");
const R_TOO_LARGE = lit("SERVER_ERROR object too large for cache\r\n");
const R_OOM_STORE = lit("SERVER_ERROR out of memory storing object\r\n");
const R_BAD_DELTA = lit("CLIENT_ERROR invalid numeric delta argument\r\n");
const R_NON_NUMERIC = lit("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
const R_BAD_EXPTIME = lit("CLIENT_ERROR invalid exptime argument\r\n");
const R_DELETE_USAGE = lit(
  "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n",
);
const R_STORED = lit("STORED\r\n");
const R_NOT_STORED = lit("NOT_STORED\r\n");
const R_EXISTS = lit("EXISTS\r\n");
const R_NOT_FOUND = lit("NOT_FOUND\r\n");
const R_DELETED = lit("DELETED\r\n");
const R_TOUCHED = lit("TOUCHED\r\n");
const R_OK = lit("OK\r\n");
const R_RESET = lit("RESET\r\n");
const R_END = lit("END\r\n");
const R_CRLF = lit("\r\n");
const R_VALUE = lit("VALUE ");
const R_VERSION = lit("VERSION ");

const C_GET = lit("get");
const C_GETS = lit("gets");
const C_GAT = lit("gat");
const C_GATS = lit("gats");
const C_SET = lit("set");
const C_STATS = lit("stats");
const C_ADD = lit("add");
const C_APPEND = lit("append");
const C_CAS = lit("cas");
const C_INCR = lit("incr");
const C_DELETE = lit("delete");
const C_DECR = lit("decr");
const C_TOUCH = lit("touch");
const C_REPLACE = lit("replace");
const C_PREPEND = lit("prepend");
const C_FLUSH_ALL = lit("flush_all");
const C_VERSION = lit("version");
const C_QUIT = lit("quit");
const C_VERBOSITY = lit("verbosity");
const C_NOREPLY = lit("noreply");
const C_RESET = lit("reset");
const C_ZERO = lit("0");
const C_HTTP = lit("HTTP/");
const P_GET = lit("get ");
const P_GETS = lit("gets ");

/** Token starts and ends of the current line (reused; no per-request allocation). */
const TS = new Int32Array(ASCII_MAX_TOKENS + 1);
const TE = new Int32Array(ASCII_MAX_TOKENS + 1);

/**
 * Splits `buf[start .. end)` like memcached's `tokenize_command`; returns the token count
 * including the terminal empty token (whose start is where unparsed text would begin).
 */
function tokenize(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let s = start;
  let i = start;
  for (; i < end; i++) {
    if (buf[i] === 0x20) {
      if (s !== i) {
        TS[n] = s;
        TE[n] = i;
        n++;
        if (n === ASCII_MAX_TOKENS - 1) {
          i++;
          s = i;
          break;
        }
      }
      s = i + 1;
    }
  }
  if (s !== i && i <= end) {
    TS[n] = s;
    TE[n] = i;
    n++;
  }
  TS[n] = i;
  TE[n] = i;
  return n + 1;
}

function tokIs(buf: Uint8Array, t: number, word: Uint8Array): boolean {
  const s = TS[t] as number;
  if ((TE[t] as number) - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[s + i] !== word[i]) return false;
  return true;
}

function tokLen(t: number): number {
  return (TE[t] as number) - (TS[t] as number);
}

function startsWith(buf: Uint8Array, at: number, end: number, word: Uint8Array): boolean {
  if (end - at < word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[at + i] !== word[i]) return false;
  return true;
}

/** Per-command reply state: `noreply` of the command being executed. */
let noreply = false;

function reply(out: OutBuffer, r: Uint8Array): void {
  if (noreply) return out.skipSegment();
  out.put(r);
  out.endSegment();
}

function error(engine: MemcachedEngine, out: OutBuffer, r: Uint8Array): void {
  engine.counters.protocolErrors++;
  reply(out, r);
}

function setNoreplyMaybe(buf: Uint8Array, ntokens: number): boolean {
  if (ntokens >= 2 && tokIs(buf, ntokens - 2, C_NOREPLY)) noreply = true;
  return noreply;
}

/** memcached `EXPTIME_TO_POSITIVE_TIME` + `realtime`. */
function exptimeOf(engine: MemcachedEngine, exptime: number, now: number): number {
  return engine.realtime(exptime < 0 ? REALTIME_MAXDELTA + 1 : exptime, now);
}

/**
 * Handles one ASCII request at `buf[pos .. end)`.
 *
 * @returns the position after the request, {@link NEED_MORE} when the line is not complete
 *   yet, or {@link NEED_DATA} when its value block is not (nothing was executed)
 */
export function asciiStep(
  engine: MemcachedEngine,
  buf: Uint8Array,
  pos: number,
  end: number,
  out: OutBuffer,
  conn: ConnState,
): number {
  // One pass finds the newline and the first NUL before it: the C code works on a
  // NUL-terminated string, so a NUL byte ends the line early.
  let nl = pos;
  let nul = -1;
  for (; nl < end; nl++) {
    const c = buf[nl] as number;
    if (c === 0x0a) break;
    if (c === 0 && nul < 0) nul = nl;
  }
  if (nl === end) {
    if (end - pos > ASCII_LINE_LIMIT) {
      let p = pos;
      while (p < end && buf[p] === 0x20) p++;
      if (
        p - pos > 100 || (!startsWith(buf, p, end, P_GET) && !startsWith(buf, p, end, P_GETS))
      ) {
        conn.close = CloseMode.NOW;
        return end;
      }
    }
    return NEED_MORE;
  }
  let lineEnd = nl;
  if (nl - pos > 1 && buf[nl - 1] === 0x0d) lineEnd = nl - 1;
  // A NUL is never the dropped `\r`, so it always lies before `lineEnd`.
  if (nul >= 0) lineEnd = nul;
  noreply = false;
  return command(engine, buf, pos, lineEnd, nl + 1, end, out, conn);
}

function command(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ls: number,
  le: number,
  next: number,
  end: number,
  out: OutBuffer,
  conn: ConnState,
): number {
  const ntokens = tokenize(buf, ls, le);
  if (ntokens < 2 || tokLen(0) < 2) {
    error(engine, out, R_ERROR);
    return next;
  }
  const first = buf[TS[0] as number];
  const now = engine.now();
  switch (first) {
    case 0x67: // g
      if (ntokens < 3) break;
      if (tokIs(buf, 0, C_GET)) {
        return get(engine, buf, ntokens, le, next, out, conn, false, false, now);
      }
      if (tokIs(buf, 0, C_GETS)) {
        return get(engine, buf, ntokens, le, next, out, conn, true, false, now);
      }
      if (tokIs(buf, 0, C_GAT)) {
        return get(engine, buf, ntokens, le, next, out, conn, false, true, now);
      }
      if (tokIs(buf, 0, C_GATS)) {
        return get(engine, buf, ntokens, le, next, out, conn, true, true, now);
      }
      break;
    case 0x73: // s
      if (tokIs(buf, 0, C_SET)) {
        if (ntokens !== 6 && ntokens !== 7) break;
        return update(engine, buf, ntokens, next, end, out, conn, StoreMode.SET, now);
      }
      if (tokIs(buf, 0, C_STATS)) return stats(engine, buf, ntokens, next, out);
      break;
    case 0x61: // a
      if (tokIs(buf, 0, C_ADD) || tokIs(buf, 0, C_APPEND)) {
        if (ntokens !== 6 && ntokens !== 7) break;
        const mode = tokLen(0) === 3 ? StoreMode.ADD : StoreMode.APPEND;
        return update(engine, buf, ntokens, next, end, out, conn, mode, now);
      }
      break;
    case 0x72: // r
      if (tokIs(buf, 0, C_REPLACE)) {
        if (ntokens !== 6 && ntokens !== 7) break;
        return update(engine, buf, ntokens, next, end, out, conn, StoreMode.REPLACE, now);
      }
      break;
    case 0x70: // p
      if (tokIs(buf, 0, C_PREPEND)) {
        if (ntokens !== 6 && ntokens !== 7) break;
        return update(engine, buf, ntokens, next, end, out, conn, StoreMode.PREPEND, now);
      }
      break;
    case 0x63: // c
      if (tokIs(buf, 0, C_CAS)) {
        if (ntokens !== 7 && ntokens !== 8) break;
        return update(engine, buf, ntokens, next, end, out, conn, StoreMode.CAS, now);
      }
      break;
    case 0x69: // i
      if (tokIs(buf, 0, C_INCR)) {
        if (ntokens !== 4 && ntokens !== 5) break;
        arithmetic(engine, buf, ntokens, out, true, now);
        return next;
      }
      break;
    case 0x64: // d
      if (tokIs(buf, 0, C_DELETE)) {
        if (ntokens < 3 || ntokens > 5) break;
        del(engine, buf, ntokens, out, now);
        return next;
      }
      if (tokIs(buf, 0, C_DECR)) {
        if (ntokens !== 4 && ntokens !== 5) break;
        arithmetic(engine, buf, ntokens, out, false, now);
        return next;
      }
      break;
    case 0x74: // t
      if (tokIs(buf, 0, C_TOUCH)) {
        if (ntokens !== 4 && ntokens !== 5) break;
        touch(engine, buf, ntokens, out, now);
        return next;
      }
      break;
    case 0x6d: // m: meta commands are not implemented
      break;
    default:
      if (tokIs(buf, 0, C_FLUSH_ALL)) {
        if (ntokens < 2 || ntokens > 4) break;
        flushAll(engine, buf, ntokens, out, now);
        return next;
      }
      if (tokIs(buf, 0, C_VERSION)) {
        out.put(R_VERSION);
        out.put(enc.encode(engine.version));
        out.put(R_CRLF);
        out.endSegment();
        return next;
      }
      if (tokIs(buf, 0, C_QUIT)) {
        conn.close = CloseMode.AFTER_WRITE;
        return next;
      }
      if (tokIs(buf, 0, C_VERBOSITY)) {
        if (ntokens !== 3 && ntokens !== 4) break;
        setNoreplyMaybe(buf, ntokens);
        if (parseU32(buf, TS[1] as number, TE[1] as number) < 0) error(engine, out, R_BAD_FORMAT);
        else reply(out, R_OK);
        return next;
      }
      if (startsWith(buf, TS[ntokens - 2] as number, TE[ntokens - 2] as number, C_HTTP)) {
        conn.close = CloseMode.NOW;
        return next;
      }
  }
  error(engine, out, R_ERROR);
  return next;
}

function get(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  le: number,
  next: number,
  out: OutBuffer,
  conn: ConnState,
  withCas: boolean,
  withTouch: boolean,
  now: number,
): number {
  let exptime = 0;
  if (withTouch) {
    if (!parseI32(buf, TS[1] as number, TE[1] as number)) {
      error(engine, out, R_BAD_EXPTIME);
      return next;
    }
    exptime = exptimeOf(engine, I32[0] as number, now);
  }
  // Keys are every space-separated word after the command: first the tokens already found,
  // then, past the tokenizer's 24-token window, the rest of the line (memcached re-tokenizes).
  const last = ntokens - 2;
  const rest = TS[ntokens - 1] as number;
  for (let t = withTouch ? 2 : 1; t <= last; t++) {
    const k = TS[t] as number;
    const e = TE[t] as number;
    const more = t < last || nextWord(buf, rest, le) < le;
    if (!getKey(engine, buf, k, e, more, out, withCas, withTouch, exptime, now)) return next;
  }
  let k = nextWord(buf, rest, le);
  while (k < le) {
    let e = k;
    while (e < le && buf[e] !== 0x20) e++;
    const m = nextWord(buf, e, le);
    if (!getKey(engine, buf, k, e, m < le, out, withCas, withTouch, exptime, now)) return next;
    k = m;
  }
  out.put(R_END);
  out.endSegment();
  // A completed get moves memcached to conn_mwrite: everything so far is sent.
  conn.flush();
  return next;
}

/** Position of the first non-space byte of `buf[at .. end)`, or `end`. */
function nextWord(buf: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end && buf[i] === 0x20) i++;
  return i;
}

/**
 * Looks up one key of a get and writes its `VALUE` reply; `more` tells whether another key
 * follows (each key but the last is its own response object). Returns false after answering a
 * too-long key with the error.
 */
function getKey(
  engine: MemcachedEngine,
  buf: Uint8Array,
  k: number,
  e: number,
  more: boolean,
  out: OutBuffer,
  withCas: boolean,
  withTouch: boolean,
  exptime: number,
  now: number,
): boolean {
  if (e - k > KEY_MAX_LENGTH) {
    // memcached drops every reply not yet sent on the connection, not only this command's.
    out.cull();
    error(engine, out, R_BAD_FORMAT);
    return false;
  }
  const it = withTouch ? engine.touchItem(buf, k, e, exptime, now) : engine.getItem(buf, k, e, now);
  if (withTouch) {
    engine.counters.cmdGet++;
    if (it === null) engine.counters.getMisses++;
    else engine.counters.getHits++;
  }
  if (it !== null) {
    out.put(R_VALUE);
    out.put(buf, k, e);
    out.byte(0x20);
    out.decimal(it.flags);
    out.byte(0x20);
    out.decimal(it.value.length);
    if (withCas) {
      out.byte(0x20);
      out.decimal(it.cas);
    }
    out.put(R_CRLF);
    out.put(it.value);
    out.put(R_CRLF);
  }
  if (more) out.endSegment();
  return true;
}

function update(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  next: number,
  end: number,
  out: OutBuffer,
  conn: ConnState,
  mode: StoreModeCode,
  now: number,
): number {
  setNoreplyMaybe(buf, ntokens);
  const ks = TS[1] as number;
  const ke = TE[1] as number;
  if (ke - ks > KEY_MAX_LENGTH) {
    error(engine, out, R_BAD_FORMAT);
    return next;
  }
  const flags = parseU32(buf, TS[2] as number, TE[2] as number);
  if (flags < 0 || !parseI32(buf, TS[3] as number, TE[3] as number)) {
    error(engine, out, R_BAD_FORMAT);
    return next;
  }
  const exptimeIn = I32[0] as number;
  if (!parseI32(buf, TS[4] as number, TE[4] as number)) {
    error(engine, out, R_BAD_FORMAT);
    return next;
  }
  const vlen = I32[0] as number;
  let casIn = 0;
  if (mode === StoreMode.CAS) {
    if (!parseU64(buf, TS[5] as number, TE[5] as number)) {
      error(engine, out, R_BAD_FORMAT);
      return next;
    }
    casIn = numValue();
  }
  if (vlen < 0 || vlen > 0x7fffffff - 2) {
    error(engine, out, R_BAD_FORMAT);
    return next;
  }
  const store = engine.store;
  const nkey = ke - ks;
  const tooLarge = !store.sizeOk(nkey, flags, vlen);
  if (tooLarge || !store.canAllocate(store.itemSize(nkey, flags, vlen))) {
    reply(out, tooLarge ? R_TOO_LARGE : R_OOM_STORE);
    if (mode === StoreMode.SET) engine.dropStale(buf, ks, ke, now);
    conn.swallow = vlen + 2;
    return next;
  }
  if (end - next < vlen + 2) return NEED_DATA;
  const ds = next;
  const de = next + vlen;
  if (buf[de] !== 0x0d || buf[de + 1] !== 0x0a) {
    error(engine, out, R_BAD_CHUNK);
    return de + 2;
  }
  const exptime = exptimeOf(engine, exptimeIn, now);
  switch (engine.storeItem(mode, buf, ks, ke, flags, exptime, buf, ds, de, casIn, now)) {
    case StoreResult.STORED:
      reply(out, R_STORED);
      break;
    case StoreResult.EXISTS:
      reply(out, R_EXISTS);
      break;
    case StoreResult.NOT_FOUND:
      reply(out, R_NOT_FOUND);
      break;
    default:
      reply(out, R_NOT_STORED);
  }
  return de + 2;
}

function arithmetic(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  out: OutBuffer,
  incr: boolean,
  now: number,
): void {
  setNoreplyMaybe(buf, ntokens);
  const ks = TS[1] as number;
  const ke = TE[1] as number;
  if (ke - ks > KEY_MAX_LENGTH) return error(engine, out, R_BAD_FORMAT);
  if (!parseU64(buf, TS[2] as number, TE[2] as number)) return error(engine, out, R_BAD_DELTA);
  switch (engine.addDelta(buf, ks, ke, incr, numBigInt(), 0, now)) {
    case DeltaResult.OK:
      if (noreply) return out.skipSegment();
      out.put(enc.encode(engine.deltaValue.toString()));
      out.put(R_CRLF);
      out.endSegment();
      return;
    case DeltaResult.NON_NUMERIC:
      return error(engine, out, R_NON_NUMERIC);
    default:
      return reply(out, R_NOT_FOUND);
  }
}

function del(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  out: OutBuffer,
  now: number,
): void {
  if (ntokens > 3) {
    const holdIsZero = tokIs(buf, 2, C_ZERO);
    const setsNoreply = setNoreplyMaybe(buf, ntokens);
    const valid = (ntokens === 4 && (holdIsZero || setsNoreply)) ||
      (ntokens === 5 && holdIsZero && setsNoreply);
    if (!valid) return error(engine, out, R_DELETE_USAGE);
  }
  const ks = TS[1] as number;
  const ke = TE[1] as number;
  if (ke - ks > KEY_MAX_LENGTH) return error(engine, out, R_BAD_FORMAT);
  reply(out, engine.deleteItem(buf, ks, ke, now) ? R_DELETED : R_NOT_FOUND);
}

function touch(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  out: OutBuffer,
  now: number,
): void {
  setNoreplyMaybe(buf, ntokens);
  const ks = TS[1] as number;
  const ke = TE[1] as number;
  if (ke - ks > KEY_MAX_LENGTH) return error(engine, out, R_BAD_FORMAT);
  if (!parseI32(buf, TS[2] as number, TE[2] as number)) return error(engine, out, R_BAD_EXPTIME);
  const exptime = exptimeOf(engine, I32[0] as number, now);
  reply(out, engine.touchItem(buf, ks, ke, exptime, now) !== null ? R_TOUCHED : R_NOT_FOUND);
}

function flushAll(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  out: OutBuffer,
  now: number,
): void {
  setNoreplyMaybe(buf, ntokens);
  let delay = 0;
  if (ntokens !== (noreply ? 3 : 2)) {
    if (!parseI32(buf, TS[1] as number, TE[1] as number)) {
      return error(engine, out, R_BAD_EXPTIME);
    }
    delay = I32[0] as number;
  }
  engine.flush(delay, now);
  reply(out, R_OK);
}

function stats(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ntokens: number,
  next: number,
  out: OutBuffer,
): number {
  if (ntokens === 2) {
    const s = engine.store;
    const c = engine.counters;
    const lines: [string, number | string][] = [
      ["version", engine.version],
      ["cmd_get", c.cmdGet],
      ["cmd_set", c.cmdSet],
      ["get_hits", c.getHits],
      ["get_misses", c.getMisses],
      ["curr_items", s.currItems],
      ["total_items", s.totalItems],
      ["bytes", s.bytes],
      ["limit_maxbytes", s.memoryLimit],
      ["evictions", s.evictions],
      ["reclaimed", s.reclaimed],
    ];
    for (const [name, v] of lines) out.put(enc.encode(`STAT ${name} ${v}\r\n`));
    out.put(R_END);
    out.endSegment();
  } else if (ntokens === 3 && tokIs(buf, 1, C_RESET)) {
    engine.resetCounters();
    out.put(R_RESET);
    out.endSegment();
  } else {
    error(engine, out, R_ERROR);
  }
  return next;
}
