/**
 * Configuration of C-nodes: typed configuration spaces, value validation and enumeration.
 *
 * @module
 */
export * from "./space.ts";
export * from "./validate.ts";
export * from "./enumerate.ts";
