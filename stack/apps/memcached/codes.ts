/**
 * Result and mode codes of the memcached engine's item operations (numeric, no strings), and
 * the connection state the protocol steps share with their transport.
 *
 * @module
 */
import type { Item } from "./item_store.ts";

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
  /**
   * Records that an unsent reply refers to this item. memcached's binary get-family replies
   * keep a reference on the item until they are written, and incr/decr rewrites a value in place
   * only when nobody else holds the item (`refcount == 2`); pins reproduce that. (Observed on
   * 1.6.18: binary get + decr in one read builds a new item; ASCII get + decr rewrites in place.)
   */
  pin(item: Item): void;
  /**
   * Writes the replies so far (memcached moves to `conn_mwrite`): after an ASCII get, a binary
   * error or no-op. Releases pins.
   */
  flush(): void;
}

/** A protocol step's answer when the request line or header is not complete yet. */
export const NEED_MORE = -1;

/**
 * A protocol step's answer when the line was read but the value block is not complete yet.
 * memcached does not send earlier replies while it waits for a value (`conn_nread`).
 */
export const NEED_DATA = -2;
