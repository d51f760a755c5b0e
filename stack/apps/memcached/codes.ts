/**
 * Result and mode codes of the memcached engine's item operations (numeric, no strings).
 *
 * @module
 */

/** Store modes, numbered as memcached's `NREAD_*`. */
export const StoreMode = {
  ADD: 1,
  SET: 2,
  REPLACE: 3,
  APPEND: 4,
  PREPEND: 5,
  CAS: 6,
} as const;
/** One of {@link StoreMode}. */
export type StoreModeCode = typeof StoreMode[keyof typeof StoreMode];

/** Store outcomes, as memcached's `enum store_item_type`. */
export const StoreResult = {
  STORED: 1,
  EXISTS: 2,
  NOT_FOUND: 3,
  NOT_STORED: 4,
} as const;
/** One of {@link StoreResult}. */
export type StoreResultCode = typeof StoreResult[keyof typeof StoreResult];

/** incr/decr outcomes, as memcached's `enum delta_result_type`. */
export const DeltaResult = {
  OK: 0,
  NON_NUMERIC: 1,
  NOT_FOUND: 2,
  CAS_MISMATCH: 3,
} as const;
/** One of {@link DeltaResult}. */
export type DeltaResultCode = typeof DeltaResult[keyof typeof DeltaResult];

/** How a request ends the connection. */
export const CloseMode = {
  /** Keep the connection. */
  NONE: 0,
  /** Close after sending the replies produced so far (`quit`, binary protocol errors). */
  AFTER_WRITE: 1,
  /** Close at once, dropping unsent replies (memcached `conn_closing`). */
  NOW: 2,
} as const;
/** One of {@link CloseMode}. */
export type CloseModeCode = typeof CloseMode[keyof typeof CloseMode];

/** Per-connection parser state the protocol steps update. */
export interface ConnState {
  /** Bytes still to be discarded from the stream (memcached `conn_swallow`). */
  swallow: number;
  /** Whether and how the connection must close. */
  close: CloseModeCode;
}

/** A protocol step's answer when the buffered bytes do not yet hold a whole request. */
export const NEED_MORE = -1;
