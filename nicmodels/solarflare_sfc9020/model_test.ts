import assert from "node:assert/strict";
import { parseIpv4Address as ip } from "../_shared/addr.ts";
import { runNicConformance } from "../_shared/conformance.ts";
import {
  type FilterRule,
  type NicConfig,
  NicConfigError,
  type RssConfig,
  RxFlag,
  RxResult,
  RxStage,
} from "../_shared/nic.ts";
import { buildTestFrame, type TestFrameSpec } from "../_shared/_test_frames.ts";
import { parseKeyHex, ToeplitzHasher } from "../_shared/toeplitz.ts";
import { SFC9020_CAPABILITIES as CAPS, SfcSetting } from "./capabilities.ts";
import { SFC_DEFAULT_RSS_KEY, sfcDefaultConfig, sfcDragonetConfig } from "./config.ts";
import { SfcFilterType } from "./filter_key.ts";
import { Sfc9020Nic, SFC_IP_TABLE_INDEX, SFC_MAC_TABLE_INDEX } from "./model.ts";
import { collidingUdpRule, distinctSlotRules } from "./_test_rules.ts";

const FLOW = {
  proto: 17,
  srcIp: "10.0.0.2",
  dstIp: "10.0.0.1",
  srcPort: 40000,
  dstPort: 11211,
} as const;
const FRAME_MAC = "02:00:00:00:00:01"; // destination MAC of the shared test frames

function frame(spec: Partial<TestFrameSpec> = {}): Uint8Array {
  return buildTestFrame({ ...FLOW, ...spec });
}

/** The frame of a full IP rule's flow. */
function frameOfRule(rule: FilterRule | undefined): Uint8Array {
  const m = rule?.match;
  if (
    m?.srcIp === undefined || m.dstIp === undefined || m.srcPort === undefined ||
    m.dstPort === undefined
  ) throw new Error("Test fixture must be a full IP rule");
  return frame({ srcIp: m.srcIp, dstIp: m.dstIp, srcPort: m.srcPort, dstPort: m.dstPort });
}

function rssOf(cfg: NicConfig): RssConfig {
  if (cfg.rss === null) throw new Error("Test fixture must have RSS");
  return cfg.rss;
}

function counter(nic: Sfc9020Nic, name: string): number {
  return nic.counters().find((c) => c.name === name)?.value ?? 0;
}

const ipFull = (queue: number, f: Partial<typeof FLOW> = {}): FilterRule => ({
  table: "ip",
  match: { ...FLOW, ...f },
  queue,
});
const ipWild = (queue: number, proto = 17, dstPort: number = FLOW.dstPort): FilterRule => ({
  table: "ip",
  match: { proto, dstIp: FLOW.dstIp, dstPort },
  queue,
});
const macRule = (queue: number, vlan?: number): FilterRule => ({
  table: "mac",
  match: vlan === undefined ? { dstMac: FRAME_MAC } : { dstMac: FRAME_MAC, vlan },
  queue,
});

Deno.test("SFC9020 conforms to the shared NIC suite", (t) =>
  runNicConformance(t, {
    name: "sfc9020",
    make: (config) => new Sfc9020Nic(config),
    baseConfig: (queues, ringSize) => sfcDragonetConfig(queues, ringSize),
    steerRule: (flow, queue) => ({ table: "ip", match: { ...flow }, queue }),
    precedence: (flow) => ({
      rules: [
        {
          table: "ip",
          match: { proto: flow.proto, dstIp: flow.dstIp, dstPort: flow.dstPort },
          queue: 1,
        },
        { table: "ip", match: { ...flow }, queue: 2 },
        { table: "mac", match: { dstMac: FRAME_MAC }, queue: 3 },
      ],
      expected: 2,
      why: "nic-models.md §3.6: full IP filter (0) beats wildcard IP (1) and MAC (3)",
    }),
    overCapacity: () => {
      const cap = CAPS.sfc.ipTable.capacity.value;
      return {
        rules: distinctSlotRules(cap + 1, cap, 1),
        capacity: cap,
        message: /ip filter table holds 8192 entries, 8193 requested/,
      };
    },
  }));

Deno.test("SFC9020 behavioural model", async (t) => {
  const out = new RxResult();
  const base = sfcDragonetConfig(8, 512);

  await t.step("match priority: full > wildcard > MAC full > MAC wild > default", () => {
    const rules = [ipFull(1), ipWild(2), macRule(3, 7), macRule(4)];
    const nic = new Sfc9020Nic({ ...base, filters: rules });
    const f = frame({ vlan: 7 });
    const expect = [1, 2, 3, 4, 0];
    for (let i = 0; i < rules.length; i++) {
      assert.equal(nic.classify(f, 0, f.length, out), expect[i], `with ${i} rules removed`);
      assert.equal(out.table, i < 2 ? SFC_IP_TABLE_INDEX : SFC_MAC_TABLE_INDEX);
      nic.configure({ ...base, filters: rules.slice(i + 1) });
    }
    assert.equal(nic.classify(f, 0, f.length, out), expect[4]);
    assert.equal(out.stage, RxStage.Default);
  });

  await t.step("untagged frames skip MAC-full filters (model choice, in capabilities)", () => {
    const nic = new Sfc9020Nic({ ...base, filters: [macRule(3, 0), macRule(4)] });
    const f = frame();
    assert.equal(nic.classify(f, 0, f.length, out), 4);
  });

  await t.step("UDP wildcard filters match the local port, not the remote one", () => {
    const nic = new Sfc9020Nic({ ...base, filters: [ipWild(5, 17, 7777), ipWild(6, 6, 7777)] });
    const toLocal = frame({ srcPort: 1234, dstPort: 7777 });
    assert.equal(nic.classify(toLocal, 0, toLocal.length, out), 5);
    const fromRemote = frame({ srcPort: 7777, dstPort: 1234 });
    assert.equal(nic.classify(fromRemote, 0, fromRemote.length, out), 0);
    const tcp = frame({ proto: 6, srcPort: 1234, dstPort: 7777 });
    assert.equal(nic.classify(tcp, 0, tcp.length, out), 6, "TCP wildcard, same local port");
    const tcpRev = frame({ proto: 6, srcPort: 7777, dstPort: 1234 });
    assert.equal(nic.classify(tcpRev, 0, tcpRev.length, out), 0);
  });

  await t.step("RSS on the default destination hashes UDP on addresses, TCP on 4-tuple", () => {
    const cfg = sfcDefaultConfig(8, { ringSize: 512 });
    const nic = new Sfc9020Nic(cfg);
    const h = new ToeplitzHasher(parseKeyHex(SFC_DEFAULT_RSS_KEY));
    const table = cfg.rss?.table ?? [];
    for (let port = 1000; port < 1010; port++) {
      const u = frame({ srcPort: port });
      const uh = h.hashIpv4(ip(FLOW.srcIp), ip(FLOW.dstIp));
      assert.equal(nic.classify(u, 0, u.length, out), table[uh & 127]);
      assert.equal(out.hash, uh);
      assert.equal(out.stage, RxStage.Rss);
      assert.ok(out.flags & RxFlag.RssHash);
      const tc = frame({ proto: 6, srcPort: port });
      const th = h.hashIpv4Ports(ip(FLOW.srcIp), ip(FLOW.dstIp), port, FLOW.dstPort);
      assert.equal(nic.classify(tc, 0, tc.length, out), table[th & 127]);
      assert.equal(out.hash, th);
    }
  });

  await t.step("a filter with RSS spreads over base queue + indirection entry", () => {
    const cfg = sfcDefaultConfig(16, { ringSize: 512 });
    const rss = { ...rssOf(cfg), table: rssOf(cfg).table.map((_, i) => i % 4) };
    const nic = new Sfc9020Nic({ ...cfg, rss, filters: [{ ...ipWild(8, 6, 80), rss: true }] });
    const h = new ToeplitzHasher(parseKeyHex(SFC_DEFAULT_RSS_KEY));
    const seen = new Set<number>();
    for (let port = 2000; port < 2040; port++) {
      const f = frame({ proto: 6, srcPort: port, dstPort: 80 });
      const th = h.hashIpv4Ports(ip(FLOW.srcIp), ip(FLOW.dstIp), port, 80);
      const q = nic.classify(f, 0, f.length, out);
      assert.equal(q, 8 + (th & 127) % 4);
      assert.equal(out.stage, RxStage.Filter);
      seen.add(q);
    }
    assert.ok(seen.size > 1, "spread over several queues");
  });

  await t.step("the hashed table refuses a colliding rule: change rejected, state kept", () => {
    const key = 0x1badcafe;
    const max = CAPS.sfc.ipTable.maxInsertDepth.value;
    const rules = Array.from({ length: max }, (_, i) => collidingUdpRule(key, i, 1));
    const nic = new Sfc9020Nic({ ...base, filters: rules });
    assert.equal(nic.ipTable.count, max);
    assert.equal(nic.ipTable.searchDepth[SfcFilterType.UdpFull], max);
    const before = nic.config();
    const extra = collidingUdpRule(key, max, 2);
    assert.deepEqual(nic.validate({ ...base, filters: [...rules, extra] }), []);
    assert.throws(
      () => nic.configure({ ...base, filters: [...rules, extra] }),
      (e: unknown) =>
        e instanceof NicConfigError && e.issues.length === 1 &&
        e.issues[0]?.path === `filters[${max}]` &&
        /ip filter table refused this udp-full rule: no free slot within the insertion probe limit \(EBUSY\); the table holds 200 of 8192 entries and an insert probes at most 200 slots/
          .test(e.message),
    );
    assert.equal(nic.config(), before);
    assert.equal(nic.ipTable.count, max);
    // Every installed rule still steers its flow.
    const f = frameOfRule(rules[max - 1]);
    assert.equal(nic.classify(f, 0, f.length, out), 1);
    assert.equal(counter(nic, "ip_insert_busy"), 1);
  });

  await t.step("lookup counters: probes up to the search depth, none in classify", () => {
    const key = 0x00feed00;
    const rules = [0, 1, 2].map((i) => collidingUdpRule(key, i, 3));
    const nic = new Sfc9020Nic({ ...base, filters: rules });
    const hit = frameOfRule(rules[2]);
    nic.classify(hit, 0, hit.length, out);
    assert.equal(counter(nic, "ip_filter_lookups"), 0);
    assert.equal(nic.receive(hit, 0, hit.length, out), 3);
    assert.equal(counter(nic, "ip_filter_lookups"), 1, "full key hit: the wildcard is not probed");
    assert.equal(counter(nic, "ip_filter_probes"), 3, "found at depth 3");
    assert.equal(counter(nic, "ip_filter_search_depth_udp-full"), 3);
    assert.equal(counter(nic, `ip[${out.slot}]_hits`), 1);
    const miss = frame({ srcPort: 5 });
    assert.equal(nic.receive(miss, 0, miss.length, out), 0);
    assert.equal(counter(nic, "ip_filter_lookups"), 2, "no wildcard filters: one lookup");
    assert.equal(counter(nic, "ip_filter_probes"), 6, "a miss walks the whole depth (3)");
  });

  await t.step("checksum errors are flagged and counted", () => {
    const nic = new Sfc9020Nic(base);
    const bad = frame();
    bad[24] = (bad[24] ?? 0) ^ 0xff; // IPv4 header checksum
    nic.receive(bad, 0, bad.length, out);
    assert.ok(out.flags & RxFlag.Ipv4ChecksumBad);
    assert.equal(counter(nic, "rx_ip_hdr_chksum_err"), 1);
    assert.equal(counter(nic, "rx_tcp_udp_chksum_err"), 0);
  });

  await t.step("IPv4 fragments skip the IP filters (model choice, in capabilities)", () => {
    const nic = new Sfc9020Nic({ ...base, filters: [ipFull(1), ipWild(2)] });
    const f = frame();
    f[20] = 0x20; // More Fragments: first fragment, ports present
    assert.equal(nic.classify(f, 0, f.length, out), 0);
    assert.equal(out.stage, RxStage.Default);
  });

  await t.step("multicast frames use the multicast default destination", () => {
    const nic = new Sfc9020Nic({
      ...base,
      settings: { [SfcSetting.MulticastQueue]: 5, [SfcSetting.UnicastQueue]: 6 },
    });
    const mc = frame({ dstMac: [0x0100, 0x5e000001] });
    assert.equal(nic.classify(mc, 0, mc.length, out), 5);
    const uc = frame();
    assert.equal(nic.classify(uc, 0, uc.length, out), 6);
  });
});

Deno.test("SFC9020 validation messages", async (t) => {
  const nic = new Sfc9020Nic(sfcDragonetConfig(4, 512));
  const base = sfcDragonetConfig(4, 512);
  const messages = (filters: FilterRule[], extra: object = {}) =>
    nic.validate({ ...base, ...extra, filters }).map((i) => `${i.path}: ${i.message}`);

  await t.step("ports, protocol and shape", () => {
    assert.deepEqual(messages([{ table: "ip", match: { ...FLOW, srcPort: 0 }, queue: 1 }]), [
      "filters[0].match.srcPort: Port 0 is not allowed: SFC9020 IP filters need a port " +
      "1..65535 (zero is refused by the driver)",
    ]);
    assert.deepEqual(
      messages([{ table: "ip", match: { dstIp: "10.0.0.1", dstPort: 80 }, queue: 1 }]),
      [
        "filters[0].match.proto: Protocol (absent) is not allowed: SFC9020 IP filters need " +
        "proto 6 (TCP) or 17 (UDP)",
      ],
    );
    assert.deepEqual(
      messages([{
        table: "ip",
        match: { proto: 6, dstIp: "10.0.0.1", dstPort: 80, srcPort: 9 },
        queue: 1,
      }]),
      [
        "filters[0].match: Give both srcIp and srcPort (full filter) or neither (wildcard " +
        "filter): SFC9020 has no filter with only one remote field",
      ],
    );
    assert.deepEqual(
      messages([{ table: "ip", match: { proto: 6, dstIp: "10.0.0.0/24", dstPort: 80 }, queue: 1 }]),
      [
        'filters[0].match.dstIp: Address "10.0.0.0/24" has a prefix: SFC9020 IP filters match ' +
        "exact addresses only",
      ],
    );
    assert.deepEqual(
      messages([{
        table: "ip",
        match: { proto: 6, dstIp: "10.0.0.1", dstPort: 80, tcpSyn: true },
        queue: 1,
      }]),
      [
        'filters[0].match.tcpSyn: Field "tcpSyn" cannot be matched by the SFC9020 IP filter ' +
        "table: allowed are proto, srcIp, dstIp, srcPort, dstPort (and etherType 0x0800)",
      ],
    );
  });

  await t.step("queues, drop, duplicates, table names", () => {
    assert.deepEqual(messages([ipFull(4)]), [
      "filters[0].queue: Queue 4 is not allowed: configured queues are 0..3",
    ]);
    assert.deepEqual(messages([ipFull(-1)]), [
      "filters[0].queue: Queue -1 (drop) is not allowed: SFC9020 filters cannot drop",
    ]);
    assert.deepEqual(messages([ipFull(1), ipFull(2)]), [
      "filters[1]: Rule matches exactly the packets of filters[0]: the SFC9020 table holds one " +
      "filter per match (a second insert is refused with EEXIST or replaces it)",
    ]);
    assert.deepEqual(messages([{ table: "fdir", match: {}, queue: 1 }]), [
      'filters[0].table: Unknown filter table "fdir": SFC9020 tables are "ip", "mac"',
    ]);
    assert.deepEqual(messages([{ table: "mac", match: { dstMac: "zz" }, queue: 1 }]), [
      'filters[0].match.dstMac: MAC filters need dstMac like "00:0f:53:01:02:03", got "zz"',
    ]);
  });

  await t.step("rings, queues, RSS and capacity", () => {
    assert.deepEqual(messages([], { ringSize: 768, queues: 0 }), [
      "queues: Queue count 0 is not allowed: SFC9020 has 1..1024 RX queues",
      "ringSize: Ring size 768 is not allowed: use 512..4096 descriptors, a power of two",
    ]);
    const rss = rssOf(sfcDefaultConfig(4));
    assert.deepEqual(
      messages([], { rss: { ...rss, table: rss.table.map(() => 64) } }).slice(0, 1),
      ["rss.table[0]: Indirection entry 64 is not allowed: entries are 6-bit queue ids 0..63"],
    );
    assert.deepEqual(messages([], { rss: { ...rss, key: "00" } }), [
      "rss.key: RSS key has 1 bytes: SFC9020 needs exactly 40",
    ]);
    const many = Array.from({ length: 513 }, (_, i): FilterRule => ({
      table: "mac",
      match: {
        dstMac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${
          (i & 255).toString(16).padStart(2, "0")
        }`,
      },
      queue: 1,
    }));
    assert.deepEqual(messages(many), [
      "filters: The mac filter table holds 512 entries, 513 requested",
    ]);
  });
});
