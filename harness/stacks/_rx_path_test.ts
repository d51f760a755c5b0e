import assert from "node:assert/strict";
import { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { buildUdpFrame } from "../../stack/packet/build.ts";
import { Reason } from "../../stack/packet/mod.ts";
import { RxPath } from "./_rx_path.ts";

const SERVER_IP = 0x0a000001;

function udpFrame(pool: BufferPool, dstPort: number, srcPort = 40_000): number {
  const buf = pool.alloc(0);
  const len = buildUdpFrame(pool.bytes, pool.start[buf] ?? 0, {
    dstMac: new Uint8Array([2, 0, 0, 0, 0, 1]),
    srcMac: new Uint8Array([2, 0, 0, 0, 2, 1]),
    srcIp: 0x0a000201,
    dstIp: SERVER_IP,
    srcPort,
    dstPort,
    payload: new TextEncoder().encode("hello"),
  });
  pool.length[buf] = len;
  return buf;
}

Deno.test("RxPath", async (t) => {
  await t.step("classify demultiplexes a valid datagram to its socket", () => {
    const pool = new BufferPool({ count: 8 });
    const rx = new RxPath(pool, SERVER_IP);
    rx.bind(888, 3);
    assert.equal(rx.classify(udpFrame(pool, 888)), 3);
    assert.equal(rx.classify(udpFrame(pool, 999)) < 0, true);
  });

  await t.step("reparse rebuilds the same parse as classify, counting nothing", () => {
    const pool = new BufferPool({ count: 8 });
    const rx = new RxPath(pool, SERVER_IP);
    rx.bind(888, 0);
    const a = udpFrame(pool, 888);
    const b = udpFrame(pool, 888, 40_001);
    assert.equal(rx.classify(a), 0);
    const first = { ...rx.info };
    assert.equal(rx.classify(b), 0);
    assert.equal(rx.reparse(a), Reason.Ok);
    assert.deepEqual({ ...rx.info }, first);
    assert.equal(rx.reasons.reduce((s, v) => s + v, 0), 0);
  });
});
