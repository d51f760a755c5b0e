/**
 * Node implementations of the 82599's Flow Director filter nodes, registered in the shared PRG
 * node registry (`PRG_NODE_IMPLS`) when this module loads: a perfect filter compares the
 * frame's tuple under the global mask with its own; a signature filter compares the masked
 * tuple's bucket and 16-bit signature with its own, so colliding flows match too
 * (nic-models.md §2.5).
 *
 * Attributes (written by the Flow Director chain builder, `prg_configure.ts`): `maskProto`,
 * `maskSrc`, `maskDst`, `maskPorts` (the global mask as numbers), `proto`, `srcIp`, `dstIp`,
 * `ports` (the rule's masked values; ports = source << 16 | destination), and for signature
 * filters `bucket` and `signature`.
 *
 * @module
 */
import {
  FilterKind,
  filterSpec,
  markFilterMatch,
  numAttr,
  PRG_NODE_IMPLS,
  type PrgNodeFn,
} from "../_shared/prg_nodes.ts";
import type { GraphNode } from "../../stack/graph/types.ts";
import { fdirBucket, fdirSignature } from "./fdir_hash.ts";

const F = 1;

/** Makes the work function of a Flow Director filter node. */
export function fdirFilterFn(node: GraphNode, signature: boolean): PrgNodeFn {
  const mProto = numAttr(node, "maskProto") >>> 0;
  const mSrc = numAttr(node, "maskSrc") >>> 0;
  const mDst = numAttr(node, "maskDst") >>> 0;
  const mPorts = numAttr(node, "maskPorts") >>> 0;
  const proto = numAttr(node, "proto") >>> 0;
  const src = numAttr(node, "srcIp") >>> 0;
  const dst = numAttr(node, "dstIp") >>> 0;
  const ports = numAttr(node, "ports") >>> 0;
  const bucket = signature ? numAttr(node, "bucket") : 0;
  const sig = signature ? numAttr(node, "signature") : 0;
  return (f) => {
    const k = f.key;
    if (k.ipVersion !== 4) return F;
    const p = (k.proto & mProto) >>> 0;
    const s = (k.srcIp & mSrc) >>> 0;
    const d = (k.dstIp & mDst) >>> 0;
    const pp = ((k.hasPorts ? ((k.srcPort << 16) | k.dstPort) : 0) & mPorts) >>> 0;
    if (!signature) {
      return pp === ports && s === src && d === dst && p === proto ? markFilterMatch(f) : F;
    }
    return fdirBucket(p, s, d, pp) === bucket && fdirSignature(p, s, d, pp) === sig
      ? markFilterMatch(f)
      : F;
  };
}

const PERFECT = filterSpec(FilterKind.FdirPerfect).name;
const SIGNATURE = filterSpec(FilterKind.FdirSignature).name;
if (!PRG_NODE_IMPLS.has(PERFECT)) PRG_NODE_IMPLS.register(PERFECT, (n) => fdirFilterFn(n, false));
if (!PRG_NODE_IMPLS.has(SIGNATURE)) {
  PRG_NODE_IMPLS.register(SIGNATURE, (n) => fdirFilterFn(n, true));
}
