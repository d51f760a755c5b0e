/**
 * `TcpConn`: the state of one connection (transmission control block, RFC 9293 §3.3.1).
 *
 * Objects are created once per table slot and reused; their buffers are allocated the first time
 * a slot is used and kept for the next connection in that slot, so the per-segment path never
 * allocates. Every field is a number or a typed array (one hidden class).
 *
 * @module
 */
import { TcpState, type TcpStateCode } from "./state.ts";

/** Index of the retransmission/persist/TIME-WAIT timer kind in `TcpConn.timerKind`. */
export const TimerKind = { None: 0, Retransmit: 1, Persist: 2, TimeWait: 3 } as const;

/** One connection's control block. */
export class TcpConn {
  /** Slot id (the connection id handed to the application). */
  readonly id: number;
  /** Current state (`TcpState`). */
  state: TcpStateCode = TcpState.Closed;
  /** Listener that accepted it, or -1 (active open). */
  listener = -1;
  /** The application holds the id (accepted or connected) and has not called close yet. */
  appOwned = false;
  /** Queued in the listener's accept queue. */
  inAcceptQueue = false;
  /** The application called close: no more sends; free the slot when the state machine ends. */
  appClosed = false;

  /** Local IPv4 address (u32). */
  localIp = 0;
  /** Remote IPv4 address (u32). */
  remoteIp = 0;
  /** Local port. */
  localPort = 0;
  /** Remote port. */
  remotePort = 0;

  /** Initial send sequence number. */
  iss = 0;
  /** Oldest unacknowledged sequence number. */
  sndUna = 0;
  /** Next sequence number to send. */
  sndNxt = 0;
  /** Highest sequence number sent so far (sndNxt goes back below it after an RTO). */
  sndMax = 0;
  /** Peer's receive window in bytes (scaled). */
  sndWnd = 0;
  /** Segment sequence number of the last window update. */
  sndWl1 = 0;
  /** Segment acknowledgment number of the last window update. */
  sndWl2 = 0;
  /** Shift applied to the peer's window field (0 without scaling). */
  sndScale = 0;
  /** Both sides sent the window-scale option (RFC 7323 §2.2). */
  wsOk = false;
  /** Shift applied to the window we advertise (0 without scaling). */
  rcvScale = 0;
  /** Largest payload we send. */
  sendMss = 536;
  /** Congestion window in bytes (RFC 5681). */
  cwnd = 0;
  /** Slow-start threshold in bytes. */
  ssthresh = 0;
  /** Duplicate ACKs in a row. */
  dupAcks = 0;
  /** In fast recovery (RFC 6582) until `recover` is acknowledged. */
  inRecovery = false;
  /** Highest sequence number sent when fast recovery began. */
  recover = 0;

  /** Initial receive sequence number. */
  irs = 0;
  /** Next sequence number expected. */
  rcvNxt = 0;
  /** Right edge of the window we last advertised (rcvNxt + window). */
  rcvAdvEdge = 0;
  /** An ACK is owed; sent with the next segment or alone at the end of the call. */
  ackNow = false;
  /** In-order data segments received since our last ACK (delayed ACK). */
  ackPending = 0;
  /** Delayed-ACK deadline in ns, or -1. */
  ackDeadlineNs = -1;
  /** Data segments still acknowledged at once (quick-ACK mode). */
  quickAcksLeft = 0;

  /** Send ring: bytes from sndUna (unacked, then unsent). */
  sndBuf: Uint8Array = new Uint8Array(0);
  /** Ring index of the byte at sndUna. */
  sndHead = 0;
  /** Bytes in the send ring. */
  sndLen = 0;
  /** The application closed: a FIN follows the last byte of the send ring. */
  finQueued = false;
  /** A `send` was short (buffer full): post Writable when space frees. */
  sndBlocked = false;

  /** Receive ring: in-order unread bytes, then out-of-order bytes at their offsets. */
  rcvBuf: Uint8Array = new Uint8Array(0);
  /** Ring index of the next byte the application reads. */
  rcvHead = 0;
  /** In-order bytes the application has not read. */
  rcvLen = 0;
  /** Out-of-order ranges as [start, end) sequence-number pairs, sorted, disjoint. */
  ooo: Uint32Array = new Uint32Array(0);
  /** Out-of-order ranges in use. */
  oooCount = 0;
  /** The peer's FIN arrived (end of stream). */
  finReceived = false;
  /** A FIN arrived out of order; it takes effect when `rcvNxt` reaches `oooFinSeq`. */
  oooFin = false;
  /** Sequence number of an out-of-order FIN (valid when `oooFin`). */
  oooFinSeq = 0;

  /** Current RTO in ns. */
  rtoNs = 0;
  /** Smoothed RTT in ns, or -1 before the first sample. */
  srttNs = -1;
  /** RTT variation in ns. */
  rttvarNs = 0;
  /** Sequence number being timed, valid when `rttStartNs >= 0`. */
  rttSeq = 0;
  /** Send time of `rttSeq`, or -1 when nothing is timed. */
  rttStartNs = -1;
  /** Timer deadline in ns, or -1. */
  deadlineNs = -1;
  /** What the timer does (`TimerKind`). */
  timerKind: number = TimerKind.None;
  /** Consecutive expirations of the timer. */
  retries = 0;

  /** Why the connection ended abnormally: a `TcpEvent` (Reset, TimedOut) or 0. */
  error = 0;

  /** Makes the control block of slot `id`. */
  constructor(id: number) {
    this.id = id;
  }
}
