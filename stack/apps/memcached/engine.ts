/**
 * The memcached engine: item semantics shared by the ASCII and binary protocols.
 *
 * Holds the {@link ItemStore}, the injected clock (seconds; the engine never reads the wall
 * clock), the CAS counter and the command counters. CAS values are assigned as memcached 1.6
 * assigns them (`get_cas_id()`: one global counter incremented when an item is linked, when
 * incr/decr changes a value, and when a flush takes effect immediately), so a script run from a
 * fresh start on both sees the same CAS values.
 *
 * Transports: `TcpSession` (`tcp_session.ts`) runs a byte stream against an engine;
 * `handleDatagram` (`udp.ts`) answers one UDP datagram with the 8-byte frame header.
 *
 * @example
 * ```ts
 * import { MemcachedEngine } from "./engine.ts";
 * import { TcpSession } from "./tcp_session.ts";
 * const engine = new MemcachedEngine({ clock: () => 1_700_000_000 });
 * const tcp = new TcpSession(engine);
 * const enc = new TextEncoder();
 * tcp.receive(enc.encode("set k 0 0 2\r\nhi\r\n"));
 * const reply = new TextDecoder().decode(tcp.receive(enc.encode("get k\r\n")));
 * if (reply !== "VALUE k 0 2\r\nhi\r\nEND\r\n") throw new Error(reply);
 * ```
 *
 * @module
 */
import { DEFAULT_VERSION, REALTIME_MAXDELTA, UDP_MAX_PAYLOAD_SIZE } from "./constants.ts";
import { hashKey, Item, ItemStore, type ItemStoreOptions } from "./item_store.ts";
import { NUM, parseU64 } from "./c_number.ts";
import {
  DeltaResult,
  type DeltaResultCode,
  StoreMode,
  type StoreModeCode,
  StoreResult,
  type StoreResultCode,
} from "./codes.ts";

/** Options of a {@link MemcachedEngine}. */
export interface MemcachedEngineOptions extends ItemStoreOptions {
  /** The lab's clock in whole seconds (Unix time scale; absolute exptimes compare with it). */
  clock: () => number;
  /** Version string for `version`; default "1.6.18". */
  version?: string;
  /** Largest UDP payload per reply datagram, frame header included; default 1400. */
  udpMaxPayload?: number;
}

const TWO64 = 1n << 64n;

/** Engine counters (a subset of memcached's `stats`). */
export interface EngineCounters {
  /** get/gets/gat keys asked for (binary get family included). */
  cmdGet: number;
  /** Store commands executed. */
  cmdSet: number;
  /** Keys found by gets. */
  getHits: number;
  /** Keys missed by gets. */
  getMisses: number;
  /** Requests answered with a protocol error (ERROR, CLIENT_ERROR, binary EINVAL/unknown). */
  protocolErrors: number;
}

/** The memcached engine; transport-independent. */
export class MemcachedEngine {
  /** The item table. */
  readonly store: ItemStore;
  /** Version string reported by `version`. */
  readonly version: string;
  /** Largest UDP payload per reply datagram, frame header included. */
  readonly udpMaxPayload: number;
  /** Command counters. */
  readonly counters: EngineCounters = {
    cmdGet: 0,
    cmdSet: 0,
    getHits: 0,
    getMisses: 0,
    protocolErrors: 0,
  };
  private readonly clock: () => number;
  private casId = 0;

  /** Creates an engine; throws on an invalid option. */
  constructor(options: MemcachedEngineOptions) {
    if (typeof options.clock !== "function") {
      throw new TypeError('Memcached engine option "clock" must be a function returning seconds');
    }
    this.clock = options.clock;
    this.store = new ItemStore(options);
    this.version = options.version ?? DEFAULT_VERSION;
    this.udpMaxPayload = options.udpMaxPayload ?? UDP_MAX_PAYLOAD_SIZE;
    if (!Number.isInteger(this.udpMaxPayload) || this.udpMaxPayload < 9) {
      throw new RangeError(
        `Memcached engine option "udpMaxPayload" must be an integer of at least 9 bytes, got ${this.udpMaxPayload}`,
      );
    }
  }

  /** Zeroes the command counters and the store's eviction counters (`stats reset`). */
  resetCounters(): void {
    const c = this.counters;
    c.cmdGet =
      c.cmdSet =
      c.getHits =
      c.getMisses =
      c.protocolErrors =
        0;
    this.store.evictions = 0;
    this.store.reclaimed = 0;
  }

  /** Current clock value in whole seconds. */
  now(): number {
    return Math.floor(this.clock());
  }

  /** Returns the next CAS unique (memcached `get_cas_id`). */
  nextCas(): number {
    return ++this.casId;
  }

  /** Last CAS unique handed out. */
  lastCas(): number {
    return this.casId;
  }

  /**
   * Converts a protocol exptime to an absolute time (memcached `realtime`): 0 never expires,
   * up to 30 days is relative, larger is an absolute Unix time. Negative values (ASCII) expire
   * at once.
   */
  realtime(exptime: number, now: number): number {
    if (exptime === 0) return 0;
    if (exptime < 0) return 1; // EXPTIME_TO_POSITIVE_TIME: already expired
    if (exptime > REALTIME_MAXDELTA) return exptime;
    return now + exptime;
  }

  /** Looks up a live item and bumps it in the LRU (a get hit). */
  getItem(buf: Uint8Array, start: number, end: number, now: number): Item | null {
    const it = this.store.find(buf, start, end, hashKey(buf, start, end), now);
    this.counters.cmdGet++;
    if (it === null) {
      this.counters.getMisses++;
      return null;
    }
    this.counters.getHits++;
    this.store.touch(it, now);
    return it;
  }

  /** Looks up a live item without touching the LRU. */
  peekItem(buf: Uint8Array, start: number, end: number, now: number): Item | null {
    return this.store.find(buf, start, end, hashKey(buf, start, end), now);
  }

  /** Looks up a live item, sets its exptime and bumps it (memcached `item_touch`). */
  touchItem(
    buf: Uint8Array,
    start: number,
    end: number,
    exptime: number,
    now: number,
  ): Item | null {
    const it = this.store.find(buf, start, end, hashKey(buf, start, end), now);
    if (it === null) return null;
    it.exptime = exptime;
    this.store.touch(it, now);
    return it;
  }

  /** Deletes a live item; returns whether one was there. */
  deleteItem(buf: Uint8Array, start: number, end: number, now: number): boolean {
    const it = this.peekItem(buf, start, end, now);
    if (it === null) return false;
    this.store.unlink(it);
    return true;
  }

  /**
   * Stores a value (memcached `do_store_item`). `casIn` 0 means no CAS given. On success the new
   * item's CAS is available from {@link lastStoredCas}.
   */
  storeItem(
    mode: StoreModeCode,
    key: Uint8Array,
    ks: number,
    ke: number,
    flags: number,
    exptime: number,
    data: Uint8Array,
    ds: number,
    de: number,
    casIn: number,
    now: number,
  ): StoreResultCode {
    this.counters.cmdSet++;
    this.lastStoredCas = 0;
    const hash = hashKey(key, ks, ke);
    const old = this.store.find(key, ks, ke, hash, now);
    if (old !== null) {
      const casMatch = casIn !== 0 && casIn === old.cas;
      switch (mode) {
        case StoreMode.ADD:
          this.store.touch(old, now);
          return StoreResult.NOT_STORED;
        case StoreMode.CAS:
          if (!casMatch) return StoreResult.EXISTS;
          break;
        case StoreMode.APPEND:
        case StoreMode.PREPEND: {
          if (casIn !== 0 && !casMatch) return StoreResult.EXISTS;
          const vlen = old.value.length + (de - ds);
          if (!this.store.sizeOk(ke - ks, old.flags, vlen)) return StoreResult.NOT_STORED;
          const value = new Uint8Array(vlen);
          if (mode === StoreMode.APPEND) {
            value.set(old.value);
            value.set(data.subarray(ds, de), old.value.length);
          } else {
            value.set(data.subarray(ds, de));
            value.set(old.value, de - ds);
          }
          this.replace(old, value, old.flags, old.exptime, now);
          return StoreResult.STORED;
        }
        default:
          break;
      }
      this.overwrite(old, data, ds, de, flags, exptime, now);
      return StoreResult.STORED;
    }
    switch (mode) {
      case StoreMode.ADD:
      case StoreMode.SET: {
        const it = new Item(
          key.slice(ks, ke),
          hash,
          data.slice(ds, de),
          flags,
          exptime,
          this.store.itemSize(ke - ks, flags, de - ds),
        );
        it.cas = this.nextCas();
        this.store.link(it, now);
        this.lastStoredCas = it.cas;
        return StoreResult.STORED;
      }
      case StoreMode.CAS:
        return StoreResult.NOT_FOUND;
      default:
        return StoreResult.NOT_STORED;
    }
  }

  /** CAS of the item linked by the last successful {@link storeItem}. */
  lastStoredCas = 0;

  /**
   * Replaces `old` by a new item holding `data[ds .. de)` (a set, replace or cas over a live
   * item). When no unsent reply refers to `old` and the value keeps its length, the old item's
   * object and value storage are reused for the new one, as memcached's slab allocator hands a
   * freed chunk of the same size class to the next item: the new item is still a new item (new
   * CAS, access time, flags, exptime, linked at the LRU head) and nothing can observe the reuse.
   */
  private overwrite(
    old: Item,
    data: Uint8Array,
    ds: number,
    de: number,
    flags: number,
    exptime: number,
    now: number,
  ): void {
    if (old.refs !== 0 || old.value.length !== de - ds) {
      this.replace(old, data.slice(ds, de), flags, exptime, now);
      return;
    }
    this.store.unlink(old);
    old.value.set(data.subarray(ds, de));
    old.flags = flags;
    old.exptime = exptime;
    old.size = this.store.itemSize(old.key.length, flags, de - ds);
    old.cas = this.nextCas();
    this.store.link(old, now);
    this.lastStoredCas = old.cas;
  }

  private replace(
    old: Item,
    value: Uint8Array,
    flags: number,
    exptime: number,
    now: number,
  ): Item {
    this.store.unlink(old);
    const it = new Item(
      old.key,
      old.hash,
      value,
      flags,
      exptime,
      this.store.itemSize(old.key.length, flags, value.length),
    );
    it.cas = this.nextCas();
    this.store.link(it, now);
    this.lastStoredCas = it.cas;
    return it;
  }

  /**
   * Removes the item under a key when a SET could not allocate (memcached drops stale data
   * rather than keep serving it).
   */
  dropStale(buf: Uint8Array, start: number, end: number, now: number): void {
    this.deleteItem(buf, start, end, now);
  }

  /** Result of the last successful {@link addDelta}: the new value. */
  deltaValue = 0n;
  /** CAS of the item after the last successful {@link addDelta}. */
  deltaCas = 0;

  /**
   * incr/decr (memcached `do_add_delta`): 64-bit wrap on incr, floor at 0 on decr. A result
   * that fits in the old value's length is written in place, padded with spaces, as memcached
   * does, unless an unsent reply still refers to the item (see `ConnState.pin`); otherwise a new
   * item replaces the old one. Either way a new CAS is assigned.
   */
  addDelta(
    buf: Uint8Array,
    start: number,
    end: number,
    incr: boolean,
    delta: bigint,
    casIn: number,
    now: number,
  ): DeltaResultCode {
    const it = this.peekItem(buf, start, end, now);
    if (it === null) return DeltaResult.NOT_FOUND;
    if (it.value.length === 0) return DeltaResult.NON_NUMERIC;
    if (casIn !== 0 && it.cas !== casIn) return DeltaResult.CAS_MISMATCH;
    if (!parseU64(it.value, 0, it.value.length)) return DeltaResult.NON_NUMERIC;
    let value = (BigInt(NUM[1] as number) << 32n) | BigInt(NUM[0] as number);
    if (incr) value = (value + delta) % TWO64;
    else value = delta > value ? 0n : value - delta;
    const text = value.toString();
    if (text.length <= it.value.length && it.refs === 0) {
      const v = it.value;
      for (let i = 0; i < v.length; i++) v[i] = i < text.length ? text.charCodeAt(i) : 0x20;
      it.cas = this.nextCas();
      this.store.touch(it, now);
      this.deltaCas = it.cas;
    } else {
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      this.deltaCas = this.replace(it, bytes, it.flags, it.exptime, now).cas;
    }
    this.deltaValue = value;
    return DeltaResult.OK;
  }

  /**
   * flush_all with an optional delay (memcached `process_flush_all_command`): items last
   * accessed before the flush time die once it is reached; an immediate flush also takes a CAS
   * unique as the oldest live CAS.
   */
  flush(delay: number, now: number): void {
    const newOldest = delay > 0 ? this.realtime(delay, now) : now;
    const oldestLive = newOldest - 1;
    const oldestCas = oldestLive <= now ? this.nextCas() : 0;
    this.store.flush(oldestLive, oldestCas);
  }
}
