import assert from "node:assert/strict";
import { analyticMeanWaitNs, runQueue } from "./queue_model.ts";

Deno.test("Queues built from the simulator's parts", async (t) => {
  await t.step(
    "M/M/1 at ρ = 0.5 gives the analytical mean wait within 2% over 10^6 arrivals",
    () => {
      const r = runQueue({
        arrivals: 1_000_000,
        utilisation: 0.5,
        meanServiceNs: 10_000,
        service: "exponential",
        seed: 42,
      });
      assert.equal(r.analyticMeanWaitNs, 10_000);
      assert.equal(r.served, 1_000_000);
      const err = Math.abs(r.meanWaitNs / r.analyticMeanWaitNs - 1);
      assert.ok(err < 0.02, `mean wait ${r.meanWaitNs} ns vs ${r.analyticMeanWaitNs} (${err})`);
      assert.ok(
        Math.abs(r.measuredUtilisation - 0.5) < 0.01,
        `utilisation ${r.measuredUtilisation}`,
      );
    },
  );

  await t.step(
    "M/D/1 at ρ = 0.7 gives the analytical mean wait within 2% over 10^6 arrivals",
    () => {
      const r = runQueue({
        arrivals: 1_000_000,
        utilisation: 0.7,
        meanServiceNs: 10_000,
        service: "deterministic",
        seed: 42,
      });
      const err = Math.abs(r.meanWaitNs / r.analyticMeanWaitNs - 1);
      assert.ok(err < 0.02, `mean wait ${r.meanWaitNs} ns vs ${r.analyticMeanWaitNs} (${err})`);
    },
  );

  await t.step("deterministic service halves the M/M/1 wait (Pollaczek–Khinchine)", () => {
    assert.equal(
      analyticMeanWaitNs(0.8, 1000, "deterministic") * 2,
      analyticMeanWaitNs(0.8, 1000, "exponential"),
    );
  });

  await t.step("rejects out-of-range parameters with the value in the message", () => {
    const base = {
      arrivals: 10,
      utilisation: 0.5,
      meanServiceNs: 100,
      service: "exponential" as const,
      seed: 1,
    };
    assert.throws(() => runQueue({ ...base, utilisation: 1 }), /utilisation 1 is invalid/);
    assert.throws(() => runQueue({ ...base, arrivals: 0 }), /arrivals 0 is invalid/);
    assert.throws(() => runQueue({ ...base, meanServiceNs: 0.5 }), /service 0.5 ns is invalid/);
  });
});
