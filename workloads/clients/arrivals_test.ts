import assert from "node:assert/strict";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ArrivalSchedule, interArrivalSampler } from "./arrivals.ts";

Deno.test("arrival schedules", async (t) => {
  for (const dist of ["exponential", "fb_ia", "fixed:1", "uniform:1"]) {
    await t.step(`${dist}: integer, non-decreasing times at the target mean rate`, () => {
      const s = new ArrivalSchedule(
        interArrivalSampler(dist, 250_000),
        xoroshiro128plus(42),
        1000,
      );
      let prev = 1000;
      let last = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        last = s.next();
        assert.ok(Number.isInteger(last) && last >= prev);
        prev = last;
      }
      const rate = n / ((last - 1000) / 1e9);
      assert.ok(Math.abs(rate - 250_000) / 250_000 < 0.03, `${dist}: ${rate}/s`);
    });
  }
  await t.step("a fixed gap never drifts with rounding", () => {
    const s = new ArrivalSchedule(interArrivalSampler("fixed:1", 3e8), xoroshiro128plus(1), 0);
    let t3 = 0;
    for (let i = 0; i < 3000; i++) t3 = s.next();
    assert.equal(t3, 10_000); // 3000 gaps of 3.333... ns
  });
  await t.step("bad rates and distributions are refused", () => {
    assert.throws(() => interArrivalSampler("exponential", 0), /rate 0\/s is invalid/);
    assert.throws(() => interArrivalSampler("fb_value", 10), /fb_value/);
  });
});
