/**
 * The stack-state file the LPG is built from: local addresses and UDP endpoints, as JSON.
 *
 * ```json
 * {
 *   "localIp": "10.0.0.1",
 *   "localMac": "02:00:00:00:00:01",
 *   "mtu": 1500,
 *   "endpoints": [
 *     { "local": "*:7", "remote": "*:*", "sockets": [{ "sid": 0, "app": 0 }] },
 *     { "local": "10.0.0.1:53", "remote": "10.0.0.9:1000",
 *       "sockets": [{ "sid": 1, "app": 1 }, { "sid": 2, "app": 1 }] }
 *   ]
 * }
 * ```
 *
 * `*` is a wildcard (0 in the configuration, reference §6.6). `mtu` is optional (default 1500,
 * 68..65535; the Ethernet length check drops longer frames, see `LpgConfig.mtu`).
 *
 * @module
 */
import { parseIpv4, parseMac } from "../packet/addr.ts";
import { DEFAULT_MTU } from "./env.ts";
import { checkEndpoints, type UdpEndpoint } from "./udp_sockets_expansion.ts";

/** A parsed stack-state file. */
export interface StackState {
  /** Local IPv4 (dotted quad). */
  readonly localIp: string;
  /** Local MAC. */
  readonly localMac: string;
  /** UDP endpoints. */
  readonly endpoints: readonly UdpEndpoint[];
  /** Interface MTU in bytes (68..65535; default {@linkcode DEFAULT_MTU}). */
  readonly mtu: number;
}

function fail(source: string, what: string): never {
  throw new Error(`Cannot read stack state "${source}": ${what}`);
}

function address(source: string, where: string, text: unknown): [number, number] {
  if (typeof text !== "string") {
    fail(source, `${where} must be a string "ip:port", got ${typeof text}`);
  }
  const i = text.lastIndexOf(":");
  if (i < 0) fail(source, `${where} "${text}" must be "ip:port" (use * for any)`);
  const ipText = text.slice(0, i);
  const portText = text.slice(i + 1);
  let ip = 0;
  if (ipText !== "*") {
    try {
      ip = parseIpv4(ipText) >>> 0;
    } catch (err) {
      fail(source, `${where} "${text}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  let port = 0;
  if (portText !== "*") {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(source, `${where} "${text}": port must be 1..65535 or *`);
    }
  }
  return [ip, port];
}

/**
 * Parses a stack-state JSON text.
 *
 * @throws {Error} naming the file and the first bad field.
 */
export function parseStackState(text: string, source = "stack state"): StackState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    fail(source, `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof data !== "object" || data === null) fail(source, "must be a JSON object");
  const o = data as Record<string, unknown>;
  const localIp = o["localIp"];
  const localMac = o["localMac"];
  if (typeof localIp !== "string") fail(source, `field "localIp" must be a dotted-quad string`);
  if (typeof localMac !== "string") fail(source, `field "localMac" must be a MAC string`);
  try {
    parseIpv4(localIp);
    parseMac(localMac);
  } catch (err) {
    fail(source, err instanceof Error ? err.message : String(err));
  }
  const mtu = o["mtu"] ?? DEFAULT_MTU;
  if (typeof mtu !== "number" || !Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
    fail(source, `field "mtu" must be an integer 68..65535, got ${JSON.stringify(mtu)}`);
  }
  const list = o["endpoints"] ?? [];
  if (!Array.isArray(list)) fail(source, `field "endpoints" must be a list`);
  const endpoints = list.map((e: unknown, i: number): UdpEndpoint => {
    if (typeof e !== "object" || e === null) fail(source, `endpoints[${i}] must be an object`);
    const ep = e as Record<string, unknown>;
    const [dstIp, dstPort] = address(source, `endpoints[${i}].local`, ep["local"] ?? "*:*");
    const [srcIp, srcPort] = address(source, `endpoints[${i}].remote`, ep["remote"] ?? "*:*");
    const socks = ep["sockets"];
    if (!Array.isArray(socks) || socks.length === 0) {
      fail(source, `endpoints[${i}].sockets must be a non-empty list of {sid, app}`);
    }
    const sockets = socks.map((s: unknown, k: number) => {
      const r = (typeof s === "object" && s !== null ? s : {}) as Record<string, unknown>;
      const sid = r["sid"];
      const app = r["app"] ?? 0;
      if (typeof sid !== "number" || typeof app !== "number") {
        fail(source, `endpoints[${i}].sockets[${k}] needs numbers "sid" and "app"`);
      }
      return { sid, appId: app };
    });
    return { sockets, srcIp, srcPort, dstIp, dstPort };
  });
  try {
    checkEndpoints(endpoints);
  } catch (err) {
    fail(source, err instanceof Error ? err.message : String(err));
  }
  return { localIp, localMac, endpoints, mtu };
}
