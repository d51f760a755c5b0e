/**
 * `FrameInspector`: parses one captured Ethernet frame and verifies its checksums, keeping the
 * results in reused fields (no allocation per frame).
 *
 * @module
 */
import { FrameInfo, parseFrame, verifyIpv4HeaderChecksum, verifyL4Checksum } from "../parse.ts";
import { Reason, type ReasonCode } from "../reason.ts";

/** Parse and checksum results of the last inspected frame. */
export class FrameInspector {
  /** Header fields of the last frame (see `FrameInfo`). */
  readonly info: FrameInfo = new FrameInfo();
  /** `parseFrame`'s result: `Reason.Ok` or the first structural problem. */
  parse: ReasonCode = Reason.Ok;
  /** `Reason.Ipv4BadChecksum`, or Ok (also when no IPv4 header was parsed). */
  ipChecksum: ReasonCode = Reason.Ok;
  /** The UDP/TCP/ICMP bad-checksum reason, or Ok (also when the segment is not all captured). */
  l4Checksum: ReasonCode = Reason.Ok;
  /** Bytes captured of the frame. */
  capLen = 0;
  /** Bytes the frame had on the wire. */
  origLen = 0;

  /**
   * Inspects the frame `bytes[off .. off + capLen)` that was `origLen` bytes on the wire;
   * `fcsBytes` trailing frame-check bytes (from the pcap header) are left out when present.
   */
  inspect(bytes: Uint8Array, off: number, capLen: number, origLen: number, fcsBytes = 0): void {
    this.capLen = capLen;
    this.origLen = origLen;
    const len = fcsBytes > 0 && capLen === origLen && capLen >= fcsBytes
      ? capLen - fcsBytes
      : capLen;
    const info = this.info;
    this.parse = parseFrame(bytes, off, len, info);
    this.ipChecksum = info.ipHeaderLen > 0 ? verifyIpv4HeaderChecksum(bytes, info) : Reason.Ok;
    let l4: ReasonCode = Reason.Ok;
    if (info.l4Proto >= 0 && !info.truncated) {
      const r = verifyL4Checksum(bytes, info);
      if (
        r === Reason.UdpBadChecksum || r === Reason.TcpBadChecksum || r === Reason.IcmpBadChecksum
      ) l4 = r;
    }
    this.l4Checksum = l4;
  }

  /** True when the capture holds fewer bytes than the frame had on the wire (snap length). */
  get truncated(): boolean {
    return this.capLen < this.origLen;
  }

  /**
   * The structural problem worth reporting, or Ok: headers cut off by the snap length are not a
   * malformation (see `truncated`), and neither is a fragment or an unknown protocol or EtherType.
   * A frame whose headers claim more bytes than it had on the wire is (e.g. `eth-truncated`).
   */
  get malformed(): ReasonCode {
    const r = this.parse;
    if (
      r === Reason.Ok || r === Reason.Ipv4Fragment || r === Reason.Ipv4UnknownProtocol ||
      r === Reason.UnknownEthertype
    ) {
      return Reason.Ok;
    }
    if (this.info.truncated && this.capLen < this.origLen) return Reason.Ok;
    return r;
  }
}
