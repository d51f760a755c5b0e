import assert from "node:assert/strict";
import { TcpEngine } from "./engine.ts";
import { TcpCounter } from "./counters.ts";
import { TcpLink, VirtualClock } from "./link.ts";
import { runTransfer } from "./transfer.ts";

function run(seed: number) {
  return runTransfer({
    up: new Uint8Array(20_000).fill(1),
    down: new Uint8Array(5_000).fill(2),
    link: { loss: 0.1, jitterNs: 100_000, seed, record: true },
  });
}

Deno.test("TCP link", async (t) => {
  await t.step("one seed gives the same run, another seed a different one", () => {
    const a = run(5);
    const b = run(5);
    const c = run(6);
    assert.ok(a.completed && b.completed && c.completed);
    const sig = (r: typeof a) =>
      r.link.records.map((x) => `${x.time}/${x.from}/${x.dropped}`).join(",");
    assert.equal(sig(a), sig(b));
    assert.notEqual(sig(a), sig(c));
  });

  await t.step("without jitter segments arrive in the order they were sent", () => {
    const clock = new VirtualClock();
    const e0 = new TcpEngine({ clock: clock.read });
    const e1 = new TcpEngine({ clock: clock.read });
    const link = new TcpLink([e0, e1], clock, { delayNs: 1000 });
    e1.listen(80);
    const id = e0.connect(1, 2, 80);
    link.run();
    e0.send(id, new Uint8Array(10 * 1460));
    link.run();
    assert.equal(e1.counters[TcpCounter.OutOfOrderQueued], 0, "no out-of-order segment");
    assert.equal(link.dropped, 0);
  });

  await t.step("bad options are refused", () => {
    const clock = new VirtualClock();
    const e = [new TcpEngine(), new TcpEngine()] as const;
    assert.throws(
      () => new TcpLink(e, clock, { loss: 1.5 }),
      /loss 1.5: must be a probability 0..1/,
    );
    assert.throws(() => new TcpLink(e, clock, { delayNs: -1 }), /delay -1 ns/);
    assert.throws(() => new TcpLink(e, clock, { seed: 2 ** 40 }), /seed/);
  });
});
