import assert from "node:assert/strict";
import fc from "fast-check";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { ReplyStatus, RequestKind } from "../clients/protocol.ts";
import { createKeyChooser } from "./key_popularity.ts";
import { MemcachedUdpClient } from "./memcached_udp.ts";
import { fillValue } from "./value_pattern.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function client(
  getRatio: number,
  value = "fixed:64",
  load: { first: number; stride: number } | null = null,
) {
  const records = 100;
  return new MemcachedUdpClient({
    keyLengths: keyLengths(records, createSampler(parseDistribution("fixed:64"))),
    valueSize: createSampler(parseDistribution(value)),
    getRatio,
    keys: createKeyChooser({ kind: "uniform" }, records),
    rng: xoroshiro128plus(42),
    load,
  });
}

function reply(id: number, text: string | Uint8Array, seq = 0, total = 1): Uint8Array {
  const body = typeof text === "string" ? enc.encode(text) : text;
  const b = new Uint8Array(8 + body.length);
  b.set([id >> 8, id & 0xff, seq >> 8, seq & 0xff, total >> 8, total & 0xff, 0, 0]);
  b.set(body, 8);
  return b;
}

Deno.test("MemcachedUdpClient", async (t) => {
  await t.step(
    "request sizes match workloads.md §3.1 (GET 70 B, SET 143 B for 64/64, plus the 8-byte header)",
    () => {
      const buf = new Uint8Array(2000);
      const g = client(1);
      assert.equal(g.writeRequest(0, 0x1234, buf, 0, 1472), 8 + 70);
      assert.deepEqual([...buf.subarray(0, 8)], [0x12, 0x34, 0, 0, 0, 1, 0, 0]);
      assert.match(dec.decode(buf.subarray(8, 78)), /^get 0{62}\d{2}\r\n$/);
      const s = client(0);
      assert.equal(s.writeRequest(0, 1, buf, 0, 1472), 8 + 143);
      assert.match(dec.decode(buf.subarray(8, 151)), /^set \d{64} 0 0 64\r\n[A-Za-z0-9]{64}\r\n$/);
      assert.equal(s.kindOf(0), RequestKind.Set);
    },
  );

  await t.step("warm-up sets its share of the keys, then stops loading", () => {
    const c = client(1, "fixed:64", { first: 1, stride: 40 });
    const buf = new Uint8Array(2000);
    const keys: string[] = [];
    while (c.loading()) {
      const n = c.writeRequest(0, 1, buf, 0, 1472);
      keys.push(dec.decode(buf.subarray(8, n)).split(" ")[1]?.slice(-3) ?? "");
      assert.equal(c.kindOf(0), RequestKind.Load);
    }
    assert.deepEqual(keys, ["001", "041", "081"]);
  });

  await t.step("a hit with this key's data is done; a miss is reported; others are wrong", () => {
    const c = client(1);
    const buf = new Uint8Array(2000);
    const n = c.writeRequest(3, 7, buf, 0, 1472);
    const key = dec.decode(buf.subarray(12, n - 2));
    const index = Number(key);
    const value = new Uint8Array(10);
    fillValue(index, 10, value, 0);
    const good = reply(7, `VALUE ${key} 0 10\r\n${dec.decode(value)}\r\nEND\r\n`);
    assert.equal(c.replyId(good, 0, good.length), 7);
    assert.equal(c.onReply(3, good, 0, good.length), ReplyStatus.Done);
    const miss = reply(7, "END\r\n");
    assert.equal(c.onReply(3, miss, 0, miss.length), ReplyStatus.DoneMiss);
    fillValue(index + 1, 10, value, 0);
    for (
      const bad of [
        `VALUE ${key} 0 10\r\n${dec.decode(value)}\r\nEND\r\n`, // another key's data
        `VALUE ${key} 0 11\r\n${dec.decode(value)}\r\nEND\r\n`, // length disagrees
        `VALUE ${key} 1 0\r\n\r\nEND\r\n`, // flags not 0
        "STORED\r\n",
        "SERVER_ERROR out of memory\r\n",
      ]
    ) {
      const d = reply(7, bad);
      assert.equal(c.onReply(3, d, 0, d.length), ReplyStatus.Wrong, bad);
    }
    assert.equal(c.replyId(new Uint8Array(5), 0, 5), -1);
  });

  await t.step(
    "a reply in several datagrams completes when the last one is in, in any order",
    () => {
      const c = client(1);
      const buf = new Uint8Array(2000);
      const n = c.writeRequest(1, 9, buf, 0, 1472);
      const key = dec.decode(buf.subarray(12, n - 2));
      const value = new Uint8Array(3000);
      fillValue(Number(key), 3000, value, 0);
      const text = enc.encode(`VALUE ${key} 0 3000\r\n${dec.decode(value)}\r\nEND\r\n`);
      const parts = [0, 1, 2].map((i) => reply(9, text.subarray(i * 1392, (i + 1) * 1392), i, 3));
      assert.equal(
        c.onReply(1, parts[2] as Uint8Array, 0, parts[2]?.length ?? 0),
        ReplyStatus.Partial,
      );
      assert.equal(
        c.onReply(1, parts[0] as Uint8Array, 0, parts[0]?.length ?? 0),
        ReplyStatus.Partial,
      );
      assert.equal(
        c.onReply(1, parts[1] as Uint8Array, 0, parts[1]?.length ?? 0),
        ReplyStatus.Done,
      );
      // A duplicate datagram or a changed total is wrong.
      c.abandon(1);
      c.writeRequest(1, 9, buf, 0, 1472);
      assert.equal(
        c.onReply(1, parts[0] as Uint8Array, 0, parts[0]?.length ?? 0),
        ReplyStatus.Partial,
      );
      assert.equal(
        c.onReply(1, parts[0] as Uint8Array, 0, parts[0]?.length ?? 0),
        ReplyStatus.Wrong,
      );
    },
  );

  await t.step("set values too large for one datagram are clamped and counted", () => {
    const c = client(0, "fixed:5000");
    const buf = new Uint8Array(2000);
    const n = c.writeRequest(0, 1, buf, 0, 1472);
    assert.ok(n <= 1472);
    assert.equal(c.counters().valuesClamped, 1);
  });

  await t.step("fuzz: arbitrary reply bytes never throw and give a known status", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 1500 }), fc.boolean(), (d, get) => {
        const c = client(get ? 1 : 0);
        c.writeRequest(2, 5, new Uint8Array(2000), 0, 1472);
        const st = c.onReply(2, d, 0, d.length);
        assert.ok(([0, 1, 2, 3] as number[]).includes(st));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("bad options are rejected with the value named", () => {
    assert.throws(() => client(1.5), /Get ratio 1\.5 is invalid: must be in 0\.\.1/);
  });
});
