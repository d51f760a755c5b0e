import assert from "node:assert/strict";
import { buildUdpFrame } from "../../stack/packet/build.ts";
import { createTestbed, type NetHost } from "./testbed.ts";

const mac = (n: number) => new Uint8Array([2, 0, 0, 0, 0, n]);

function recorder(
  name: string,
  n: number,
  log: { host: string; buf: number; t: number }[],
  free: (buf: number) => void,
): NetHost {
  return {
    name,
    mac: mac(n),
    ip: 0x0a000000 + n,
    receive(buf) {
      log.push({ host: name, buf, t: -1 });
      free(buf);
    },
  };
}

Deno.test("createTestbed", async (t) => {
  await t.step("forwards a real frame by destination MAC to exactly one host", () => {
    const tb = createTestbed({ seed: 7 });
    const log: { host: string; buf: number; t: number }[] = [];
    const free = (b: number) => tb.pool.free(b, 0);
    const hosts = [1, 2, 3].map((n) => recorder(`h${n}`, n, log, free));
    const tx = hosts.map((h) => tb.attach(h));
    const buf = tb.pool.alloc(0);
    const s = tb.pool.start[buf] ?? 0;
    const len = buildUdpFrame(tb.pool.bytes, s, {
      dstMac: mac(3),
      srcMac: mac(1),
      srcIp: 0x0a000001,
      dstIp: 0x0a000003,
      srcPort: 1000,
      dstPort: 7,
      payload: new Uint8Array(18),
    });
    tb.pool.length[buf] = len;
    assert.equal((tx[0] as (b: number, l: number) => boolean)(buf, len), true);
    assert.equal(tb.inFlight(), 1);
    tb.sim.run();
    assert.deepEqual(log.map((e) => e.host), ["h3"]);
    assert.equal(tb.counters.delivered, 1);
    assert.equal(tb.inFlight(), 0);
    assert.equal(tb.pool.inUse, 0);
  });

  await t.step("an unknown destination is a counted drop and its buffer is freed", () => {
    const tb = createTestbed({ seed: 7 });
    const log: { host: string; buf: number; t: number }[] = [];
    const tx = tb.attach(recorder("a", 1, log, (b) => tb.pool.free(b, 0)));
    tb.attach(recorder("b", 2, log, (b) => tb.pool.free(b, 0)));
    const buf = tb.pool.alloc(0);
    tb.pool.bytes.set(mac(9), tb.pool.start[buf] ?? 0);
    tx(buf, 60);
    tb.sim.run();
    assert.equal(log.length, 0);
    assert.equal(tb.counters.dropNoRoute, 1);
    assert.equal(tb.pool.inUse, 0);
  });

  await t.step("broadcast reaches every other host with its own copy of the bytes", () => {
    const tb = createTestbed({ seed: 7 });
    const seen: string[] = [];
    const mk = (n: number): NetHost => ({
      name: `h${n}`,
      mac: mac(n),
      ip: n,
      receive(buf, len) {
        const s = tb.pool.start[buf] ?? 0;
        seen.push(`h${n}:${tb.pool.bytes[s + len - 1]}`);
        tb.pool.free(buf, 0);
      },
    });
    const tx = tb.attach(mk(1));
    tb.attach(mk(2));
    tb.attach(mk(3));
    const buf = tb.pool.alloc(0);
    const s = tb.pool.start[buf] ?? 0;
    tb.pool.bytes.fill(0xff, s, s + 6);
    tb.pool.bytes[s + 59] = 42;
    tx(buf, 60);
    tb.sim.run();
    assert.deepEqual(seen.sort(), ["h2:42", "h3:42"]);
    assert.equal(tb.pool.inUse, 0);
  });

  await t.step("a bounded output port drops the excess, counted, and frees every buffer", () => {
    const tb = createTestbed({ seed: 7, portQueueFrames: 4 });
    let got = 0;
    const sink: NetHost = {
      name: "server",
      mac: mac(9),
      ip: 9,
      receive(buf) {
        got++;
        tb.pool.free(buf, 0);
      },
    };
    const txs = [1, 2, 3, 4].map((n) =>
      tb.attach({ name: `c${n}`, mac: mac(n), ip: n, receive: () => {} })
    );
    tb.attach(sink);
    const perClient = 50;
    for (const tx of txs) {
      for (let i = 0; i < perClient; i++) {
        const buf = tb.pool.alloc(0);
        tb.pool.bytes.set(mac(9), tb.pool.start[buf] ?? 0);
        tx(buf, 60);
      }
    }
    tb.sim.run();
    assert.ok(tb.counters.dropPortFull > 0);
    assert.equal(got + tb.counters.dropPortFull, 4 * perClient);
    assert.equal(tb.pool.inUse, 0);
  });

  await t.step("refuses a duplicate host name or MAC and a multicast MAC", () => {
    const tb = createTestbed({ seed: 1 });
    tb.attach({ name: "a", mac: mac(1), ip: 1, receive: () => {} });
    assert.throws(
      () => tb.attach({ name: "a", mac: mac(2), ip: 2, receive: () => {} }),
      /already attached/,
    );
    assert.throws(
      () => tb.attach({ name: "b", mac: mac(1), ip: 2, receive: () => {} }),
      /already attached/,
    );
    assert.throws(
      () =>
        tb.attach({ name: "c", mac: new Uint8Array([1, 0, 0, 0, 0, 1]), ip: 3, receive: () => {} }),
      /unicast/,
    );
  });
});
