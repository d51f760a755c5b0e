/**
 * The error thrown for unreadable pcap files, with a numeric code and the byte offset.
 *
 * @module
 */

/** Why a pcap file was rejected; numeric and stable so callers branch without comparing text. */
export const PcapErrorCode = {
  /** Fewer than 24 bytes where the file header should be. */
  TruncatedFileHeader: 1,
  /** The first four bytes are no known pcap magic. */
  BadMagic: 2,
  /** The file is pcapng (Section Header Block), not classic pcap. */
  Pcapng: 3,
  /** The file is Kuznetzov's modified pcap, whose record headers differ. */
  ModifiedPcap: 4,
  /** The file header's major version is not 2. */
  BadVersion: 5,
  /** A record header is cut off by the end of the file. */
  TruncatedRecordHeader: 6,
  /** A record's captured bytes are cut off by the end of the file. */
  TruncatedRecordData: 7,
  /** A record's captured length exceeds the file's snapshot length. */
  CapLenExceedsSnaplen: 8,
  /** A record's captured length exceeds the 262144-byte libpcap maximum. */
  CapLenTooLarge: 9,
  /** A record's sub-second timestamp field is out of range for the file's resolution. */
  BadTimestampFraction: 10,
} as const;

/** One of the `PcapErrorCode` values. */
export type PcapErrorCodeValue = typeof PcapErrorCode[keyof typeof PcapErrorCode];

/** Returns the stable kebab-case name of a `PcapErrorCode`, e.g. `"truncated-record-data"`. */
export function pcapErrorName(code: PcapErrorCodeValue): string {
  switch (code) {
    case PcapErrorCode.TruncatedFileHeader:
      return "truncated-file-header";
    case PcapErrorCode.BadMagic:
      return "bad-magic";
    case PcapErrorCode.Pcapng:
      return "pcapng";
    case PcapErrorCode.ModifiedPcap:
      return "modified-pcap";
    case PcapErrorCode.BadVersion:
      return "bad-version";
    case PcapErrorCode.TruncatedRecordHeader:
      return "truncated-record-header";
    case PcapErrorCode.TruncatedRecordData:
      return "truncated-record-data";
    case PcapErrorCode.CapLenExceedsSnaplen:
      return "caplen-exceeds-snaplen";
    case PcapErrorCode.CapLenTooLarge:
      return "caplen-too-large";
    case PcapErrorCode.BadTimestampFraction:
      return "bad-timestamp-fraction";
  }
}

/**
 * Thrown when a pcap file cannot be read; `code` says why and `offset` where (bytes from the
 * start of the file).
 */
export class PcapError extends Error {
  /** Why the file was rejected. */
  readonly code: PcapErrorCodeValue;
  /** Byte offset in the file of the damaged structure. */
  readonly offset: number;

  /** Builds the error; `message` should already name the file, the value and the limit. */
  constructor(code: PcapErrorCodeValue, offset: number, message: string) {
    super(message);
    this.name = "PcapError";
    this.code = code;
    this.offset = offset;
  }
}
