/**
 * The contract between the load driver ({@link LoadClient}) and an application protocol
 * (memcached over UDP, UDP echo): the protocol writes request payloads and checks replies; the
 * driver owns timing, request ids, slots, frames and metrics.
 *
 * @module
 */

/** What a reply datagram did to its request (numeric, for the hot path). */
export const ReplyStatus = {
  /** More datagrams of this reply are expected. */
  Partial: 0,
  /** The reply is complete and correct. */
  Done: 1,
  /** The reply is complete and correct, and reports a miss (memcached get of an absent key). */
  DoneMiss: 2,
  /** The reply is wrong: it does not match the request (an error, never a statistic). */
  Wrong: 3,
} as const;
/** One of {@link ReplyStatus}. */
export type ReplyStatusCode = typeof ReplyStatus[keyof typeof ReplyStatus];

/** Request kinds a protocol may report for per-operation counts. */
export const RequestKind = { Get: 0, Set: 1, Echo: 2, Load: 3 } as const;
/** One of {@link RequestKind}. */
export type RequestKindCode = typeof RequestKind[keyof typeof RequestKind];

/**
 * One connection's application protocol. A driver creates one per connection; `slot` is an
 * outstanding-request index 0..slots-1 the driver guarantees is not in use by another request.
 */
export interface ClientProtocol {
  /** Protocol name for reports ("memcached-udp", "udp-echo"). */
  readonly name: string;
  /** True while this connection still has warm-up load requests (memcached key loading) to send. */
  loading(): boolean;
  /**
   * Writes the next request's UDP payload at `bytes[off..off+cap)` for `slot` with request id
   * `id` (0..65535) and returns its length; remembers what the reply must be.
   */
  writeRequest(slot: number, id: number, bytes: Uint8Array, off: number, cap: number): number;
  /** The kind of the request last written into `slot`. */
  kindOf(slot: number): RequestKindCode;
  /**
   * The request id a reply payload at `bytes[off..off+len)` carries, or -1 when the payload is
   * too short or malformed to carry one.
   */
  replyId(bytes: Uint8Array, off: number, len: number): number;
  /** Consumes one reply datagram for `slot` (whose id matched) and says what it did. */
  onReply(slot: number, bytes: Uint8Array, off: number, len: number): ReplyStatusCode;
  /** Forgets the request in `slot` (timed out or completed with an error). */
  abandon(slot: number): void;
  /** Protocol-specific counters for reports (summed over connections). */
  counters(): Readonly<Record<string, number>>;
}
