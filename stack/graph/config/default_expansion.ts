/**
 * The default C-node expansion: a configurable switch (reference `dragonet-model.md` §3.1).
 *
 * @module
 */
import { DEFAULT_EXPANSION, type PortEdge } from "../types.ts";
import {
  type ConfigRegistries,
  type Expansion,
  type ExpansionContext,
  makeConfigRegistries,
} from "./expansion.ts";
import type { ConfValue } from "./space.ts";

/**
 * The value names one of the C-node's ports; every in-edge source is connected directly to all
 * targets of that port, and the C-node's other ports lose their edges.
 *
 * @throws {TypeError} when the value is not one of the C-node's ports.
 */
export function defaultExpansion(ctx: ExpansionContext, value: ConfValue): Expansion {
  if (typeof value !== "string" || !ctx.spec.ports.includes(value)) {
    throw new TypeError(
      `Cannot expand C-node "${ctx.node.id}": value must be one of its ports ${
        ctx.spec.ports.join(", ")
      }, got ${JSON.stringify(value)}`,
    );
  }
  const edges: PortEdge[] = [];
  for (const e of ctx.inEdges) {
    for (const to of ctx.targets(value)) {
      edges.push({ kind: "port", from: e.from, port: e.port, to });
    }
  }
  return { nodes: [], edges };
}

/** Makes registries holding the default expansion under `DEFAULT_EXPANSION` ("default"). */
export function makeDefaultRegistries(): ConfigRegistries {
  const r = makeConfigRegistries();
  r.expansions.register(DEFAULT_EXPANSION, defaultExpansion);
  return r;
}
