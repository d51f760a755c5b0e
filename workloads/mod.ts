/**
 * Workloads: distributions (mutilate syntax, Facebook ETC), metrics (HDR latency, throughput),
 * load-generating client machines, and the memcached-over-UDP and UDP echo workloads.
 *
 * @module
 */
export * from "./dist/mod.ts";
export * from "./metrics/mod.ts";
export * from "./clients/mod.ts";
export * from "./memcached/mod.ts";
export * from "./echo/mod.ts";
