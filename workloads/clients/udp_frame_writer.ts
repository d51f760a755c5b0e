/**
 * Writes Ethernet/IPv4/UDP frames of one flow around a payload already in place, without
 * allocating: a 42-byte header template built once with `buildUdpFrame`, copied per frame, then
 * the lengths and both checksums patched.
 *
 * Only the lengths change between a flow's frames, so the checksums start from sums of the
 * constant fields taken once (RFC 1071 sums are order-free): the IPv4 header checksum is the
 * template's adjusted for the new total length (RFC 1624, `checksumAdjust`), and the UDP checksum
 * sums the payload onto the constant pseudo-header and port words plus the UDP length (counted
 * twice: in the pseudo-header and in the UDP header).
 *
 * @module
 */
import { buildUdpFrame } from "../../stack/packet/build.ts";
import {
  checksumAdjust,
  ipv4PseudoHeaderSum,
  onesComplementSum,
} from "../../stack/packet/checksum.ts";
import { ETH_MIN_FRAME } from "../../stack/packet/ethernet.ts";

/** Bytes before the UDP payload (Ethernet 14 + IPv4 20 + UDP 8, untagged, no IP options). */
export const UDP_HEADERS_BYTES = 42;
/**
 * Largest UDP payload in one unfragmented frame: MTU 1500 − IPv4 20 − UDP 8 (workloads.md §5:
 * Dragonet ran MTU 1500).
 */
export const MAX_UDP_PAYLOAD = 1472;

const IP_PROTO_UDP = 17;
const L3 = 14;
const L4 = 34;

/** The frame writer of one flow. */
export class UdpFrameWriter {
  readonly #template = new Uint8Array(UDP_HEADERS_BYTES);
  /** IPv4 total length and header checksum in the template (a frame with no payload). */
  readonly #templateIpLen: number;
  readonly #templateIpChecksum: number;
  /** Sum of the pseudo-header without its length and of the two ports (folded, 0..0xffff). */
  readonly #udpConstantSum: number;
  #scratchView: DataView | null = null;
  #scratchBytes: Uint8Array | null = null;

  /** Builds the header template of the flow (throws a clear error on bad addresses or ports). */
  constructor(flow: {
    readonly srcMac: Uint8Array;
    readonly dstMac: Uint8Array;
    readonly srcIp: number;
    readonly dstIp: number;
    readonly srcPort: number;
    readonly dstPort: number;
  }) {
    buildUdpFrame(this.#template, 0, {
      srcMac: flow.srcMac,
      dstMac: flow.dstMac,
      srcIp: flow.srcIp,
      dstIp: flow.dstIp,
      srcPort: flow.srcPort,
      dstPort: flow.dstPort,
      padToMinimum: false,
    });
    const t = new DataView(this.#template.buffer);
    this.#templateIpLen = t.getUint16(L3 + 2);
    this.#templateIpChecksum = t.getUint16(L3 + 10);
    this.#udpConstantSum = onesComplementSum(
      this.#template,
      L4,
      4,
      ipv4PseudoHeaderSum(flow.srcIp, flow.dstIp, IP_PROTO_UDP, 0),
    );
  }

  /**
   * Writes the headers at `bytes[off..off+42)` for a payload of `payloadLen` bytes already at
   * `off + 42`, pads to the Ethernet minimum, and returns the frame length (without FCS).
   */
  write(bytes: Uint8Array, off: number, payloadLen: number): number {
    if (!(payloadLen >= 0 && payloadLen <= MAX_UDP_PAYLOAD)) {
      throw new RangeError(
        `UDP payload of ${payloadLen} bytes is invalid: must be 0..${MAX_UDP_PAYLOAD}`,
      );
    }
    bytes.set(this.#template, off);
    const v = this.#viewOf(bytes);
    const udpLen = 8 + payloadLen;
    const ipLen = 20 + udpLen;
    v.setUint16(off + L3 + 2, ipLen);
    v.setUint16(
      off + L3 + 10,
      checksumAdjust(this.#templateIpChecksum, this.#templateIpLen, ipLen),
    );
    v.setUint16(off + L4 + 4, udpLen);
    const headerSum = this.#udpConstantSum + 2 * udpLen; // below 2^18: a valid initial sum
    const sum = ~onesComplementSum(bytes, off + UDP_HEADERS_BYTES, payloadLen, headerSum) & 0xffff;
    // RFC 768: a computed checksum of zero is sent as all ones.
    v.setUint16(off + L4 + 6, sum === 0 ? 0xffff : sum);
    const len = UDP_HEADERS_BYTES + payloadLen;
    if (len >= ETH_MIN_FRAME) return len;
    bytes.fill(0, off + len, off + ETH_MIN_FRAME);
    return ETH_MIN_FRAME;
  }

  #viewOf(bytes: Uint8Array): DataView {
    if (this.#scratchBytes !== bytes || this.#scratchView === null) {
      this.#scratchBytes = bytes;
      this.#scratchView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.#scratchView;
  }
}
