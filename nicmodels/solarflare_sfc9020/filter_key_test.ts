import assert from "node:assert/strict";
import fc from "fast-check";
import {
  farchHash,
  farchIncrement,
  fillIpFilterWords,
  fillMacFilterWords,
  SfcFilterType,
} from "./filter_key.ts";
import { parseIpv4Address as ip } from "../_shared/addr.ts";

/** Reference vectors, nic-models.md §3.4 (table "Worked examples"). */
const VECTORS = [
  {
    name: "UDP_FULL local 10.113.4.95:7777, remote 10.113.4.26:8000",
    type: SfcFilterType.UdpFull,
    local: ["10.113.4.95", 7777],
    remote: ["10.113.4.26", 8000],
    words: [0x041a1f40, 0x1e610a71, 0x0a71045f],
    key: 0x100a116f,
    hash: 0x7172,
    first: 4466,
    incr: 8925,
    slots: [4466, 5199, 5932, 6665],
  },
  {
    name: "UDP_WILD local 10.113.4.95:7777",
    type: SfcFilterType.UdpWild,
    local: ["10.113.4.95", 7777],
    remote: ["0.0.0.0", 0],
    words: [0x00001e61, 0x00000000, 0x0a71045f],
    key: 0x0a711a3f,
    hash: 0x45e1,
    first: 1505,
    incr: 13437,
    slots: [1505, 6750, 3803, 856],
  },
  {
    name: "TCP_WILD local 10.113.4.95:80",
    type: SfcFilterType.TcpWild,
    local: ["10.113.4.95", 80],
    remote: ["0.0.0.0", 0],
    words: [0x00000000, 0x00500000, 0x0a71045f],
    key: 0x0a21045f,
    hash: 0x35dd,
    first: 5597,
    incr: 2237,
    slots: [5597, 7834, 1879, 4116],
  },
  {
    name: "TCP_FULL local 192.168.1.1:80, remote 192.168.1.2:40000",
    type: SfcFilterType.TcpFull,
    local: ["192.168.1.1", 80],
    remote: ["192.168.1.2", 40000],
    words: [0x01029c40, 0x0050c0a8, 0xc0a80101],
    key: 0xc1fa5de9,
    hash: 0x5115,
    first: 4373,
    incr: 48081,
    slots: [4373, 3302, 2231, 1160],
  },
] as const;

Deno.test("farch key, hash and probe sequence", async (t) => {
  for (const v of VECTORS) {
    await t.step(`reference vector: ${v.name}`, () => {
      const out = new Uint32Array(4);
      fillIpFilterWords(v.type, ip(v.local[0]), v.local[1], ip(v.remote[0]), v.remote[1], out);
      assert.deepEqual([out[0], out[1], out[2]], [...v.words]);
      assert.deepEqual(out[3], v.key);
      const hash = farchHash(v.key);
      assert.deepEqual(hash, v.hash);
      assert.deepEqual(hash & 8191, v.first);
      const incr = farchIncrement(v.key);
      assert.deepEqual(incr, v.incr);
      const slots: number[] = [];
      for (let i = hash & 8191, d = 0; d < 4; d++, i = (i + incr) & 8191) slots.push(i);
      assert.deepEqual(slots, [...v.slots]);
    });
  }

  await t.step("UDP wildcard swaps the port fields relative to TCP", () => {
    const udp = new Uint32Array(4);
    const tcp = new Uint32Array(4);
    fillIpFilterWords(SfcFilterType.UdpWild, ip("10.0.0.1"), 1234, 0, 0, udp);
    fillIpFilterWords(SfcFilterType.TcpWild, ip("10.0.0.1"), 1234, 0, 0, tcp);
    assert.deepEqual(udp[0], 1234); // local port in port1 (low half of d0)
    assert.deepEqual(udp[1], 0);
    assert.deepEqual(tcp[0], 0);
    assert.deepEqual(tcp[1], 1234 << 16); // local port in port2 (high half of d1)
    assert.deepEqual(udp[3], (1234 ^ ip("10.0.0.1") ^ 1) >>> 0);
  });

  await t.step("wildcard types ignore the remote fields", () => {
    const a = new Uint32Array(4);
    const b = new Uint32Array(4);
    fillIpFilterWords(SfcFilterType.UdpWild, 7, 53, 0, 0, a);
    fillIpFilterWords(SfcFilterType.UdpWild, 7, 53, 0xdeadbeef, 999, b);
    assert.deepEqual([...a], [...b]);
  });

  await t.step("MAC filter words: VLAN, MAC low 32 bits, MAC high 16 bits, wild bit", () => {
    const out = new Uint32Array(4);
    fillMacFilterWords(SfcFilterType.MacFull, 0x0011, 0x22334455, 12, out);
    assert.deepEqual([...out], [12, 0x22334455, 0x0011, (12 ^ 0x22334455 ^ 0x0011) >>> 0]);
    fillMacFilterWords(SfcFilterType.MacWild, 0x0011, 0x22334455, 12, out);
    assert.deepEqual([...out], [0, 0x22334455, 0x0011, (0x22334455 ^ 0x0011 ^ 1) >>> 0]);
  });

  await t.step("hash is 16-bit and the increment is always odd", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (key) => {
        const h = farchHash(key);
        const inc = farchIncrement(key);
        assert(h >= 0 && h <= 0xffff);
        assert.deepEqual(inc & 1, 1);
        assert(inc >= 0 && inc <= 0xffff);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
