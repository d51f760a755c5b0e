import assert from "node:assert/strict";
import { TcpTxBatch } from "./tx_batch.ts";
import { TcpEventRing } from "./event_ring.ts";

Deno.test("TX batch and event ring", async (t) => {
  await t.step("slots are aligned, copies are exact, clear empties", () => {
    const b = new TcpTxBatch(2, 1000);
    assert.equal(b.slotSize, 1060);
    assert.equal(b.offset(1), 1060);
    b.bytes.set([1, 2, 3], b.offset(1));
    b.length[1] = 3;
    b.count = 2;
    assert.deepEqual([...b.copy(1)], [1, 2, 3]);
    assert.throws(() => b.copy(2), /the batch holds 2/);
    b.clear();
    assert.equal(b.count, 0);
    assert.throws(() => new TcpTxBatch(0, 10), /capacity 0/);
    assert.throws(() => new TcpTxBatch(1, 70000), /payload size 70000/);
  });

  await t.step("the event ring is FIFO and refuses when full", () => {
    const r = new TcpEventRing(2);
    assert.ok(r.push(3, 10) && r.push(5, 11));
    assert.equal(r.push(1, 12), false);
    assert.ok(r.shift());
    assert.deepEqual([r.code, r.id], [3, 10]);
    assert.ok(r.push(1, 12));
    assert.ok(r.shift() && r.shift());
    assert.deepEqual([r.code, r.id], [1, 12]);
    assert.equal(r.shift(), false);
  });
});
