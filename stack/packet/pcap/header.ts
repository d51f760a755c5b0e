/**
 * Parses and writes the 24-byte pcap file header.
 *
 * Layout (draft-ietf-opsawg-pcap-04 section 4): magic u32, version major u16, version minor u16,
 * reserved1 u32 (old `thiszone`), reserved2 u32 (old `sigfigs`), snaplen u32, link type u32
 * whose low 16 bits are the LINKTYPE, bit 26 the FCS-present flag and bits 28..31 the FCS length
 * in 16-bit words. All fields are in the writer's byte order, told apart by the magic.
 *
 * @module
 */
import { PcapError, PcapErrorCode } from "./error.ts";
import {
  FILE_HEADER_BYTES,
  LinkType,
  MAGIC_MICROSECONDS,
  MAGIC_MICROSECONDS_SWAPPED,
  MAGIC_MODIFIED,
  MAGIC_MODIFIED_SWAPPED,
  MAGIC_NANOSECONDS,
  MAGIC_NANOSECONDS_SWAPPED,
  MAX_SNAPLEN,
  PCAPNG_BLOCK_TYPE,
  VERSION_MAJOR,
  VERSION_MINOR,
} from "./format.ts";

/** What the file header says about every record of a pcap file. */
export interface PcapHeader {
  /** True when the fields are little-endian. */
  readonly littleEndian: boolean;
  /** True for nanosecond timestamps (magic 0xa1b23c4d), false for microseconds. */
  readonly nanosecond: boolean;
  /** Major version (always 2). */
  readonly versionMajor: number;
  /** Minor version (4 in practice). */
  readonly versionMinor: number;
  /** Largest captured length a record may have. */
  readonly snaplen: number;
  /** LINKTYPE_* value (low 16 bits of the header field), see `LinkType`. */
  readonly linkType: number;
  /** Bytes of frame check sequence at the end of each frame, 0 when the header says none. */
  readonly fcsBytes: number;
}

/** Options of `encodePcapHeader`; every field has the default shown. */
export interface PcapHeaderOptions {
  /** Nanosecond timestamps (default false: microseconds). */
  readonly nanosecond?: boolean;
  /** Snapshot length, 1..262144 (default 262144). */
  readonly snaplen?: number;
  /** Link type 0..65535 (default 1, Ethernet). */
  readonly linkType?: number;
  /** Write big-endian fields (default false: little-endian). */
  readonly bigEndian?: boolean;
}

/** Checks writer options and returns them complete; throws a RangeError naming a bad value. */
export function resolveHeaderOptions(opts: PcapHeaderOptions): Required<PcapHeaderOptions> {
  const snaplen = opts.snaplen ?? MAX_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > MAX_SNAPLEN) {
    throw new RangeError(`Invalid pcap snaplen ${snaplen}: must be an integer 1..${MAX_SNAPLEN}`);
  }
  const linkType = opts.linkType ?? LinkType.Ethernet;
  if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) {
    throw new RangeError(`Invalid pcap link type ${linkType}: must be an integer 0..65535`);
  }
  return {
    nanosecond: opts.nanosecond ?? false,
    snaplen,
    linkType,
    bigEndian: opts.bigEndian ?? false,
  };
}

/** Writes a 24-byte file header at `out[off]`; returns the number of bytes written (24). */
export function encodePcapHeader(out: Uint8Array, off: number, opts: PcapHeaderOptions): number {
  const o = resolveHeaderOptions(opts);
  if (off < 0 || off + FILE_HEADER_BYTES > out.length) {
    throw new RangeError(
      `Cannot write pcap header at offset ${off}: needs ${FILE_HEADER_BYTES} bytes, buffer holds ${out.length}`,
    );
  }
  const le = !o.bigEndian;
  const v = new DataView(out.buffer, out.byteOffset + off, FILE_HEADER_BYTES);
  v.setUint32(0, o.nanosecond ? MAGIC_NANOSECONDS : MAGIC_MICROSECONDS, le);
  v.setUint16(4, VERSION_MAJOR, le);
  v.setUint16(6, VERSION_MINOR, le);
  v.setUint32(8, 0, le);
  v.setUint32(12, 0, le);
  v.setUint32(16, o.snaplen, le);
  v.setUint32(20, o.linkType, le);
  return FILE_HEADER_BYTES;
}

/**
 * Parses the file header from `bytes[0..avail)` (the file's first bytes).
 *
 * Throws a `PcapError` (offset 0, or 4 for the version) for a short header, a pcapng or
 * modified-pcap file, an unknown magic or a major version other than 2. `name` is the file
 * name used in messages.
 */
export function parsePcapHeader(bytes: Uint8Array, avail: number, name: string): PcapHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, Math.min(avail, bytes.length));
  if (v.byteLength >= 4) {
    const magic = v.getUint32(0, true);
    if (magic === PCAPNG_BLOCK_TYPE) {
      throw new PcapError(
        PcapErrorCode.Pcapng,
        0,
        `Cannot read "${name}": it is a pcapng file (block type 0x0a0d0d0a at byte offset 0), only classic pcap is supported; convert it with "editcap -F pcap ${name} out.pcap"`,
      );
    }
    if (magic === MAGIC_MODIFIED || magic === MAGIC_MODIFIED_SWAPPED) {
      throw new PcapError(
        PcapErrorCode.ModifiedPcap,
        0,
        `Cannot read "${name}": it is a modified (Kuznetzov) pcap file (magic 0x${
          hex32(magic)
        } at byte offset 0), only classic pcap is supported; convert it with "editcap -F pcap ${name} out.pcap"`,
      );
    }
  }
  if (v.byteLength < FILE_HEADER_BYTES) {
    throw new PcapError(
      PcapErrorCode.TruncatedFileHeader,
      0,
      `Cannot read "${name}": file header truncated at byte offset ${v.byteLength}, a pcap file header needs ${FILE_HEADER_BYTES} bytes`,
    );
  }
  const magic = v.getUint32(0, true);
  let littleEndian: boolean;
  let nanosecond: boolean;
  switch (magic) {
    case MAGIC_MICROSECONDS:
      littleEndian = true;
      nanosecond = false;
      break;
    case MAGIC_NANOSECONDS:
      littleEndian = true;
      nanosecond = true;
      break;
    case MAGIC_MICROSECONDS_SWAPPED:
      littleEndian = false;
      nanosecond = false;
      break;
    case MAGIC_NANOSECONDS_SWAPPED:
      littleEndian = false;
      nanosecond = true;
      break;
    default:
      throw new PcapError(
        PcapErrorCode.BadMagic,
        0,
        `Cannot read "${name}": bad magic 0x${
          hex32(v.getUint32(0, false))
        } at byte offset 0, expected a pcap magic (a1b2c3d4 or a1b23c4d in either byte order)`,
      );
  }
  const versionMajor = v.getUint16(4, littleEndian);
  const versionMinor = v.getUint16(6, littleEndian);
  if (versionMajor !== VERSION_MAJOR) {
    throw new PcapError(
      PcapErrorCode.BadVersion,
      4,
      `Cannot read "${name}": unsupported pcap version ${versionMajor}.${versionMinor} at byte offset 4, only major version ${VERSION_MAJOR} exists`,
    );
  }
  const rawLink = v.getUint32(20, littleEndian);
  const fcsPresent = (rawLink & 0x04000000) !== 0;
  return {
    littleEndian,
    nanosecond,
    versionMajor,
    versionMinor,
    snaplen: v.getUint32(16, littleEndian),
    linkType: rawLink & 0xffff,
    fcsBytes: fcsPresent ? (rawLink >>> 28) * 2 : 0,
  };
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}
