/**
 * Connection states (RFC 9293 §3.3.2) and application event codes, as small integers.
 *
 * @module
 */

/** Connection states; LISTEN belongs to listeners, never to a connection. */
export const TcpState = {
  Closed: 0,
  SynSent: 1,
  SynReceived: 2,
  Established: 3,
  FinWait1: 4,
  FinWait2: 5,
  CloseWait: 6,
  Closing: 7,
  LastAck: 8,
  TimeWait: 9,
} as const;

/** A `TcpState` value. */
export type TcpStateCode = (typeof TcpState)[keyof typeof TcpState];

const STATE_NAMES = [
  "CLOSED",
  "SYN-SENT",
  "SYN-RECEIVED",
  "ESTABLISHED",
  "FIN-WAIT-1",
  "FIN-WAIT-2",
  "CLOSE-WAIT",
  "CLOSING",
  "LAST-ACK",
  "TIME-WAIT",
] as const;

/** RFC name of a state code (`"ESTABLISHED"`); `"UNKNOWN"` for other numbers. */
export function tcpStateName(state: number): string {
  return STATE_NAMES[state] ?? "UNKNOWN";
}

/**
 * Events the engine posts for the application (`TcpEngine.events`). The event's id is a
 * connection id, except `AcceptReady` whose id is a listener id.
 */
export const TcpEvent = {
  /** An active open completed (SYN-SENT -> ESTABLISHED). */
  Established: 1,
  /** A listener's accept queue went from empty to non-empty. */
  AcceptReady: 2,
  /** The receive buffer went from empty to non-empty. */
  Readable: 3,
  /** Send-buffer space was freed after a short `send`. */
  Writable: 4,
  /** The peer's FIN arrived in order: no more data will come (end of stream). */
  PeerClosed: 5,
  /** The connection was reset by the peer. */
  Reset: 6,
  /** The connection was aborted after too many retransmissions. */
  TimedOut: 7,
  /** The connection finished its close handshake (LAST-ACK acked, or TIME-WAIT entered). */
  Closed: 8,
} as const;

/** A `TcpEvent` value. */
export type TcpEventCode = (typeof TcpEvent)[keyof typeof TcpEvent];

const EVENT_NAMES = [
  "none",
  "established",
  "accept-ready",
  "readable",
  "writable",
  "peer-closed",
  "reset",
  "timed-out",
  "closed",
] as const;

/** Stable name of an event code (`"peer-closed"`); `"unknown"` for other numbers. */
export function tcpEventName(code: number): string {
  return EVENT_NAMES[code] ?? "unknown";
}
