/**
 * Dragonet's control loop (dragonet-model.md §12.1): application events (register, bind, flow,
 * span, close) batched by the MORE flag drive the queue-allocation search, the rebuild of the
 * software graph while warming up, the NIC configuration diff and the pipelines; every
 * reconfiguration is recorded. Also the `explain` core: one search on a flow set, the chosen
 * configuration, the flow -> queue map and the graphs it yields.
 *
 * @example
 * ```ts
 * import { DragonetControl, DRAGONET_NICS, EventFlag, costByName } from "./mod.ts";
 * const ctl = new DragonetControl({
 *   nic: DRAGONET_NICS["intel-82599"],
 *   queues: 3,
 *   cost: costByName({ name: "balance" }),
 *   search: "greedy",
 *   builder: () => "graph", // the default builds the embedded graph and its pipelines
 * });
 * await ctl.start();
 * const app = ctl.handle({ kind: "register", label: "echo", flags: 0 }).id;
 * const sid = ctl.handle({
 *   kind: "bind", app, local: { ip: 0, port: 7 }, remote: { ip: 0, port: 0 }, flags: EventFlag.More,
 * }).id;
 * ctl.handle({
 *   kind: "flow", socket: sid, local: { ip: 0x0a000001, port: 7 },
 *   remote: { ip: 0x0a000002, port: 4000 }, flags: 0,
 * });
 * await ctl.settled();
 * console.log(ctl.log().at(-1)?.placement); // the flow on queue 1
 * ```
 *
 * @module
 */
export * from "./events.ts";
export * from "./app_registry.ts";
export * from "./dragonet_nics.ts";
export * from "./cost_choice.ts";
export * from "./reconfig_log.ts";
export * from "./control_loop.ts";
export * from "./explain.ts";
export * from "./event_script.ts";
