/**
 * Experiments as data (system, model choices, run) and the two presets.
 *
 * @module
 */
export * from "./spec.ts";
export * from "./presets.ts";
export * from "./start_time.ts";
export * from "./sim_speed.ts";
