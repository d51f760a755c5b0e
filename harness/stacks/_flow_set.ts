/**
 * A set of UDP flows by remote (IPv4 address, port), for per-datagram membership tests.
 *
 * Open addressing over typed arrays (linear probing, power-of-two capacity, grown at half full):
 * a lookup hashes two 32-bit integers and compares them, where a `Set<number>` keyed by
 * `ip * 65536 + port` (a 48-bit double) hashes a heap number on every test.
 *
 * @module
 */

/** Initial slots (a power of two). */
const INITIAL_SLOTS = 64;

/**
 * Remote (IPv4, port) pairs seen so far.
 *
 * @example
 * ```ts
 * import { FlowSet } from "./_flow_set.ts";
 * const s = new FlowSet();
 * if (!s.add(0x0a000002, 1234) || s.add(0x0a000002, 1234)) throw new Error("add");
 * if (!s.has(0x0a000002, 1234) || s.has(0x0a000002, 1235)) throw new Error("has");
 * ```
 */
export class FlowSet {
  #ip = new Int32Array(INITIAL_SLOTS);
  /** Port + 1 per slot: 0 marks an empty slot. */
  #port = new Int32Array(INITIAL_SLOTS);
  #size = 0;

  /** Flows in the set. */
  get size(): number {
    return this.#size;
  }

  /** Whether (`ip`, `port`) is in the set; `ip` an unsigned 32-bit address, `port` 0..65535. */
  has(ip: number, port: number): boolean {
    return this.#find(ip | 0, port + 1) >= 0;
  }

  /** Adds (`ip`, `port`); returns false when it was already there. */
  add(ip: number, port: number): boolean {
    if (!(port >= 0 && port <= 0xffff) || port !== (port | 0)) {
      throw new RangeError(`Flow port ${port} is invalid: must be an integer 0..65535`);
    }
    const i = ip | 0;
    const p = port + 1;
    if (this.#find(i, p) >= 0) return false;
    if (2 * (this.#size + 1) > this.#port.length) this.#grow();
    this.#insert(i, p);
    this.#size++;
    return true;
  }

  /** Slot holding (`i`, `p`), or -1. */
  #find(i: number, p: number): number {
    const ips = this.#ip;
    const ports = this.#port;
    const mask = ports.length - 1;
    for (let s = slotOf(i, p, mask);; s = (s + 1) & mask) {
      const sp = ports[s] as number;
      if (sp === 0) return -1;
      if (sp === p && ips[s] === i) return s;
    }
  }

  #insert(i: number, p: number): void {
    const ports = this.#port;
    const mask = ports.length - 1;
    let s = slotOf(i, p, mask);
    while (ports[s] !== 0) s = (s + 1) & mask;
    this.#ip[s] = i;
    ports[s] = p;
  }

  #grow(): void {
    const ips = this.#ip;
    const ports = this.#port;
    this.#ip = new Int32Array(ports.length * 2);
    this.#port = new Int32Array(ports.length * 2);
    for (let s = 0; s < ports.length; s++) {
      const p = ports[s] as number;
      if (p !== 0) this.#insert(ips[s] as number, p);
    }
  }
}

/** Home slot of a flow: a multiplicative hash of both fields, high bits folded into the low. */
function slotOf(i: number, p: number, mask: number): number {
  const h = Math.imul(i ^ Math.imul(p, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}
