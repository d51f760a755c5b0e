/**
 * The binary command table: each opcode's success, miss and error responses, quiet variants
 * and protocol errors. Expected headers are memcached 1.6.18's (the same cases run against the
 * real server in real_server_test.ts).
 */
import assert from "node:assert/strict";
import { Harness } from "./_engine_io.ts";
import { be32, be64, bin, latin1 } from "./_script.ts";

interface Res {
  op: number;
  status: number;
  keylen: number;
  extlen: number;
  cas: bigint;
  body: string;
}

function parse(text: string): Res[] {
  const b = latin1(text);
  const v = new DataView(b.buffer);
  const out: Res[] = [];
  let i = 0;
  while (i + 24 <= b.length) {
    assert.equal(b[i], 0x81);
    const bodylen = v.getUint32(i + 8);
    out.push({
      op: b[i + 1] as number,
      status: v.getUint16(i + 6),
      keylen: v.getUint16(i + 2),
      extlen: b[i + 4] as number,
      cas: v.getBigUint64(i + 16),
      body: text.slice(i + 24, i + 24 + bodylen),
    });
    i += 24 + bodylen;
  }
  assert.equal(i, b.length, "trailing bytes after the last response");
  return out;
}

const fl = (f: number, e = 0): number[] => [...be32(f), ...be32(e)];
const delta = (
  d: bigint,
  init: bigint,
  e: number,
): number[] => [...be64(d), ...be64(init), ...be32(e)];

Deno.test("binary protocol", async (t) => {
  const h = new Harness();
  const run = (req: Uint8Array): Res[] => parse(h.send(req));
  await t.step("set, get, getk and quiet gets", () => {
    assert.deepEqual(run(bin(0x01, { key: "k", extras: fl(7), value: "hello" })), [
      { op: 0x01, status: 0, keylen: 0, extlen: 0, cas: 1n, body: "" },
    ]);
    assert.deepEqual(run(bin(0x00, { key: "k" })), [
      { op: 0x00, status: 0, keylen: 0, extlen: 4, cas: 1n, body: "\x00\x00\x00\x07hello" },
    ]);
    assert.deepEqual(run(bin(0x0c, { key: "k" }))[0]?.body, "\x00\x00\x00\x07khello");
    assert.deepEqual(run(bin(0x00, { key: "m" })), [
      { op: 0x00, status: 1, keylen: 0, extlen: 0, cas: 0n, body: "Not found" },
    ]);
    assert.deepEqual(run(bin(0x0c, { key: "m" })), [
      { op: 0x0c, status: 1, keylen: 1, extlen: 0, cas: 0n, body: "m" },
    ]);
    const quiet = run(
      new Uint8Array([...bin(0x09, { key: "m" }), ...bin(0x0d, { key: "k" }), ...bin(0x0a)]),
    );
    assert.deepEqual(quiet.map((r) => [r.op, r.status]), [[0x0d, 0], [0x0a, 0]]);
  });
  await t.step("store errors carry memcached's messages, quiet ones too", () => {
    assert.deepEqual(
      run(bin(0x12, { key: "k", extras: fl(0), value: "x" })).map((r) => [r.status, r.body]),
      [
        [2, "Data exists for key."],
      ],
    );
    assert.deepEqual(run(bin(0x03, { key: "m", extras: fl(0), value: "x" })).map((r) => r.body), [
      "Not found",
    ]);
    assert.deepEqual(run(bin(0x0e, { key: "m", value: "x" })).map((r) => [r.status, r.body]), [[
      5,
      "Not stored.",
    ]]);
    assert.deepEqual(
      run(bin(0x01, { key: "k", extras: fl(0), value: "x", cas: 99n })).map((r) => r.status),
      [2],
    );
    assert.equal(h.send(bin(0x11, { key: "q", extras: fl(0), value: "x" })), "");
  });
  await t.step("incr/decr create, count, floor and refuse non-numbers", () => {
    assert.equal(
      run(bin(0x05, { key: "c", extras: delta(1n, 40n, 0) }))[0]?.body,
      "\x00\x00\x00\x00\x00\x00\x00\x28",
    );
    assert.equal(
      run(bin(0x05, { key: "c", extras: delta(2n, 0n, 0) }))[0]?.body,
      "\x00\x00\x00\x00\x00\x00\x00\x2a",
    );
    assert.equal(
      run(bin(0x06, { key: "c", extras: delta(100n, 0n, 0) }))[0]?.body,
      "\x00".repeat(8),
    );
    assert.deepEqual(run(bin(0x05, { key: "k", extras: delta(1n, 0n, 0) })).map((r) => r.status), [
      6,
    ]);
    assert.deepEqual(
      run(bin(0x05, { key: "none", extras: delta(1n, 0n, 0xffffffff) })).map((r) => r.status),
      [1],
    );
  });
  await t.step("delete with CAS, touch, gat, flush, version, noop", () => {
    assert.deepEqual(run(bin(0x04, { key: "k", cas: 12345n })).map((r) => r.status), [2]);
    assert.deepEqual(run(bin(0x04, { key: "k" })).map((r) => r.status), [0]);
    assert.deepEqual(run(bin(0x04, { key: "k" })).map((r) => r.status), [1]);
    assert.deepEqual(
      run(bin(0x1c, { key: "c", extras: be32(100) })).map((
        r,
      ) => [r.status, r.extlen, r.body.length]),
      [[0, 4, 4]],
    );
    assert.equal(run(bin(0x1d, { key: "c", extras: be32(100) }))[0]?.body, "\x00\x00\x00\x000 ");
    assert.deepEqual(run(bin(0x08)).map((r) => r.status), [0]);
    assert.deepEqual(run(bin(0x00, { key: "c" })).map((r) => r.status), [1]);
    assert.equal(run(bin(0x0b))[0]?.body, "1.6.18");
    assert.deepEqual(run(bin(0x0a)).map((r) => [r.op, r.status]), [[0x0a, 0]]);
  });
  await t.step("unknown opcodes answer and continue; malformed requests close", () => {
    assert.deepEqual(
      run(new Uint8Array([...bin(0x50), ...bin(0x0a)])).map((r) => [r.op, r.status, r.body]),
      [
        [0x50, 0x81, "Unknown command"],
        [0x0a, 0, ""],
      ],
    );
    assert.deepEqual(
      run(bin(0x00, { key: "k", extras: [0, 0, 0, 0] })).map((r) => [r.status, r.body]),
      [
        [4, "Invalid arguments"],
      ],
    );
    assert.equal(h.session.closed, true);
  });
  await t.step("a value over the item size limit answers E2BIG and is skipped", () => {
    const s = new Harness({ itemSizeMax: 100 });
    const r = parse(
      s.send(
        new Uint8Array([
          ...bin(0x01, { key: "k", extras: fl(0), value: "x".repeat(200) }),
          ...bin(0x0a),
        ]),
      ),
    );
    assert.deepEqual(r.map((x) => [x.op, x.status, x.body]), [[0x01, 3, "Too large."], [
      0x0a,
      0,
      "",
    ]]);
  });
});
