/**
 * The socket C-node as a configurable element of the configuration layer: its configuration
 * space (reference `dragonet-model.md` §6.6: a list of endpoints `(sids: {(sid, appid)}<1,>,
 * sIP: <UInt32>, sPort: <UInt16>, dIP: <UInt32>, dPort: <UInt16>)`, `null` = wildcard), the
 * expansion function in the form `applyConfig()` calls, and their registration.
 *
 * @module
 */
import type { Graph, GraphNode, NodeSpec } from "../graph/types.ts";
import type {
  ConfigRegistries,
  Expansion,
  ExpansionContext,
  ExpansionFn,
} from "../graph/config/expansion.ts";
import type { ConfSpace, ConfValue } from "../graph/config/space.ts";
import {
  expandUdpSockets,
  UDP_SOCKETS_EXPANSION,
  type UdpEndpoint,
} from "./udp_sockets_expansion.ts";

const uint = (bits: number): ConfSpace => ({ kind: "uint", bits });
const maybe = (inner: ConfSpace): ConfSpace => ({ kind: "maybe", inner });

/** Configuration space of `rx.udp.sockets` (§6.6); at most 4096 endpoints and sockets each. */
export const UDP_SOCKETS_SPACE: ConfSpace = {
  kind: "list",
  ordered: true,
  min: 0,
  max: 4096,
  element: {
    kind: "tuple",
    fields: {
      sids: {
        kind: "list",
        ordered: false,
        min: 1,
        max: 4096,
        element: { kind: "tuple", fields: { sid: uint(20), appid: uint(20) } },
      },
      sIP: maybe(uint(32)),
      sPort: maybe(uint(16)),
      dIP: maybe(uint(32)),
      dPort: maybe(uint(16)),
    },
  },
};

/** The configuration value of a list of endpoints (0 becomes the wildcard `null`). */
export function endpointsToValue(endpoints: readonly UdpEndpoint[]): ConfValue {
  const w = (v: number) => (v === 0 ? null : v);
  return endpoints.map((e) => ({
    sids: e.sockets.map((s) => ({ sid: s.sid, appid: s.appId })),
    sIP: w(e.srcIp),
    sPort: w(e.srcPort),
    dIP: w(e.dstIp),
    dPort: w(e.dstPort),
  }));
}

/** The endpoints of a configuration value already checked against {@linkcode UDP_SOCKETS_SPACE}. */
export function valueToEndpoints(value: ConfValue): UdpEndpoint[] {
  const list = Array.isArray(value) ? value : [];
  const num = (v: ConfValue | undefined) => (typeof v === "number" ? v : 0);
  return list.map((raw) => {
    const e = (raw ?? {}) as { readonly [k: string]: ConfValue };
    const sids = Array.isArray(e["sids"]) ? e["sids"] : [];
    return {
      sockets: sids.map((s) => {
        const r = (s ?? {}) as { readonly [k: string]: ConfValue };
        return { sid: num(r["sid"]), appId: num(r["appid"]) };
      }),
      srcIp: num(e["sIP"]),
      srcPort: num(e["sPort"]),
      dstIp: num(e["dIP"]),
      dstPort: num(e["dPort"]),
    };
  });
}

/**
 * The socket C-node's expansion as an `ExpansionFn`: the nodes and edges
 * {@linkcode expandUdpSockets} adds in place of the C-node.
 */
export const udpSocketsExpansion: ExpansionFn = (
  ctx: ExpansionContext,
  value: ConfValue,
): Expansion => {
  const before: Graph = ctx.graph;
  const after = expandUdpSockets(before, valueToEndpoints(value));
  const old = new Set<string>(before.nodes.map((n) => n.id));
  const nodes: GraphNode[] = after.nodes.filter((n) => !old.has(n.id));
  const fresh = new Set<string>(nodes.map((n) => n.id));
  const edges = after.edges.filter((e) => fresh.has(e.from) || fresh.has(e.to));
  const specs: Record<string, NodeSpec> = {};
  for (const [name, spec] of Object.entries(after.specs)) {
    if (!Object.hasOwn(before.specs, name)) specs[name] = spec;
  }
  return { nodes, edges, specs };
};

/** Registers the socket C-node's space and expansion under {@linkcode UDP_SOCKETS_EXPANSION}. */
export function registerLpgConfig(registries: ConfigRegistries): ConfigRegistries {
  registries.spaces.register(UDP_SOCKETS_EXPANSION, UDP_SOCKETS_SPACE);
  registries.expansions.register(UDP_SOCKETS_EXPANSION, udpSocketsExpansion);
  return registries;
}
