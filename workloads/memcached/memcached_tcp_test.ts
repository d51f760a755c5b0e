import assert from "node:assert/strict";
import fc from "fast-check";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { MemcachedEngine } from "../../stack/apps/memcached/engine.ts";
import { TcpSession } from "../../stack/apps/memcached/tcp_session.ts";
import { keyLengths } from "../dist/keys.ts";
import { parseDistribution } from "../dist/parse.ts";
import { createSampler } from "../dist/sampler.ts";
import { ReplyStatus, RequestKind } from "../clients/protocol.ts";
import { createKeyChooser } from "./key_popularity.ts";
import { MAX_REPLY_LINE, MemcachedTcpClient } from "./memcached_tcp.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function client(records = 20, load = true): MemcachedTcpClient {
  return new MemcachedTcpClient({
    keyLengths: keyLengths(records, createSampler(parseDistribution("fixed:16"))),
    valueSize: createSampler(parseDistribution("fixed:100")),
    getRatio: 0.5,
    keys: createKeyChooser({ kind: "uniform" }, records),
    rng: xoroshiro128plus(7),
    load: load ? { first: 0, stride: 1 } : null,
  });
}

/**
 * Runs `n` requests of `c` through a real memcached session, calling `each` with every reply
 * while its request is the latest in its slot; returns the replies' bytes in order.
 */
function exchange(
  c: MemcachedTcpClient,
  session: TcpSession,
  n: number,
  each: (slot: number, reply: Uint8Array) => void = () => {},
): Uint8Array[] {
  const replies: Uint8Array[] = [];
  const buf = new Uint8Array(70_000);
  for (let i = 0; i < n; i++) {
    const len = c.writeRequest(i % 8, buf, 0, buf.length);
    const reply = session.receive(buf.subarray(0, len)).slice();
    each(i % 8, reply);
    replies.push(reply);
  }
  return replies;
}

Deno.test("memcached over TCP client protocol", async (t) => {
  await t.step("requests carry no frame header: warm-up sets, then gets and sets", () => {
    const c = client(2);
    const buf = new Uint8Array(4096);
    const first = dec.decode(buf.subarray(0, c.writeRequest(0, buf, 0, buf.length)));
    assert.match(first, /^set \S{16} 0 0 100\r\n.{100}\r\n$/s);
    assert.equal(c.kindOf(0), RequestKind.Load);
    c.writeRequest(1, buf, 0, buf.length);
    assert.equal(c.loading(), false);
    const n = c.writeRequest(2, buf, 0, buf.length);
    assert.match(dec.decode(buf.subarray(0, n)), /^(get|set) /);
  });

  await t.step("every reply of a real memcached session is found and checked correct", () => {
    const c = client();
    const session = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    let hits = 0;
    exchange(c, session, 60, (slot, r) => {
      assert.equal(c.replyLength(slot, r, 0, r.length), r.length, dec.decode(r));
      const status = c.check(slot, r, 0, r.length);
      assert.ok(status === ReplyStatus.Done || status === ReplyStatus.DoneMiss, dec.decode(r));
      if (status === ReplyStatus.Done && c.kindOf(slot) === RequestKind.Get) hits++;
    });
    assert.ok(hits > 0, "gets of loaded keys return their values");
  });

  await t.step("a reply with a changed data byte or the wrong key is wrong", () => {
    const c = client();
    const session = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    let tested = 0;
    exchange(c, session, 60, (slot, r) => {
      if (!dec.decode(r).startsWith("VALUE ")) return;
      const bad = r.slice();
      bad[bad.length - 10] = (bad[bad.length - 10] as number) ^ 1; // inside the data block
      assert.equal(c.check(slot, bad, 0, bad.length), ReplyStatus.Wrong);
      const key = r.slice();
      key[6] = (key[6] as number) ^ 1; // first key byte
      assert.equal(c.check(slot, key, 0, key.length), ReplyStatus.Wrong);
      tested++;
    });
    assert.ok(tested > 0);
  });

  await t.step("framing: incomplete replies wait, a stream out of step is reported", () => {
    const c = client();
    const stored = enc.encode("STORED\r\n");
    assert.equal(c.replyLength(0, stored, 0, 7), 0);
    assert.equal(c.replyLength(0, stored, 0, 8), 8);
    const value = enc.encode("VALUE k 0 3\r\nabc\r\nEND\r\nSTORED\r\n");
    assert.equal(c.replyLength(0, value, 0, value.length), 23);
    assert.equal(c.replyLength(0, value, 0, 22), 0);
    assert.equal(c.replyLength(0, enc.encode("VALUE k 0 x\r\n"), 0, 13), -1);
    const junk = new Uint8Array(MAX_REPLY_LINE).fill(0x41);
    assert.equal(c.replyLength(0, junk, 0, junk.length), -1);
    assert.equal(c.replyLength(0, junk, 0, 100), 0);
  });

  await t.step(
    "property: any prefix of a reply stream is incomplete, the whole reply is found",
    () => {
      const c = client();
      const session = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
      const replies = exchange(c, session, 40);
      fc.assert(
        fc.property(fc.nat(39), fc.nat(), (i, cut) => {
          const r = replies[i] as Uint8Array;
          const stream = new Uint8Array(r.length + 8);
          stream.set(r);
          stream.set(enc.encode("STORED\r\n"), r.length);
          const k = cut % r.length;
          return c.replyLength(0, stream, 0, k) === 0 &&
            c.replyLength(0, stream, 0, stream.length) === r.length;
        }),
        { seed: 42, numRuns: 200 },
      );
    },
  );
});
