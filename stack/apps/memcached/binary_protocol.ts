/**
 * The memcached binary protocol: one request per step, 24-byte headers in and out.
 *
 * Mirrors memcached 1.6 `proto_bin.c`: a request whose magic is not 0x80 closes the connection
 * at once; a key or extras longer than the body answers "Unknown command" and closes; a key
 * over 250 bytes or a wrong extras/key/body shape answers `EINVAL` ("Invalid arguments") and
 * closes after the reply; an unknown opcode answers `UNKNOWN_COMMAND` and skips `bodylen` bytes
 * after the extras and key (as memcached does). Errors carry memcached's message text as the
 * body. Quiet variants answer nothing on success; errors are always sent; GetQ/GetKQ/GatQ/GatKQ
 * stay silent on a miss. A request CAS on set/add/replace/append/prepend/delete/incr must match.
 *
 * @module
 */
import {
  BIN_HEADER_SIZE,
  BIN_REQ_MAGIC,
  BIN_RES_MAGIC,
  KEY_MAX_LENGTH,
  Op,
  Status,
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
  type StoreResultCode,
} from "./codes.ts";
import type { MemcachedEngine } from "./engine.ts";
import type { OutBuffer } from "./out_buffer.ts";

const enc = new TextEncoder();
const MSG = new Map<number, Uint8Array>([
  [Status.ENOMEM, enc.encode("Out of memory")],
  [Status.UNKNOWN_COMMAND, enc.encode("Unknown command")],
  [Status.KEY_ENOENT, enc.encode("Not found")],
  [Status.EINVAL, enc.encode("Invalid arguments")],
  [Status.KEY_EEXISTS, enc.encode("Data exists for key.")],
  [Status.E2BIG, enc.encode("Too large.")],
  [Status.DELTA_BADVAL, enc.encode("Non-numeric server-side value for incr or decr")],
  [Status.NOT_STORED, enc.encode("Not stored.")],
  [Status.AUTH_ERROR, enc.encode("Auth failure.")],
]);

/** Request fields of the request being handled (reused). */
let opcode = 0;
let opaque = 0;
let quiet = false;
const TWO32 = 4294967296;

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) |
    ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}

function header(
  out: OutBuffer,
  status: number,
  extlen: number,
  keylen: number,
  bodylen: number,
  cas: number,
): void {
  out.ensure(BIN_HEADER_SIZE);
  out.byte(BIN_RES_MAGIC);
  out.byte(opcode);
  out.u16(keylen);
  out.byte(extlen);
  out.byte(0);
  out.u16(status);
  out.u32(bodylen);
  out.u32(opaque);
  out.u64(cas);
}

function errorReply(engine: MemcachedEngine, out: OutBuffer, status: number): void {
  if (status === Status.EINVAL || status === Status.UNKNOWN_COMMAND) {
    engine.counters.protocolErrors++;
  }
  const msg = MSG.get(status) as Uint8Array;
  header(out, status, 0, 0, msg.length, 0);
  out.put(msg);
  out.endSegment();
}

/**
 * memcached `write_bin_error`: the reply is sent at once (`conn_mwrite`) unless `swallow` bytes
 * of body must be skipped first.
 */
function binError(
  engine: MemcachedEngine,
  out: OutBuffer,
  conn: ConnState,
  status: number,
  swallow = 0,
): void {
  errorReply(engine, out, status);
  if (swallow > 0) conn.swallow = swallow;
  else conn.flush();
}

/**
 * memcached `write_bin_response`: a quiet command writes nothing but its response object is
 * still there (over UDP it goes out as a bare header with total 0, observed on 1.6.18).
 */
function respond(out: OutBuffer, cas: number): void {
  if (!quiet) header(out, Status.SUCCESS, 0, 0, 0, cas);
  out.endSegment();
}

function protocolError(engine: MemcachedEngine, out: OutBuffer, conn: ConnState): void {
  binError(engine, out, conn, Status.EINVAL);
  conn.close = CloseMode.AFTER_WRITE;
}

/** Maps a quiet opcode to its loud twin (memcached `dispatch_bin_command`). */
function baseOp(op: number): number {
  switch (op) {
    case Op.SETQ:
      return Op.SET;
    case Op.ADDQ:
      return Op.ADD;
    case Op.REPLACEQ:
      return Op.REPLACE;
    case Op.DELETEQ:
      return Op.DELETE;
    case Op.INCREMENTQ:
      return Op.INCREMENT;
    case Op.DECREMENTQ:
      return Op.DECREMENT;
    case Op.QUITQ:
      return Op.QUIT;
    case Op.FLUSHQ:
      return Op.FLUSH;
    case Op.APPENDQ:
      return Op.APPEND;
    case Op.PREPENDQ:
      return Op.PREPEND;
    case Op.GETQ:
      return Op.GET;
    case Op.GETKQ:
      return Op.GETK;
    case Op.GATQ:
      return Op.GAT;
    case Op.GATKQ:
      return Op.GATK;
    default:
      return -1;
  }
}

/**
 * Handles one binary request at `buf[pos .. end)`.
 *
 * @returns the position after the request, {@link NEED_MORE} when the header, extras or key
 *   are not complete yet, or {@link NEED_DATA} when the value is not (nothing was executed)
 */
export function binaryStep(
  engine: MemcachedEngine,
  buf: Uint8Array,
  pos: number,
  end: number,
  out: OutBuffer,
  conn: ConnState,
): number {
  if (end - pos < BIN_HEADER_SIZE) return NEED_MORE;
  if (buf[pos] !== BIN_REQ_MAGIC) {
    conn.close = CloseMode.NOW;
    return end;
  }
  const keylen = u16(buf, pos + 2);
  const extlen = buf[pos + 4] as number;
  if (end - pos < BIN_HEADER_SIZE + extlen + keylen) return NEED_MORE;
  const bodylen = u32(buf, pos + 8);
  const es = pos + BIN_HEADER_SIZE;
  const ks = es + extlen;
  const ke = ks + keylen;
  const casIn = u32(buf, pos + 16) * TWO32 + u32(buf, pos + 20);
  opcode = buf[pos + 1] as number;
  opaque = u32(buf, pos + 12);

  if (keylen > bodylen || keylen + extlen > bodylen) {
    binError(engine, out, conn, Status.UNKNOWN_COMMAND);
    conn.close = CloseMode.AFTER_WRITE;
    return ke;
  }
  const base = baseOp(opcode);
  quiet = base >= 0;
  const op = quiet ? base : opcode;
  if (keylen > KEY_MAX_LENGTH) {
    protocolError(engine, out, conn);
    return ke;
  }
  const now = engine.now();
  switch (op) {
    case Op.VERSION:
      if (extlen !== 0 || keylen !== 0 || bodylen !== 0) break;
      {
        const v = enc.encode(engine.version);
        header(out, Status.SUCCESS, 0, 0, v.length, 0);
        out.put(v);
        out.endSegment();
      }
      return ke;
    case Op.FLUSH:
      if (keylen !== 0 || bodylen !== extlen || (extlen !== 0 && extlen !== 4)) break;
      engine.flush(extlen === 4 ? u32(buf, es) : 0, now);
      respond(out, 0);
      return ke;
    case Op.NOOP:
      if (extlen !== 0 || keylen !== 0 || bodylen !== 0) break;
      respond(out, 0);
      conn.flush(); // "NOOP forces pipeline flush" (memcached proto_bin.c)
      return ke;
    case Op.SET:
    case Op.ADD:
    case Op.REPLACE:
      if (extlen !== 8 || keylen === 0 || bodylen < keylen + 8) break;
      return update(engine, buf, pos, end, out, conn, op, bodylen - keylen - extlen, now);
    case Op.APPEND:
    case Op.PREPEND:
      if (keylen === 0 || extlen !== 0) break;
      return update(engine, buf, pos, end, out, conn, op, bodylen - keylen, now);
    case Op.GET:
    case Op.GETK:
      if (extlen !== 0 || bodylen !== keylen || keylen === 0) break;
      getOrTouch(engine, buf, ks, ke, out, conn, op, 0, now);
      return ke;
    case Op.TOUCH:
    case Op.GAT:
    case Op.GATK:
      if (extlen !== 4 || keylen === 0) break;
      getOrTouch(engine, buf, ks, ke, out, conn, op, engine.realtime(u32(buf, es), now), now);
      return ke;
    case Op.DELETE: {
      if (keylen === 0 || extlen !== 0 || bodylen !== keylen) break;
      const it = engine.peekItem(buf, ks, ke, now);
      if (it === null) binError(engine, out, conn, Status.KEY_ENOENT);
      else if (casIn !== 0 && casIn !== it.cas) binError(engine, out, conn, Status.KEY_EEXISTS);
      else {
        engine.store.unlink(it);
        respond(out, 0);
      }
      return ke;
    }
    case Op.INCREMENT:
    case Op.DECREMENT:
      if (keylen === 0 || extlen !== 20 || bodylen !== keylen + extlen) break;
      incr(engine, buf, es, ks, ke, out, conn, op === Op.INCREMENT, casIn, now);
      return ke;
    case Op.STAT:
      if (extlen !== 0) break;
      stat(engine, buf, ks, ke, out, conn);
      return ke;
    case Op.QUIT:
      if (extlen !== 0 || keylen !== 0 || bodylen !== 0) break;
      respond(out, 0);
      conn.flush();
      conn.close = CloseMode.AFTER_WRITE;
      return ke;
    case Op.SASL_LIST_MECHS:
      if (extlen !== 0 || keylen !== 0 || bodylen !== 0) break;
      binError(engine, out, conn, Status.UNKNOWN_COMMAND);
      return ke;
    case Op.SASL_AUTH:
    case Op.SASL_STEP:
      if (extlen !== 0 || keylen === 0) break;
      binError(engine, out, conn, Status.UNKNOWN_COMMAND, bodylen - keylen);
      return ke;
    default:
      binError(engine, out, conn, Status.UNKNOWN_COMMAND, bodylen);
      return ke;
  }
  protocolError(engine, out, conn);
  return ke;
}

function update(
  engine: MemcachedEngine,
  buf: Uint8Array,
  pos: number,
  end: number,
  out: OutBuffer,
  conn: ConnState,
  op: number,
  vlen: number,
  now: number,
): number {
  const keylen = u16(buf, pos + 2);
  const extlen = buf[pos + 4] as number;
  const es = pos + BIN_HEADER_SIZE;
  const ks = es + extlen;
  const ke = ks + keylen;
  const casIn = u32(buf, pos + 16) * TWO32 + u32(buf, pos + 20);
  const flags = extlen === 8 ? u32(buf, es) : 0;
  const store = engine.store;
  if (
    !store.sizeOk(keylen, flags, vlen) || !store.canAllocate(store.itemSize(keylen, flags, vlen))
  ) {
    // Both errors end in conn_swallow, which does not flush (even for a zero-length value).
    errorReply(engine, out, store.sizeOk(keylen, flags, vlen) ? Status.ENOMEM : Status.E2BIG);
    conn.swallow = vlen;
    if (op === Op.SET) engine.dropStale(buf, ks, ke, now);
    return ke;
  }
  if (end - ke < vlen) return NEED_DATA;
  let mode: StoreModeCode;
  switch (op) {
    case Op.ADD:
      mode = StoreMode.ADD;
      break;
    case Op.REPLACE:
      mode = StoreMode.REPLACE;
      break;
    case Op.APPEND:
      mode = StoreMode.APPEND;
      break;
    case Op.PREPEND:
      mode = StoreMode.PREPEND;
      break;
    default:
      mode = StoreMode.SET;
  }
  if (casIn !== 0 && op !== Op.APPEND && op !== Op.PREPEND) mode = StoreMode.CAS;
  const exptime = extlen === 8 ? engine.realtime(u32(buf, es + 4), now) : 0;
  const result: StoreResultCode = engine.storeItem(
    mode,
    buf,
    ks,
    ke,
    flags,
    exptime,
    buf,
    ke,
    ke + vlen,
    casIn,
    now,
  );
  switch (result) {
    case StoreResult.STORED:
      respond(out, engine.lastStoredCas);
      break;
    case StoreResult.EXISTS:
      binError(engine, out, conn, Status.KEY_EEXISTS);
      break;
    case StoreResult.NOT_FOUND:
      binError(engine, out, conn, Status.KEY_ENOENT);
      break;
    default:
      binError(
        engine,
        out,
        conn,
        op === Op.ADD
          ? Status.KEY_EEXISTS
          : op === Op.REPLACE
          ? Status.KEY_ENOENT
          : Status.NOT_STORED,
      );
  }
  return ke + vlen;
}

function getOrTouch(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ks: number,
  ke: number,
  out: OutBuffer,
  conn: ConnState,
  op: number,
  exptime: number,
  now: number,
): void {
  const touch = op === Op.TOUCH || op === Op.GAT || op === Op.GATK;
  const withKey = op === Op.GETK || op === Op.GATK;
  const withValue = op !== Op.TOUCH;
  const it = touch ? engine.touchItem(buf, ks, ke, exptime, now) : engine.getItem(buf, ks, ke, now);
  if (it !== null) {
    conn.pin(it);
    const keylen = withKey ? ke - ks : 0;
    const vlen = withValue ? it.value.length : 0;
    header(out, Status.SUCCESS, 4, keylen, 4 + keylen + vlen, it.cas);
    out.u32(it.flags);
    if (withKey) out.put(buf, ks, ke);
    if (withValue) out.put(it.value);
    out.endSegment();
    return;
  }
  if (quiet) return out.endSegment();
  if (withKey) {
    header(out, Status.KEY_ENOENT, 0, ke - ks, ke - ks, 0);
    out.put(buf, ks, ke);
    out.endSegment();
  } else {
    binError(engine, out, conn, Status.KEY_ENOENT);
  }
}

function readU64(buf: Uint8Array, at: number): bigint {
  return (BigInt(u32(buf, at)) << 32n) | BigInt(u32(buf, at + 4));
}

function putU64(out: OutBuffer, v: bigint): void {
  out.u32(Number(v >> 32n));
  out.u32(Number(v & 0xffffffffn));
}

function incr(
  engine: MemcachedEngine,
  buf: Uint8Array,
  es: number,
  ks: number,
  ke: number,
  out: OutBuffer,
  conn: ConnState,
  isIncr: boolean,
  casIn: number,
  now: number,
): void {
  const delta = readU64(buf, es);
  switch (engine.addDelta(buf, ks, ke, isIncr, delta, casIn, now)) {
    case DeltaResult.OK:
      if (quiet) return out.endSegment();
      header(out, Status.SUCCESS, 0, 0, 8, engine.deltaCas);
      putU64(out, engine.deltaValue);
      out.endSegment();
      return;
    case DeltaResult.NON_NUMERIC:
      return binError(engine, out, conn, Status.DELTA_BADVAL);
    case DeltaResult.CAS_MISMATCH:
      return binError(engine, out, conn, Status.KEY_EEXISTS);
    default: {
      const expiration = u32(buf, es + 16);
      if (expiration === 0xffffffff) return binError(engine, out, conn, Status.KEY_ENOENT);
      const initial = readU64(buf, es + 8);
      const text = enc.encode(initial.toString());
      const r = engine.storeItem(
        StoreMode.ADD,
        buf,
        ks,
        ke,
        0,
        engine.realtime(expiration, now),
        text,
        0,
        text.length,
        0,
        now,
      );
      if (r !== StoreResult.STORED) return binError(engine, out, conn, Status.NOT_STORED);
      if (quiet) return out.endSegment();
      header(out, Status.SUCCESS, 0, 0, 8, engine.lastStoredCas);
      putU64(out, initial);
      out.endSegment();
    }
  }
}

function stat(
  engine: MemcachedEngine,
  buf: Uint8Array,
  ks: number,
  ke: number,
  out: OutBuffer,
  conn: ConnState,
): void {
  if (ke > ks) {
    const sub = new TextDecoder().decode(buf.subarray(ks, ke));
    if (sub !== "reset") return binError(engine, out, conn, Status.KEY_ENOENT);
    engine.resetCounters();
  } else {
    const s = engine.store;
    const c = engine.counters;
    const pairs: [string, string][] = [
      ["version", engine.version],
      ["cmd_get", String(c.cmdGet)],
      ["cmd_set", String(c.cmdSet)],
      ["get_hits", String(c.getHits)],
      ["get_misses", String(c.getMisses)],
      ["curr_items", String(s.currItems)],
      ["total_items", String(s.totalItems)],
      ["bytes", String(s.bytes)],
      ["evictions", String(s.evictions)],
    ];
    for (const [k, v] of pairs) {
      const kb = enc.encode(k);
      const vb = enc.encode(v);
      header(out, Status.SUCCESS, 0, kb.length, kb.length + vb.length, 0);
      out.put(kb);
      out.put(vb);
    }
  }
  header(out, Status.SUCCESS, 0, 0, 0, 0);
  out.endSegment();
}
