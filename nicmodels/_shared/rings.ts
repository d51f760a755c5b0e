/**
 * Descriptor rings for all queues of one direction: fixed-size circular buffers in typed arrays.
 *
 * A descriptor carries the caller's cookie (e.g. a buffer-pool id), the frame length, RX flags
 * and the RSS hash. Pushing into a full ring fails (the caller counts the drop); nothing
 * allocates after construction.
 *
 * @module
 */

/** The rings of every queue of one direction (RX or TX), each `size` descriptors. */
export class DescriptorRings {
  /** Number of queues. */
  readonly queues: number;
  /** Descriptors per ring. */
  readonly size: number;
  private readonly cookie: Int32Array;
  private readonly length: Uint32Array;
  private readonly flags: Uint32Array;
  private readonly hash: Uint32Array;
  private readonly head: Uint32Array;
  private readonly count: Uint32Array;

  /** Allocates `queues` rings of `size` descriptors (both at least 1). */
  constructor(queues: number, size: number) {
    if (!Number.isInteger(queues) || queues < 1 || !Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `Descriptor rings need at least 1 queue and 1 descriptor, got ${queues} queues of ${size}`,
      );
    }
    this.queues = queues;
    this.size = size;
    this.cookie = new Int32Array(queues * size);
    this.length = new Uint32Array(queues * size);
    this.flags = new Uint32Array(queues * size);
    this.hash = new Uint32Array(queues * size);
    this.head = new Uint32Array(queues);
    this.count = new Uint32Array(queues);
  }

  /** Descriptors in use on queue `q`. */
  pending(q: number): number {
    return this.count[q] ?? 0;
  }

  /** True when queue `q` has no free descriptor. */
  full(q: number): boolean {
    return (this.count[q] ?? 0) >= this.size;
  }

  /** Appends a descriptor to queue `q`; false when the ring is full. */
  push(q: number, cookie: number, length: number, flags: number, hash: number): boolean {
    const n = this.count[q] ?? this.size;
    if (n >= this.size) return false;
    const at = q * this.size + (((this.head[q] ?? 0) + n) % this.size);
    this.cookie[at] = cookie;
    this.length[at] = length;
    this.flags[at] = flags;
    this.hash[at] = hash;
    this.count[q] = n + 1;
    return true;
  }

  /**
   * Removes up to `max` descriptors from queue `q` in order, writing cookies into `cookies`
   * (from index 0) when given; returns how many were removed.
   */
  pop(q: number, max: number, cookies?: Int32Array): number {
    const n = Math.min(this.count[q] ?? 0, max, cookies ? cookies.length : max);
    let h = this.head[q] ?? 0;
    for (let i = 0; i < n; i++) {
      if (cookies) cookies[i] = this.cookie[q * this.size + h] ?? -1;
      h = (h + 1) % this.size;
    }
    this.head[q] = h;
    this.count[q] = (this.count[q] ?? 0) - n;
    return n;
  }

  /** Frame length of descriptor `i` (0 = oldest) of queue `q`, or -1 when absent (allocates nothing). */
  lengthAt(q: number, i: number): number {
    if (i < 0 || i >= (this.count[q] ?? 0)) return -1;
    return this.length[q * this.size + (((this.head[q] ?? 0) + i) % this.size)] ?? 0;
  }

  /** Reads descriptor `i` (0 = oldest) of queue `q` without removing it; null when absent. */
  peek(
    q: number,
    i: number,
  ): { cookie: number; length: number; flags: number; hash: number } | null {
    if (i < 0 || i >= (this.count[q] ?? 0)) return null;
    const at = q * this.size + (((this.head[q] ?? 0) + i) % this.size);
    return {
      cookie: this.cookie[at] ?? -1,
      length: this.length[at] ?? 0,
      flags: this.flags[at] ?? 0,
      hash: this.hash[at] ?? 0,
    };
  }
}
