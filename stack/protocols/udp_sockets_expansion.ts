/**
 * The socket C-node's expansion (reference `dragonet-model.md` §6.6, Dragonet `Graphs/LPG.hs`):
 * replaces `rx.udp.sockets` by one demux filter per endpoint (carrying its port predicates,
 * `udpEndpointMatch`), a Balance node for an endpoint
 * with several sockets, and ToSocket/FromSocket per socket; with no endpoint, a constant-false
 * node keeps `unused-port` answering every datagram.
 *
 * @module
 */
import { formatIpv4 } from "../packet/addr.ts";
import { udpEndpointMatch, type UdpMatchFields } from "../graph/predicate/vocabulary.ts";
import type { Edge, Graph, GraphNode, NodeId, NodeSpec, PredicateExpr } from "../graph/types.ts";
import { nodeId } from "../graph/types.ts";
import { balanceSpec, fromSocket, toSocket, udpDemuxFilter, udpNoEndpoint } from "./sockets.ts";

/** One socket of an endpoint: its id and the application owning it. */
export interface SocketRef {
  /** Socket id (>= 0). */
  readonly sid: number;
  /** Application id (>= 0). */
  readonly appId: number;
}

/**
 * A UDP endpoint: remote (`src`) and local (`dst`) address and port, 0 = wildcard; and the
 * sockets bound to it (reference §6.6 configuration type).
 */
export interface UdpEndpoint {
  /** Sockets on this endpoint (at least one). */
  readonly sockets: readonly SocketRef[];
  /** Remote IPv4 (u32), 0 = any. */
  readonly srcIp: number;
  /** Remote port, 0 = any. */
  readonly srcPort: number;
  /** Local IPv4 (u32), 0 = any. */
  readonly dstIp: number;
  /** Local port, 0 = any. */
  readonly dstPort: number;
}

/** Id of the socket C-node in the LPG template. */
export const UDP_SOCKETS_NODE = "rx.udp.sockets";
/** Name of the expansion function (and configuration space) of the socket C-node. */
export const UDP_SOCKETS_EXPANSION = "lpg.udp-sockets";

/** Specificity rank of an endpoint: remote IP 8, remote port 4, local IP 2, local port 1. */
export function specificity(e: UdpEndpoint): number {
  return (e.srcIp !== 0 ? 8 : 0) + (e.srcPort !== 0 ? 4 : 0) + (e.dstIp !== 0 ? 2 : 0) +
    (e.dstPort !== 0 ? 1 : 0);
}

/** The filter label of the original: `RxL4UDP(1.2.3.4:1000 / *:53)`. */
export function filterLabel(e: UdpEndpoint): string {
  const ip = (v: number) => (v === 0 ? "*" : formatIpv4(v));
  const port = (v: number) => (v === 0 ? "*" : String(v));
  return `RxL4UDP(${ip(e.srcIp)}:${port(e.srcPort)} / ${ip(e.dstIp)}:${port(e.dstPort)})`;
}

/** The match fields of an endpoint: its address and ports, `null` for a wildcard (0). */
function matchFields(e: UdpEndpoint): UdpMatchFields {
  const v = (n: number) => (n === 0 ? null : n);
  return { srcIp: v(e.srcIp), srcPort: v(e.srcPort), dstIp: v(e.dstIp), dstPort: v(e.dstPort) };
}

/** Checks endpoints, throwing a clear error for the first bad field. */
export function checkEndpoints(endpoints: readonly UdpEndpoint[]): void {
  const seen = new Set<number>();
  endpoints.forEach((e, i) => {
    const check = (what: string, v: number, max: number) => {
      if (!(Number.isInteger(v) && v >= 0 && v <= max)) {
        throw new RangeError(`Endpoint ${i}: ${what} ${v} must be an integer 0..${max}`);
      }
    };
    check("srcIp", e.srcIp, 0xffffffff);
    check("dstIp", e.dstIp, 0xffffffff);
    check("srcPort", e.srcPort, 65535);
    check("dstPort", e.dstPort, 65535);
    if (e.sockets.length === 0) throw new RangeError(`Endpoint ${i}: needs at least one socket`);
    for (const s of e.sockets) {
      check("sid", s.sid, 1_000_000);
      check("appId", s.appId, 1_000_000);
      if (seen.has(s.sid)) throw new RangeError(`Endpoint ${i}: socket ${s.sid} is used twice`);
      seen.add(s.sid);
    }
  });
}

/**
 * Replaces the socket C-node of `graph` by the nodes of `endpoints` (reference §6.6): edges
 * into the C-node from the `true` port of an AND node feed every filter (edges from F-nodes are
 * dropped); its `unused` targets receive both ports
 * of every filter; its `send` targets receive every FromSocket.
 *
 * @throws {Error} when the graph has no socket C-node or an endpoint is malformed.
 */
export function expandUdpSockets(graph: Graph, endpoints: readonly UdpEndpoint[]): Graph {
  checkEndpoints(endpoints);
  const cnode = graph.nodes.find((n) => n.id === UDP_SOCKETS_NODE);
  if (cnode === undefined) {
    throw new Error(`Cannot expand sockets: graph "${graph.name}" has no node ${UDP_SOCKETS_NODE}`);
  }
  const specs: Record<string, NodeSpec> = { ...graph.specs };
  const kindOf = (id: NodeId) => {
    const node = graph.nodes.find((n) => n.id === id);
    return node === undefined ? undefined : graph.specs[node.spec]?.kind;
  };
  const nodes: GraphNode[] = graph.nodes.filter((n) => n.id !== UDP_SOCKETS_NODE);
  const edges: Edge[] = [];
  const feeders: { from: NodeId; port: string }[] = [];
  const unusedTargets: NodeId[] = [];
  const sendTargets: NodeId[] = [];
  for (const e of graph.edges) {
    if (e.kind === "port" && e.to === UDP_SOCKETS_NODE) {
      // Only the validity AND feeds the filters; the edges from the header-length F-node only
      // document the dependency and are ignored (reference §6.6).
      if (e.port === "true" && kindOf(e.from) === "and") {
        feeders.push({ from: e.from, port: e.port });
      }
    } else if (e.kind === "port" && e.from === UDP_SOCKETS_NODE) {
      if (e.port === "unused") unusedTargets.push(e.to);
      if (e.port === "send") sendTargets.push(e.to);
    } else if (e.to !== UDP_SOCKETS_NODE && e.from !== UDP_SOCKETS_NODE) {
      edges.push(e);
    }
  }
  const addSpec = (s: NodeSpec) => {
    specs[s.name] = s;
  };
  const port = (from: NodeId, p: string, to: NodeId) =>
    edges.push({ kind: "port", from, port: p, to });
  const origin = cnode.origin;
  const tag = cnode.tag === undefined ? {} : { tag: cnode.tag };
  if (endpoints.length === 0) {
    addSpec(udpNoEndpoint.spec);
    const id = nodeId("rx.udp.demux.none");
    nodes.push({ id, spec: udpNoEndpoint.spec.name, origin, ...tag });
    for (const f of feeders) port(f.from, f.port, id);
    for (const t of unusedTargets) port(id, "false", t);
  }
  endpoints.forEach((ep, i) => {
    addSpec(udpDemuxFilter.spec);
    const rank = specificity(ep);
    const shadowing = endpoints.filter((o, j) => {
      const r = specificity(o);
      return j !== i && (r > rank || (r === rank && j < i));
    });
    const shadows = shadowing.map((o) => `${o.srcIp}:${o.srcPort}:${o.dstIp}:${o.dstPort}`);
    // The filter's port predicates (reference §6.6, quirk Q12 fixed): its endpoint's match and
    // no more specific endpoint's, so the embedding can tell which queue needs which socket.
    const match = udpEndpointMatch(matchFields(ep), shadowing.map(matchFields));
    const notMatch: PredicateExpr = { op: "not", arg: match };
    const values: Record<string, string> = { udpdemux: "" };
    if (ep.srcIp !== 0) values["srcip"] = String(ep.srcIp);
    if (ep.srcPort !== 0) values["srcport"] = String(ep.srcPort);
    if (ep.dstIp !== 0) values["dstip"] = String(ep.dstIp);
    if (ep.dstPort !== 0) values["dstport"] = String(ep.dstPort);
    if (shadows.length > 0) values["shadow"] = shadows.join(",");
    const filter = nodeId(`rx.udp.demux.e${i + 1}`);
    nodes.push({
      id: filter,
      spec: udpDemuxFilter.spec.name,
      label: filterLabel(ep),
      origin,
      ...tag,
      attributes: { values },
      predicates: { true: match, false: notMatch },
    });
    for (const f of feeders) port(f.from, f.port, filter);
    for (const t of unusedTargets) {
      port(filter, "true", t);
      port(filter, "false", t);
    }
    let deliver: { from: NodeId; ports: string[] };
    if (ep.sockets.length > 1) {
      const spec = balanceSpec(ep.sockets.length);
      addSpec(spec);
      const balance = nodeId(`rx.udp.demux.e${i + 1}-balance`);
      nodes.push({
        id: balance,
        spec: spec.name,
        label: `${filterLabel(ep)}::Balance`,
        origin,
        ...tag,
        attributes: { loadBalance: true, values: { balanceEP: String(i + 1) } },
      });
      port(filter, "true", balance);
      deliver = { from: balance, ports: [...spec.ports] };
    } else {
      deliver = { from: filter, ports: ["true"] };
    }
    ep.sockets.forEach((s, k) => {
      addSpec(toSocket.spec);
      addSpec(fromSocket.spec);
      const to = nodeId(`sock.s${s.sid}.to`);
      const from = nodeId(`sock.s${s.sid}.from`);
      const app = String(s.appId);
      nodes.push({
        id: to,
        spec: toSocket.spec.name,
        label: `ToSocket${s.sid}`,
        origin,
        attributes: { values: { tosocket: String(s.sid), appid: app } },
      });
      nodes.push({
        id: from,
        spec: fromSocket.spec.name,
        label: `FromSocket${s.sid}`,
        origin,
        attributes: { values: { fromsocket: String(s.sid), appid: app } },
      });
      port(deliver.from, deliver.ports[deliver.ports.length === 1 ? 0 : k] ?? "true", to);
      for (const t of sendTargets) port(from, "true", t);
      edges.push({ kind: "spawn", from, spawn: "send", to: from });
    });
  });
  return { ...graph, specs, nodes, edges };
}
