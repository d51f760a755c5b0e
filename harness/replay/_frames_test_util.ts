/**
 * Frames for the replay tests (private): loopback-style (zero MACs, 127.0.0.1) UDP and TCP
 * frames with a chosen checksum mode, and a record list from them.
 *
 * @module
 */
import {
  buildTcpFrame,
  buildUdpFrame,
  ChecksumMode,
  type ChecksumModeCode,
} from "../../stack/packet/build.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import type { PcapRecord } from "../../stack/packet/pcap/mod.ts";

/** 127.0.0.1 as a number. */
export const LO = 0x7f000001;
const ZERO_MAC = new Uint8Array(6);

/** A loopback UDP frame from `srcPort` to `dstPort` (default partial checksum, as Linux). */
export function loUdp(
  srcPort: number,
  dstPort: number,
  payload: Uint8Array | string,
  l4Checksum: ChecksumModeCode = ChecksumMode.Partial,
  dstIp = LO,
): Uint8Array {
  const p = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const out = new Uint8Array(2048);
  const n = buildUdpFrame(out, 0, {
    dstMac: ZERO_MAC,
    srcMac: ZERO_MAC,
    srcIp: LO,
    dstIp,
    srcPort,
    dstPort,
    payload: p,
    l4Checksum,
  });
  return out.slice(0, n);
}

/** A loopback TCP frame (partial checksum). */
export function loTcp(
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  payload = "",
): Uint8Array {
  const out = new Uint8Array(2048);
  const n = buildTcpFrame(out, 0, {
    dstMac: ZERO_MAC,
    srcMac: ZERO_MAC,
    srcIp: LO,
    dstIp: LO,
    srcPort,
    dstPort,
    seq,
    ack,
    flags,
    window: 65535,
    payload: new TextEncoder().encode(payload),
    l4Checksum: ChecksumMode.Partial,
  });
  return out.slice(0, n);
}

/** memcached's 8-byte UDP frame header followed by `body`. */
export function mcUdp(id: number, body: string): Uint8Array {
  const b = new TextEncoder().encode(body);
  const d = new Uint8Array(8 + b.length);
  d.set([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0]);
  d.set(b, 8);
  return d;
}

/** Records 1 ms apart. */
export function records(frames: readonly Uint8Array[]): PcapRecord[] {
  return frames.map((data, index) => ({
    index,
    tsNs: 1_700_000_000_000_000_000n + BigInt(index) * 1_000_000n,
    tsSec: 1_700_000_000,
    tsNsec: index * 1_000_000,
    capLen: data.length,
    origLen: data.length,
    data,
  }));
}

/** UDP/TCP payload of a frame as text, with its source and destination ports. */
export function payloadOf(
  frame: Uint8Array,
): { text: string; src: number; dst: number; info: FrameInfo } {
  const info = new FrameInfo();
  parseFrame(frame, 0, frame.length, info);
  const text = new TextDecoder("latin1").decode(
    frame.subarray(info.payload, info.payload + info.payloadLen),
  );
  return { text, src: info.srcPort, dst: info.dstPort, info };
}
