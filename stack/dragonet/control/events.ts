/**
 * Application control events of Dragonet's stack (dragonet-model.md §12.1, source
 * `stack/Stack.hs`): what an application sends over its control channel, and the replies.
 *
 * Every event carries `flags`; bit 0 is {@link EventFlag.More}: more events follow, so the
 * control loop defers the reconfiguration until an event without it arrives (batching).
 *
 * Addresses are unsigned 32-bit IPv4 numbers and ports 0..65535; 0 means wildcard in an
 * endpoint, like the original's bind `(localIP, remoteIP, localPort, remotePort)`.
 *
 * @module
 */

/** Event flag bits (dragonet-model.md §12.1: "Flag bit 0 = MORE"). */
export const EventFlag = {
  /** More events follow: defer the reconfiguration. */
  More: 1,
} as const;

/** One side of a UDP endpoint: address and port, 0 = wildcard. */
export interface UdpAddress {
  /** IPv4 address as an unsigned 32-bit number, 0 = any. */
  readonly ip: number;
  /** Port 0..65535, 0 = any. */
  readonly port: number;
}

/** `AppRegister label flags`: a new application; replied with its id (Welcome). */
export interface AppRegisterEvent {
  /** Event kind. */
  readonly kind: "register";
  /** Application label (free text, for logs). */
  readonly label: string;
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/** `SocketUDPBind local remote flags`: a new socket on a new endpoint; replied with its id. */
export interface SocketBindEvent {
  /** Event kind. */
  readonly kind: "bind";
  /** Application id from the register reply. */
  readonly app: number;
  /** Local (packet destination) address and port. */
  readonly local: UdpAddress;
  /** Remote (packet source) address and port; zeros for a listening socket. */
  readonly remote: UdpAddress;
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/** `SocketUDPFlow sid local remote flags`: register a flow on a socket's endpoint. */
export interface SocketFlowEvent {
  /** Event kind. */
  readonly kind: "flow";
  /** Socket id from a bind or span reply. */
  readonly socket: number;
  /** Local (packet destination) address and port; 0 = wildcard field. */
  readonly local: UdpAddress;
  /** Remote (packet source) address and port; 0 = wildcard field. */
  readonly remote: UdpAddress;
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/** `SocketSpan sid flags`: a new socket on the same endpoint for another application queue. */
export interface SocketSpanEvent {
  /** Event kind. */
  readonly kind: "span";
  /** Existing socket id. */
  readonly socket: number;
  /** Application receiving the new socket. */
  readonly app: number;
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/**
 * `SocketClose sid flags` (unhandled in the original): removes the socket; the last socket of an
 * endpoint removes the endpoint and its flows.
 */
export interface SocketCloseEvent {
  /** Event kind. */
  readonly kind: "close";
  /** Socket id. */
  readonly socket: number;
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/** `Nop flags`: changes nothing; without MORE it forces a reconfiguration. */
export interface NopEvent {
  /** Event kind. */
  readonly kind: "nop";
  /** Flag bits ({@link EventFlag}). */
  readonly flags: number;
}

/** Any application control event. */
export type AppEvent =
  | AppRegisterEvent
  | SocketBindEvent
  | SocketFlowEvent
  | SocketSpanEvent
  | SocketCloseEvent
  | NopEvent;

/** Reply codes ({@link EventReply.status}). */
export const ReplyStatus = {
  /** Done. */
  Ok: 0,
  /** Unknown application id. */
  UnknownApp: 1,
  /** Unknown (or closed) socket id. */
  UnknownSocket: 2,
  /** The flow is already registered (nothing changed). */
  DuplicateFlow: 3,
  /** An address or port is out of range. */
  BadAddress: 4,
  /** Flags has bits other than {@link EventFlag.More}. */
  BadFlags: 5,
  /** The flow contradicts its socket's endpoint (a field the endpoint fixes differs). */
  FlowOutsideEndpoint: 6,
  /** Every socket id the LPG accepts (0..1 000 000) was used (ids are never reused). */
  SocketIdsExhausted: 7,
} as const;

/** Names of {@link ReplyStatus} codes. */
export const REPLY_STATUS_NAMES = [
  "ok",
  "unknown-app",
  "unknown-socket",
  "duplicate-flow",
  "bad-address",
  "bad-flags",
  "flow-outside-endpoint",
  "socket-ids-exhausted",
] as const;

/** The control loop's answer to one event. */
export interface EventReply {
  /** A {@link ReplyStatus} code. */
  readonly status: number;
  /** New application id (register) or socket id (bind, span); -1 otherwise. */
  readonly id: number;
}
