/**
 * An Ethernet switch: frames arriving on any port leave on a chosen output port after a fixed
 * latency, through that port's transmit queue.
 *
 * @module
 */
import type { Simulator } from "./simulator.ts";
import { type FrameReceiver, Link, type LinkOptions } from "./wire.ts";

/**
 * Default forwarding latency. source: host-stacks.md §5.5 ("cut-through 10 GbE switches are low
 * single-digit µs; unverified"), a parameter.
 */
export const DEFAULT_SWITCH_LATENCY_NS = 1000;

/** Frame lengths travel packed with the port in one event argument. */
const LEN_SPACE = 65_536;

/** Options of an {@link EthernetSwitch}. */
export interface SwitchOptions {
  /** Forwarding latency in integer ns (default {@link DEFAULT_SWITCH_LATENCY_NS}). */
  readonly latencyNs?: number;
  /** Options of every output port's link (rate, propagation, queue in frames). */
  readonly port?: LinkOptions;
}

/**
 * A switch whose output ports are {@link Link}s: a frame handed to {@link EthernetSwitch.forward}
 * (typically by the receiver of an input link, i.e. once its last bit arrived) enters the output
 * port's queue `latencyNs` later, so many senders converging on one port queue there, at that
 * port's line rate, with counted drops when the queue is bounded.
 *
 * Ports: `forward()` in; each output port's receiver out. Config: `latencyNs`, `port` link
 * options. Counters: `forwarded`; per-port link counters via {@link EthernetSwitch.port}.
 */
export class EthernetSwitch {
  /** Name for reports. */
  readonly name: string;
  /** Forwarding latency (ns). */
  readonly latencyNs: number;
  /** Frames accepted for forwarding. */
  forwarded = 0;
  #sim: Simulator;
  #ports: Link[] = [];
  #portOptions: LinkOptions;
  #kind: number;

  /** Creates a switch with no ports. */
  constructor(sim: Simulator, name: string, options: SwitchOptions = {}) {
    this.name = name;
    this.latencyNs = options.latencyNs ?? DEFAULT_SWITCH_LATENCY_NS;
    if (!Number.isInteger(this.latencyNs) || this.latencyNs < 0) {
      throw new RangeError(
        `Switch "${name}" latency ${this.latencyNs} ns is invalid: must be an integer >= 0`,
      );
    }
    this.#sim = sim;
    this.#portOptions = options.port ?? {};
    this.#kind = sim.on(`switch.${name}.egress`, (tag, packed) => {
      const len = packed % LEN_SPACE;
      (this.#ports[(packed - len) / LEN_SPACE] as Link).send(tag, len);
    });
  }

  /** Adds an output port delivering to `receiver`; returns its number (0, 1, ...). */
  addPort(receiver: FrameReceiver): number {
    const n = this.#ports.length;
    this.#ports.push(new Link(this.#sim, `${this.name}.port${n}`, receiver, this.#portOptions));
    return n;
  }

  /** The output link of `port`, for its counters. */
  port(port: number): Link {
    const link = this.#ports[port];
    if (link === undefined) {
      throw new RangeError(
        `Switch "${this.name}" has no port ${port}: ports are 0..${this.#ports.length - 1}`,
      );
    }
    return link;
  }

  /** Forwards a frame (length without FCS, below 65536) to output `port`. */
  forward(tag: number, frameBytesWithoutFcs: number, port: number): void {
    if (!(port >= 0 && port < this.#ports.length) || port !== (port | 0)) {
      throw new RangeError(
        `Switch "${this.name}" has no port ${port}: ports are 0..${this.#ports.length - 1}`,
      );
    }
    if (
      !Number.isInteger(frameBytesWithoutFcs) || frameBytesWithoutFcs < 0 ||
      frameBytesWithoutFcs >= LEN_SPACE
    ) {
      throw new RangeError(
        `Frame length ${frameBytesWithoutFcs} B is invalid: must be an integer in 0..${
          LEN_SPACE - 1
        }`,
      );
    }
    this.forwarded++;
    this.#sim.after(this.latencyNs, this.#kind, tag, port * LEN_SPACE + frameBytesWithoutFcs);
  }
}
