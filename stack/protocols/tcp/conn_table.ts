/**
 * The connection table: connections keyed by a numeric hash of the 4-tuple (no string keys),
 * chained buckets over typed arrays, a free list of slots, and one reusable `TcpConn` per slot.
 *
 * @module
 */
import { TcpConn } from "./conn.ts";
import { TcpState } from "./state.ts";

/** Mixes a 4-tuple into 32 bits (murmur3 finalizer steps); the bucket index uses the low bits. */
export function tupleHash(
  localIp: number,
  localPort: number,
  remoteIp: number,
  remotePort: number,
): number {
  let h = Math.imul(localIp ^ 0x9e3779b9, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h ^ remoteIp, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = Math.imul(h ^ ((localPort << 16) | remotePort), 0xe6546b64);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fixed-capacity table of connections. */
export class ConnTable {
  /** Slots, at most. */
  readonly capacity: number;
  /** One control block per slot. */
  readonly conns: readonly TcpConn[];
  readonly #mask: number;
  readonly #head: Int32Array;
  readonly #next: Int32Array;
  readonly #bucket: Int32Array;
  readonly #free: Int32Array;
  #freeCount: number;
  readonly #used: Uint8Array;

  /** Makes an empty table of `capacity` slots (1..4 194 304). */
  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1 << 22)) {
      throw new RangeError(
        `Cannot create TCP connection table: capacity ${capacity} must be an integer 1..4194304`,
      );
    }
    this.capacity = capacity;
    let buckets = 1;
    while (buckets < capacity * 2) buckets <<= 1;
    this.#mask = buckets - 1;
    this.#head = new Int32Array(buckets).fill(-1);
    this.#next = new Int32Array(capacity).fill(-1);
    this.#bucket = new Int32Array(capacity).fill(-1);
    this.#free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.#free[i] = capacity - 1 - i;
    this.#freeCount = capacity;
    this.#used = new Uint8Array(capacity);
    const conns: TcpConn[] = [];
    for (let i = 0; i < capacity; i++) conns.push(new TcpConn(i));
    this.conns = conns;
  }

  /** Slots in use. */
  get size(): number {
    return this.capacity - this.#freeCount;
  }

  /** Whether slot `id` holds a connection. */
  isUsed(id: number): boolean {
    return this.#used[id] === 1;
  }

  /** The connection id for the 4-tuple, or -1. */
  lookup(localIp: number, localPort: number, remoteIp: number, remotePort: number): number {
    const b = tupleHash(localIp, localPort, remoteIp, remotePort) & this.#mask;
    const conns = this.conns;
    for (let i = this.#head[b] ?? -1; i >= 0; i = this.#next[i] ?? -1) {
      const c = conns[i];
      if (
        c !== undefined && c.remotePort === remotePort && c.localPort === localPort &&
        c.remoteIp === remoteIp && c.localIp === localIp
      ) return i;
    }
    return -1;
  }

  /**
   * Takes a free slot for the 4-tuple, resets its control block and links it into its bucket.
   * Returns the id, or -1 when the table is full. The caller checks the tuple is not present.
   */
  insert(localIp: number, localPort: number, remoteIp: number, remotePort: number): number {
    if (this.#freeCount === 0) return -1;
    const id = this.#free[--this.#freeCount] ?? -1;
    const c = this.conns[id];
    if (c === undefined) return -1;
    resetConn(c);
    c.localIp = localIp >>> 0;
    c.localPort = localPort;
    c.remoteIp = remoteIp >>> 0;
    c.remotePort = remotePort;
    const b = tupleHash(c.localIp, localPort, c.remoteIp, remotePort) & this.#mask;
    this.#bucket[id] = b;
    this.#next[id] = this.#head[b] ?? -1;
    this.#head[b] = id;
    this.#used[id] = 1;
    return id;
  }

  /** Unlinks connection `id` and returns its slot to the free list (no-op if unused). */
  remove(id: number): void {
    if (this.#used[id] !== 1) return;
    const b = this.#bucket[id] ?? -1;
    let prev = -1;
    for (let i = this.#head[b] ?? -1; i >= 0; i = this.#next[i] ?? -1) {
      if (i === id) {
        if (prev < 0) this.#head[b] = this.#next[i] ?? -1;
        else this.#next[prev] = this.#next[i] ?? -1;
        break;
      }
      prev = i;
    }
    this.#next[id] = -1;
    this.#bucket[id] = -1;
    this.#used[id] = 0;
    const c = this.conns[id];
    if (c !== undefined) c.state = TcpState.Closed;
    this.#free[this.#freeCount++] = id;
  }
}

/** Resets every protocol field of `c` (buffers are kept for reuse). */
function resetConn(c: TcpConn): void {
  c.state = TcpState.Closed;
  c.listener = -1;
  c.appOwned = false;
  c.inAcceptQueue = false;
  c.appClosed = false;
  c.iss =
    c.sndUna =
    c.sndNxt =
    c.sndMax =
      0;
  c.sndWnd = c.sndWl1 = c.sndWl2 = 0;
  c.sndScale = c.rcvScale = 0;
  c.wsOk = false;
  c.sendMss = 536;
  c.cwnd = c.ssthresh = c.dupAcks = 0;
  c.inRecovery = false;
  c.recover = 0;
  c.irs = c.rcvNxt = c.rcvAdvEdge = 0;
  c.ackNow = false;
  c.ackPending = 0;
  c.ackDeadlineNs = -1;
  c.quickAcksLeft = 0;
  c.sndHead = c.sndLen = 0;
  c.finQueued = false;
  c.sndBlocked = false;
  c.rcvHead = c.rcvLen = 0;
  c.oooCount = 0;
  c.finReceived = false;
  c.oooFin = false;
  c.oooFinSeq = 0;
  c.rtoNs = 0;
  c.srttNs = -1;
  c.rttvarNs = 0;
  c.rttSeq = 0;
  c.rttStartNs = -1;
  c.deadlineNs = -1;
  c.timerKind = 0;
  c.retries = 0;
  c.error = 0;
}
