/**
 * The receive path's real work shared by the stack models: parse and verify the frame with
 * `stack/packet`, then find the socket bound to its UDP destination port.
 *
 * @module
 */
import {
  FrameInfo,
  IpProto,
  parseFrame,
  Reason,
  REASON_COUNT,
  verifyIpv4HeaderChecksum,
  verifyL4Checksum,
} from "../../stack/packet/mod.ts";
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { StackDrop } from "./drops.ts";

/** Parses, verifies and demultiplexes frames for one host; counts parse reasons. */
export class RxPath {
  /** The parsed frame of the last {@link RxPath.classify} call. */
  readonly info: FrameInfo = new FrameInfo();
  /** Frames rejected per `stack/packet` reason code. */
  readonly reasons: Uint32Array = new Uint32Array(REASON_COUNT);
  #pool: BufferPool;
  #ip: number;
  #ports: Int32Array = new Int32Array(65_536).fill(-1);

  /** Receive path for the host with address `ip`. */
  constructor(pool: BufferPool, ip: number) {
    this.#pool = pool;
    this.#ip = ip >>> 0;
  }

  /** Binds UDP `port` to socket index `socket`. */
  bind(port: number, socket: number): void {
    if (this.#ports[port] !== -1) throw new Error(`UDP port ${port} is already bound`);
    this.#ports[port] = socket;
  }

  /**
   * Parses and verifies buffer `buf`; returns the socket index (>= 0) or `-1 - code` with a
   * {@link StackDrop} code. `info` holds the parse.
   */
  classify(buf: number): number {
    const pool = this.#pool;
    const b = pool.bytes;
    const info = this.info;
    const r = parseFrame(b, pool.start[buf] ?? 0, pool.length[buf] ?? 0, info) ||
      verifyIpv4HeaderChecksum(b, info) || verifyL4Checksum(b, info);
    if (r !== Reason.Ok) {
      this.reasons[r] = (this.reasons[r] ?? 0) + 1;
      return -1 - StackDrop.BadFrame;
    }
    if (info.ipProto !== IpProto.Udp || (info.ipDst >>> 0) !== this.#ip) {
      return -1 - StackDrop.NoSocket;
    }
    const s = this.#ports[info.dstPort] ?? -1;
    return s >= 0 ? s : -1 - StackDrop.NoSocket;
  }

  /**
   * Rebuilds {@link RxPath.info} for buffer `buf`, a frame that passed {@link RxPath.classify}
   * when it arrived and has waited unchanged since (in a socket queue): parses it again without
   * verifying its checksums a second time (the bytes are the ones already verified; the verdict
   * cannot change) and without the socket lookup. Returns the parse's reason code (`Reason.Ok`).
   */
  reparse(buf: number): number {
    const pool = this.#pool;
    return parseFrame(pool.bytes, pool.start[buf] ?? 0, pool.length[buf] ?? 0, this.info);
  }
}
