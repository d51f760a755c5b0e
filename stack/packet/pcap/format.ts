/**
 * Constants of the classic libpcap savefile format: magic numbers, header sizes, limits.
 *
 * source: draft-ietf-opsawg-pcap-04 "PCAP Capture File Format" sections 3-5, and the
 * pcap-savefile(5) man page of libpcap 1.10 (tcpdump.org). The maximum snapshot length is
 * libpcap's `MAXIMUM_SNAPLEN` (pcap-int.h, 262144 bytes).
 *
 * @module
 */

/** File header magic (as a 32-bit number in the writer's byte order) for microsecond stamps. */
export const MAGIC_MICROSECONDS = 0xa1b2c3d4;
/** File header magic for nanosecond timestamps (libpcap 1.5+, draft-ietf-opsawg-pcap section 4). */
export const MAGIC_NANOSECONDS = 0xa1b23c4d;
/** `MAGIC_MICROSECONDS` as seen by a reader of the other byte order. */
export const MAGIC_MICROSECONDS_SWAPPED = 0xd4c3b2a1;
/** `MAGIC_NANOSECONDS` as seen by a reader of the other byte order. */
export const MAGIC_NANOSECONDS_SWAPPED = 0x4d3cb2a1;
/** Magic of Alexey Kuznetzov's "modified" pcap format (a different record header), not supported. */
export const MAGIC_MODIFIED = 0xa1b2cd34;
/** `MAGIC_MODIFIED` byte-swapped. */
export const MAGIC_MODIFIED_SWAPPED = 0x34cdb2a1;
/** pcapng Section Header Block type; a palindrome, so it reads the same in both byte orders. */
export const PCAPNG_BLOCK_TYPE = 0x0a0d0d0a;

/** Size in bytes of the file header. */
export const FILE_HEADER_BYTES = 24;
/** Size in bytes of each record (packet) header. */
export const RECORD_HEADER_BYTES = 16;
/** The only major version defined (draft-ietf-opsawg-pcap section 4). */
export const VERSION_MAJOR = 2;
/** The minor version written by libpcap since 1998. */
export const VERSION_MINOR = 4;
/** Largest snapshot length libpcap accepts and writes (`MAXIMUM_SNAPLEN` in pcap-int.h). */
export const MAX_SNAPLEN = 262144;

/** Link-layer header types (LINKTYPE_* values of tcpdump.org/linktypes.html) the lab names. */
export const LinkType = {
  /** No link layer; a 4-byte host-order address family header (BSD loopback). */
  Null: 0,
  /** IEEE 802.3 Ethernet (DIX and 802.3), the only one `lab pcap show` decodes. */
  Ethernet: 1,
  /** Raw IPv4 or IPv6 packets. */
  Raw: 101,
  /** Linux "cooked" capture v1 (`tcpdump -i any`). */
  LinuxSll: 113,
} as const;

/** Returns a short human name for a link type, e.g. `"EN10MB (Ethernet)"`, or `"LINKTYPE 42"`. */
export function linkTypeName(linkType: number): string {
  switch (linkType) {
    case LinkType.Null:
      return "NULL (BSD loopback)";
    case LinkType.Ethernet:
      return "EN10MB (Ethernet)";
    case LinkType.Raw:
      return "RAW (IPv4/IPv6)";
    case LinkType.LinuxSll:
      return "LINUX_SLL (Linux cooked v1)";
    default:
      return `LINKTYPE ${linkType}`;
  }
}
