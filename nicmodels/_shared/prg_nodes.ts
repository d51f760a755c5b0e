/**
 * What the nodes of a configured PRG do to a real frame: one implementation per spec name
 * (reference `dragonet-model.md` §2.1: an F-node's implementation is looked up by name; STYLE.md
 * 2: what a unit *is* is data, what it *does* is code).
 *
 * An implementation is made once per node from the node's attributes (`attributes.values`, as
 * the expansion functions wrote them) and then runs per frame on a shared {@link PrgFrame}:
 * it returns the index of the port it activates (in the spec's `ports` order), or
 * {@link PRG_DROP} after setting `frame.out.drop`. Per frame nothing is allocated; parsing uses
 * the NICs' own parser (`rx_parse.ts`), RSS the NICs' own `RssEngine`.
 *
 * Specs and ports:
 * - `nic.rx.l2.ether-classify` (`other`): length, oversize, unicast-MAC and VLAN checks, parse;
 * - `nic.rx.l3.ipv4-checksum`, `nic.rx.l4.checksum` (`good`, `bad`, `unchecked`): set the
 *   descriptor's checksum flags;
 * - `nic.rx.filter.<kind>` (`true`, `false`): one installed rule each, see {@link FilterKind};
 * - `nic.rx.filter-drop` (no ports): a drop rule matched;
 * - `nic.rx.rss.q<n>` (`q0`..`q<n-1>`, `nohash`): Toeplitz hash, indirection table, base queue;
 * - `nic.rx.to-queue` (`true`): hands a frame an RSS port chose to its queue's OR node;
 * - `nic.rx.to-default-queue` (`true`): nothing claimed the frame;
 * - `nic.rx.l2.cast` (`unicast`, `multicast`): the destination MAC's group bit.
 *
 * @module
 */
import { Registry } from "../../stack/graph/registry.ts";
import { defineSpec, type GraphNode, type NodeSpec } from "../../stack/graph/types.ts";
import { NicDrop, RSS_HASH_TYPES, type RssCapability, RxFlag, RxResult } from "./nic.ts";
import {
  PRG_CAST_SPEC,
  PRG_ENTRY_SPEC,
  PRG_IPV4_CSUM_SPEC,
  PRG_L4_CSUM_SPEC,
  PRG_TO_DEFAULT_SPEC,
} from "./prg.ts";
import { PrgKey } from "./prg_rule.ts";
import { RssEngine } from "./rss.ts";
import { CsumStatus, IpProto, parseRxFrame, RxKey, TcpFlag } from "./rx_parse.ts";
import { atomExpr, numberValue } from "../../stack/graph/predicate/vocabulary.ts";

/** Returned by a node implementation that drops the frame (after setting `out.drop`). */
export const PRG_DROP: -1 = -1;

/** Per-frame state shared by the node implementations of one walk (reuse one instance). */
export class PrgFrame {
  /** Frame buffer. */
  bytes: Uint8Array = new Uint8Array(0);
  /** Frame offset in `bytes`. */
  off = 0;
  /** Frame length. */
  len = 0;
  /** Parsed header fields (written by the entry node). */
  readonly key: RxKey = new RxKey();
  /** Result being built: flags, hash, drop code, queue. */
  readonly out: RxResult = new RxResult();
}

/** A node's per-frame work: the activated port index, or {@link PRG_DROP}. */
export type PrgNodeFn = (frame: PrgFrame) => number;

/** Makes a node's work function from the node (its attributes) and its spec. */
export type PrgNodeFactory = (node: GraphNode, spec: NodeSpec) => PrgNodeFn;

/** Filter node kinds, one spec `nic.rx.filter.<kind>` each. */
export const FilterKind = {
  /** 82599 EtherType filter: `etherType` equals the frame's (after a VLAN tag). */
  EtherType: "ethertype",
  /** 82599 SYN filter: TCP (IPv4 or IPv6) with ports and SYN set. */
  Syn: "syn",
  /** 82599 five-tuple filter: IPv4, every given field equal (ports need an L4 header). */
  FiveTuple: "five-tuple",
  /** 82599 Flow Director perfect filter: masked tuple equal. */
  FdirPerfect: "fdir-perfect",
  /** 82599 Flow Director signature filter: masked tuple's bucket and signature equal. */
  FdirSignature: "fdir-signature",
  /** SFC9020 IP filter (full: five fields; wildcard: proto + local address and port). */
  SfcIp: "sfc-ip",
  /** SFC9020 MAC filter (full: MAC + VLAN; wildcard: MAC). */
  SfcMac: "sfc-mac",
} as const;

/** A {@link FilterKind} value. */
export type FilterKindName = (typeof FilterKind)[keyof typeof FilterKind];

const FILTER_DOC: Record<FilterKindName, string> = {
  ethertype: "82599 EtherType filter (nic-models.md §2.6)",
  syn: "82599 SYN filter (nic-models.md §2.6)",
  "five-tuple": "82599 five-tuple filter (nic-models.md §2.4)",
  "fdir-perfect": "82599 Flow Director perfect filter under the global mask (nic-models.md §2.5)",
  "fdir-signature":
    "82599 Flow Director signature filter: bucket and 16-bit signature compared (nic-models.md §2.5)",
  "sfc-ip": "SFC9020 IP filter, full or wildcard (nic-models.md §3.2, §3.6)",
  "sfc-mac": "SFC9020 MAC filter, full or wildcard (nic-models.md §3.2, §3.6)",
};

/** The spec of a filter node of kind `kind`: an F-node with ports `true` and `false`. */
export function filterSpec(kind: FilterKindName): NodeSpec<"true" | "false"> {
  return defineSpec(
    {
      name: `nic.rx.filter.${kind}`,
      kind: "fnode",
      ports: ["true", "false"],
      counters: [{ name: "hits", description: "Frames this rule claimed" }],
      doc: `${FILTER_DOC[kind]}: true = claimed, false = next filter`,
    } as const,
  );
}

/** Spec of the node a drop rule's `true` port leads to. */
export const FILTER_DROP_SPEC: NodeSpec = defineSpec(
  {
    name: "nic.rx.filter-drop",
    kind: "fnode",
    ports: [],
    attributes: { sink: true },
    counters: [{ name: "rx_filter_drop", description: "A drop rule matched", drop: true }],
    doc: "A filter with queue -1 matched: the frame is dropped (nic-models.md §2.5)",
  } as const,
);

/** Spec of the node that hands an RSS-chosen frame to its queue's OR node. */
export const TO_QUEUE_SPEC: NodeSpec = defineSpec(
  {
    name: "nic.rx.to-queue",
    kind: "fnode",
    ports: ["true"],
    doc: "RSS chose this queue: the frame goes to its OR node",
  } as const,
);

/** Spec name of an RSS node over `queues` queues. */
export function rssSpecName(queues: number): string {
  return `nic.rx.rss.q${queues}`;
}

/**
 * The spec of an RSS node over `queues` queues: ports `q0`..`q<n-1>` (queue = base + table
 * entry) and `nohash` (no hash type applies: non-IP, or fields "none"). Each port's predicate
 * is the atom `RssQueue=p<q>` (`RssQueue=none` for `nohash`), see {@link PrgKey.RssQueue}.
 */
export function rssSpec(queues: number): NodeSpec {
  const ports = [...Array.from({ length: queues }, (_, q) => `q${q}`), "nohash"];
  const predicates: Record<string, ReturnType<typeof atomExpr>> = {};
  for (let q = 0; q < queues; q++) predicates[`q${q}`] = atomExpr(PrgKey.RssQueue, numberValue(q));
  predicates.nohash = atomExpr(PrgKey.RssQueue, "none");
  return {
    name: rssSpecName(queues),
    kind: "fnode",
    ports,
    predicates,
    counters: [{ name: "hashed", description: "Frames spread by the indirection table" }],
    doc: "RSS: Toeplitz hash of the hashed fields, indirection table, base + entry " +
      "(nic-models.md §2.3, §3.7, §4)",
  };
}

/** Attribute value `name` of a node, or `undefined`. */
export function nodeAttr(node: GraphNode, name: string): string | undefined {
  const v = node.attributes?.values;
  return v !== undefined && Object.hasOwn(v, name) ? v[name] : undefined;
}

/**
 * Numeric attribute `name` of a node.
 *
 * @throws {RangeError} naming the node and attribute when it is absent or not a number.
 */
export function numAttr(node: GraphNode, name: string): number {
  const t = nodeAttr(node, name);
  const n = t === undefined ? NaN : Number(t);
  if (!Number.isFinite(n)) {
    throw new RangeError(
      `PRG node "${node.id}" needs a numeric attribute "${name}", got ${JSON.stringify(t ?? null)}`,
    );
  }
  return n;
}

/** Numeric attribute `name` of a node, or -1 when absent. */
export function optNumAttr(node: GraphNode, name: string): number {
  return nodeAttr(node, name) === undefined ? -1 : numAttr(node, name);
}

function macWords(text: string): [number, number] {
  const hex = text.replaceAll(":", "");
  return [parseInt(hex.slice(0, 4), 16), parseInt(hex.slice(4), 16) >>> 0];
}

const T = 0;
const F = 1;

function entry(node: GraphNode): PrgNodeFn {
  const checksums = nodeAttr(node, "checksums") !== "false";
  const unparsed = nodeAttr(node, "l2Drop") === "unparsed";
  const maxFrame = optNumAttr(node, "maxFrame");
  const macs = (nodeAttr(node, "unicastMacs") ?? "").split(",").filter((m) => m.length > 0)
    .map(macWords);
  const macHi = Int32Array.from(macs, (m) => m[0]);
  const macLo = Uint32Array.from(macs, (m) => m[1]);
  const vlanText = nodeAttr(node, "vlanFilter");
  const vlanOn = vlanText !== undefined;
  const vfta = new Uint8Array(4096);
  for (const v of (vlanText ?? "").split(",")) if (v.length > 0) vfta[Number(v) & 4095] = 1;
  return (f) => {
    const k = f.key;
    const out = f.out;
    if (!unparsed && (f.len < 14 || f.off < 0 || f.off + f.len > f.bytes.length)) {
      out.drop = NicDrop.L2Length;
      return PRG_DROP;
    }
    if (maxFrame >= 0 && f.len > maxFrame) {
      out.drop = NicDrop.L2Oversize;
      return PRG_DROP;
    }
    parseRxFrame(f.bytes, f.off, f.len, k, checksums);
    if (unparsed && k.etherType < 0) {
      out.drop = NicDrop.L2Length;
      return PRG_DROP;
    }
    if (macHi.length > 0 && (k.dstMacHi & 0x0100) === 0) {
      let ok = false;
      for (let i = 0; i < macHi.length; i++) {
        if (macHi[i] === k.dstMacHi && macLo[i] === k.dstMacLo) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        out.drop = NicDrop.L2Address;
        return PRG_DROP;
      }
    }
    if (vlanOn && k.vlan >= 0 && vfta[k.vlan] !== 1) {
      out.drop = NicDrop.VlanFiltered;
      return PRG_DROP;
    }
    return 0;
  };
}

function csumIpv4(): PrgNodeFn {
  return (f) => {
    const s = f.key.ipv4Csum;
    if (s === CsumStatus.NotChecked) return 2;
    f.out.flags |= RxFlag.Ipv4ChecksumChecked;
    if (s === CsumStatus.Good) return 0;
    f.out.flags |= RxFlag.Ipv4ChecksumBad;
    return 1;
  };
}

function csumL4(): PrgNodeFn {
  return (f) => {
    const s = f.key.l4Csum;
    if (s === CsumStatus.NotChecked) return 2;
    f.out.flags |= RxFlag.L4ChecksumChecked;
    if (s === CsumStatus.Good) return 0;
    f.out.flags |= RxFlag.L4ChecksumBad;
    return 1;
  };
}

/** Marks a filter match on the frame and returns the `true` port index (0). */
export function markFilterMatch(f: PrgFrame): number {
  f.out.flags |= RxFlag.FilterMatch;
  return T;
}

function etherTypeFilter(node: GraphNode): PrgNodeFn {
  const et = numAttr(node, "etherType");
  return (f) => (f.key.etherType === et ? markFilterMatch(f) : F);
}

function synFilter(): PrgNodeFn {
  return (f) => {
    const k = f.key;
    return k.proto === IpProto.Tcp && k.hasPorts && (k.tcpFlags & TcpFlag.Syn) !== 0
      ? markFilterMatch(f)
      : F;
  };
}

function fiveTupleFilter(node: GraphNode): PrgNodeFn {
  const proto = optNumAttr(node, "proto");
  const src = optNumAttr(node, "srcIp");
  const dst = optNumAttr(node, "dstIp");
  const sport = optNumAttr(node, "srcPort");
  const dport = optNumAttr(node, "dstPort");
  const needPorts = sport >= 0 || dport >= 0;
  return (f) => {
    const k = f.key;
    if (k.ipVersion !== 4) return F;
    if (needPorts && !k.hasPorts) return F;
    if (proto >= 0 && k.proto !== proto) return F;
    if (src >= 0 && k.srcIp !== src) return F;
    if (dst >= 0 && k.dstIp !== dst) return F;
    if (sport >= 0 && k.srcPort !== sport) return F;
    if (dport >= 0 && k.dstPort !== dport) return F;
    return markFilterMatch(f);
  };
}

function sfcIpFilter(node: GraphNode): PrgNodeFn {
  const proto = numAttr(node, "proto");
  const dst = numAttr(node, "dstIp") >>> 0;
  const dport = numAttr(node, "dstPort");
  const src = optNumAttr(node, "srcIp");
  const sport = optNumAttr(node, "srcPort");
  const full = src >= 0;
  const fragSkip = nodeAttr(node, "fragSkip") !== "false";
  return (f) => {
    const k = f.key;
    if (k.ipVersion !== 4 || !k.hasPorts || k.proto !== proto) return F;
    if (k.fragment && fragSkip) return F;
    if (k.dstIp !== dst || k.dstPort !== dport) return F;
    if (full && (k.srcIp !== src || k.srcPort !== sport)) return F;
    return markFilterMatch(f);
  };
}

function sfcMacFilter(node: GraphNode): PrgNodeFn {
  const [hi, lo] = macWords(nodeAttr(node, "dstMac") ?? "");
  const vlan = optNumAttr(node, "vlan");
  const untaggedVlan0 = nodeAttr(node, "untaggedVlan0") === "true";
  return (f) => {
    const k = f.key;
    if (k.etherType < 0 || k.dstMacHi !== hi || k.dstMacLo !== lo) return F;
    if (vlan >= 0) {
      const tagged = k.vlan >= 0;
      if (!tagged && !untaggedVlan0) return F;
      if ((tagged ? k.vlan : 0) !== vlan) return F;
    }
    return markFilterMatch(f);
  };
}

function filterDrop(): PrgNodeFn {
  return (f) => {
    f.out.drop = NicDrop.FilterDrop;
    return PRG_DROP;
  };
}

function rssNode(node: GraphNode, spec: NodeSpec): PrgNodeFn {
  const queues = spec.ports.length - 1;
  const table = (nodeAttr(node, "table") ?? "").split(",").map(Number);
  const fields = new Map(
    (nodeAttr(node, "fields") ?? "").split(",").map((kv) => kv.split("=") as [string, string]),
  );
  const base = numAttr(node, "base");
  const cap: RssCapability = {
    hash: { value: "toeplitz", source: "PRG node attribute" },
    keyBytes: { value: (nodeAttr(node, "key") ?? "").length / 2, source: "PRG node attribute" },
    tableEntries: { value: table.length, source: "PRG node attribute" },
    queueBits: { value: 16, source: "PRG node attribute" },
    maxQueues: { value: queues, source: "PRG node attribute" },
    hashTypes: RSS_HASH_TYPES.map((type) => {
      const v = fields.get(type);
      const f = v === "4-tuple" || v === "2-tuple" ? v : "none";
      return { type, defaultFields: f, allowed: [f], source: "PRG node attribute" };
    }),
  };
  if (table.length === 0 || (table.length & (table.length - 1)) !== 0) {
    throw new RangeError(
      `PRG node "${node.id}" needs an RSS table of a power-of-two length, got ${table.length}`,
    );
  }
  const engine = new RssEngine(cap);
  engine.configure({ enabled: true, key: nodeAttr(node, "key") ?? "", table });
  return (f) => {
    const e = engine.select(f.bytes, f.key, f.out);
    if (e < 0) return queues;
    const q = base + e;
    if (q >= queues) {
      f.out.drop = NicDrop.FilterDrop;
      return PRG_DROP;
    }
    return q;
  };
}

/**
 * Node implementations by spec name. RSS specs (`nic.rx.rss.q<n>`) are resolved by
 * {@link prgNodeFactory}; every other spec of a configured PRG is registered here. NIC modules
 * register their own filter kinds (the 82599's Flow Director nodes in
 * `intel_82599/prg_nodes.ts`).
 */
export const PRG_NODE_IMPLS: Registry<PrgNodeFactory> = new Registry<PrgNodeFactory>(
  "PRG node implementation",
)
  .register(PRG_ENTRY_SPEC, (n) => entry(n))
  .register(PRG_IPV4_CSUM_SPEC, () => csumIpv4())
  .register(PRG_L4_CSUM_SPEC, () => csumL4())
  .register(filterSpec(FilterKind.EtherType).name, (n) => etherTypeFilter(n))
  .register(filterSpec(FilterKind.Syn).name, () => synFilter())
  .register(filterSpec(FilterKind.FiveTuple).name, (n) => fiveTupleFilter(n))
  .register(filterSpec(FilterKind.SfcIp).name, (n) => sfcIpFilter(n))
  .register(filterSpec(FilterKind.SfcMac).name, (n) => sfcMacFilter(n))
  .register(FILTER_DROP_SPEC.name, () => filterDrop())
  .register(TO_QUEUE_SPEC.name, () => () => 0)
  .register(PRG_TO_DEFAULT_SPEC, () => () => 0)
  .register(PRG_CAST_SPEC, () => (f) => ((f.key.dstMacHi & 0x0100) !== 0 ? 1 : 0));

/**
 * The implementation factory of spec `name`: a registered one, or the RSS node for
 * `nic.rx.rss.q<n>`.
 *
 * @throws {Error} naming the spec and the registered names when there is none.
 */
export function prgNodeFactory(name: string): PrgNodeFactory {
  if (/^nic\.rx\.rss\.q\d+$/.test(name)) return rssNode;
  return PRG_NODE_IMPLS.get(name);
}
