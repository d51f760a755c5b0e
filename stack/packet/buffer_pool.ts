/**
 * A pool of fixed-size packet buffers carved from one pre-allocated ArrayBuffer, with headroom
 * so headers are prepended without copying and explicit ownership (alloc, free, move).
 *
 * Buffer `id` occupies `bytes[id * bufferSize, (id + 1) * bufferSize)`. Its data lies at
 * `bytes[start[id], start[id] + length[id])`; a fresh buffer starts `headroom` bytes in with
 * length 0. Owners are small non-negative integers (a pipeline, a queue, an application).
 *
 * Defaults mirror Dragonet's pools (16 384 buffers x 2048 bytes per pipeline,
 * `dragonet-model.md` section 12.4); the 128-byte headroom is the lab's choice (room for
 * Ethernet + 802.1Q + IPv4 with options + TCP with options) and a parameter.
 *
 * Checks: an id out of range and a free of a free buffer (double free) always throw, since they
 * would corrupt the pool. With `debug: true` the pool also checks that the caller owns the buffer
 * on free, move, prepend, append, trim and reset (pass the `owner` argument), throwing on use
 * after free or use by another owner, and fills freed buffers with 0xdd so stale reads show.
 *
 * @module
 */

/** Size of every buffer in bytes (Dragonet: 2048, `dragonet-model.md` section 12.4). */
export const DEFAULT_BUFFER_SIZE = 2048;
/** Default headroom in bytes before the data of a fresh buffer. */
export const DEFAULT_HEADROOM = 128;
/** Owner value of a buffer on the free list. */
export const FREE_OWNER = -1;

/** Options of a `BufferPool`. */
export interface BufferPoolOptions {
  /** Number of buffers (1..1 048 576). */
  readonly count: number;
  /** Bytes per buffer (default 2048; 64..65 536). */
  readonly bufferSize?: number;
  /** Bytes of headroom before the data of a fresh buffer (default 128; below `bufferSize`). */
  readonly headroom?: number;
  /** Check ownership on every operation and poison freed buffers (default false). */
  readonly debug?: boolean;
}

/** Fixed-size packet buffers over one ArrayBuffer with ownership and usage counters. */
export class BufferPool {
  /** The arena holding every buffer. */
  readonly bytes: Uint8Array;
  /** Number of buffers. */
  readonly count: number;
  /** Bytes per buffer. */
  readonly bufferSize: number;
  /** Headroom of a fresh buffer. */
  readonly headroom: number;
  /** Whether ownership checks and poisoning are on. */
  readonly debug: boolean;
  /** Absolute arena offset of each buffer's data. */
  readonly start: Int32Array;
  /** Data length of each buffer. */
  readonly length: Int32Array;
  /** Owner of each buffer, `FREE_OWNER` when free. */
  readonly owner: Int32Array;

  readonly #freeList: Int32Array;
  #freeTop: number;
  #allocated = 0;
  #freed = 0;
  #highWater = 0;
  #allocFailures = 0;

  /** Creates the pool and its arena; throws a clear error on out-of-range options. */
  constructor(options: BufferPoolOptions) {
    const count = options.count;
    const bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    const headroom = options.headroom ?? DEFAULT_HEADROOM;
    if (!(Number.isInteger(count) && count >= 1 && count <= 1_048_576)) {
      throw new RangeError(
        `Cannot create buffer pool: count ${count} must be an integer 1..1048576`,
      );
    }
    if (!(Number.isInteger(bufferSize) && bufferSize >= 64 && bufferSize <= 65_536)) {
      throw new RangeError(
        `Cannot create buffer pool: bufferSize ${bufferSize} must be an integer 64..65536`,
      );
    }
    if (!(Number.isInteger(headroom) && headroom >= 0 && headroom < bufferSize)) {
      throw new RangeError(
        `Cannot create buffer pool: headroom ${headroom} must be an integer 0..${bufferSize - 1}`,
      );
    }
    this.count = count;
    this.bufferSize = bufferSize;
    this.headroom = headroom;
    this.debug = options.debug ?? false;
    this.bytes = new Uint8Array(new ArrayBuffer(count * bufferSize));
    this.start = new Int32Array(count);
    this.length = new Int32Array(count);
    this.owner = new Int32Array(count).fill(FREE_OWNER);
    this.#freeList = new Int32Array(count);
    // Pop order 0, 1, 2, ... so ids are predictable in tests and traces.
    for (let i = 0; i < count; i++) this.#freeList[i] = count - 1 - i;
    this.#freeTop = count;
  }

  /** Successful allocations since creation. */
  get allocated(): number {
    return this.#allocated;
  }
  /** Frees since creation. */
  get freed(): number {
    return this.#freed;
  }
  /** Buffers currently owned. */
  get inUse(): number {
    return this.count - this.#freeTop;
  }
  /** Most buffers ever in use at once. */
  get highWater(): number {
    return this.#highWater;
  }
  /** Allocations refused because the pool was empty. */
  get allocFailures(): number {
    return this.#allocFailures;
  }

  /** Takes a free buffer for `owner` (an integer >= 0); returns its id, or -1 when exhausted (counted). */
  alloc(owner: number): number {
    if (!(owner >= 0 && (owner | 0) === owner)) {
      throw new RangeError(`Cannot allocate a buffer for owner ${owner}: owners are integers >= 0`);
    }
    if (this.#freeTop === 0) {
      this.#allocFailures++;
      return -1;
    }
    const id = this.#freeList[--this.#freeTop] ?? -1;
    this.owner[id] = owner;
    this.start[id] = id * this.bufferSize + this.headroom;
    this.length[id] = 0;
    this.#allocated++;
    const used = this.count - this.#freeTop;
    if (used > this.#highWater) this.#highWater = used;
    return id;
  }

  /** Returns buffer `id`, owned by `owner`, to the pool. Throws on a double free (and, in debug mode, a wrong owner). */
  free(id: number, owner: number): void {
    this.#checkId(id, "free");
    const cur = this.owner[id] ?? FREE_OWNER;
    if (cur === FREE_OWNER) {
      throw new Error(
        `Cannot free buffer ${id} for owner ${owner}: it is already free (double free)`,
      );
    }
    if (this.debug && cur !== owner) {
      throw new Error(`Cannot free buffer ${id} for owner ${owner}: it is owned by ${cur}`);
    }
    this.owner[id] = FREE_OWNER;
    this.length[id] = 0;
    if (this.debug) {
      const base = id * this.bufferSize;
      this.bytes.fill(0xdd, base, base + this.bufferSize);
    }
    this.#freeList[this.#freeTop++] = id;
    this.#freed++;
  }

  /** Transfers buffer `id` from owner `from` to owner `to` (zero copy). */
  move(id: number, from: number, to: number): void {
    this.checkOwner(id, from, "move");
    if (!(to >= 0 && (to | 0) === to)) {
      throw new RangeError(`Cannot move buffer ${id} to owner ${to}: owners are integers >= 0`);
    }
    this.owner[id] = to;
  }

  /**
   * Throws unless buffer `id` is allocated (and, in debug mode, owned by `owner`): the
   * use-after-free check a node can call before touching a buffer. `op` names the operation in
   * the error.
   */
  checkOwner(id: number, owner: number, op = "use"): void {
    this.#checkId(id, op);
    const cur = this.owner[id] ?? FREE_OWNER;
    if (cur === FREE_OWNER) {
      throw new Error(`Cannot ${op} buffer ${id} for owner ${owner}: it is free (use after free)`);
    }
    if (this.debug && cur !== owner) {
      throw new Error(`Cannot ${op} buffer ${id} for owner ${owner}: it is owned by ${cur}`);
    }
  }

  /**
   * Grows the data `n` bytes to the front (to write a header); returns the new data start, or
   * -1 when fewer than `n` bytes of headroom remain (nothing changes).
   */
  prepend(id: number, n: number, owner = -1): number {
    if (this.debug) this.checkOwner(id, owner, "prepend to");
    else this.#checkId(id, "prepend to");
    const s = (this.start[id] ?? 0) - n;
    if (n < 0 || s < id * this.bufferSize) return -1;
    this.start[id] = s;
    this.length[id] = (this.length[id] ?? 0) + n;
    return s;
  }

  /**
   * Grows the data `n` bytes at the back; returns the offset of the first new byte, or -1 when
   * fewer than `n` bytes of tailroom remain (nothing changes).
   */
  append(id: number, n: number, owner = -1): number {
    if (this.debug) this.checkOwner(id, owner, "append to");
    else this.#checkId(id, "append to");
    const s = this.start[id] ?? 0;
    const len = this.length[id] ?? 0;
    if (n < 0 || s + len + n > (id + 1) * this.bufferSize) return -1;
    this.length[id] = len + n;
    return s + len;
  }

  /**
   * Drops `n` bytes from the front of the data (to strip a received header); returns the new
   * data start, or -1 when the data is shorter than `n` (nothing changes).
   */
  trimFront(id: number, n: number, owner = -1): number {
    if (this.debug) this.checkOwner(id, owner, "trim");
    else this.#checkId(id, "trim");
    const len = this.length[id] ?? 0;
    if (n < 0 || n > len) return -1;
    const s = (this.start[id] ?? 0) + n;
    this.start[id] = s;
    this.length[id] = len - n;
    return s;
  }

  /** Resets buffer `id` to empty data after the default headroom (to reuse it for a new packet). */
  resetData(id: number, owner = -1): void {
    if (this.debug) this.checkOwner(id, owner, "reset");
    else this.#checkId(id, "reset");
    this.start[id] = id * this.bufferSize + this.headroom;
    this.length[id] = 0;
  }

  /** Bytes of headroom left before the data of buffer `id`. */
  headroomOf(id: number): number {
    return (this.start[id] ?? 0) - id * this.bufferSize;
  }

  /** Bytes of tailroom left after the data of buffer `id`. */
  tailroomOf(id: number): number {
    return (id + 1) * this.bufferSize - (this.start[id] ?? 0) - (this.length[id] ?? 0);
  }

  #checkId(id: number, op: string): void {
    if (!(id >= 0 && id < this.count && (id | 0) === id)) {
      throw new RangeError(`Cannot ${op} buffer ${id}: ids are integers 0..${this.count - 1}`);
    }
  }
}
