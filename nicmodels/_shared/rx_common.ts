/**
 * The receive prologue every NIC model shares: L2 length checks, the hardware parse, and the
 * checksum-status flags (nic-models.md §1 steps 2-3, §2.8, §3.8).
 *
 * @module
 */
import { NicDrop, RxFlag, type RxResult, RxStage } from "./nic.ts";
import { CsumStatus, parseRxFrame, type RxKey } from "./rx_parse.ts";

/** Smallest frame a NIC parses (an Ethernet header). */
export const MIN_FRAME_BYTES = 14;

/**
 * Resets `out`, checks the frame length against 14 bytes and `maxFrame`, parses into `k` and
 * sets checksum flags. Returns false (with `out.drop` set) when the frame is dropped at L2.
 */
export function rxPrologue(
  bytes: Uint8Array,
  off: number,
  len: number,
  k: RxKey,
  out: RxResult,
  checksums: boolean,
  maxFrame: number,
): boolean {
  out.reset();
  if (len < MIN_FRAME_BYTES || off < 0 || off + len > bytes.length) {
    out.drop = NicDrop.L2Length;
    out.stage = RxStage.Dropped;
    return false;
  }
  if (len > maxFrame) {
    out.drop = NicDrop.L2Oversize;
    out.stage = RxStage.Dropped;
    return false;
  }
  parseRxFrame(bytes, off, len, k, checksums);
  if (k.ipv4Csum !== CsumStatus.NotChecked) {
    out.flags |= RxFlag.Ipv4ChecksumChecked;
    if (k.ipv4Csum === CsumStatus.Bad) out.flags |= RxFlag.Ipv4ChecksumBad;
  }
  if (k.l4Csum !== CsumStatus.NotChecked) {
    out.flags |= RxFlag.L4ChecksumChecked;
    if (k.l4Csum === CsumStatus.Bad) out.flags |= RxFlag.L4ChecksumBad;
  }
  return true;
}
