/**
 * The LPG as graph data (reference `dragonet-model.md` §6, Dragonet `lpgConfImpl.unicorn`):
 * `lpgTemplate()` builds the unconfigured graph with the socket C-node, `buildLpg()` applies the
 * endpoint configuration, and `lpgImpls()` gives the implementation of every F-node spec.
 *
 * The TCP path is absent: `rx.ipv4.classify` selects `tcp` for protocol 6 (quirk Q4 fixed) and
 * counts it as a drop.
 *
 * @module
 */
import { GraphBuilder } from "../graph/builder.ts";
import { defineSpec, type Graph, type NodeSpec } from "../graph/types.ts";
import { andSpec, norSpec, orSpec } from "./operators.ts";
import type { LpgImpl } from "./_node.ts";
import * as eth from "./rx_ethernet.ts";
import * as arp from "./rx_arp.ts";
import * as ip from "./rx_ipv4.ts";
import * as icmp from "./rx_icmp.ts";
import * as udp from "./rx_udp.ts";
import * as sock from "./sockets.ts";
import * as l4 from "./tx_l4.ts";
import * as l3 from "./tx_l3.ts";
import * as l2 from "./tx_l2.ts";
import {
  expandUdpSockets,
  UDP_SOCKETS_EXPANSION,
  type UdpEndpoint,
} from "./udp_sockets_expansion.ts";

/** The socket C-node spec (configuration: the list of endpoints, reference §6.6). */
export const udpSocketsSpec: NodeSpec<"unused" | "send"> = defineSpec(
  {
    name: "rx.udp.sockets",
    kind: "config",
    ports: ["unused", "send"],
    config: { space: UDP_SOCKETS_EXPANSION, expansion: UDP_SOCKETS_EXPANSION },
    doc: "Socket C-node: one demux filter per endpoint, Balance for several sockets",
  } as const,
);

/** Every fixed F-node implementation of the LPG. */
export const LPG_IMPLS: readonly LpgImpl[] = [
  eth.rxQueue,
  eth.etherClassified,
  eth.etherValidLength,
  eth.etherValidUnicast,
  eth.etherValidMulticast,
  eth.etherValidBroadcast,
  eth.etherValidSrc,
  eth.etherValidLocalMac,
  eth.etherValidType,
  eth.etherClassifyL3,
  arp.arpValidHeaderLength,
  arp.arpClassify,
  arp.arpLocalIpDest,
  arp.arpValidRequest,
  arp.arpValidResponse,
  arp.arpIsPending,
  ip.ipv4ValidHeaderLength,
  ip.ipv4ValidReassembly,
  ip.ipv4ValidVersion,
  ip.ipv4ValidLength,
  ip.ipv4ValidTtl,
  ip.ipv4ValidChecksum,
  ip.ipv4ValidLocalIp,
  ip.ipv4Classify,
  icmp.icmpValidHeaderLength,
  icmp.icmpValidChecksum,
  icmp.icmpIsTypeRequest,
  udp.udpValidHeaderLength,
  udp.udpValidLength,
  udp.udpValidChecksum,
  sock.udpDemuxFilter,
  sock.udpNoEndpoint,
  sock.toSocket,
  sock.fromSocket,
  sock.udpClosedPortAction,
  l4.udpInitiateResponse,
  l4.udpAllocateHeader,
  l4.udpFillHeader,
  l4.icmpInitiateResponse,
  l4.icmpAllocateHeader,
  l4.icmpFillHeader,
  l3.ipv4AllocateHeader,
  l3.ipv4FillHeader,
  l3.ipv4Routing,
  l3.arpLookupRequestIn,
  l3.arpResolve,
  l3.arpSendRequest,
  l3.arpSendGratuitous,
  l3.arpInitiateResponse,
  l3.arpAllocateHeader,
  l3.arpFillHeader,
  l3.arpProcessPendingResponse,
  l2.etherAllocateHeader,
  l2.etherFillHeader,
  l2.txQueue,
];

/** Implementations by spec name for a graph (the fixed ones plus its Balance specs). */
export function lpgImpls(graph?: Graph): Map<string, LpgImpl> {
  const map = new Map<string, LpgImpl>();
  for (const impl of LPG_IMPLS) map.set(impl.spec.name, impl);
  for (const name of Object.keys(graph?.specs ?? {})) {
    const m = /^rx\.udp\.balance-(\d+)$/.exec(name);
    if (m !== null) map.set(name, sock.balanceImpl(Number(m[1])));
  }
  return map;
}

/** Builds the unconfigured LPG (with the socket C-node `rx.udp.sockets`). */
export function lpgTemplate(name = "lpg"): Graph {
  const b = new GraphBuilder(name, { origin: "LPG" });
  const rx = b.cluster("rx");
  rx.node("queue", eth.rxQueue.spec, { out: { out: "l2.classified" } }).spawn("poll", "queue");

  const L2 = rx.cluster("l2");
  L2.node("classified", eth.etherClassified.spec, { out: { true: "valid-length" } });
  L2.node("valid-length", eth.etherValidLength.spec, {
    out: {
      true: [
        "valid-unicast",
        "valid-multicast",
        "valid-broadcast",
        "valid-src",
        "valid-type",
        "valid-local-mac",
      ],
    },
  });
  for (
    const [local, spec] of [
      ["valid-unicast", eth.etherValidUnicast.spec],
      ["valid-multicast", eth.etherValidMulticast.spec],
      ["valid-broadcast", eth.etherValidBroadcast.spec],
    ] as const
  ) {
    L2.node(local, spec, { out: { true: "valid-dest", false: "valid-dest" } });
  }
  L2.node("valid-dest", orSpec, { out: { true: "valid", false: "valid" } });
  L2.node("valid-src", eth.etherValidSrc.spec, { out: { true: "valid", false: "valid" } });
  L2.node("valid-local-mac", eth.etherValidLocalMac.spec, {
    out: { true: "valid", false: "valid" },
  });
  L2.node("valid", andSpec, { out: { true: ".ip.and-below-valid", false: ".ip.and-below-valid" } });
  L2.node("valid-type", eth.etherValidType.spec, { out: { true: "classify-l3" } });
  L2.node("classify-l3", eth.etherClassifyL3.spec, {
    out: { ipv4: ".ipv4.valid-header-length", arp: ".arp.valid-header-length" },
  });

  const A = rx.cluster("arp");
  A.node("valid-header-length", arp.arpValidHeaderLength.spec, {
    out: { true: ["classify", "local-ip-dest"] },
  });
  A.node("classify", arp.arpClassify.spec, {
    out: { request: "valid-request", response: "valid-response" },
  });
  A.node("local-ip-dest", arp.arpLocalIpDest.spec, {
    out: {
      true: ["needs-response", "valid-pending-response"],
      false: ["needs-response", "valid-pending-response"],
    },
  });
  A.node("valid-request", arp.arpValidRequest.spec, {
    out: { true: "needs-response", false: "needs-response" },
  });
  A.node("needs-response", andSpec, { out: { true: b.ref("tx.arp.initiate-response") } });
  A.node("valid-response", arp.arpValidResponse.spec, {
    out: {
      true: ["valid-pending-response", "is-pending"],
      false: ["valid-pending-response", "is-pending"],
    },
  });
  A.node("is-pending", arp.arpIsPending.spec, {
    out: { true: "valid-pending-response", false: "valid-pending-response" },
  });
  A.node("valid-pending-response", andSpec, {
    out: { true: b.ref("tx.arp.process-pending-response") },
  });

  const I = rx.cluster("ipv4");
  const checks = [
    ["valid-reassembly", ip.ipv4ValidReassembly.spec],
    ["valid-version", ip.ipv4ValidVersion.spec],
    ["valid-length", ip.ipv4ValidLength.spec],
    ["valid-ttl", ip.ipv4ValidTtl.spec],
    ["valid-checksum", ip.ipv4ValidChecksum.spec],
    ["valid-local-ip", ip.ipv4ValidLocalIp.spec],
  ] as const;
  I.node("valid-header-length", ip.ipv4ValidHeaderLength.spec, {
    out: {
      true: [
        "valid-reassembly",
        "valid-version",
        "valid-length",
        "valid-ttl",
        "valid-checksum",
        "classify",
        "valid-local-ip",
      ],
    },
  });
  for (const [local, spec] of checks) {
    I.node(local, spec, { out: { true: "valid", false: "valid" } });
  }
  I.node("valid", andSpec, { out: { true: ".ip.valid", false: ".ip.valid" } });
  I.node("classify", ip.ipv4Classify.spec, {
    out: { udp: ".udp.valid-header-length", icmp: ".icmp.valid-header-length" },
  });
  const IP = rx.cluster("ip");
  IP.node("valid", orSpec, { out: { true: "and-below-valid", false: "and-below-valid" } });
  IP.node("and-below-valid", andSpec, {
    out: { true: [".icmp.valid", ".udp.valid"], false: [".icmp.valid", ".udp.valid"] },
  });

  const C = rx.cluster("icmp");
  C.node("valid-header-length", icmp.icmpValidHeaderLength.spec, {
    out: { true: ["valid-checksum", "is-type-request"] },
  });
  C.node("valid-checksum", icmp.icmpValidChecksum.spec, {
    out: { true: "valid", false: "valid" },
  });
  C.node("valid", andSpec, { out: { true: "needs-response", false: "needs-response" } });
  C.node("is-type-request", icmp.icmpIsTypeRequest.spec, {
    out: { true: "needs-response", false: "needs-response" },
  });
  C.node("needs-response", andSpec, { out: { true: b.ref("tx.icmp.initiate-response") } });

  const U = rx.cluster("udp");
  U.node("valid-header-length", udp.udpValidHeaderLength.spec, {
    out: { true: ["sockets", "valid-length", "valid-checksum"], false: "sockets" },
  });
  U.node("valid-length", udp.udpValidLength.spec, { out: { true: "valid", false: "valid" } });
  U.node("valid-checksum", udp.udpValidChecksum.spec, { out: { true: "valid", false: "valid" } });
  U.node("valid", andSpec, { out: { true: "sockets" } });
  U.node("sockets", udpSocketsSpec, {
    out: { unused: "unused-port", send: b.ref("tx.udp.initiate-response") },
  });
  U.node("unused-port", norSpec, { out: { true: "closed-port-action" } });
  U.node("closed-port-action", sock.udpClosedPortAction.spec, {
    out: { reply: b.ref("tx.icmp.allocate-header") },
  });

  const tx = b.cluster("tx");
  const TU = tx.cluster("udp");
  TU.node("initiate-response", l4.udpInitiateResponse.spec, { out: { out: "allocate-header" } });
  TU.node("allocate-header", l4.udpAllocateHeader.spec, { out: { out: "fill-header" } });
  TU.node("fill-header", l4.udpFillHeader.spec, {
    out: { true: ".ipv4.prepare", false: ".ipv4.prepare" },
  });
  const TC = tx.cluster("icmp");
  TC.node("initiate-response", l4.icmpInitiateResponse.spec, { out: { out: "allocate-header" } });
  TC.node("allocate-header", l4.icmpAllocateHeader.spec, { out: { out: "fill-header" } });
  TC.node("fill-header", l4.icmpFillHeader.spec, {
    out: { true: ".ipv4.prepare", false: ".ipv4.prepare" },
  });
  const TI = tx.cluster("ipv4");
  TI.node("prepare", orSpec, { out: { true: "allocate-header" } });
  TI.node("allocate-header", l3.ipv4AllocateHeader.spec, { out: { out: "fill-header" } });
  TI.node("fill-header", l3.ipv4FillHeader.spec, { out: { out: "routing" } });
  TI.node("routing", l3.ipv4Routing.spec, {
    out: { true: ".arp.lookup", false: ".arp.lookup" },
  });
  const TA = tx.cluster("arp");
  TA.node("lookup-request-in", l3.arpLookupRequestIn.spec, {
    out: { true: "lookup", false: "lookup" },
  });
  TA.node("lookup", orSpec, { out: { true: "resolve" } });
  TA.node("resolve", l3.arpResolve.spec, { out: { true: ".l2.prepare" } })
    .spawn("request", "send-request");
  TA.node("send-request", l3.arpSendRequest.spec, { out: { true: "prepare" } });
  TA.node("send-gratuitous", l3.arpSendGratuitous.spec, { out: { true: "prepare" } });
  TA.node("initiate-response", l3.arpInitiateResponse.spec, { out: { true: "prepare" } });
  TA.node("prepare", orSpec, { out: { true: "allocate-header" } });
  TA.node("allocate-header", l3.arpAllocateHeader.spec, { out: { out: "fill-header" } });
  TA.node("fill-header", l3.arpFillHeader.spec, {
    out: { true: ".l2.prepare", false: ".l2.prepare" },
  });
  TA.node("process-pending-response", l3.arpProcessPendingResponse.spec)
    .spawn("restart", "lookup-request-in");
  const T2 = tx.cluster("l2");
  T2.node("prepare", orSpec, { out: { true: "allocate-header" } });
  T2.node("allocate-header", l2.etherAllocateHeader.spec, { out: { out: "fill-header" } });
  T2.node("fill-header", l2.etherFillHeader.spec, { out: { out: ".queue" } });
  tx.node("queue", l2.txQueue.spec);
  return b.build();
}

/** Builds the LPG configured with `endpoints` (the socket C-node expanded). */
export function buildLpg(endpoints: readonly UdpEndpoint[], name = "lpg"): Graph {
  return expandUdpSockets(lpgTemplate(name), endpoints);
}
