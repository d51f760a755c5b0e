import assert from "node:assert/strict";
import { EXPERIMENTS, MEMCACHED_MEMASLAP, UDP_ECHO } from "./presets.ts";
import { experimentPoints, type ExperimentSpec, validateExperiment } from "./spec.ts";

Deno.test("experiment specs", async (t) => {
  await t.step("the presets are valid and survive a JSON round trip", () => {
    for (const spec of Object.values(EXPERIMENTS)) {
      assert.deepEqual(validateExperiment(spec), []);
      assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
    }
  });

  await t.step("points cover every stack, size, burst and client count", () => {
    const mc = experimentPoints(MEMCACHED_MEMASLAP);
    assert.equal(mc.length, 4 * 2 * 5);
    assert.deepEqual([...new Set(mc.map((p) => p.clients))], [8, 16, 24, 32, 40]);
    const echo = experimentPoints(UDP_ECHO);
    assert.equal(echo.length, 3 * 2 * 2);
    assert.deepEqual(
      [...new Set(echo.map((p) => `${p.size}/${p.burst}`))],
      ["64/1", "64/32", "1024/1", "1024/32"],
    );
  });

  await t.step("repetitions get consecutive seeds", () => {
    const spec: ExperimentSpec = { ...UDP_ECHO, run: { ...UDP_ECHO.run, repetitions: 3, seed: 7 } };
    assert.deepEqual(
      experimentPoints(spec).slice(0, 3).map((p) => [p.repetition, p.seed]),
      [[0, 7], [1, 8], [2, 9]],
    );
  });

  await t.step("lists every problem of a bad spec", () => {
    const bad = {
      ...UDP_ECHO,
      name: "Bad Name",
      model: { calibration: { overrides: { warp_drive: 1 } } },
      run: { ...UDP_ECHO.run, repetitions: 0, sweep: { clients: [] } },
    } as ExperimentSpec;
    const problems = validateExperiment(bad);
    assert.ok(problems.some((p) => p.startsWith("name must be")));
    assert.ok(problems.some((p) => p.includes("warp_drive is not an operation")));
    assert.ok(problems.includes("run.repetitions must be an integer 1..100, got 0"));
    assert.ok(problems.some((p) => p.startsWith("run.sweep.clients must be a non-empty list")));
  });

  await t.step("a memaslap workload's transport is udp or tcp", () => {
    const w = MEMCACHED_MEMASLAP.system.workload;
    const withTransport = (transport: string) =>
      validateExperiment({
        ...MEMCACHED_MEMASLAP,
        system: { ...MEMCACHED_MEMASLAP.system, workload: { ...w, transport } },
      } as ExperimentSpec);
    assert.deepEqual(withTransport("tcp"), []);
    assert.deepEqual(withTransport("sctp"), [
      'system.workload.transport must be "udp" or "tcp", got "sctp"',
    ]);
  });
});
