import assert from "node:assert/strict";
import { MemcachedEngine } from "./engine.ts";
import { handleDatagram, UdpDrop } from "./udp.ts";

const enc = new TextEncoder();

function frame(id: number, text: string, total = 1): Uint8Array {
  const p = enc.encode(text);
  const b = new Uint8Array(8 + p.length);
  b[0] = id >> 8;
  b[1] = id & 0xff;
  b[5] = total;
  b.set(p, 8);
  return b;
}

function send(engine: MemcachedEngine, d: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  handleDatagram(engine, d, (x) => out.push(x.slice()));
  return out;
}

function hdr(d: Uint8Array): number[] {
  return [
    (d[0] as number) << 8 | (d[1] as number),
    (d[2] as number) << 8 | (d[3] as number),
    (d[4] as number) << 8 | (d[5] as number),
    (d[6] as number) << 8 | (d[7] as number),
  ];
}

Deno.test("memcached over UDP", async (t) => {
  const engine = new MemcachedEngine({ clock: () => 0 });
  send(engine, frame(1, `set big 0 0 3000\r\n${"v".repeat(3000)}\r\nset s 0 0 1\r\nx\r\n`));
  await t.step("a reply larger than one datagram is split into 1400-byte datagrams", () => {
    const ds = send(engine, frame(0xbeef, "get big\r\n"));
    // "VALUE big 0 3000\r\n" (18) + 3000 + "\r\n" + "END\r\n" = 3025 bytes -> 1392 + 1392 + 241.
    assert.deepEqual(ds.map((d) => d.length), [1400, 1400, 249]);
    assert.deepEqual(ds.map(hdr), [[0xbeef, 0, 3, 0], [0xbeef, 1, 3, 0], [0xbeef, 2, 3, 0]]);
    const text = new TextDecoder().decode(new Uint8Array(ds.flatMap((d) => [...d.subarray(8)])));
    assert.equal(text, `VALUE big 0 3000\r\n${"v".repeat(3000)}\r\nEND\r\n`);
  });
  await t.step(
    "each key of a multi-get is its own message; a non-final miss is a bare header",
    () => {
      const ds = send(engine, frame(5, "get s nope s\r\n"));
      assert.deepEqual(ds.map(hdr), [[5, 0, 1, 0], [5, 0, 0, 0], [5, 0, 1, 0]]);
      assert.deepEqual(ds.map((d) => d.length), [8 + 16, 8, 8 + 21]);
    },
  );
  await t.step("the payload limit is a parameter", () => {
    const small = new MemcachedEngine({ clock: () => 0, udpMaxPayload: 108 });
    send(small, frame(1, `set v 0 0 300\r\n${"a".repeat(300)}\r\n`));
    const ds = send(small, frame(2, "get v\r\n"));
    // "VALUE v 0 300\r\n" (15) + 300 + 2 + 5 = 322 bytes in 100-byte pieces.
    assert.deepEqual(ds.map((d) => d.length), [108, 108, 108, 30]);
    assert.throws(
      () => new MemcachedEngine({ clock: () => 0, udpMaxPayload: 8 }),
      /udpMaxPayload.*at least 9 bytes, got 8/,
    );
  });
  await t.step("noreply sends no datagram", () => {
    assert.equal(send(engine, frame(3, "set n 0 0 1 noreply\r\nx\r\n")).length, 0);
  });
  await t.step("short and multi-packet requests are dropped with a reason", () => {
    assert.equal(
      handleDatagram(engine, new Uint8Array(8), () => assert.fail("no reply")),
      UdpDrop.TOO_SHORT,
    );
    assert.equal(
      handleDatagram(engine, frame(4, "get s\r\n", 2), () => assert.fail("no reply")),
      UdpDrop.MULTI_PACKET,
    );
  });
});
