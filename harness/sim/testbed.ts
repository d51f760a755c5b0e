/**
 * The simulated testbed: one simulator, one buffer pool of real frame bytes, seeded random
 * streams, the cost calibration, and an Ethernet switch that forwards by destination MAC between
 * attached hosts over exact line-rate links.
 *
 * The contract between the load generators (clients) and the server models:
 * - every frame is real bytes in the ONE {@link Testbed.pool}; on a link the tag is the buffer
 *   id and the length is the frame length without FCS;
 * - whoever receives a frame owns its buffer and must free it (or pass it on); handing a buffer
 *   to a transmit function passes ownership to the testbed, which frees it on any drop;
 * - every drop is counted with its reason ({@link TestbedCounters}).
 *
 * @module
 */
import type { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { BufferPool as Pool } from "../../stack/packet/buffer_pool.ts";
import { type Calibration, makeCalibration } from "./calibration.ts";
import { RandomStreams } from "./random_streams.ts";
import { IntPairMap } from "./int_pair_map.ts";
import { Simulator } from "./simulator.ts";
import { DEFAULT_SWITCH_LATENCY_NS } from "./switch.ts";
import { DEFAULT_PROPAGATION_NS, DEFAULT_RATE_BPS, Link } from "./wire.ts";

/** A machine on the testbed: receives whole frames from its switch port. */
export interface NetHost {
  /** Unique name for reports and random streams. */
  readonly name: string;
  /** The host's MAC address (6 bytes, unicast). */
  readonly mac: Uint8Array;
  /** The host's IPv4 address as an unsigned 32-bit integer. */
  readonly ip: number;
  /** A frame arrived at sim.now(); the host now owns buffer `buf`. */
  receive(buf: number, len: number): void;
}

/** Transmits a frame from a host: true when queued on the host's uplink, false when dropped. */
export type Transmit = (buf: number, len: number) => boolean;

/** Frame and drop counters of the testbed's links and switch. */
export interface TestbedCounters {
  /** Frames handed to a transmit function. */
  sent: number;
  /** Frames handed to a host's `receive` (broadcast copies counted once per receiver). */
  delivered: number;
  /** Dropped at a host's uplink: its transmit queue was full. */
  dropUplinkFull: number;
  /** Dropped at the switch: no attached host has the destination MAC. */
  dropNoRoute: number;
  /** Dropped at a switch output port: its queue was full. */
  dropPortFull: number;
  /** Broadcast copies not made: the buffer pool was empty. */
  dropNoBuffer: number;
  /** Dropped because the frame length was outside 14..2047 bytes. */
  dropBadLength: number;
}

/** Everything shared by the hosts of one simulated experiment. */
export interface Testbed {
  /** The simulator (virtual clock and events). */
  readonly sim: Simulator;
  /** The one pool holding every frame's bytes. */
  readonly pool: BufferPool;
  /** Seeded named random streams. */
  readonly streams: RandomStreams;
  /** The one cost model. */
  readonly calibration: Calibration;
  /** Line rate of every link (b/s). */
  readonly rateBps: number;
  /** Link and switch counters. */
  readonly counters: Readonly<TestbedCounters>;
  /** Connects a host to the switch; returns its transmit function (false = dropped, counted). */
  attach(host: NetHost): Transmit;
  /** Hosts attached so far, in port order. */
  hosts(): readonly NetHost[];
  /** Frames in flight on links or inside the switch right now. */
  inFlight(): number;
}

/** Options of {@link createTestbed}. */
export interface TestbedOptions {
  /** Seed of every random stream (integer 0..2^32-1). */
  readonly seed: number;
  /** Line rate of every link in b/s (default 10e9: 10 GbE). */
  readonly rateBps?: number;
  /** Buffers in the shared pool (default 65536). */
  readonly poolBuffers?: number;
  /** Check buffer ownership on every pool operation (default false; slower). */
  readonly poolDebug?: boolean;
  /** Switch forwarding latency in integer ns (default {@link DEFAULT_SWITCH_LATENCY_NS}). */
  readonly switchLatencyNs?: number;
  /** Propagation delay of each link in integer ns (default {@link DEFAULT_PROPAGATION_NS}). */
  readonly propagationNs?: number;
  /**
   * Frames that may wait in each switch output port (default 1000). source: the lab's choice, a
   * parameter; shallow-buffer 10 GbE switches hold on the order of a thousand full frames per
   * port (unverified).
   */
  readonly portQueueFrames?: number;
  /** Frames that may wait on each host's uplink transmitter (default Infinity: the NIC's own rings bound it). */
  readonly uplinkQueueFrames?: number;
  /** The cost model (default `makeCalibration()`). */
  readonly calibration?: Calibration;
}

/** Frame lengths travel packed with the port in one event argument. */
const LEN_SPACE = 65_536;

/**
 * Creates an empty testbed: a switch with no ports, the pool, the streams and the calibration.
 *
 * @example
 * ```ts
 * import { createTestbed } from "./testbed.ts";
 * const tb = createTestbed({ seed: 1 });
 * const got: number[] = [];
 * const mac = (n: number) => new Uint8Array([2, 0, 0, 0, 0, n]);
 * const a = { name: "a", mac: mac(1), ip: 1, receive: () => {} };
 * const b = {
 *   name: "b", mac: mac(2), ip: 2,
 *   receive: (buf: number) => { got.push(buf); tb.pool.free(buf, 0); },
 * };
 * const txA = tb.attach(a);
 * tb.attach(b);
 * const buf = tb.pool.alloc(0);
 * const s = tb.pool.start[buf] ?? 0;
 * tb.pool.bytes.set(mac(2), s); // destination
 * tb.pool.bytes.set(mac(1), s + 6); // source
 * txA(buf, 60);
 * tb.sim.run();
 * if (got.length !== 1) throw new Error("frame not delivered");
 * ```
 */
export function createTestbed(opts: TestbedOptions): Testbed {
  const sim = new Simulator();
  const rateBps = opts.rateBps ?? DEFAULT_RATE_BPS;
  const poolBuffers = opts.poolBuffers ?? 65_536;
  const pool = new Pool({ count: poolBuffers, debug: opts.poolDebug ?? false });
  const streams = new RandomStreams(opts.seed);
  const calibration = opts.calibration ?? makeCalibration();
  const latencyNs = opts.switchLatencyNs ?? DEFAULT_SWITCH_LATENCY_NS;
  if (!Number.isInteger(latencyNs) || latencyNs < 0) {
    throw new RangeError(
      `Testbed switchLatencyNs ${latencyNs} is invalid: must be an integer >= 0`,
    );
  }
  const propagationNs = opts.propagationNs ?? DEFAULT_PROPAGATION_NS;
  const portQueueFrames = opts.portQueueFrames ?? 1000;
  const uplinkQueueFrames = opts.uplinkQueueFrames ?? Infinity;
  const counters: TestbedCounters = {
    sent: 0,
    delivered: 0,
    dropUplinkFull: 0,
    dropNoRoute: 0,
    dropPortFull: 0,
    dropNoBuffer: 0,
    dropBadLength: 0,
  };
  const hosts: NetHost[] = [];
  const egress: Link[] = [];
  const uplinks: Link[] = [];
  /** MAC (high 16 bits, low 32 bits) -> port. */
  const macToPort = new IntPairMap();
  let inSwitch = 0;
  const bytes = pool.bytes;

  const drop = (buf: number): void => {
    pool.free(buf, pool.owner[buf] ?? 0);
  };

  const egressKind = sim.on("testbed.switch.egress", (buf, packed) => {
    inSwitch--;
    const len = packed % LEN_SPACE;
    const port = (packed - len) / LEN_SPACE;
    if (!(egress[port] as Link).send(buf, len)) {
      counters.dropPortFull++;
      drop(buf);
    }
  });

  /** The switch's ingress: look up the destination, then forward after the latency. */
  const ingress = (inPort: number, buf: number, len: number): void => {
    const s = pool.start[buf] ?? 0;
    if ((bytes[s] ?? 0) & 1) {
      // Group address (broadcast or multicast): flood to every other port.
      flood(inPort, buf, len);
      return;
    }
    const port = macToPort.get(macHigh(bytes, s), macLow(bytes, s));
    if (port < 0 || port === inPort) {
      counters.dropNoRoute++;
      drop(buf);
      return;
    }
    inSwitch++;
    sim.after(latencyNs, egressKind, buf, port * LEN_SPACE + len);
  };

  const flood = (inPort: number, buf: number, len: number): void => {
    const src = pool.start[buf] ?? 0;
    let first = true;
    for (let port = 0; port < egress.length; port++) {
      if (port === inPort) continue;
      let copy = buf;
      if (!first) {
        copy = pool.alloc(pool.owner[buf] ?? 0);
        if (copy < 0) {
          counters.dropNoBuffer++;
          continue;
        }
        const d = pool.start[copy] ?? 0;
        bytes.copyWithin(d, src, src + len);
        pool.length[copy] = len;
      }
      first = false;
      inSwitch++;
      sim.after(latencyNs, egressKind, copy, port * LEN_SPACE + len);
    }
    if (first) {
      counters.dropNoRoute++;
      drop(buf);
    }
  };

  const attach = (host: NetHost): Transmit => {
    if (host.mac.length !== 6 || (host.mac[0] ?? 0) & 1) {
      throw new RangeError(
        `Host "${host.name}" MAC must be 6 bytes with the group bit clear (unicast), got ${host.mac.length} bytes`,
      );
    }
    if (hosts.some((h) => h.name === host.name)) {
      throw new Error(`Host name "${host.name}" is already attached; names must be unique`);
    }
    const hi = macHigh(host.mac, 0);
    const lo = macLow(host.mac, 0);
    if (macToPort.has(hi, lo)) {
      throw new Error(
        `Host "${host.name}" MAC is already attached to port ${macToPort.get(hi, lo)}`,
      );
    }
    const port = hosts.length;
    hosts.push(host);
    macToPort.set(hi, lo, port);
    egress.push(
      new Link(sim, `testbed.port${port}.${host.name}`, (buf, len) => {
        counters.delivered++;
        host.receive(buf, len);
      }, { rateBps, propagationNs, queueFrames: portQueueFrames }),
    );
    const uplink = new Link(
      sim,
      `testbed.uplink${port}.${host.name}`,
      (buf, len) => ingress(port, buf, len),
      { rateBps, propagationNs, queueFrames: uplinkQueueFrames },
    );
    uplinks.push(uplink);
    return (buf: number, len: number): boolean => {
      counters.sent++;
      if (!(len >= 14 && len < pool.bufferSize)) {
        counters.dropBadLength++;
        drop(buf);
        return false;
      }
      if (!uplink.send(buf, len)) {
        counters.dropUplinkFull++;
        drop(buf);
        return false;
      }
      return true;
    };
  };

  const inFlight = (): number => {
    let n = inSwitch;
    for (const l of uplinks) n += l.framesSent - l.framesDelivered;
    for (const l of egress) n += l.framesSent - l.framesDelivered;
    return n;
  };

  return {
    sim,
    pool,
    streams,
    calibration,
    rateBps,
    counters,
    attach,
    hosts: () => hosts.slice(),
    inFlight,
  };
}

/** The first two bytes of a MAC address at `bytes[o..o+6)`. */
function macHigh(bytes: Uint8Array, o: number): number {
  return ((bytes[o] ?? 0) << 8) | (bytes[o + 1] ?? 0);
}

/** The last four bytes of a MAC address at `bytes[o..o+6)` (as a 32-bit pattern). */
function macLow(bytes: Uint8Array, o: number): number {
  return ((bytes[o + 2] ?? 0) << 24) | ((bytes[o + 3] ?? 0) << 16) | ((bytes[o + 4] ?? 0) << 8) |
    (bytes[o + 5] ?? 0);
}
