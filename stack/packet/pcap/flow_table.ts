/**
 * `FlowTable`: counts packets and bytes per IPv4 flow in typed arrays (no per-packet allocation).
 *
 * A flow is the 5-tuple (protocol, addresses, ports) with both directions folded into one, so a
 * TCP connection is one flow. Ports are 0 for protocols without them (ICMP).
 *
 * @module
 */

/** One flow as reported by `FlowTable.top`. */
export interface FlowSummary {
  /** IP protocol number. */
  readonly proto: number;
  /** Lower endpoint address (u32). */
  readonly addrA: number;
  /** Port at `addrA`. */
  readonly portA: number;
  /** Higher endpoint address (u32). */
  readonly addrB: number;
  /** Port at `addrB`. */
  readonly portB: number;
  /** Packets seen in either direction. */
  readonly packets: number;
  /** Bytes on the wire (original lengths) in either direction. */
  readonly bytes: number;
}

/** An open-addressing hash table of flows over typed arrays, growing at half load. */
export class FlowTable {
  #cap: number;
  #used: Uint8Array;
  #addrA: Uint32Array;
  #addrB: Uint32Array;
  #ports: Uint32Array;
  #proto: Uint8Array;
  #packets: Float64Array;
  #bytes: Float64Array;
  #size = 0;

  /** Creates an empty table with room for `initialCapacity` slots (rounded up to a power of 2). */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.#cap = cap;
    this.#used = new Uint8Array(cap);
    this.#addrA = new Uint32Array(cap);
    this.#addrB = new Uint32Array(cap);
    this.#ports = new Uint32Array(cap);
    this.#proto = new Uint8Array(cap);
    this.#packets = new Float64Array(cap);
    this.#bytes = new Float64Array(cap);
  }

  /** Number of distinct flows seen. */
  get size(): number {
    return this.#size;
  }

  /** Counts one packet of `bytes` bytes from `src:srcPort` to `dst:dstPort` over `proto`. */
  add(
    proto: number,
    src: number,
    srcPort: number,
    dst: number,
    dstPort: number,
    bytes: number,
  ): void {
    let a = src >>> 0, pa = srcPort, b = dst >>> 0, pb = dstPort;
    if (a > b || (a === b && pa > pb)) {
      a = dst >>> 0;
      pa = dstPort;
      b = src >>> 0;
      pb = srcPort;
    }
    const ports = ((pa << 16) | pb) >>> 0;
    const mask = this.#cap - 1;
    let i = hash(proto, a, b, ports) & mask;
    for (;;) {
      if (this.#used[i] === 0) {
        this.#used[i] = 1;
        this.#proto[i] = proto;
        this.#addrA[i] = a;
        this.#addrB[i] = b;
        this.#ports[i] = ports;
        this.#packets[i] = 1;
        this.#bytes[i] = bytes;
        this.#size++;
        if (this.#size * 2 > this.#cap) this.#grow();
        return;
      }
      if (
        this.#addrA[i] === a && this.#addrB[i] === b && this.#ports[i] === ports &&
        this.#proto[i] === proto
      ) {
        this.#packets[i] = (this.#packets[i] ?? 0) + 1;
        this.#bytes[i] = (this.#bytes[i] ?? 0) + bytes;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** The `n` flows with the most bytes (ties by packets, then by tuple), largest first. */
  top(n: number): FlowSummary[] {
    const all: FlowSummary[] = [];
    for (let i = 0; i < this.#cap; i++) {
      if (this.#used[i] === 0) continue;
      const ports = this.#ports[i] ?? 0;
      all.push({
        proto: this.#proto[i] ?? 0,
        addrA: this.#addrA[i] ?? 0,
        portA: ports >>> 16,
        addrB: this.#addrB[i] ?? 0,
        portB: ports & 0xffff,
        packets: this.#packets[i] ?? 0,
        bytes: this.#bytes[i] ?? 0,
      });
    }
    all.sort((x, y) =>
      y.bytes - x.bytes || y.packets - x.packets || x.proto - y.proto || x.addrA - y.addrA ||
      x.portA - y.portA || x.addrB - y.addrB || x.portB - y.portB
    );
    return all.slice(0, Math.max(0, n));
  }

  #grow(): void {
    const old = {
      cap: this.#cap,
      used: this.#used,
      a: this.#addrA,
      b: this.#addrB,
      ports: this.#ports,
      proto: this.#proto,
      packets: this.#packets,
      bytes: this.#bytes,
    };
    const cap = this.#cap * 2;
    this.#cap = cap;
    this.#used = new Uint8Array(cap);
    this.#addrA = new Uint32Array(cap);
    this.#addrB = new Uint32Array(cap);
    this.#ports = new Uint32Array(cap);
    this.#proto = new Uint8Array(cap);
    this.#packets = new Float64Array(cap);
    this.#bytes = new Float64Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < old.cap; j++) {
      if (old.used[j] === 0) continue;
      const proto = old.proto[j] ?? 0, a = old.a[j] ?? 0, b = old.b[j] ?? 0, p = old.ports[j] ?? 0;
      let i = hash(proto, a, b, p) & mask;
      while (this.#used[i] !== 0) i = (i + 1) & mask;
      this.#used[i] = 1;
      this.#proto[i] = proto;
      this.#addrA[i] = a;
      this.#addrB[i] = b;
      this.#ports[i] = p;
      this.#packets[i] = old.packets[j] ?? 0;
      this.#bytes[i] = old.bytes[j] ?? 0;
    }
  }
}

function hash(proto: number, a: number, b: number, ports: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ ports ^ (h >>> 16), 0x27d4eb2f);
  h ^= proto;
  return (h ^ (h >>> 15)) >>> 0;
}
