import assert from "node:assert/strict";
import { createTestbed } from "../sim/testbed.ts";
import { createServer } from "../stacks/server.ts";
import {
  BENCH_CORES,
  BENCH_EXPERIMENTS,
  BENCH_EXTRA_CORE_ROWS,
  BENCH_MEMCACHED,
} from "./bench_presets.ts";
import { runPoint } from "./runner.ts";
import type { ExperimentSpec } from "./spec.ts";

Deno.test("bench presets", async (t) => {
  await t.step("every stack's main row gets the same total server cores", () => {
    for (const e of BENCH_EXPERIMENTS) {
      const app = e.system.workload.kind === "memcached-memaslap" ? "memcached" : "echo";
      const mainRows = Object.keys(e.system.servers).filter((l) =>
        BENCH_EXTRA_CORE_ROWS[l] === undefined
      );
      assert.ok(mainRows.length >= 6, `${e.name}: ${mainRows.join(", ")}`);
      for (const [label, spec] of Object.entries(e.system.servers)) {
        const server = createServer(createTestbed({ seed: 1 }), { ...spec, app });
        const want = BENCH_EXTRA_CORE_ROWS[label] ?? BENCH_CORES;
        assert.equal(
          server.host.cores.length,
          want,
          `${e.name} "${label}" builds ${server.host.cores.length} cores, expected ${want}`,
        );
        assert.equal(server.host.nic.queues, BENCH_CORES, `${e.name} "${label}" queues`);
      }
    }
  });

  await t.step("a row with other cores says so in its label", () => {
    for (const [label, cores] of Object.entries(BENCH_EXTRA_CORE_ROWS)) {
      assert.ok(label.endsWith(`-${cores}c`), `label "${label}" does not end in -${cores}c`);
      for (const e of BENCH_EXPERIMENTS) assert.ok(e.system.servers[label], `${e.name}: ${label}`);
    }
  });

  await t.step("a run records its cores and Dragonet's control-loop metrics", () => {
    const spec: ExperimentSpec = {
      ...BENCH_MEMCACHED,
      run: { ...BENCH_MEMCACHED.run, warmupNs: 3_000_000, durationNs: 300_000 },
    };
    const point = { clients: 8, size: 64, burst: 0, repetition: 0, seed: 5 };
    const dedicated = runPoint(spec, { ...point, stack: "dragonet-82599-20c" }).run;
    assert.equal(dedicated.params["cores"], 20);
    const other = dedicated.metrics.other;
    assert.equal(other["dragonet_flows_registered"]?.value, 8);
    assert.ok((other["dragonet_reconfigurations"]?.value ?? 0) >= 1);
    assert.ok((other["dragonet_filters_installed"]?.value ?? 0) >= 1);
    assert.ok((other["dragonet_first_reconfig_ns"]?.value ?? 0) > 0);
    assert.equal(other["dragonet_core_switches"]?.value, 0);
    const colocated = runPoint(spec, { ...point, stack: "dragonet-82599" }).run;
    assert.equal(colocated.params["cores"], 10);
    assert.ok((colocated.metrics.other["dragonet_core_switches"]?.value ?? 0) > 0);
    const linux = runPoint(spec, { ...point, stack: "linux-default" }).run;
    assert.equal(linux.params["cores"], 10);
    assert.equal(linux.metrics.other["dragonet_reconfigurations"], undefined);
  });
});
