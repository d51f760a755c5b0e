/**
 * Test helpers of the control loop: event builders, a stepping clock and timer, a deferred
 * promise, and frame classification through a NIC model.
 *
 * @module
 */
import { ruleKey } from "../../../nicmodels/_shared/config_diff.ts";
import { type NicConfig, type NicModel, RxResult } from "../../../nicmodels/_shared/nic.ts";
import { buildUdpFrame } from "../../packet/build.ts";
import type { Flow } from "../search/flow.ts";
import {
  type AppRegisterEvent,
  EventFlag,
  type SocketBindEvent,
  type SocketFlowEvent,
} from "./events.ts";

/** Local address of the test host (10.0.0.1). */
export const LOCAL_IP = 0x0a000001;

/** `register` event. */
export function reg(label: string, more = false): AppRegisterEvent {
  return { kind: "register", label, flags: more ? EventFlag.More : 0 };
}

/** `bind` of a listening socket on local port `port`. */
export function bind(app: number, port: number, more = false): SocketBindEvent {
  return {
    kind: "bind",
    app,
    local: { ip: 0, port },
    remote: { ip: 0, port: 0 },
    flags: more ? EventFlag.More : 0,
  };
}

/** `flow` from client 10.1.0.k:(4000 + k) to LOCAL_IP:`port` on socket `sid`. */
export function flowEv(sid: number, k: number, port: number, more = false): SocketFlowEvent {
  return {
    kind: "flow",
    socket: sid,
    local: { ip: LOCAL_IP, port },
    remote: { ip: 0x0a010000 + k, port: 4000 + k },
    flags: more ? EventFlag.More : 0,
  };
}

/** The flow {@link flowEv} registers. */
export function flowOf(k: number, port: number): Flow {
  return { srcIp: 0x0a010000 + k, srcPort: 4000 + k, dstIp: LOCAL_IP, dstPort: port };
}

/** A clock that advances by `step` ns per reading, starting at `start`. */
export function steppingClock(start: number, step: number): () => number {
  let t = start - step;
  return () => (t += step);
}

/** A promise with its resolve and reject exposed. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

/** Sorted rule keys of a configuration's filters (order-free identity). */
export function filterKeys(config: NicConfig): string[] {
  return config.filters.map(ruleKey).sort();
}

const DST_MAC = new Uint8Array([2, 0, 0, 0, 0, 1]);
const SRC_MAC = new Uint8Array([2, 0, 0, 0, 0, 2]);
const buf = new Uint8Array(128);
const rx = new RxResult();

/** Queue the NIC model classifies a UDP frame of `flow` to (wildcards filled with 1). */
export function classifyFlow(nic: NicModel, flow: Flow): number {
  const n = buildUdpFrame(buf, 0, {
    dstMac: DST_MAC,
    srcMac: SRC_MAC,
    srcIp: flow.srcIp ?? 0x0a090909,
    dstIp: flow.dstIp ?? LOCAL_IP,
    srcPort: flow.srcPort ?? 1,
    dstPort: flow.dstPort ?? 1,
  });
  rx.reset();
  return nic.classify(buf, 0, n, rx);
}
