/**
 * The one's-complement sum the NIC's checksum checks use: the packet layer's RFC 1071 routine.
 *
 * @module
 */
export { onesComplementSum } from "../../stack/packet/checksum.ts";
