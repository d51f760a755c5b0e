/**
 * dragonet-lab: a benchmark harness and test lab for host network stacks.
 *
 * Re-exports the public surface of each top-level folder.
 *
 * @module
 */
export {};
