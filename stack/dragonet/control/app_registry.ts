/**
 * The stack's view of its applications (dragonet-model.md §12.1): applications, sockets, UDP
 * endpoints and the flows registered on them, changed only by {@link AppEvent}s.
 *
 * It yields the two inputs of a reconfiguration: the endpoints that configure the LPG (socket
 * C-node, §6.6) and the pending flow delta ({@link FlowsState}, §8.1) for the search. A bind
 * makes a new endpoint, a span adds a socket to an existing one, a flow is attached to its
 * socket's endpoint (fields the endpoint fixes are filled in; a contradicting field is
 * refused), and closing an endpoint's last socket removes the endpoint and its flows (the
 * original left `SocketClose` unhandled).
 *
 * @module
 */
import { addFlow, EMPTY_FLOWS, type FlowsState, removeFlow } from "../search/flows_state.ts";
import { type Flow, flowKey } from "../search/flow.ts";
import type { UdpEndpoint } from "../../protocols/udp_sockets_expansion.ts";
import {
  type AppEvent,
  EventFlag,
  type EventReply,
  ReplyStatus,
  type UdpAddress,
} from "./events.ts";

interface EndpointEntry {
  readonly local: UdpAddress;
  readonly remote: UdpAddress;
  readonly sockets: number[];
  readonly flows: Flow[];
}

interface SocketEntry {
  readonly app: number;
  readonly endpoint: number;
}

/** What handling one event did. */
export interface RegistryOutcome {
  /** The reply to the application. */
  readonly reply: EventReply;
  /** True when the endpoint set (and so the LPG) changed. */
  readonly endpointsChanged: boolean;
  /** True when the flow set changed. */
  readonly flowsChanged: boolean;
}

const reply = (status: number, id = -1): EventReply => ({ status, id });
const nothing = (status: number): RegistryOutcome => ({
  reply: reply(status),
  endpointsChanged: false,
  flowsChanged: false,
});

function validAddress(a: UdpAddress): boolean {
  return Number.isInteger(a.ip) && a.ip >= 0 && a.ip <= 0xffffffff &&
    Number.isInteger(a.port) && a.port >= 0 && a.port <= 0xffff;
}

/** Largest socket id the LPG accepts (`checkEndpoints`); ids are never reused. */
export const MAX_SOCKET_ID = 1_000_000;

/** Applications, sockets, endpoints and flows (see the module doc). */
export class AppRegistry {
  #apps = new Map<number, string>();
  #sockets = new Map<number, SocketEntry>();
  #endpoints = new Map<number, EndpointEntry>();
  #flowOwner = new Map<string, number>();
  #flows: FlowsState = EMPTY_FLOWS;
  #nextApp = 0;
  #nextSocket = 0;
  #nextEndpoint = 0;

  /** Applies one event; returns the reply and what changed. Bad input yields a status code. */
  handle(e: AppEvent): RegistryOutcome {
    if (!Number.isInteger(e.flags) || (e.flags & ~EventFlag.More) !== 0) {
      return nothing(ReplyStatus.BadFlags);
    }
    switch (e.kind) {
      case "register": {
        const id = this.#nextApp++;
        this.#apps.set(id, e.label);
        return { reply: reply(ReplyStatus.Ok, id), endpointsChanged: false, flowsChanged: false };
      }
      case "bind": {
        if (!this.#apps.has(e.app)) return nothing(ReplyStatus.UnknownApp);
        if (!validAddress(e.local) || !validAddress(e.remote)) {
          return nothing(ReplyStatus.BadAddress);
        }
        if (this.#nextSocket > MAX_SOCKET_ID) return nothing(ReplyStatus.SocketIdsExhausted);
        return this.#newSocket(e.app, this.#newEndpoint(e.local, e.remote));
      }
      case "span": {
        if (!this.#apps.has(e.app)) return nothing(ReplyStatus.UnknownApp);
        const s = this.#sockets.get(e.socket);
        if (s === undefined) return nothing(ReplyStatus.UnknownSocket);
        return this.#newSocket(e.app, s.endpoint);
      }
      case "flow":
        return this.#flow(e.socket, e.local, e.remote);
      case "close":
        return this.#close(e.socket);
      case "nop":
        return nothing(ReplyStatus.Ok);
    }
  }

  #newEndpoint(local: UdpAddress, remote: UdpAddress): number {
    const id = this.#nextEndpoint++;
    this.#endpoints.set(id, {
      local: { ip: local.ip, port: local.port },
      remote: { ip: remote.ip, port: remote.port },
      sockets: [],
      flows: [],
    });
    return id;
  }

  #newSocket(app: number, endpoint: number): RegistryOutcome {
    if (this.#nextSocket > MAX_SOCKET_ID) return nothing(ReplyStatus.SocketIdsExhausted);
    const sid = this.#nextSocket++;
    this.#sockets.set(sid, { app, endpoint });
    this.#endpoints.get(endpoint)?.sockets.push(sid);
    return { reply: reply(ReplyStatus.Ok, sid), endpointsChanged: true, flowsChanged: false };
  }

  #flow(sid: number, local: UdpAddress, remote: UdpAddress): RegistryOutcome {
    const s = this.#sockets.get(sid);
    const ep = s === undefined ? undefined : this.#endpoints.get(s.endpoint);
    if (s === undefined || ep === undefined) return nothing(ReplyStatus.UnknownSocket);
    if (!validAddress(local) || !validAddress(remote)) return nothing(ReplyStatus.BadAddress);
    const field = (given: number, fixed: number): number | null =>
      fixed === 0 ? given : given === 0 || given === fixed ? fixed : null;
    const srcIp = field(remote.ip, ep.remote.ip);
    const srcPort = field(remote.port, ep.remote.port);
    const dstIp = field(local.ip, ep.local.ip);
    const dstPort = field(local.port, ep.local.port);
    if (srcIp === null || srcPort === null || dstIp === null || dstPort === null) {
      return nothing(ReplyStatus.FlowOutsideEndpoint);
    }
    const flow: Flow = {
      ...(srcIp === 0 ? {} : { srcIp }),
      ...(srcPort === 0 ? {} : { srcPort }),
      ...(dstIp === 0 ? {} : { dstIp }),
      ...(dstPort === 0 ? {} : { dstPort }),
    };
    const key = flowKey(flow);
    if (this.#flowOwner.has(key)) return nothing(ReplyStatus.DuplicateFlow);
    this.#flowOwner.set(key, s.endpoint);
    ep.flows.push(flow);
    this.#flows = addFlow(this.#flows, flow).state;
    return { reply: reply(ReplyStatus.Ok), endpointsChanged: false, flowsChanged: true };
  }

  #close(sid: number): RegistryOutcome {
    const s = this.#sockets.get(sid);
    const ep = s === undefined ? undefined : this.#endpoints.get(s.endpoint);
    if (s === undefined || ep === undefined) return nothing(ReplyStatus.UnknownSocket);
    this.#sockets.delete(sid);
    ep.sockets.splice(ep.sockets.indexOf(sid), 1);
    if (ep.sockets.length > 0) {
      return { reply: reply(ReplyStatus.Ok), endpointsChanged: true, flowsChanged: false };
    }
    this.#endpoints.delete(s.endpoint);
    for (const f of ep.flows) {
      this.#flowOwner.delete(flowKey(f));
      this.#flows = removeFlow(this.#flows, f).state;
    }
    return {
      reply: reply(ReplyStatus.Ok),
      endpointsChanged: true,
      flowsChanged: ep.flows.length > 0,
    };
  }

  /** The pending flow delta (current, added, removed) not yet handed to the search. */
  flows(): FlowsState {
    return this.#flows;
  }

  /** Replaces the flow state after a search took its delta (see `resetFlows`). */
  setFlows(state: FlowsState): void {
    this.#flows = state;
  }

  /** Every registered flow, in registration order per endpoint. */
  allFlows(): Flow[] {
    return [...this.#endpoints.values()].flatMap((e) => e.flows);
  }

  /** The endpoints configuring the LPG, in bind order (socket ids with their applications). */
  endpoints(): UdpEndpoint[] {
    return [...this.#endpoints.values()].map((e) => ({
      sockets: e.sockets.map((sid) => ({ sid, appId: this.#sockets.get(sid)?.app ?? 0 })),
      srcIp: e.remote.ip,
      srcPort: e.remote.port,
      dstIp: e.local.ip,
      dstPort: e.local.port,
    }));
  }

  /** Label of application `app`, or undefined. */
  appLabel(app: number): string | undefined {
    return this.#apps.get(app);
  }
}
