/**
 * Protocol constants of the memcached engine, each with the reference section it comes from.
 *
 * Sources: `/work/shared/reference/workloads.md` §1-§3 (memcached `protocol.txt`,
 * `protocol_binary.h`, `memcached.h`), checked byte for byte against the installed memcached
 * 1.6.18 by `tests/memcached/real_server_test.ts`.
 *
 * @module
 */

/** Longest key in bytes. source: workloads.md §1, memcached.h `KEY_MAX_LENGTH 250`. */
export const KEY_MAX_LENGTH = 250;

/**
 * Relative expiry limit in seconds; larger exptimes are absolute Unix times.
 * source: workloads.md §1 ("≤ 30 days (2 592 000 s) = relative seconds"), `REALTIME_MAXDELTA`.
 */
export const REALTIME_MAXDELTA = 2_592_000;

/**
 * Bytes of a request line with no newline after which a non-get connection is closed.
 * source: memcached 1.6 `try_read_command_ascii` (`c->rbytes > 2048`); observed on 1.6.18
 * (1500 bytes kept open, 2100 bytes closed).
 */
export const ASCII_LINE_LIMIT = 2048;

/**
 * Most tokens the ASCII tokenizer returns, the terminal token included.
 * source: memcached 1.6 proto_text.c `MAX_TOKENS 24`; observed on 1.6.18 (a `set` line with 25
 * words answers `ERROR`).
 */
export const ASCII_MAX_TOKENS = 24;

/** UDP frame header length in bytes. source: workloads.md §3 (four 16-bit fields). */
export const UDP_HEADER_SIZE = 8;

/**
 * Default largest UDP payload per reply datagram, frame header included.
 * source: workloads.md §3 (`UDP_MAX_PAYLOAD_SIZE 1400`, header counted); observed on 1.6.18.
 */
export const UDP_MAX_PAYLOAD_SIZE = 1400;

/**
 * Default largest item (`-I`, 1 MiB) in bytes of memcached's item accounting.
 * source: memcached 1.6 `settings.item_size_max = 1024 * 1024` (unverified in the reference:
 * a parameter of the engine).
 */
export const DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;

/**
 * Default memory limit (`-m 64`) in bytes.
 * source: memcached 1.6 `settings.maxbytes = 64 * 1024 * 1024` (unverified in the reference:
 * a parameter of the engine).
 */
export const DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024;

/**
 * Fixed bytes memcached charges per item on top of key and value: the 48-byte item header plus
 * the 8-byte CAS field (64-bit build).
 * source: memcached 1.6 items.c `item_make_header` + `sizeof(uint64_t)` for CAS (unverified in
 * the reference: a parameter of the engine).
 */
export const DEFAULT_ITEM_OVERHEAD = 56;

/**
 * Seconds an item's access time is left alone after an update.
 * source: memcached.h `ITEM_UPDATE_INTERVAL 60` (unverified in the reference).
 */
export const ITEM_UPDATE_INTERVAL = 60;

/** Version the engine reports by default: the memcached it is checked against. */
export const DEFAULT_VERSION = "1.6.18";

/** Binary protocol header length. source: workloads.md §2. */
export const BIN_HEADER_SIZE = 24;
/** Binary request magic. source: workloads.md §2. */
export const BIN_REQ_MAGIC = 0x80;
/** Binary response magic. source: workloads.md §2. */
export const BIN_RES_MAGIC = 0x81;

/** Binary opcodes. source: workloads.md §2 (protocol_binary.h). */
export const Op = {
  GET: 0x00,
  SET: 0x01,
  ADD: 0x02,
  REPLACE: 0x03,
  DELETE: 0x04,
  INCREMENT: 0x05,
  DECREMENT: 0x06,
  QUIT: 0x07,
  FLUSH: 0x08,
  GETQ: 0x09,
  NOOP: 0x0a,
  VERSION: 0x0b,
  GETK: 0x0c,
  GETKQ: 0x0d,
  APPEND: 0x0e,
  PREPEND: 0x0f,
  STAT: 0x10,
  SETQ: 0x11,
  ADDQ: 0x12,
  REPLACEQ: 0x13,
  DELETEQ: 0x14,
  INCREMENTQ: 0x15,
  DECREMENTQ: 0x16,
  QUITQ: 0x17,
  FLUSHQ: 0x18,
  APPENDQ: 0x19,
  PREPENDQ: 0x1a,
  TOUCH: 0x1c,
  GAT: 0x1d,
  GATQ: 0x1e,
  SASL_LIST_MECHS: 0x20,
  SASL_AUTH: 0x21,
  SASL_STEP: 0x22,
  GATK: 0x23,
  GATKQ: 0x24,
} as const;

/** Binary status codes. source: workloads.md §2 (protocol_binary.h). */
export const Status = {
  SUCCESS: 0x0000,
  KEY_ENOENT: 0x0001,
  KEY_EEXISTS: 0x0002,
  E2BIG: 0x0003,
  EINVAL: 0x0004,
  NOT_STORED: 0x0005,
  DELTA_BADVAL: 0x0006,
  AUTH_ERROR: 0x0020,
  UNKNOWN_COMMAND: 0x0081,
  ENOMEM: 0x0082,
} as const;
