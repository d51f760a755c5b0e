import assert from "node:assert/strict";
import { runNicConformance } from "../_shared/conformance.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import {
  type FilterRule,
  type NicConfig,
  NicConfigError,
  NicDrop,
  RxResult,
  RxStage,
} from "../_shared/nic.ts";
import { TcpFlag } from "../_shared/rx_parse.ts";
import { Intel82599 } from "./model.ts";
import { INTEL_82599, Table82599 } from "./capabilities.ts";
import { defaultIntel82599Config, dragonetIntel82599Config } from "./default_config.ts";
import { fdirBucket, fdirSignature } from "./fdir_hash.ts";
import { formatIpv4Address } from "../_shared/addr.ts";

const base = (queues: number, ringSize: number): NicConfig => ({
  queues,
  ringSize,
  rss: null,
  filters: [],
  settings: { fdirMode: "perfect" },
});

const five = (
  f: { proto?: number; srcIp?: string; dstIp?: string; srcPort?: number; dstPort?: number },
  queue: number,
  priority = 1,
): FilterRule => ({ table: "five-tuple", match: f, queue, priority });

Deno.test("Intel 82599", async (t) => {
  await runNicConformance(t, {
    name: "intel-82599",
    make: (config) => new Intel82599(config),
    baseConfig: base,
    steerRule: (f, queue) => five(f, queue),
    precedence: (f) => ({
      rules: [
        { table: "fdir-perfect", match: f, queue: 3 },
        five({ dstPort: f.dstPort }, 1, 2),
        five(f, 2, 5),
      ],
      expected: 2,
      why:
        "five-tuple before Flow Director; among five-tuples the highest priority wins (§2.7, §2.4)",
    }),
    overCapacity: () => ({
      rules: Array.from({ length: 129 }, (_, i) => five({ proto: 17, dstPort: 1000 + i }, 1)),
      capacity: 128,
      message: /The five-tuple table holds 128 entries, 129 requested/,
    }),
  });

  const out = new RxResult();
  const flow = { proto: 17, srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };
  const frame = (over: Partial<typeof flow> & { tcpFlags?: number } = {}) =>
    buildTestFrame({ ...flow, ...over });
  const classify = (nic: Intel82599, f: Uint8Array) => nic.classify(f, 0, f.length, out);

  await t.step("precedence: EtherType > five-tuple > SYN > Flow Director > RSS", () => {
    const cfg: NicConfig = {
      ...base(8, 512),
      filters: [
        { table: "fdir-perfect", match: { ...flow, proto: 6 }, queue: 5 },
        { table: "syn", match: { tcpSyn: true }, queue: 4 },
      ],
    };
    const nic = new Intel82599(cfg);
    const syn = frame({ proto: 6, tcpFlags: TcpFlag.Syn });
    const ack = frame({ proto: 6, tcpFlags: TcpFlag.Ack });
    assert.equal(classify(nic, syn), 4, "SYN filter precedes Flow Director");
    assert.equal(classify(nic, ack), 5, "non-SYN goes to Flow Director");
    nic.configure({ ...cfg, filters: [...cfg.filters, five({ proto: 6, dstPort: 11211 }, 6)] });
    assert.equal(classify(nic, syn), 6, "five-tuple precedes a low-priority SYN filter");
    nic.configure({
      ...cfg,
      filters: [...cfg.filters, five({ proto: 6, dstPort: 11211 }, 6)],
      settings: { ...cfg.settings, synHighPriority: true },
    });
    assert.equal(classify(nic, syn), 4, "the SYN priority bit puts SYN before five-tuple");
    nic.configure({
      ...nic.config(),
      filters: [...nic.config().filters, {
        table: "ethertype",
        match: { etherType: 0x0800 },
        queue: 7,
      }],
    });
    assert.equal(classify(nic, syn), 7, "EtherType filters come first");
  });

  await t.step("five-tuple: equal priorities tie to the lowest slot; wildcards match", () => {
    const nic = new Intel82599({
      ...base(8, 512),
      filters: [five({ dstPort: 11211 }, 3, 4), five({ srcIp: "10.0.0.2" }, 2, 4)],
    });
    assert.equal(classify(nic, frame()), 3);
    assert.equal(out.slot, 0);
    assert.equal(classify(nic, frame({ dstPort: 80 })), 2);
    // Removing slot 0 and adding a new rule reuses slot 0 (Dragonet's diff reuses freed slots).
    nic.configure({
      ...nic.config(),
      filters: [five({ srcIp: "10.0.0.2" }, 2, 4), five({ proto: 17 }, 1, 4)],
    });
    assert.equal(classify(nic, frame()), 1);
    assert.equal(out.slot, 0);
  });

  await t.step("RSS: UDP hashed on addresses by default, RETA of 128 entries", () => {
    const nic = new Intel82599(defaultIntel82599Config(16));
    const a = classify(nic, frame());
    assert.equal(out.stage, RxStage.Rss);
    const table = nic.config().rss?.table ?? [];
    assert.equal(table.length, 128);
    assert.equal(a, table[out.hash & 127]);
    for (let p = 1; p < 20; p++) assert.equal(classify(nic, frame({ srcPort: 1000 + p })), a);
    const tcpQueues = new Set<number>();
    for (let p = 1; p < 40; p++) {
      tcpQueues.add(classify(nic, frame({ proto: 6, srcPort: 1000 + p })));
    }
    assert.ok(tcpQueues.size > 1, "TCP spreads by ports");
  });

  await t.step("validator: precise messages for what the hardware cannot do", () => {
    const nic = new Intel82599(base(16, 512));
    const msg = (cfg: NicConfig) =>
      nic.validate(cfg).map((i) => `${i.path}: ${i.message}`).join("\n");
    const rssCfg = defaultIntel82599Config(16);
    const rss = rssCfg.rss;
    assert.ok(rss);
    assert.match(
      msg({ ...rssCfg, queues: 17, rss: { ...rss, table: rss.table.map((_, i) => i % 17) } }),
      /RSS spreads over at most 16 queues \(0\.\.15\) on this NIC, the table uses 17 queue\(s\) including 16/,
    );
    assert.match(
      msg({ ...base(4, 512), filters: [five({ srcIp: "10.0.0.0/24" }, 1)] }),
      /five-tuple table masks whole fields only: srcIp 10\.0\.0\.0\/24 needs a \/24 mask/,
    );
    assert.match(
      msg({ ...base(4, 512), filters: [five({ proto: 1 }, 1)] }),
      /Five-tuple filters match protocol 6, 17, 132 or any \(leave proto out\), got 1/,
    );
    assert.match(
      msg({ ...base(4, 512), filters: [five({ proto: 17 }, 1, 8)] }),
      /filters\[0\]\.priority: The five-tuple table takes priority 1\.\.7, got 8/,
    );
    assert.match(
      msg({
        ...base(4, 512),
        settings: { fdirMode: "signature" },
        filters: [{ table: "fdir-perfect", match: flow, queue: 1 }],
      }),
      /Flow Director rule needs perfect mode, but settings\.fdirMode is signature/,
    );
    assert.match(
      msg({
        ...base(4, 512),
        filters: [{
          table: "fdir-perfect",
          match: { proto: 17, srcIp: flow.srcIp, dstIp: flow.dstIp, dstPort: flow.dstPort },
          queue: 1,
        }],
      }),
      /global mask compares srcPort, but this rule leaves it out/,
    );
    assert.match(
      msg({ ...base(4, 512), filters: [{ table: "fdir-signature", match: flow, queue: -1 }] }),
      /The fdir-signature table cannot drop/,
    );
    assert.match(
      msg({ ...base(4, 512), filters: [five(flow, 4)] }),
      /Queue 4 is not configured: allowed are 0\.\.3/,
    );
    assert.match(msg(base(129, 512)), /Intel 82599 has 128 queues, 129 requested/);
    assert.match(
      msg({ ...base(4, 512), settings: { fdirMode: "perfect", fdirPballoc: 4 } }),
      /fdirPballoc must be 1\.\.3, got 4/,
    );
    assert.match(
      msg({ ...base(4, 512), settings: { fdirMod: "perfect" } }),
      /Unknown setting "fdirMod"/,
    );
  });

  const fdirRules = (n: number, queues: number): FilterRule[] =>
    Array.from({ length: n }, (_, i) => ({
      table: "fdir-perfect",
      match: {
        proto: 17,
        srcIp: formatIpv4Address(0x0a000000 + i),
        dstIp: "10.1.0.1",
        srcPort: 1024 + (i % 50000),
        dstPort: 11211,
      },
      queue: 1 + (i % (queues - 1)),
    }));

  await t.step("Flow Director perfect capacity follows PBALLOC: 2046 / 4094 / 8190", () => {
    const caps = INTEL_82599.fdir.perfectByPballoc.value;
    assert.deepEqual([...caps], [2046, 4094, 8190]);
    const nic = new Intel82599(dragonetIntel82599Config(10, 1));
    const cfg = (pballoc: number, n: number): NicConfig => ({
      ...dragonetIntel82599Config(10, pballoc),
      filters: fdirRules(n, 10),
    });
    nic.configure(cfg(1, 2046));
    assert.throws(
      () => nic.configure(cfg(1, 2047)),
      /The fdir-perfect table holds 2046 entries at settings\.fdirPballoc 1, 2047 requested/,
    );
    nic.configure(cfg(2, 4094));
    assert.throws(
      () => nic.configure(cfg(2, 4095)),
      /holds 4094 entries at settings\.fdirPballoc 2/,
    );
    nic.configure(cfg(3, 8190));
    const rules = nic.config().filters;
    const r = rules[8000];
    assert.ok(r);
    const f = buildTestFrame({
      proto: 17,
      srcIp: r.match.srcIp ?? "",
      dstIp: "10.1.0.1",
      srcPort: r.match.srcPort ?? 0,
      dstPort: 11211,
    });
    assert.equal(nic.classify(f, 0, f.length, out), r.queue);
    assert.equal(out.table, Table82599.FdirPerfect);
  });

  await t.step("Flow Director global mask: a port-range group steers many flows", () => {
    const cfg: NicConfig = {
      ...dragonetIntel82599Config(8, 1),
      settings: {
        fdirMode: "perfect",
        fdirMask: { proto: true, srcIp: 0, dstIp: 0, srcPort: 0x0003, dstPort: 0 },
      },
      filters: [0, 1, 2, 3].map((g) => ({
        table: "fdir-perfect",
        match: { proto: 17, srcPort: g },
        queue: 4 + g,
      })),
    };
    const nic = new Intel82599(cfg);
    for (let p = 40000; p < 40016; p++) {
      assert.equal(classify(nic, frame({ srcPort: p })), 4 + (p & 3));
    }
  });

  await t.step("Flow Director perfect rule with queue -1 drops and counts", () => {
    const nic = new Intel82599({
      ...base(4, 512),
      filters: [{ table: "fdir-perfect", match: flow, queue: -1 }],
    });
    const f = frame();
    assert.equal(nic.receive(f, 0, f.length, out), -1);
    assert.equal(out.drop, NicDrop.FilterDrop);
    assert.equal(nic.counters().find((c) => c.name === "rx_filter_drop")?.value, 1);
  });

  await t.step("Flow Director signature collisions steer an unrelated flow along", () => {
    const seen = new Map<number, number>();
    let a = -1;
    let b = -1;
    for (let i = 0; i < 400000 && a < 0; i++) {
      const sp = 1024 + (i % 60000);
      const src = 0x0a000002 + Math.floor(i / 60000);
      const ports = ((sp << 16) | 11211) >>> 0;
      const id = fdirBucket(17, src, 0x0a000001, ports) * 65536 +
        fdirSignature(17, src, 0x0a000001, ports);
      const prev = seen.get(id);
      if (prev !== undefined) {
        a = prev;
        b = i;
      } else seen.set(id, i);
    }
    assert.ok(a >= 0, "a colliding pair exists within 400000 flows (31-bit bucket+signature)");
    const flowOf = (i: number) => ({
      proto: 17,
      srcIp: formatIpv4Address(0x0a000002 + Math.floor(i / 60000)),
      dstIp: "10.0.0.1",
      srcPort: 1024 + (i % 60000),
      dstPort: 11211,
    });
    const nic = new Intel82599({
      ...base(8, 512),
      settings: { fdirMode: "signature" },
      filters: [{ table: "fdir-signature", match: flowOf(a), queue: 6 }],
    });
    assert.equal(classify(nic, buildTestFrame(flowOf(a))), 6);
    assert.equal(classify(nic, buildTestFrame(flowOf(b))), 6, "the colliding flow shares the rule");
    assert.equal(out.table, Table82599.FdirSignature);
    assert.match(
      nic.validate({
        ...nic.config(),
        filters: [...nic.config().filters, { table: "fdir-signature", match: flowOf(b), queue: 5 }],
      })
        .map((i) => i.message).join(),
      /signature of filters\[1\] equals that of filters\[0\].*cannot tell them apart/,
    );
  });

  await t.step("Flow Director bucket chains hold at most 10 filters", () => {
    const byBucket = new Map<number, number[]>();
    let full: number[] | undefined;
    for (let sp = 1024; sp < 65536 && full === undefined; sp++) {
      const bk = fdirBucket(17, 0x0a000002, 0x0a000001, ((sp << 16) | 11211) >>> 0);
      const l = byBucket.get(bk) ?? [];
      l.push(sp);
      byBucket.set(bk, l);
      if (l.length === 11) full = l;
    }
    assert.ok(full, "some bucket gets 11 flows among 64K source ports");
    const rules = full.map((sp): FilterRule => ({
      table: "fdir-perfect",
      match: { ...flow, srcPort: sp },
      queue: 1,
    }));
    const nic = new Intel82599(base(4, 512));
    nic.configure({ ...base(4, 512), filters: rules.slice(0, 10) });
    assert.throws(
      () => nic.configure({ ...base(4, 512), filters: rules }),
      (e: unknown) =>
        e instanceof NicConfigError &&
        /already holds 10 filters \(the bucket chain limit\)/.test(e.message),
    );
  });

  await t.step("VLAN filter table drops tagged frames of other VLANs, counted", () => {
    const nic = new Intel82599({
      ...base(4, 512),
      settings: { fdirMode: "perfect", vlanFilter: [10] },
    });
    const ok = buildTestFrame({ ...flow, vlan: 10 });
    const other = buildTestFrame({ ...flow, vlan: 11 });
    assert.equal(nic.receive(ok, 0, ok.length, out), 0);
    assert.equal(nic.receive(other, 0, other.length, out), -1);
    assert.equal(out.drop, NicDrop.VlanFiltered);
    assert.equal(classify(nic, frame()), 0, "untagged frames pass");
    assert.equal(nic.counters().find((c) => c.name === "rx_vlan_filtered")?.value, 1);
    assert.match(
      nic.validate({ ...base(4, 512), settings: { vlanFilter: [4096] } }).map((i) => i.message)
        .join(),
      /vlanFilter must be a list of VLAN ids 0\.\.4095, got \[4096\]/,
    );
  });

  await t.step("unicast MAC filter drops frames to other hosts, accepts broadcast", () => {
    const nic = new Intel82599({
      ...base(4, 512),
      settings: { fdirMode: "perfect", unicastMacs: ["02:00:00:00:00:01"] },
    });
    assert.equal(classify(nic, frame()), 0);
    const other = buildTestFrame({ ...flow, dstMac: [0x0200, 0x00000009] });
    assert.equal(classify(nic, other), -1);
    assert.equal(out.drop, NicDrop.L2Address);
    const bcast = buildTestFrame({ ...flow, dstMac: [0xffff, 0xffffffff] });
    assert.equal(classify(nic, bcast), 0);
  });
});

Deno.test("82599: an impossible ring size is a validation error naming the limit, not a crash", () => {
  assert.throws(
    () => new Intel82599(base(4, 2 ** 31 - 1)),
    (e) => e instanceof NicConfigError && /ring/i.test(e.message),
  );
});
