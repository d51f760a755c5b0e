/**
 * Drop reasons of the timed stack models (numeric codes, names for reports).
 *
 * @module
 */

/** Why a stack model dropped a request or reply (codes index {@link STACK_DROP_NAMES}). */
export const StackDrop = {
  /** The frame failed parsing or checksum verification (`stack/packet` reason counted too). */
  BadFrame: 0,
  /** No socket is bound to the destination port (or the frame is not UDP to this host). */
  NoSocket: 1,
  /** The socket's receive queue was full. */
  SocketFull: 2,
  /** The application ignored the datagram (memcached: 8 bytes or less, or multi-datagram). */
  AppIgnored: 3,
  /** No buffer was free for a reply datagram. */
  NoReplyBuffer: 4,
} as const;

/** Stable names of {@link StackDrop} codes. */
export const STACK_DROP_NAMES: readonly string[] = [
  "bad-frame",
  "no-socket",
  "socket-full",
  "app-ignored",
  "no-reply-buffer",
];
