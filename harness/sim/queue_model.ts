/**
 * An M/M/1 or M/D/1 queue assembled from the simulator's parts, with its analytical answer.
 *
 * Poisson arrivals (an exponential sampler on a named random stream) feed a {@link FifoServer}
 * whose service times are exponential (M/M/1) or fixed (M/D/1). Used by the queueing tests, the
 * simulator benchmark and `lab sim queue`.
 *
 * @module
 */
import { createSampler } from "../../workloads/dist/mod.ts";
import { FifoServer } from "./fifo_server.ts";
import { RandomStreams } from "./random_streams.ts";
import { type EventTracer, Simulator } from "./simulator.ts";

/** Service-time law of the queue. */
export type ServiceLaw = "exponential" | "deterministic";

/** Parameters of {@link runQueue}. */
export interface QueueModelOptions {
  /** Customers to generate (1..10^8). */
  readonly arrivals: number;
  /** Server utilisation ρ = λ·S, in (0, 1). */
  readonly utilisation: number;
  /** Mean service time S in ns (integer >= 1). */
  readonly meanServiceNs: number;
  /** Exponential (M/M/1) or deterministic (M/D/1) service. */
  readonly service: ServiceLaw;
  /** Seed of the random streams. */
  readonly seed: number;
  /** Optional per-event tracer. */
  readonly tracer?: EventTracer;
}

/** Outcome of {@link runQueue}. */
export interface QueueModelResult {
  /** Mean time in queue before service, simulated (ns). */
  readonly meanWaitNs: number;
  /** Mean time in queue from Pollaczek–Khinchine (ns). */
  readonly analyticMeanWaitNs: number;
  /** Customers served. */
  readonly served: number;
  /** Events dispatched. */
  readonly events: number;
  /** Simulated time at the end (ns). */
  readonly simulatedNs: number;
  /** Fraction of time the server was busy. */
  readonly measuredUtilisation: number;
}

/**
 * Mean waiting time in queue of M/G/1 by Pollaczek–Khinchine: ρ·S·(1 + C²)/(2(1 − ρ)), with
 * C² = 1 for exponential and 0 for deterministic service.
 */
export function analyticMeanWaitNs(
  utilisation: number,
  meanServiceNs: number,
  service: ServiceLaw,
): number {
  const cv2 = service === "exponential" ? 1 : 0;
  return (utilisation * meanServiceNs * (1 + cv2)) / (2 * (1 - utilisation));
}

/** Runs the queue to completion and compares its mean wait with the analytical one. */
export function runQueue(options: QueueModelOptions): QueueModelResult {
  const { arrivals, utilisation, meanServiceNs, service, seed } = options;
  if (!Number.isInteger(arrivals) || arrivals < 1 || arrivals > 1e8) {
    throw new RangeError(
      `Queue arrivals ${arrivals} is invalid: must be an integer in 1..100000000`,
    );
  }
  if (!(utilisation > 0 && utilisation < 1)) {
    throw new RangeError(`Queue utilisation ${utilisation} is invalid: must be in (0, 1)`);
  }
  if (!Number.isInteger(meanServiceNs) || meanServiceNs < 1) {
    throw new RangeError(
      `Queue mean service ${meanServiceNs} ns is invalid: must be an integer >= 1`,
    );
  }
  const sim = new Simulator();
  if (options.tracer !== undefined) sim.tracer = options.tracer;
  const streams = new RandomStreams(seed);
  const arrivalRng = streams.stream("queue.arrivals");
  const serviceRng = streams.stream("queue.service");
  const gap = createSampler({ kind: "exponential", lambda: utilisation / meanServiceNs });
  const work = createSampler({ kind: "exponential", lambda: 1 / meanServiceNs });
  const server = new FifoServer(sim, "queue.server");
  let generated = 0;
  let served = 0;
  const departure = sim.on("queue.departure", () => {
    served++;
  });
  const arrival = sim.on("queue.arrival", (id) => {
    const s = service === "exponential" ? Math.round(work.sample(serviceRng)) : meanServiceNs;
    server.submit(s, departure, id);
    if (++generated < arrivals) sim.after(Math.round(gap.sample(arrivalRng)), arrival, generated);
  });
  sim.at(Math.round(gap.sample(arrivalRng)), arrival, 0);
  sim.run();
  return {
    meanWaitNs: server.meanWaitNs(),
    analyticMeanWaitNs: analyticMeanWaitNs(utilisation, meanServiceNs, service),
    served,
    events: sim.dispatched,
    simulatedNs: sim.now,
    measuredUtilisation: server.busyNs() / sim.now,
  };
}
