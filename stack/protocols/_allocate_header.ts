/**
 * One factory for the LPG's TX `allocate-header` nodes (reference `dragonet-model.md` §6.8):
 * each prepends a fixed number of header bytes or drops the packet when headroom is short.
 *
 * @module
 */
import { defineSpec } from "../graph/types.ts";
import type { LpgImpl } from "./_node.ts";
import { templateWork } from "../exec/compiler.ts";

/**
 * Builds a TX node that prepends `bytes` header bytes to the buffer.
 *
 * Ports: `out` (header room reserved), `drop` (not enough headroom, counted as `no-headroom`).
 *
 * @param name Qualified spec name, e.g. `tx.udp.allocate-header`.
 * @param bytes Header length to prepend (a positive integer, pasted into the work template).
 * @param doc One-line spec description.
 * @param noHeadroom Description of the `no-headroom` drop counter.
 */
export function allocateHeaderNode(
  name: string,
  bytes: number,
  doc: string,
  noHeadroom = "Not enough headroom",
): LpgImpl {
  if (!Number.isInteger(bytes) || bytes <= 0) {
    throw new RangeError(`Header length of "${name}" must be a positive integer, got ${bytes}`);
  }
  return {
    spec: defineSpec({
      name,
      kind: "fnode",
      ports: ["out", "drop"],
      counters: [{ name: "no-headroom", description: noHeadroom, drop: true }],
      doc,
    }),
    dropPorts: { drop: "no-headroom" },
    work: templateWork({
      code: (s) => s.ret(`POOL.prepend(x.buf, ${bytes}) < 0 ? 1 : 0`),
    }),
  };
}
