/**
 * `LpgEnv`: the stack-wide state the LPG nodes share (reference §12.3 "state"): local addresses,
 * the per-buffer attribute block (header offsets and the fields the TX path fills), the ARP
 * cache and the list of packets parked while ARP resolves, socket receive rings, the TX ring,
 * and the ICMP error rate limiter.
 *
 * Everything per packet is a typed array indexed by buffer id, so nodes never allocate.
 *
 * Sources: `/work/shared/reference/dragonet-model.md` §6 (what each node records), §12.3
 * (attribute block: L2-L5 offsets, MACs, ethertype, IP proto/src/dst, ARP fields, ICMP id, UDP
 * ports, socket id), §12.4 (queues move buffer ownership).
 *
 * @module
 */
import { parseIpv4, parseMac } from "../packet/addr.ts";
import type { BufferPool } from "../packet/buffer_pool.ts";

/** Addresses and knobs of one stack instance. */
export interface LpgConfig {
  /** Local IPv4 address (dotted quad). */
  readonly localIp: string;
  /** Local MAC (`02:00:00:00:00:01`). */
  readonly localMac: string;
  /**
   * Verify UDP checksums (default true). The original node always said true (quirk Q5,
   * reference §13); `false` reproduces it.
   */
  readonly verifyUdpChecksum?: boolean;
  /**
   * ICMP errors allowed per second (token bucket; default 1000, Linux's `icmp_ratelimit`
   * default of one per ms; source: Linux `Documentation/networking/ip-sysctl.rst`). 0 disables
   * port-unreachable replies.
   */
  readonly icmpErrorsPerSecond?: number;
  /** Burst size of the ICMP error bucket (default 50, Linux `icmp_msgs_burst`). */
  readonly icmpErrorBurst?: number;
  /** Packets parked while ARP resolves, at most (default 64). */
  readonly arpPendingCapacity?: number;
  /** ARP cache entries, at most (default 256). */
  readonly arpCacheCapacity?: number;
  /** Buffers each socket's receive ring holds (default 1024). */
  readonly socketRingCapacity?: number;
  /** Buffers the TX ring holds (default 1024). */
  readonly txRingCapacity?: number;
  /** Milliseconds clock for the rate limiter (default `performance.now`); tests pass a fake. */
  readonly now?: () => number;
  /**
   * Interface MTU in bytes, 68..65535 (default 1500, Ethernet's, RFC 894; 68 is IPv4's minimum,
   * RFC 791). The Ethernet length check drops longer frames as `eth-oversize`; see
   * {@linkcode maxFrameLength}.
   */
  readonly mtu?: number;
}

/** Default interface MTU: Ethernet II's 1500 bytes (RFC 894). */
export const DEFAULT_MTU = 1500;

/**
 * Bytes a frame may carry beyond the MTU: 14-byte Ethernet header, one 4-byte 802.1Q tag and the
 * 4-byte FCS, as a Linux driver sizes its receive limit (ixgbe: `mtu + ETH_HLEN + ETH_FCS_LEN`,
 * VLAN-tagged frames allowed; source: reference `nic-models.md` maxFrame 1522 = 1518 + tag). The
 * lab's frame lengths carry no FCS, and the NIC models compare them against 1522 as they are,
 * so the software check uses the same bound: both stay 4 bytes lenient alike.
 */
export const FRAME_OVERHEAD = 22;

/** Largest frame length (bytes, as the lab counts them) the stack accepts at MTU `mtu`. */
export function maxFrameLength(mtu: number): number {
  return mtu + FRAME_OVERHEAD;
}

/** A bounded ring of buffer ids (socket receive queue, TX queue); allocation-free. */
export class BufRing {
  /** Capacity. */
  readonly capacity: number;
  readonly #ids: Int32Array;
  readonly #tag: Int32Array;
  #head = 0;
  #size = 0;
  /** Buffers refused because the ring was full. */
  overflows = 0;

  /** Makes an empty ring of `capacity` entries (1..1 048 576). */
  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1 && capacity <= 1_048_576)) {
      throw new RangeError(`Cannot create buffer ring: capacity ${capacity} must be 1..1048576`);
    }
    this.capacity = capacity;
    this.#ids = new Int32Array(capacity);
    this.#tag = new Int32Array(capacity);
  }

  /** Entries queued. */
  get size(): number {
    return this.#size;
  }

  /** Appends buffer `id` with a tag (socket id, ...); false when full (counted). */
  push(id: number, tag = 0): boolean {
    if (this.#size === this.capacity) {
      this.overflows++;
      return false;
    }
    // A wrap by subtraction, not `%` (an integer division on the per-packet path).
    let i = this.#head + this.#size;
    if (i >= this.capacity) i -= this.capacity;
    this.#ids[i] = id;
    this.#tag[i] = tag;
    this.#size++;
    return true;
  }

  /** Tag of the oldest entry (0 when empty); read before {@linkcode BufRing.shift}. */
  peekTag(): number {
    return this.#size === 0 ? 0 : this.#tag[this.#head] ?? 0;
  }

  /** Removes and returns the oldest buffer id, or -1 when empty. */
  shift(): number {
    if (this.#size === 0) return -1;
    const id = this.#ids[this.#head] ?? -1;
    const next = this.#head + 1;
    this.#head = next === this.capacity ? 0 : next;
    this.#size--;
    return id;
  }
}

/** The stack-wide state shared by every LPG node and pipeline. */
export class LpgEnv {
  /** The pool all packets live in. */
  readonly pool: BufferPool;
  /** Local IPv4 address (u32). */
  readonly localIp: number;
  /** Local MAC bytes. */
  readonly localMac: Uint8Array;
  /** Local MAC, first two bytes as a number. */
  readonly localMacHi: number;
  /** Local MAC, last four bytes as a number. */
  readonly localMacLo: number;
  /** Whether UDP checksums are verified (quirk Q5 knob). */
  readonly verifyUdpChecksum: boolean;

  // Attribute block, per buffer id (absolute arena offsets).
  /** L3 header offset. */
  readonly l3: Int32Array;
  /** L4 header offset. */
  readonly l4: Int32Array;
  /** L5 (payload) offset. */
  readonly l5: Int32Array;
  /** End of the IP datagram: min(L3 + total length, end of data). */
  readonly ipEnd: Int32Array;
  /** Received IPv4 source (u32). */
  readonly rxSrcIp: Uint32Array;
  /** Received IPv4 destination (u32). */
  readonly rxDstIp: Uint32Array;
  /** Received UDP source port. */
  readonly rxSrcPort: Int32Array;
  /** Received UDP destination port. */
  readonly rxDstPort: Int32Array;
  /** Socket id the packet was delivered to or sent from (-1). */
  readonly socket: Int32Array;
  /** TX: destination IPv4 (u32). */
  readonly txDstIp: Uint32Array;
  /** TX: IP protocol. */
  readonly txProto: Uint8Array;
  /** TX: UDP source port. */
  readonly txSrcPort: Uint16Array;
  /** TX: UDP destination port. */
  readonly txDstPort: Uint16Array;
  /** TX: ICMP type. */
  readonly txIcmpType: Uint8Array;
  /** TX: ICMP code. */
  readonly txIcmpCode: Uint8Array;
  /** TX: ICMP bytes 4..8. */
  readonly txIcmpRest: Uint32Array;
  /** TX: ethertype. */
  readonly txEtherType: Uint16Array;
  /** TX: destination MAC, first two bytes. */
  readonly txDstMacHi: Uint16Array;
  /** TX: destination MAC, last four bytes. */
  readonly txDstMacLo: Uint32Array;
  /** TX: ARP opcode. */
  readonly txArpOp: Uint8Array;
  /** TX: ARP target IP. */
  readonly txArpTargetIp: Uint32Array;

  // ARP cache (linear probe-free small table) and pending packets.
  /** Cache IPs. */
  readonly arpIp: Uint32Array;
  /** Cache MAC high parts. */
  readonly arpMacHi: Uint16Array;
  /** Cache MAC low parts. */
  readonly arpMacLo: Uint32Array;
  /** Cache entries in use. */
  arpCount = 0;
  /** Parked buffer ids (-1 = free slot). */
  readonly pendingBuf: Int32Array;
  /** IP each parked buffer waits for. */
  readonly pendingIp: Uint32Array;
  /** Parked packets. */
  pendingCount = 0;
  #pendingNext = 0;
  /** Scratch list for restarting parked packets in order. */
  readonly restartScratch: Int32Array;

  /** Receive ring of each socket id (made by {@linkcode LpgEnv.socketRing}; never removed). */
  readonly sockets: Map<number, BufRing> = new Map();
  /** Socket receive ring capacity. */
  readonly socketRingCapacity: number;
  /** Transmitted frames (buffer ids, owned by the ring until taken). */
  readonly tx: BufRing;
  #lastSid = -1;
  #lastRing: BufRing | null = null;

  /** ICMP error tokens. */
  icmpTokens: number;
  /** Last refill time (ms). */
  icmpLast: number;
  /** Tokens per millisecond. */
  readonly icmpRate: number;
  /** Bucket size. */
  readonly icmpBurst: number;
  /** Clock (ms). */
  readonly now: () => number;
  /** Interface MTU (bytes). */
  readonly mtu: number;
  /** Longest frame the Ethernet length check accepts: {@linkcode maxFrameLength} of the MTU. */
  readonly maxFrameLength: number;

  /** Makes the state for a pool and a configuration; throws on bad addresses or sizes. */
  constructor(pool: BufferPool, config: LpgConfig) {
    this.pool = pool;
    this.localIp = parseIpv4(config.localIp) >>> 0;
    this.localMac = parseMac(config.localMac);
    const m = this.localMac;
    this.localMacHi = ((m[0] ?? 0) << 8) | (m[1] ?? 0);
    this.localMacLo = (((m[2] ?? 0) << 24) | ((m[3] ?? 0) << 16) | ((m[4] ?? 0) << 8) |
      (m[5] ?? 0)) >>> 0;
    this.verifyUdpChecksum = config.verifyUdpChecksum ?? true;
    const mtu = config.mtu ?? DEFAULT_MTU;
    if (!(Number.isInteger(mtu) && mtu >= 68 && mtu <= 65535)) {
      throw new RangeError(`Cannot configure LPG: mtu ${mtu} must be an integer 68..65535`);
    }
    this.mtu = mtu;
    this.maxFrameLength = maxFrameLength(mtu);
    const n = pool.count;
    this.l3 = new Int32Array(n);
    this.l4 = new Int32Array(n);
    this.l5 = new Int32Array(n);
    this.ipEnd = new Int32Array(n);
    this.rxSrcIp = new Uint32Array(n);
    this.rxDstIp = new Uint32Array(n);
    this.rxSrcPort = new Int32Array(n);
    this.rxDstPort = new Int32Array(n);
    this.socket = new Int32Array(n).fill(-1);
    this.txDstIp = new Uint32Array(n);
    this.txProto = new Uint8Array(n);
    this.txSrcPort = new Uint16Array(n);
    this.txDstPort = new Uint16Array(n);
    this.txIcmpType = new Uint8Array(n);
    this.txIcmpCode = new Uint8Array(n);
    this.txIcmpRest = new Uint32Array(n);
    this.txEtherType = new Uint16Array(n);
    this.txDstMacHi = new Uint16Array(n);
    this.txDstMacLo = new Uint32Array(n);
    this.txArpOp = new Uint8Array(n);
    this.txArpTargetIp = new Uint32Array(n);
    const cacheCap = positive("arpCacheCapacity", config.arpCacheCapacity ?? 256);
    this.arpIp = new Uint32Array(cacheCap);
    this.arpMacHi = new Uint16Array(cacheCap);
    this.arpMacLo = new Uint32Array(cacheCap);
    const pendCap = positive("arpPendingCapacity", config.arpPendingCapacity ?? 64);
    this.pendingBuf = new Int32Array(pendCap).fill(-1);
    this.pendingIp = new Uint32Array(pendCap);
    this.restartScratch = new Int32Array(pendCap);
    this.socketRingCapacity = positive("socketRingCapacity", config.socketRingCapacity ?? 1024);
    this.tx = new BufRing(positive("txRingCapacity", config.txRingCapacity ?? 1024));
    const rate = config.icmpErrorsPerSecond ?? 1000;
    if (!(rate >= 0 && Number.isFinite(rate))) {
      throw new RangeError(`Cannot configure LPG: icmpErrorsPerSecond ${rate} must be >= 0`);
    }
    this.icmpRate = rate / 1000;
    this.icmpBurst = positive("icmpErrorBurst", config.icmpErrorBurst ?? 50);
    this.icmpTokens = rate === 0 ? 0 : this.icmpBurst;
    this.now = config.now ?? (() => performance.now());
    this.icmpLast = this.now();
  }

  /** The receive ring of socket `sid`, made on first use. */
  socketRing(sid: number): BufRing {
    // Per packet: the last ring asked for is answered without a map lookup.
    if (sid === this.#lastSid && this.#lastRing !== null) return this.#lastRing;
    let ring = this.sockets.get(sid);
    if (ring === undefined) {
      ring = new BufRing(this.socketRingCapacity);
      this.sockets.set(sid, ring);
    }
    this.#lastSid = sid;
    this.#lastRing = ring;
    return ring;
  }

  /** Cache slot of `ip`, or -1. */
  arpFind(ip: number): number {
    const n = this.arpCount;
    const ips = this.arpIp;
    for (let i = 0; i < n; i++) if (ips[i] === ip) return i;
    return -1;
  }

  /** Inserts or updates a cache entry; when full the oldest entry is replaced. */
  arpInsert(ip: number, hi: number, lo: number): void {
    let i = this.arpFind(ip);
    if (i < 0) {
      if (this.arpCount < this.arpIp.length) i = this.arpCount++;
      else {
        this.arpIp.copyWithin(0, 1);
        this.arpMacHi.copyWithin(0, 1);
        this.arpMacLo.copyWithin(0, 1);
        i = this.arpIp.length - 1;
      }
    }
    this.arpIp[i] = ip;
    this.arpMacHi[i] = hi;
    this.arpMacLo[i] = lo;
  }

  /** Whether a packet waits for `ip`. */
  isPending(ip: number): boolean {
    if (this.pendingCount === 0) return false;
    const bufs = this.pendingBuf;
    for (let i = 0; i < bufs.length; i++) {
      if (bufs[i] !== -1 && this.pendingIp[i] === ip) return true;
    }
    return false;
  }

  /** Parks buffer `buf` until `ip` resolves (in order); false when the pending list is full. */
  park(buf: number, ip: number): boolean {
    const bufs = this.pendingBuf;
    if (this.pendingCount === bufs.length) return false;
    if (this.pendingCount === 0) this.#pendingNext = 0;
    for (let j = 0; j < bufs.length; j++) {
      const i = (this.#pendingNext + j) % bufs.length;
      if (bufs[i] === -1) {
        this.#pendingNext = (i + 1) % bufs.length;
        bufs[i] = buf;
        this.pendingIp[i] = ip;
        this.pendingCount++;
        return true;
      }
    }
    return false;
  }

  /** Takes the oldest packet parked for `ip` off the list; returns its buffer or -1. */
  unpark(ip: number): number {
    const bufs = this.pendingBuf;
    for (let j = 0; j < bufs.length; j++) {
      const i = (this.#pendingNext + j) % bufs.length;
      const b = bufs[i] ?? -1;
      if (b !== -1 && this.pendingIp[i] === ip) {
        bufs[i] = -1;
        this.pendingCount--;
        return b;
      }
    }
    return -1;
  }

  /** Takes one ICMP error token; false when the rate limit is reached. */
  takeIcmpToken(): boolean {
    if (this.icmpRate === 0) return false;
    const t = this.now();
    const dt = t - this.icmpLast;
    this.icmpLast = t;
    if (dt > 0) {
      const filled = this.icmpTokens + dt * this.icmpRate;
      this.icmpTokens = filled > this.icmpBurst ? this.icmpBurst : filled;
    }
    if (this.icmpTokens < 1) return false;
    this.icmpTokens -= 1;
    return true;
  }
}

function positive(what: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1 && value <= 1_048_576)) {
    throw new RangeError(`Cannot configure LPG: ${what} ${value} must be an integer 1..1048576`);
  }
  return value;
}
