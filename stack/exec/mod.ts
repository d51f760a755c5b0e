/**
 * Executing graphs: the numeric program built from a graph, the interpreter, the compiler to one
 * generated JavaScript function, task queues, and pipelines linked by bounded queues.
 *
 * @module
 */
export * from "./types.ts";
export * from "./task_queue.ts";
export * from "./context.ts";
export * from "./program.ts";
export * from "./interpreter.ts";
export * from "./compiler.ts";
export * from "./bounded_queue.ts";
export * from "./pipeline_nodes.ts";
export * from "./pipelines.ts";
export * from "./counters.ts";
