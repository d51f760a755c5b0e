/**
 * Speed of the simulator core: events per wall-second. Each case runs a known number of events,
 * so events/s = events / (time per iteration). Reported, never asserted.
 *
 * Run: `deno bench --allow-all harness/sim/simulator_bench.ts`
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { createSampler } from "../../workloads/dist/mod.ts";
import { runQueue } from "./queue_model.ts";
import { Simulator } from "./simulator.ts";
import { Link } from "./wire.ts";

const EVENTS = 100_000;

/** Integer delays drawn once (exponential, mean 1 µs) so the hold model measures the core. */
const DELAYS = (() => {
  const rng = xoroshiro128plus(42);
  const exp = createSampler({ kind: "exponential", lambda: 1 / 1000 });
  const out = new Float64Array(4096);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(exp.sample(rng));
  return out;
})();

/** Classic "hold" model: `pending` events, each rescheduling itself; runs EVENTS events. */
function hold(pending: number): number {
  const sim = new Simulator(pending + 16);
  let i = 0;
  const k = sim.on("hold", () => {
    sim.after(DELAYS[i++ & 4095] as number, k);
  });
  for (let j = 0; j < pending; j++) sim.at(DELAYS[j & 4095] as number, k);
  return sim.run(Infinity, EVENTS);
}

Deno.bench("hold model, 16 pending events (100k events)", { group: "core", baseline: true }, () => {
  hold(16);
});

Deno.bench("hold model, 1000 pending events (100k events)", { group: "core" }, () => {
  hold(1000);
});

Deno.bench("hold model, 100k pending events (100k events)", { group: "core" }, () => {
  hold(100_000);
});

Deno.bench("same-instant ties: 100k events at 10 instants", { group: "core" }, () => {
  const sim = new Simulator(EVENTS);
  const k = sim.on("tie", () => {});
  for (let j = 0; j < EVENTS; j++) sim.at(j % 10, k, j);
  sim.run();
});

Deno.bench("M/M/1 with random streams, 50k arrivals (100k events)", { group: "models" }, () => {
  runQueue({
    arrivals: 50_000,
    utilisation: 0.5,
    meanServiceNs: 1000,
    service: "exponential",
    seed: 1,
  });
});

Deno.bench("10 GbE link at 2x overload, 64-byte frames (50k offered, ~75k events)", {
  group: "models",
}, () => {
  const sim = new Simulator();
  const link = new Link(sim, "l", () => {}, { queueFrames: 64 });
  let n = 0;
  const send = sim.on("send", () => {
    link.send(n, 60);
    if (++n < 50_000) sim.after(34, send);
  });
  sim.at(0, send);
  sim.run();
});
