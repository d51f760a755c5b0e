/**
 * The O-node specs the LPG uses (reference §2.2): AND, OR and NOR with the ports `true` and
 * `false`. Their behaviour is the executor's, not a work function.
 *
 * @module
 */
import { defineSpec, type NodeSpec } from "../graph/types.ts";

/** AND: false as soon as an input is false; true once every input arrived true. */
export const andSpec: NodeSpec<"true" | "false"> = defineSpec(
  {
    name: "op.and",
    kind: "and",
    ports: ["true", "false"],
    doc: "Logical AND over its inputs",
  } as const,
);

/** OR: true as soon as an input is true; false once every input arrived false. */
export const orSpec: NodeSpec<"true" | "false"> = defineSpec(
  {
    name: "op.or",
    kind: "or",
    ports: ["true", "false"],
    doc: "Logical OR over its inputs",
  } as const,
);

/** NOR: false as soon as an input is true; true once every input arrived false. */
export const norSpec: NodeSpec<"true" | "false"> = defineSpec(
  {
    name: "op.nor",
    kind: "nor",
    ports: ["true", "false"],
    doc: "Logical NOR over its inputs",
  } as const,
);
