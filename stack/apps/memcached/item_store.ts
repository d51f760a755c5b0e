/**
 * The item store: a hash table keyed by raw key bytes, an LRU list, and memory accounting with
 * eviction from the LRU tail.
 *
 * Config (all in {@link ItemStoreOptions}): `memoryLimit` (bytes, default 64 MiB, `-m`),
 * `itemSizeMax` (bytes, default 1 MiB, `-I`), `itemOverhead` (bytes charged per item on top of
 * key and value, default 56). Counters: `evictions`, `reclaimed` (expired or flushed items
 * removed on access), `currItems`, `bytes`, `totalItems`.
 *
 * The table is open-addressed (linear probing, backward-shift deletion) and keeps each slot's key
 * hash in a parallel `Int32Array`, so a lookup walks a few contiguous slots and reads only the
 * item whose hash matches; it doubles when half full. (memcached's assoc.c chains items in
 * buckets and grows at 1.5 items per bucket: where items sit in the table is not observable, and
 * walking a chain reads every item on it, a cache miss each in a large store.) Keys are hashed
 * with MurmurHash3 (32-bit, seed 0) over the bytes, as memcached 1.6 hashes them by default; no
 * key strings are built.
 *
 * @module
 */
import {
  DEFAULT_ITEM_OVERHEAD,
  DEFAULT_ITEM_SIZE_MAX,
  DEFAULT_MEMORY_LIMIT,
  ITEM_UPDATE_INTERVAL,
} from "./constants.ts";

/** Slots of a new table (a power of two). */
const INITIAL_SLOTS = 1024;

/** One stored item. */
export class Item {
  /** Key bytes. */
  readonly key: Uint8Array;
  /** {@link hashKey} of the key. */
  readonly hash: number;
  /** Value bytes, without the trailing CRLF. */
  value: Uint8Array;
  /** Opaque 32-bit client flags. */
  flags: number;
  /** Absolute expiry in clock seconds; 0 = never. */
  exptime: number;
  /** CAS unique. */
  cas = 0;
  /** Last access time in clock seconds (updated at most once per `ITEM_UPDATE_INTERVAL`). */
  time = 0;
  /** Bytes charged against the memory limit. */
  size: number;
  /** Towards the LRU head (more recent). */
  prev: Item | null = null;
  /** Towards the LRU tail (less recent). */
  next: Item | null = null;
  /** Whether the item is in the table. */
  linked = false;
  /** Unsent replies referring to this item (memcached's extra references). */
  refs = 0;

  /** Creates an unlinked item. */
  constructor(
    key: Uint8Array,
    hash: number,
    value: Uint8Array,
    flags: number,
    exptime: number,
    size: number,
  ) {
    this.key = key;
    this.hash = hash;
    this.value = value;
    this.flags = flags;
    this.exptime = exptime;
    this.size = size;
  }
}

/** Options of an {@link ItemStore}. */
export interface ItemStoreOptions {
  /** Memory limit in bytes (memcached `-m`); default 64 MiB. */
  memoryLimit?: number;
  /** Largest item in accounted bytes (memcached `-I`); default 1 MiB. */
  itemSizeMax?: number;
  /** Bytes charged per item besides key and value; default 56 (header + CAS). */
  itemOverhead?: number;
}

/**
 * Hashes `buf[start .. end)` with MurmurHash3 x86 32-bit, seed 0 (memcached 1.6's default
 * `hash_algorithm=murmur3`). It consumes the key four bytes at a time, so its dependency chain is
 * a quarter as long as a byte-at-a-time hash's.
 */
export function hashKey(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const blocksEnd = start + (n & ~3);
  let h = 0;
  let i = start;
  for (; i < blocksEnd; i += 4) {
    let k = (buf[i] as number) | ((buf[i + 1] as number) << 8) |
      ((buf[i + 2] as number) << 16) | ((buf[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail !== 0) {
    let k = buf[i] as number;
    if (tail > 1) k |= (buf[i + 1] as number) << 8;
    if (tail > 2) k |= (buf[i + 2] as number) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash table + LRU + memory accounting; the engine adds protocol semantics on top. */
export class ItemStore {
  /** Memory limit in bytes. */
  readonly memoryLimit: number;
  /** Largest item in accounted bytes. */
  readonly itemSizeMax: number;
  /** Bytes charged per item besides key and value. */
  readonly itemOverhead: number;
  /** Items evicted from the LRU tail to make room. */
  evictions = 0;
  /** Expired or flushed items removed when found. */
  reclaimed = 0;
  /** Items in the table. */
  currItems = 0;
  /** Items ever linked. */
  totalItems = 0;
  /** Bytes charged for the items in the table. */
  bytes = 0;
  /** Items by slot (null = free); capacity is a power of two. */
  private slots: (Item | null)[];
  /** `hashKey` of the key in each occupied slot, as a signed 32-bit value. */
  private hashes: Int32Array;
  private mask: number;
  private head: Item | null = null;
  private tail: Item | null = null;
  /** Items last accessed at or before this time are flushed once it is reached. */
  private oldestLive = 0;
  private flushPending = false;
  /** Items with a CAS below this are flushed (0 = none). */
  private oldestCas = 0;

  /** Creates an empty store; throws on a non-positive limit. */
  constructor(options: ItemStoreOptions = {}) {
    this.memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    this.itemSizeMax = options.itemSizeMax ?? DEFAULT_ITEM_SIZE_MAX;
    this.itemOverhead = options.itemOverhead ?? DEFAULT_ITEM_OVERHEAD;
    for (
      const [name, v] of [
        ["memoryLimit", this.memoryLimit],
        ["itemSizeMax", this.itemSizeMax],
        ["itemOverhead", this.itemOverhead],
      ] as const
    ) {
      if (!Number.isSafeInteger(v) || v < (name === "itemOverhead" ? 0 : 1)) {
        throw new RangeError(
          `Item store option "${name}" must be a ${
            name === "itemOverhead" ? "non-negative" : "positive"
          } integer, got ${v}`,
        );
      }
    }
    this.slots = new Array<Item | null>(INITIAL_SLOTS).fill(null);
    this.hashes = new Int32Array(INITIAL_SLOTS);
    this.mask = INITIAL_SLOTS - 1;
  }

  /** Accounted size of an item with this key length, flags and value length. */
  itemSize(nkey: number, flags: number, vlen: number): number {
    // memcached items.c: header + key + NUL + (flags ? 4 : 0) + value + CRLF (+ CAS in overhead).
    return this.itemOverhead + nkey + 1 + (flags !== 0 ? 4 : 0) + vlen + 2;
  }

  /** Whether an item of this shape fits in `itemSizeMax` (memcached `item_size_ok`). */
  sizeOk(nkey: number, flags: number, vlen: number): boolean {
    return this.itemSize(nkey, flags, vlen) <= this.itemSizeMax;
  }

  /** Whether an item of this accounted size could be stored at all after evicting others. */
  canAllocate(size: number): boolean {
    return size <= this.memoryLimit;
  }

  /** Returns the item for `buf[start .. end)` if it is present, live at `now`, else null. */
  find(buf: Uint8Array, start: number, end: number, hash: number, now: number): Item | null {
    const n = end - start;
    const h = hash | 0;
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let s = hash & mask;; s = (s + 1) & mask) {
      const it = slots[s] ?? null;
      if (it === null) return null;
      if (hashes[s] === h && it.key.length === n) {
        const k = it.key;
        let i = 0;
        while (i < n && k[i] === buf[start + i]) i++;
        if (i === n) {
          if (this.isDead(it, now)) {
            this.unlink(it);
            this.reclaimed++;
            return null;
          }
          return it;
        }
      }
    }
  }

  private isDead(it: Item, now: number): boolean {
    if (it.exptime !== 0 && it.exptime <= now) return true;
    if (this.flushPending && this.oldestLive <= now) {
      if (it.time <= this.oldestLive) return true;
      if (this.oldestCas !== 0 && it.cas !== 0 && it.cas < this.oldestCas) return true;
    }
    return false;
  }

  /** Links a new item at the LRU head, evicting from the tail until it fits. */
  link(it: Item, now: number): void {
    while (this.bytes + it.size > this.memoryLimit && this.tail !== null) {
      const victim = this.tail;
      this.unlink(victim);
      if (this.isDead(victim, now)) this.reclaimed++;
      else this.evictions++;
    }
    this.place(it);
    it.linked = true;
    it.time = now;
    this.pushHead(it);
    this.currItems++;
    this.totalItems++;
    this.bytes += it.size;
    if (this.currItems * 2 > this.slots.length) this.grow();
  }

  /** Removes an item from the table and the LRU. */
  unlink(it: Item): void {
    if (!it.linked) return;
    this.displace(it);
    this.removeLru(it);
    it.linked = false;
    this.currItems--;
    this.bytes -= it.size;
  }

  /** Moves an item to the LRU head and refreshes its access time (memcached `do_item_update`). */
  touch(it: Item, now: number): void {
    if (it.time < now - ITEM_UPDATE_INTERVAL) it.time = now;
    if (this.head !== it) {
      this.removeLru(it);
      this.pushHead(it);
    }
  }

  /** Changes the accounted size of a linked item. */
  resize(it: Item, size: number): void {
    if (it.linked) this.bytes += size - it.size;
    it.size = size;
  }

  /**
   * Records a flush: items last accessed at or before `oldestLive` die once the clock reaches
   * it, and items whose CAS is below `oldestCas` (0 = none) die with them. Like memcached
   * (`item_is_flushed`), nothing is freed here: dead items are dropped when next found or when
   * they reach the LRU tail, and a later delayed flush (whose time is still ahead) hides the
   * earlier one, so items it had killed but nobody had touched come back, as they do in
   * memcached 1.6.18.
   */
  flush(oldestLive: number, oldestCas: number): void {
    this.flushPending = true;
    this.oldestLive = oldestLive;
    this.oldestCas = oldestCas;
  }

  /** Iterates keys from the LRU head (most recent) to the tail. */
  *lruKeys(): Generator<Uint8Array> {
    for (let it = this.head; it !== null; it = it.next) yield it.key;
  }

  private pushHead(it: Item): void {
    it.prev = null;
    it.next = this.head;
    if (this.head !== null) this.head.prev = it;
    this.head = it;
    if (this.tail === null) this.tail = it;
  }

  private removeLru(it: Item): void {
    if (it.prev !== null) it.prev.next = it.next;
    else if (this.head === it) this.head = it.next;
    if (it.next !== null) it.next.prev = it.prev;
    else if (this.tail === it) this.tail = it.prev;
    it.prev = null;
    it.next = null;
  }

  /** Puts an item in the first free slot from its home slot (the table is never full). */
  private place(it: Item): void {
    const mask = this.mask;
    let s = it.hash & mask;
    while (this.slots[s] !== null) s = (s + 1) & mask;
    this.slots[s] = it;
    this.hashes[s] = it.hash | 0;
  }

  /**
   * Takes a linked item out of the table. Backward-shift deletion: each later item of the same
   * run whose home slot does not lie between the hole and itself moves back into the hole, so
   * every item stays reachable from its home slot without tombstones.
   */
  private displace(it: Item): void {
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = this.mask;
    let hole = it.hash & mask;
    while (slots[hole] !== it) hole = (hole + 1) & mask;
    slots[hole] = null;
    for (let s = (hole + 1) & mask;; s = (s + 1) & mask) {
      const next = slots[s] ?? null;
      if (next === null) return;
      const home = (hashes[s] as number) & mask;
      // Probe distances from the home slot: the item may fill the hole if it lies on its path.
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        slots[hole] = next;
        hashes[hole] = hashes[s] as number;
        slots[s] = null;
        hole = s;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const size = old.length * 2;
    this.slots = new Array<Item | null>(size).fill(null);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    for (const it of old) if (it !== null) this.place(it);
  }
}
