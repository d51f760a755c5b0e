/**
 * The contract between a byte-stream load driver ({@link TcpLoadClient}) and an application
 * protocol over TCP (memcached ASCII): replies come back in request order on one connection, so
 * the driver keeps requests in a FIFO of slots and asks the protocol where each reply ends.
 *
 * @module
 */
import type { ReplyStatusCode, RequestKindCode } from "./protocol.ts";

/**
 * One connection's protocol over a byte stream. `slot` is an outstanding-request index
 * 0..slots-1 the driver assigns in FIFO order and does not reuse before the reply is consumed.
 */
export interface StreamProtocol {
  /** Protocol name for reports ("memcached-tcp"). */
  readonly name: string;
  /** True while this connection still has warm-up load requests to send. */
  loading(): boolean;
  /**
   * Writes the next request at `bytes[off..off+cap)` for `slot`, returns its length, and
   * remembers what the reply must be.
   */
  writeRequest(slot: number, bytes: Uint8Array, off: number, cap: number): number;
  /** The kind of the request last written into `slot`. */
  kindOf(slot: number): RequestKindCode;
  /**
   * Length of the complete reply to `slot` at the front of the received bytes
   * `bytes[off..off+len)`: > 0 when it is all there, 0 when more bytes are needed, -1 when the
   * bytes cannot be the start of any reply (the stream is out of step and cannot recover).
   */
  replyLength(slot: number, bytes: Uint8Array, off: number, len: number): number;
  /** Checks the complete reply `bytes[off..off+len)` to `slot` and says what it did. */
  check(slot: number, bytes: Uint8Array, off: number, len: number): ReplyStatusCode;
  /** Protocol-specific counters for reports (summed over connections). */
  counters(): Readonly<Record<string, number>>;
}
