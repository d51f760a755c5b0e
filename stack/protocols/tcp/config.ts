/**
 * Knobs of the TCP engine, each with its default and where the default comes from.
 *
 * Values the reference marks "unverified" (`/work/shared/reference/host-stacks.md` §2.4: accept
 * queue = min(backlog, somaxconn) with somaxconn 128, SYN backlog, initial RTO about 1 s) are
 * parameters with that default, never constants.
 *
 * @module
 */

/** Engine configuration; every field is optional and defaults as documented. */
export interface TcpConfig {
  /**
   * MSS we announce and the largest payload we send (default 1460: a 1500-byte Ethernet MTU
   * minus 20 bytes of IPv4 and 20 of TCP header; RFC 9293 §3.7.1).
   */
  readonly mss?: number;
  /**
   * Send MSS when the peer announces none (default 536, the IPv4 default of RFC 9293 §3.7.1).
   */
  readonly defaultPeerMss?: number;
  /** Receive buffer per connection in bytes (default 65536; the advertised window's ceiling). */
  readonly rcvBuffer?: number;
  /** Send buffer per connection in bytes (default 65536). */
  readonly sndBuffer?: number;
  /**
   * Bytes a connection's send and receive rings start with (default 4096); they double up to
   * `sndBuffer` / `rcvBuffer` when data needs the room, so memory follows the data in flight.
   */
  readonly initialBuffer?: number;
  /**
   * Window scale shift we offer in SYNs, 0..14, or -1 to send no option (default 7; RFC 7323
   * §2.3 limits it to 14; Linux derives its shift from the buffer size, 7 is common and the
   * captured Linux peer in `tests/pcap/loopback.pcap` used 10; unverified).
   */
  readonly windowScale?: number;
  /** Initial RTO in ns (default 1 s; RFC 6298 §2.1; host-stacks.md §2.4 says about 1 s, unverified). */
  readonly initialRtoNs?: number;
  /** Lower bound of the RTO in ns (default 200 ms, Linux `TCP_RTO_MIN`; RFC 6298 suggests 1 s; unverified). */
  readonly minRtoNs?: number;
  /** Upper bound of the RTO in ns (default 120 s, Linux `TCP_RTO_MAX`; unverified). */
  readonly maxRtoNs?: number;
  /** Clock granularity G of RFC 6298 §2 in ns (default 1 ms). */
  readonly clockGranularityNs?: number;
  /** SYN / SYN-ACK retransmissions before giving up (default 6, Linux `tcp_syn_retries`; unverified). */
  readonly synRetries?: number;
  /** Data retransmissions before aborting (default 15, Linux `tcp_retries2`; unverified). */
  readonly dataRetries?: number;
  /** TIME-WAIT duration in ns (default 60 s, Linux `TCP_TIMEWAIT_LEN` = 2 MSL; unverified). */
  readonly timeWaitNs?: number;
  /**
   * Cap on a listener's accept queue (default 128, `net.core.somaxconn` of 3.x kernels;
   * host-stacks.md §2.4, unverified). A listener's queue holds min(backlog, this).
   */
  readonly somaxconn?: number;
  /**
   * Embryonic (SYN-RECEIVED) connections per listener, at most (default 1024: Linux's
   * `tcp_max_syn_backlog` is 256 in `net/core/request_sock.c` and raised to 1024 at boot on
   * machines with at least 256 MB; host-stacks.md §2.4, unverified).
   */
  readonly synBacklog?: number;
  /** Connection table capacity (default 4096). */
  readonly maxConnections?: number;
  /** Listeners, at most (default 64). */
  readonly maxListeners?: number;
  /** Out-of-order ranges buffered per connection (default 8; 0 drops every out-of-order segment). */
  readonly oooRanges?: number;
  /**
   * Delayed ACK: in-order data is acknowledged after this many ns, or at once on every second
   * segment, on a segment that fills a gap, on a FIN, or with our next segment (default 40 ms,
   * Linux `TCP_DELACK_MIN`; RFC 5681 §4.2 allows up to 500 ms; unverified). 0 acknowledges
   * every segment at once.
   */
  readonly delayedAckNs?: number;
  /**
   * In-order data segments acknowledged at once at the start of a connection before delayed
   * ACKs begin (Linux quick-ACK mode, `TCP_MAX_QUICKACKS` = 16; unverified). 0 delays from the
   * first segment.
   */
  readonly quickAcks?: number;
  /** Duplicate ACKs that trigger a fast retransmit (default 3, RFC 5681 §3.2; 0 disables it). */
  readonly dupAckThreshold?: number;
  /** Segments the TX ring holds between drains (default 1024). */
  readonly txRingSegments?: number;
  /** Application events the event ring holds between drains (default 4096). */
  readonly eventRingSize?: number;
  /** Verify the TCP checksum of every input segment (default true). */
  readonly verifyChecksum?: boolean;
  /**
   * Initial sequence numbers: called once per connection with the 4-tuple and the time
   * (default: a deterministic hash of the 4-tuple plus the time in 4 us ticks, RFC 6528's shape
   * without the secret).
   */
  readonly isn?: (
    localIp: number,
    localPort: number,
    remoteIp: number,
    remotePort: number,
    nowNs: number,
  ) => number;
}

/** A configuration with every default filled in. */
export type ResolvedTcpConfig = { readonly [K in keyof TcpConfig]-?: NonNullable<TcpConfig[K]> };

function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ d, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Default ISN: hash of the 4-tuple plus a 4 us clock (RFC 6528 §3 without the secret key). */
export function defaultIsn(
  localIp: number,
  localPort: number,
  remoteIp: number,
  remotePort: number,
  nowNs: number,
): number {
  return (hash4(localIp, localPort, remoteIp, remotePort) + Math.floor(nowNs / 4000)) >>> 0;
}

const DEFAULTS: ResolvedTcpConfig = {
  mss: 1460,
  defaultPeerMss: 536,
  rcvBuffer: 65536,
  sndBuffer: 65536,
  initialBuffer: 4096,
  windowScale: 7,
  initialRtoNs: 1_000_000_000,
  minRtoNs: 200_000_000,
  maxRtoNs: 120_000_000_000,
  clockGranularityNs: 1_000_000,
  synRetries: 6,
  dataRetries: 15,
  timeWaitNs: 60_000_000_000,
  somaxconn: 128,
  synBacklog: 1024,
  maxConnections: 4096,
  maxListeners: 64,
  oooRanges: 8,
  delayedAckNs: 40_000_000,
  quickAcks: 16,
  dupAckThreshold: 3,
  txRingSegments: 1024,
  eventRingSize: 4096,
  verifyChecksum: true,
  isn: defaultIsn,
};

function checkInt(key: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(
      `Invalid TCP config: "${key}" must be an integer ${min}..${max}, got ${value}`,
    );
  }
}

/** Fills defaults and validates every field; throws naming the key, its range and the value. */
export function resolveTcpConfig(config: TcpConfig = {}): ResolvedTcpConfig {
  const c: ResolvedTcpConfig = { ...DEFAULTS, ...stripUndefined(config) };
  checkInt("mss", c.mss, 64, 65495);
  checkInt("defaultPeerMss", c.defaultPeerMss, 64, 65495);
  checkInt("rcvBuffer", c.rcvBuffer, 1024, 1 << 30);
  checkInt("sndBuffer", c.sndBuffer, 1024, 1 << 30);
  checkInt("initialBuffer", c.initialBuffer, 64, 1 << 30);
  checkInt("windowScale", c.windowScale, -1, 14);
  if (c.windowScale < 0 && c.rcvBuffer > 65535) {
    throw new RangeError(
      `Invalid TCP config: "rcvBuffer" ${c.rcvBuffer} needs window scaling; with "windowScale" -1 it must be at most 65535`,
    );
  }
  checkInt("initialRtoNs", c.initialRtoNs, 1, Number.MAX_SAFE_INTEGER);
  checkInt("minRtoNs", c.minRtoNs, 1, Number.MAX_SAFE_INTEGER);
  checkInt("maxRtoNs", c.maxRtoNs, c.minRtoNs, Number.MAX_SAFE_INTEGER);
  checkInt("clockGranularityNs", c.clockGranularityNs, 0, Number.MAX_SAFE_INTEGER);
  checkInt("synRetries", c.synRetries, 0, 255);
  checkInt("dataRetries", c.dataRetries, 0, 255);
  checkInt("timeWaitNs", c.timeWaitNs, 0, Number.MAX_SAFE_INTEGER);
  checkInt("somaxconn", c.somaxconn, 0, 1 << 20);
  checkInt("synBacklog", c.synBacklog, 1, 1 << 20);
  checkInt("maxConnections", c.maxConnections, 1, 1 << 22);
  checkInt("maxListeners", c.maxListeners, 1, 65536);
  checkInt("oooRanges", c.oooRanges, 0, 64);
  checkInt("delayedAckNs", c.delayedAckNs, 0, 500_000_000);
  checkInt("quickAcks", c.quickAcks, 0, 1 << 20);
  checkInt("dupAckThreshold", c.dupAckThreshold, 0, 255);
  checkInt("txRingSegments", c.txRingSegments, 1, 1 << 20);
  checkInt("eventRingSize", c.eventRingSize, 1, 1 << 22);
  return c;
}

function stripUndefined(config: TcpConfig): Partial<ResolvedTcpConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out as Partial<ResolvedTcpConfig>;
}
