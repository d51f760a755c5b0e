import assert from "node:assert/strict";
import { Simulator } from "../sim/simulator.ts";
import { UdpSocket } from "./udp_socket.ts";

const COSTS = { uncontendedNs: 20, contendedNs: 220 };

Deno.test("UdpSocket", async (t) => {
  await t.step("is a bounded FIFO that counts what it drops", () => {
    const s = new UdpSocket(new Simulator(), "s", 7, COSTS, 3);
    assert.deepEqual([1, 2, 3, 4].map((b) => s.push(b)), [true, true, true, false]);
    assert.equal(s.drops, 1);
    assert.deepEqual([s.shift(), s.shift()], [1, 2]);
    assert.equal(s.push(5), true);
    assert.deepEqual([s.shift(), s.shift(), s.shift()], [3, 5, -1]);
    assert.equal(s.highWater, 3);
    assert.equal(s.enqueued, 4);
    assert.equal(s.dequeued, 4);
  });

  await t.step("wakes the longest waiter, or every waiter", () => {
    const s = new UdpSocket(new Simulator(), "s", 7, COSTS);
    const woken: number[] = [];
    for (const i of [1, 2, 3]) s.addWaiter({ wake: () => woken.push(i) });
    assert.equal(s.wake(false), 1);
    assert.deepEqual(woken, [1]);
    assert.equal(s.wake(true), 2);
    assert.deepEqual(woken, [1, 2, 3]);
    assert.equal(s.wake(true), 0);
  });

  await t.step("its lock serialises holders from different cores", () => {
    const sim = new Simulator();
    const s = new UdpSocket(sim, "s", 7, COSTS);
    const r0 = s.lock.acquire(0, 200, 0);
    const r1 = s.lock.acquire(1, 200, 0);
    assert.equal(r0, 220);
    assert.equal(r1, 220 + 420);
    assert.equal(s.lock.waited, 1);
  });

  await t.step("refuses a bad capacity or port", () => {
    assert.throws(() => new UdpSocket(new Simulator(), "s", 7, COSTS, 0), /queue of 0 datagrams/);
    assert.throws(() => new UdpSocket(new Simulator(), "s", 70000, COSTS), /port 70000/);
  });
});
