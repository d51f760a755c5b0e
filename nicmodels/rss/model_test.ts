import assert from "node:assert/strict";
import { runNicConformance } from "../_shared/conformance.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import { NicConfigError, RxResult, RxStage } from "../_shared/nic.ts";
import { parseIpv4Address } from "../_shared/addr.ts";
import { parseKeyHex, ToeplitzHasher } from "../_shared/toeplitz.ts";
import { DEFAULT_RSS_KEY, defaultRssNicConfig, RssNic } from "./model.ts";
import { rssNicCapabilities } from "./capabilities.ts";

Deno.test("plain RSS NIC", async (t) => {
  await runNicConformance(t, {
    name: "rss",
    make: (config) => new RssNic({}, config),
    baseConfig: (queues, ringSize) => ({ queues, ringSize, rss: null, filters: [], settings: {} }),
    steerRule: () => "the plain RSS NIC has no filter tables",
    precedence: () => "the plain RSS NIC has no filter tables",
    overCapacity: () => "the plain RSS NIC has no filter tables",
  });

  const out = new RxResult();
  const h = new ToeplitzHasher(parseKeyHex(DEFAULT_RSS_KEY));

  await t.step("queue = table[hash & 127], UDP hashed on addresses by default", () => {
    const nic = new RssNic();
    const cfg = nic.config();
    const f = buildTestFrame({
      srcIp: "66.9.149.187",
      dstIp: "161.142.100.80",
      srcPort: 2794,
      dstPort: 1766,
    });
    const want = h.hashIpv4(parseIpv4Address("66.9.149.187"), parseIpv4Address("161.142.100.80"));
    assert.equal(want, 0x323e8fc2);
    const q = nic.classify(f, 0, f.length, out);
    assert.equal(out.hash, want);
    assert.equal(out.stage, RxStage.Rss);
    assert.equal(q, cfg.rss?.table[want & 127]);
    // Two UDP flows between the same two hosts land on one queue.
    const g = buildTestFrame({
      srcIp: "66.9.149.187",
      dstIp: "161.142.100.80",
      srcPort: 9,
      dstPort: 7,
    });
    assert.equal(nic.classify(g, 0, g.length, out), q);
  });

  await t.step("TCP hashes the 4-tuple; UDP 4-tuple when configured", () => {
    const nic = new RssNic();
    const tcp = buildTestFrame({
      proto: 6,
      srcIp: "66.9.149.187",
      dstIp: "161.142.100.80",
      srcPort: 2794,
      dstPort: 1766,
    });
    nic.classify(tcp, 0, tcp.length, out);
    assert.equal(out.hash, 0x51ccc178);
    const rss = nic.config().rss;
    assert.ok(rss);
    nic.configure({ ...nic.config(), rss: { ...rss, fields: { "ipv4-udp": "4-tuple" } } });
    const udp = buildTestFrame({
      srcIp: "66.9.149.187",
      dstIp: "161.142.100.80",
      srcPort: 2794,
      dstPort: 1766,
    });
    nic.classify(udp, 0, udp.length, out);
    assert.equal(out.hash, 0x51ccc178);
  });

  await t.step("IPv6 frames hash on 16-byte addresses", () => {
    const nic = new RssNic();
    const f = buildTestFrame({
      proto: 6,
      srcIp: "3ffe:2501:200:1fff::7",
      dstIp: "3ffe:2501:200:3::1",
      srcPort: 2794,
      dstPort: 1766,
    });
    nic.classify(f, 0, f.length, out);
    assert.equal(out.hash, 0x40207d3d);
  });

  await t.step("the validator names key length, table size and queue limits", () => {
    const nic = new RssNic({ queues: 4 });
    const cfg = defaultRssNicConfig(rssNicCapabilities({ queues: 4 }));
    assert.throws(
      () => nic.configure({ ...cfg, queues: 4, rss: { ...rssOf(cfg), key: "00" } }),
      /RSS key must be 40 bytes, got 1/,
    );
    assert.throws(
      () => nic.configure({ ...cfg, queues: 4, rss: { ...rssOf(cfg), table: [0] } }),
      /128 entries, 1 given/,
    );
    assert.throws(() => nic.configure({ ...cfg, queues: 5 }), /4 queues, 5 requested/);
    const e = nic.validate({ ...cfg, queues: 4, ringSize: 100 });
    assert.equal(e.length, 1);
    assert.throws(() => nic.configure({ ...cfg, queues: 4, ringSize: 100 }), NicConfigError);
    assert.match(
      e[0]?.message ?? "",
      /Ring size must be 64\.\.4096 descriptors in multiples of 8, got 100/,
    );
  });
});

function rssOf(cfg: ReturnType<typeof defaultRssNicConfig>) {
  assert.ok(cfg.rss);
  return cfg.rss;
}
