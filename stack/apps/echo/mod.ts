/**
 * The UDP echo application, the first application on the LPG.
 *
 * @module
 */
export * from "./udp_echo.ts";
