/**
 * memcached over UDP: the 8-byte frame header on requests and replies.
 *
 * Requests (reference workloads.md §3, observed on memcached 1.6.18): a datagram of 8 bytes or
 * less is ignored; one whose "total datagrams" field is not 1 is ignored (1.6.18 sends no
 * reply); the sequence number of a request is not checked; the payload is run as a fresh
 * connection (protocol by its first byte) and an incomplete trailing request is dropped.
 *
 * Replies: every memcached response object (one per ASCII command, one per key of a multi-key
 * get, one per binary command) is its own message: its bytes are cut into datagrams of at most
 * `udpMaxPayload` bytes including the header (1400 by default, so 1392 reply bytes each), with
 * the request id echoed, sequence numbers 0..n-1, the total n, and 0 in the reserved field. An
 * empty response object (a multi-get miss that is not the last key) is a bare header with a
 * total of 0; noreply and quiet replies send nothing.
 *
 * @module
 */
import { CloseMode, type CloseModeCode, type ConnState, NEED_DATA, NEED_MORE } from "./codes.ts";
import { asciiStep } from "./ascii_protocol.ts";
import { binaryStep } from "./binary_protocol.ts";
import { BIN_REQ_MAGIC, UDP_HEADER_SIZE } from "./constants.ts";
import type { MemcachedEngine } from "./engine.ts";
import type { Item } from "./item_store.ts";
import { OutBuffer } from "./out_buffer.ts";

/** Why a datagram was not answered (numeric, for counters). */
export const UdpDrop = {
  /** Answered (possibly with no reply, e.g. noreply). */
  NONE: 0,
  /** 8 bytes or less. */
  TOO_SHORT: 1,
  /** "total datagrams" field is not 1. */
  MULTI_PACKET: 2,
} as const;
/** One of {@link UdpDrop}. */
export type UdpDropCode = typeof UdpDrop[keyof typeof UdpDrop];

class UdpConn implements ConnState {
  swallow = 0;
  close: CloseModeCode = CloseMode.NONE;
  pins: Item[] = [];
  pin(item: Item): void {
    item.refs++;
    this.pins.push(item);
  }
  flush(): void {
    const pins = this.pins;
    // Most datagrams pin nothing (only binary replies do); truncating an empty array still
    // costs a call, so it is skipped.
    if (pins.length !== 0) {
      for (const it of pins) it.refs--;
      pins.length = 0;
    }
    out.markFlushed();
  }
}

const conn = new UdpConn();
// The headroom holds the first datagram's frame header (see below).
const out = new OutBuffer(64 * 1024, UDP_HEADER_SIZE);

/**
 * Answers one request datagram; `emit` gets each reply datagram as a view valid only during the
 * call. Returns a {@link UdpDrop} code.
 */
export function handleDatagram(
  engine: MemcachedEngine,
  datagram: Uint8Array,
  emit: (reply: Uint8Array) => void,
): UdpDropCode {
  if (datagram.length <= UDP_HEADER_SIZE) return UdpDrop.TOO_SHORT;
  if (datagram[4] !== 0 || datagram[5] !== 1) return UdpDrop.MULTI_PACKET;
  const id0 = datagram[0] as number;
  const id1 = datagram[1] as number;
  out.reset();
  conn.swallow = 0;
  conn.close = CloseMode.NONE;
  const binary = datagram[UDP_HEADER_SIZE] === BIN_REQ_MAGIC;
  let pos = UDP_HEADER_SIZE;
  const end = datagram.length;
  while (pos < end && conn.close === CloseMode.NONE) {
    if (conn.swallow > 0) {
      const n = Math.min(conn.swallow, end - pos);
      conn.swallow -= n;
      pos += n;
      continue;
    }
    const next = binary
      ? binaryStep(engine, datagram, pos, end, out, conn)
      : asciiStep(engine, datagram, pos, end, out, conn);
    if (next === NEED_MORE || next === NEED_DATA) break;
    pos = next;
  }
  conn.flush();
  if ((conn.close as CloseModeCode) === CloseMode.NOW) return UdpDrop.NONE;
  const payload = engine.udpMaxPayload - UDP_HEADER_SIZE;
  const bytes = out.bytes;
  let s = out.headroom;
  for (let i = 0; i < out.count; i++) {
    const e = out.ends[i] as number;
    // An empty response object still goes out: a bare header with total 0 (memcached 1.6.18).
    const total = Math.min(Math.ceil((e - s) / payload), 0xffff);
    for (let seq = 0; seq < Math.max(total, 1); seq++) {
      const cs = s + seq * payload;
      const ce = Math.min(cs + payload, e);
      // The header goes in the 8 bytes before the payload, so the datagram is sent in place.
      // Those bytes are the headroom or the end of a datagram already emitted (emit's view is
      // valid only during the call), so nothing still needed is overwritten.
      const h = cs - UDP_HEADER_SIZE;
      bytes[h] = id0;
      bytes[h + 1] = id1;
      bytes[h + 2] = seq >>> 8;
      bytes[h + 3] = seq & 0xff;
      bytes[h + 4] = total >>> 8;
      bytes[h + 5] = total & 0xff;
      bytes[h + 6] = 0;
      bytes[h + 7] = 0;
      emit(bytes.subarray(h, ce));
    }
    s = e;
  }
  return UdpDrop.NONE;
}
