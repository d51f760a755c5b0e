/**
 * Capture replay through the lab's whole stack (`lab replay`): `replayCapture` feeds the frames
 * of a capture addressed to one host through the LPG, TCP and an application and returns what
 * the stack transmits; `classifyL4Checksum` and `fillL4Checksum` handle the partial checksums of
 * loopback captures.
 *
 * @module
 */
export * from "./replay.ts";
export * from "./checksums.ts";
