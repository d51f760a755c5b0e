import assert from "node:assert/strict";
import fc from "fast-check";
import { MemcachedEngine } from "./engine.ts";
import { TcpSession } from "./tcp_session.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

const ASCII_SCRIPT = enc.encode(
  "set a 0 0 5\r\nhello\r\nget a b\r\nincr n 1\r\nset n 0 0 2\r\n10\r\nincr n 5\r\n" +
    "gets a\r\nset big 0 0 3000\r\n" + "x".repeat(3000) + "\r\nget big\r\nbogus\r\n" +
    "set a 0 0 1 noreply\r\nz\r\nappend a 0 0 1\r\n!\r\nget a\r\ndelete a\r\nversion\r\n",
);

function header(op: number, keylen: number, extlen: number, bodylen: number): number[] {
  return [
    0x80,
    op,
    keylen >> 8,
    keylen & 0xff,
    extlen,
    0,
    0,
    0,
    ...[24, 16, 8, 0].map((s) => (bodylen >>> s) & 0xff),
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
}
const BINARY_SCRIPT = new Uint8Array([
  ...header(0x01, 1, 8, 1 + 8 + 5),
  0,
  0,
  0,
  3,
  0,
  0,
  0,
  0,
  ...enc.encode("k"),
  ...enc.encode("value"),
  ...header(0x00, 1, 0, 1),
  ...enc.encode("k"),
  ...header(0x09, 1, 0, 1),
  ...enc.encode("m"),
  ...header(0x0a, 0, 0, 0),
]);

function runWhole(script: Uint8Array): string {
  const s = new TcpSession(new MemcachedEngine({ clock: () => 1000 }));
  return dec.decode(s.receive(script));
}

function runSplit(script: Uint8Array, cuts: number[]): string {
  const s = new TcpSession(new MemcachedEngine({ clock: () => 1000 }));
  const points = [...new Set(cuts.map((c) => c % script.length))].sort((x, y) => x - y);
  let out = "";
  let prev = 0;
  for (const p of [...points, script.length]) {
    out += dec.decode(s.receive(script.subarray(prev, p)));
    prev = p;
  }
  return out;
}

Deno.test("TCP session", async (t) => {
  await t.step("pipelined ASCII requests answer in order", () => {
    const out = runWhole(ASCII_SCRIPT);
    assert.ok(
      out.startsWith("STORED\r\nVALUE a 0 5\r\nhello\r\nEND\r\nNOT_FOUND\r\nSTORED\r\n15\r\n"),
    );
    assert.ok(out.endsWith("VALUE a 0 2\r\nz!\r\nEND\r\nDELETED\r\nVERSION 1.6.18\r\n"));
  });
  await t.step("any split of an ASCII stream into segments gives the same replies", () => {
    const whole = runWhole(ASCII_SCRIPT);
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 12 }),
        (cuts) => runSplit(ASCII_SCRIPT, cuts) === whole,
      ),
      { seed: 42, numRuns: 150 },
    );
  });
  await t.step("any split of a binary stream into segments gives the same replies", () => {
    const whole = runWhole(BINARY_SCRIPT);
    assert.ok(whole.length > 0);
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 8 }),
        (cuts) => runSplit(BINARY_SCRIPT, cuts) === whole,
      ),
      { seed: 42, numRuns: 150 },
    );
  });
  await t.step("byte-at-a-time delivery buffers partial requests", () => {
    const s = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    const req = enc.encode("set k 0 0 3\r\nabc\r\n");
    for (let i = 0; i < req.length - 1; i++) {
      assert.equal(s.receive(req.subarray(i, i + 1)).length, 0);
    }
    assert.ok(s.buffered > 0);
    assert.equal(dec.decode(s.receive(req.subarray(req.length - 1))), "STORED\r\n");
    assert.equal(s.buffered, 0);
  });
  await t.step(
    "an oversized value is swallowed as it arrives; its error waits like memcached's",
    () => {
      const s = new TcpSession(new MemcachedEngine({ clock: () => 0, itemSizeMax: 1000 }));
      assert.equal(s.receive(enc.encode("version\r\nset k 0 0 2000\r\n")).length, 0);
      assert.ok(s.held > 0);
      assert.equal(s.receive(new Uint8Array(1500)).length, 0);
      assert.equal(
        dec.decode(s.receive(enc.encode("x".repeat(500) + "\r\nversion\r\n"))),
        "VERSION 1.6.18\r\nSERVER_ERROR object too large for cache\r\nVERSION 1.6.18\r\n",
      );
      assert.equal(s.held, 0);
    },
  );
  await t.step("replies wait while a value block is still arriving", () => {
    const s = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    assert.equal(s.receive(enc.encode("version\r\nset k 0 0 5\r\nab")).length, 0);
    assert.equal(dec.decode(s.receive(enc.encode("cde\r\n"))), "VERSION 1.6.18\r\nSTORED\r\n");
    // A partial request line does not hold replies back.
    assert.equal(dec.decode(s.receive(enc.encode("version\r\nge"))), "VERSION 1.6.18\r\n");
  });
  await t.step("quit closes after earlier replies; later bytes are ignored", () => {
    const s = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    assert.equal(
      dec.decode(s.receive(enc.encode("version\r\nquit\r\nversion\r\n"))),
      "VERSION 1.6.18\r\n",
    );
    assert.equal(s.closed, true);
    assert.equal(s.receive(enc.encode("version\r\n")).length, 0);
  });
  await t.step("a 2049-byte line without newline closes unless it is a get", () => {
    const s = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    assert.equal(s.receive(enc.encode("set " + "a".repeat(2045))).length, 0);
    assert.equal(s.closed, true);
    const g = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    assert.equal(g.receive(enc.encode("get " + "a ".repeat(1500))).length, 0);
    assert.equal(g.closed, false);
    assert.equal(dec.decode(g.receive(enc.encode("\r\n"))), "END\r\n");
  });
  await t.step("an HTTP request line closes at once, dropping replies", () => {
    const s = new TcpSession(new MemcachedEngine({ clock: () => 0 }));
    assert.equal(s.receive(enc.encode("version\r\nGET / HTTP/1.1\r\n")).length, 0);
    assert.equal(s.closed, true);
  });
  await t.step("random bytes never throw, in either protocol", () => {
    const words = [
      "get ",
      "set ",
      "cas ",
      "incr ",
      "\r\n",
      " ",
      "noreply",
      "0",
      "-1",
      "99999999999999999999",
    ];
    const asciiish = fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), {
      maxLength: 30,
    })
      .map((parts) => enc.encode(parts.join("")));
    const binaryish = fc.uint8Array({ maxLength: 200 }).map((b) => {
      const x = new Uint8Array(b.length + 1);
      x[0] = 0x80;
      x.set(b, 1);
      return x;
    });
    fc.assert(
      fc.property(
        fc.oneof(asciiish, binaryish),
        fc.array(fc.nat(), { maxLength: 4 }),
        (bytes, cuts) => {
          const engine = new MemcachedEngine({ clock: () => 0, memoryLimit: 4096 });
          const s = new TcpSession(engine);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) =>
            x - y
          );
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            s.receive(bytes.subarray(prev, p));
            prev = p;
          }
          return engine.store.bytes <= 4096;
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });
});
