import assert from "node:assert/strict";
import {
  calibrationRecord,
  copyNs,
  DEFAULT_COSTS,
  lockCosts,
  makeCalibration,
  Op,
  OP_NAMES,
  opNs,
} from "./calibration.ts";

Deno.test("Calibration", async (t) => {
  await t.step("every operation has a description, a unit and a source", () => {
    for (const name of OP_NAMES) {
      const e = DEFAULT_COSTS[name];
      assert.ok(e.description.length > 10, name);
      assert.ok(e.source.length > 10, name);
      assert.ok(e.value >= 0, name);
    }
    for (
      const required of [
        "driver_rx",
        "driver_tx",
        "l3l4_rx",
        "socket_enqueue",
        "wakeup_context_switch",
        "syscall",
        "copy_per_byte",
        "lock_uncontended",
        "cache_line_transfer",
        "ipi",
        "memcached_get",
      ]
    ) {
      assert.ok(OP_NAMES.includes(required as never), required);
    }
  });

  await t.step("the Linux echo path sums to Arrakis' 3.36 µs at a 64-byte payload (§5.2)", () => {
    const cal = makeCalibration();
    const ns = (op: number) => opNs(cal, op);
    const total = ns(Op.driver_rx) + ns(Op.l3l4_rx) + ns(Op.socket_enqueue) +
      ns(Op.sched_running) + ns(Op.syscall) + copyNs(cal, "in", 64) + ns(Op.syscall) +
      copyNs(cal, "out", 64) + ns(Op.l3l4_tx) + ns(Op.driver_tx);
    assert.ok(Math.abs(total - 3360) < 1e-9, String(total));
  });

  await t.step("cycles convert at the calibration clock", () => {
    assert.equal(makeCalibration().ns[Op.ring_access_bypass], 60 / 2.5);
    assert.equal(makeCalibration({ cpuGhz: 3 }).ns[Op.ring_access_bypass], 20);
    assert.deepEqual(lockCosts(makeCalibration()), { uncontendedNs: 20, contendedNs: 220 });
  });

  await t.step("copy cost scales with the payload", () => {
    const cal = makeCalibration();
    assert.ok(Math.abs(copyNs(cal, "in", 1024) - copyNs(cal, "in", 0) - 1024 * 0.15) < 1e-9);
    assert.throws(() => copyNs(cal, "out", -1), /Copy length -1 B is invalid/);
  });

  await t.step("overrides replace values, are marked and recorded", () => {
    const cal = makeCalibration({ name: "fast-ipi", overrides: { ipi: 500 } });
    assert.equal(cal.ns[Op.ipi], 500);
    assert.deepEqual(cal.overridden, ["ipi"]);
    const rec = calibrationRecord(cal);
    assert.equal(rec.name, "fast-ipi");
    assert.equal(rec.ops.ipi.overridden, true);
    assert.equal(rec.ops.ipi.ns, 500);
    assert.match(rec.ops.ipi.source, /override of 1000 ns/);
    assert.equal(rec.ops.syscall.overridden, false);
    assert.deepEqual(JSON.parse(JSON.stringify(rec)), rec);
  });

  await t.step("rejects unknown operations, negative values and odd clocks", () => {
    assert.throws(
      () => makeCalibration({ overrides: { nope: 1 } as never }),
      /override "nope" is not an operation: allowed driver_rx, /,
    );
    assert.throws(() => makeCalibration({ overrides: { ipi: -1 } }), /"ipi" = -1 is invalid/);
    assert.throws(
      () => makeCalibration({ cpuGhz: 0 }),
      /cpuGhz 0 is invalid: must be in 0.1\.\.10/,
    );
    assert.throws(() => opNs(makeCalibration(), 99), /Operation code 99 is unknown/);
  });
});
