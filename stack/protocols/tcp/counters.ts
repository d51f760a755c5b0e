/**
 * The TCP engine's counters: dense numeric codes into one `Float64Array`, so the per-segment path
 * increments a slot and never touches a string. Rows marked `drop` are drop reasons: a segment
 * counted there was discarded (some of them answered with a RST, as the description says).
 *
 * Adding a counter is a one-line change: append a row with the next free code.
 *
 * @module
 */

/** One row per counter: `Key: [code, "stable-kebab-name", "One-line description", isDrop]`. */
const COUNTER_TABLE = {
  SegmentsIn: [0, "segments-in", "Segments handed to the engine", false],
  SegmentsOut: [1, "segments-out", "Segments the engine emitted", false],
  DataSegmentsIn: [2, "data-segments-in", "Accepted segments carrying payload", false],
  BytesDelivered: [
    3,
    "bytes-delivered",
    "Payload bytes delivered in order to receive buffers",
    false,
  ],
  BytesSent: [4, "bytes-sent", "Payload bytes first transmitted (no retransmissions)", false],
  Retransmits: [
    5,
    "retransmits",
    "Segments sent again after an RTO or three duplicate ACKs",
    false,
  ],
  RtoExpired: [6, "rto-expired", "Retransmission timer expirations", false],
  FastRetransmits: [
    7,
    "fast-retransmits",
    "Retransmissions triggered by three duplicate ACKs",
    false,
  ],
  ActiveOpens: [8, "active-opens", "Connections opened by connect()", false],
  PassiveOpens: [9, "passive-opens", "SYNs that created an embryonic connection", false],
  Established: [10, "established", "Connections that reached ESTABLISHED", false],
  Accepted: [11, "accepted", "Connections handed out by accept()", false],
  RstSent: [12, "rst-sent", "RST segments emitted", false],
  RstReceived: [13, "rst-received", "Acceptable RSTs that reset a connection", false],
  Timeouts: [14, "timeouts", "Connections aborted after too many retransmissions", false],
  OutOfOrderQueued: [
    15,
    "out-of-order-queued",
    "Segments buffered ahead of the next expected byte",
    false,
  ],
  DuplicateAcks: [16, "duplicate-acks", "Duplicate ACKs received", false],
  WindowProbes: [17, "window-probes", "Zero-window probes sent", false],
  TimeWaitExpired: [18, "time-wait-expired", "Connections freed when TIME-WAIT ended", false],
  BadChecksum: [19, "bad-checksum", "Checksum with the IPv4 pseudo-header does not verify", true],
  Malformed: [20, "malformed", "Segment shorter than its header or with a bad data offset", true],
  BadOptions: [21, "bad-options", "TCP option list is malformed", true],
  NoSocket: [
    22,
    "no-socket",
    "No connection or listener for the 4-tuple (answered with RST)",
    true,
  ],
  ListenNotSyn: [
    23,
    "listen-not-syn",
    "Non-SYN segment to a listener (ACK answered with RST)",
    true,
  ],
  SynQueueFull: [
    24,
    "syn-queue-full",
    "SYN dropped: the listener's embryonic connections are at the SYN backlog",
    true,
  ],
  AcceptQueueFullSyn: [
    25,
    "accept-queue-full-syn",
    "SYN dropped: the listener's accept queue is full",
    true,
  ],
  AcceptQueueFullAck: [
    26,
    "accept-queue-full-ack",
    "Handshake ACK dropped: the accept queue is full (peer retransmits)",
    true,
  ],
  TableFull: [27, "table-full", "SYN dropped: the connection table is full", true],
  BadFlags: [
    28,
    "bad-flags",
    "Flag combination TCP never sends (SYN+FIN, SYN+RST, no ACK on data)",
    true,
  ],
  OutOfWindow: [
    29,
    "out-of-window",
    "Segment outside the receive window (answered with an ACK)",
    true,
  ],
  OutOfOrderFull: [
    30,
    "out-of-order-full",
    "Out-of-order segment dropped: no free out-of-order range slot",
    true,
  ],
  AckUnsent: [31, "ack-unsent", "ACK of data never sent (answered with an ACK)", true],
  BadSynAck: [
    32,
    "bad-syn-ack",
    "SYN-ACK whose ACK does not match our SYN (answered with RST)",
    true,
  ],
  RstIgnored: [33, "rst-ignored", "RST outside the window, ignored", true],
  SynInWindow: [
    34,
    "syn-in-window",
    "SYN on a synchronized connection (answered with a challenge ACK)",
    true,
  ],
  AfterClose: [
    35,
    "after-close",
    "Data after the peer's FIN or after our receive side closed",
    true,
  ],
  TxRingFull: [36, "tx-ring-full", "Outgoing segment dropped: the engine's TX ring is full", true],
  EventRingFull: [37, "event-ring-full", "Application event dropped: the event ring is full", true],
  TimeWaitReused: [
    38,
    "time-wait-reused",
    "TIME-WAIT connections ended early by a new SYN above their sequence space",
    false,
  ],
} as const;

type CounterTable = typeof COUNTER_TABLE;

/** Counter codes by name: `TcpCounter.NoSocket` etc. */
export const TcpCounter: { readonly [K in keyof CounterTable]: CounterTable[K][0] } = Object
  .freeze(
    Object.fromEntries(Object.entries(COUNTER_TABLE).map(([k, row]) => [k, row[0]])) as {
      [K in keyof CounterTable]: CounterTable[K][0];
    },
  );

/** A TCP counter code; one of the values of `TcpCounter`. */
export type TcpCounterCode = CounterTable[keyof CounterTable][0];

/** One counter as data: code, stable name, description and whether it is a drop reason. */
export interface TcpCounterInfo {
  /** Dense numeric code (index into the engine's counter array). */
  readonly code: number;
  /** Stable kebab-case name for reports and CSV columns. */
  readonly name: string;
  /** One-line description. */
  readonly description: string;
  /** Whether a segment counted here was dropped. */
  readonly drop: boolean;
}

/** Every counter in code order. */
export const TCP_COUNTERS: readonly TcpCounterInfo[] = Object.freeze(
  Object.values(COUNTER_TABLE)
    .map(([code, name, description, drop]) => Object.freeze({ code, name, description, drop }))
    .sort((a, b) => a.code - b.code),
);

/** Number of counter codes (size of the counter array). */
export const TCP_COUNTER_COUNT: number = TCP_COUNTERS.length;

for (let i = 0; i < TCP_COUNTER_COUNT; i++) {
  if (TCP_COUNTERS[i]?.code !== i) throw new Error(`TCP counter table skips or reuses code ${i}`);
}

/** Stable name of a counter code; throws for an unknown code. */
export function tcpCounterName(code: number): string {
  const row = TCP_COUNTERS[code];
  if (row === undefined) {
    throw new RangeError(
      `Unknown TCP counter code ${code}: codes are integers 0..${TCP_COUNTER_COUNT - 1}`,
    );
  }
  return row.name;
}

/** The counters as a name -> value record (zeros included), for reports. */
export function tcpCountersRecord(values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of TCP_COUNTERS) out[row.name] = values[row.code] ?? 0;
  return out;
}
