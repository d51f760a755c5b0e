import assert from "node:assert/strict";
import { ListenerTable } from "./listeners.ts";

Deno.test("listener table", async (t) => {
  await t.step("ports, addresses and the accept ring", () => {
    const ls = new ListenerTable(2);
    const a = ls.open(80, 0, 2);
    const b = ls.open(443, 0x0a000002, 1);
    assert.throws(() => ls.open(80, 0, 1), /a listener already uses it/);
    assert.throws(() => ls.open(8080, 0, 1), /all 2 listeners \("maxListeners"\) are in use/);
    assert.equal(ls.match(80, 0x01020304), a, "wildcard address");
    assert.equal(ls.match(443, 0x0a000002), b);
    assert.equal(ls.match(443, 0x0a000003), -1, "other address");
    assert.ok(ls.push(a, 7) && ls.push(a, 8));
    assert.equal(ls.push(a, 9), false, "full at its capacity");
    assert.deepEqual([ls.shift(a), ls.shift(a), ls.shift(a)], [7, 8, -1]);
    assert.ok(ls.push(a, 10), "the ring wraps");
    assert.equal(ls.queueLength(a), 1);
    ls.addSyn(b, 1);
    assert.equal(ls.synCount(b), 1);
    ls.close(a);
    assert.equal(ls.isOpen(a), false);
    assert.equal(ls.portInUse(80), false);
    assert.equal(ls.open(8080, 0, 0), a, "slot reused");
    assert.equal(ls.push(a, 1), false, "capacity 0 refuses everything");
  });
});
