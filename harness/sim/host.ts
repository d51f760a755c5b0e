/**
 * A simulated machine on the testbed: cores, a NIC model attached in time, and the plumbing that
 * makes it a {@link NetHost}. Stack models (`harness/stacks/`) install themselves on a host.
 *
 * @module
 */
import type { NicModel } from "../../nicmodels/_shared/nic.ts";
import { HostCore } from "./host_core.ts";
import { HostNic, type Moderation } from "./host_nic.ts";
import type { NetHost, Testbed, Transmit } from "./testbed.ts";

/** Options of a {@link Host}. */
export interface HostOptions {
  /** Unique name (also the prefix of its event kinds). */
  readonly name: string;
  /** MAC address (6 bytes, unicast). */
  readonly mac: Uint8Array;
  /** IPv4 address (u32). */
  readonly ip: number;
  /** Cores (1..1024); their clock is the calibration's `cpuGhz`. */
  readonly cores: number;
  /** The NIC model (configured). */
  readonly nic: NicModel;
  /** NIC latency per direction (ns); default `DEFAULT_NIC_LATENCY_NS`. */
  readonly nicLatencyNs?: number;
  /** Interrupt moderation; default from the NIC's capabilities. */
  readonly moderation?: Moderation;
  /** Pool owner id of the host's buffers (default 0). */
  readonly owner?: number;
}

/**
 * A machine: `cores` {@link HostCore}s and a {@link HostNic}, attached to the testbed's switch.
 * Frames arriving from the wire go to the NIC model; the stack model installed on the host
 * decides what the cores do with them.
 */
export class Host implements NetHost {
  /** Name. */
  readonly name: string;
  /** MAC address. */
  readonly mac: Uint8Array;
  /** IPv4 address. */
  readonly ip: number;
  /** The testbed. */
  readonly testbed: Testbed;
  /** The cores. */
  readonly cores: readonly HostCore[];
  /** The NIC in time. */
  readonly nic: HostNic;
  /** Pool owner id of this host's buffers. */
  readonly owner: number;
  /** Clock of the cores (GHz), from the calibration. */
  readonly cpuGhz: number;
  /** The host's transmit function (its switch port). */
  readonly transmit: Transmit;

  /** Creates the machine and attaches it to `testbed`. */
  constructor(testbed: Testbed, options: HostOptions) {
    const n = options.cores;
    if (!Number.isInteger(n) || n < 1 || n > 1024) {
      throw new RangeError(
        `Host "${options.name}" cores ${n} is invalid: must be an integer 1..1024`,
      );
    }
    this.name = options.name;
    this.mac = options.mac;
    this.ip = options.ip;
    this.testbed = testbed;
    this.owner = options.owner ?? 0;
    this.cpuGhz = testbed.calibration.cpuGhz;
    const sim = testbed.sim;
    this.cores = Array.from(
      { length: n },
      (_, i) => new HostCore(sim, i, `${options.name}.core${i}`),
    );
    this.transmit = testbed.attach(this);
    const nicOptions = {
      owner: this.owner,
      ...(options.nicLatencyNs === undefined ? {} : { latencyNs: options.nicLatencyNs }),
      ...(options.moderation === undefined ? {} : { moderation: options.moderation }),
    };
    this.nic = new HostNic(sim, options.name, options.nic, testbed.pool, this.transmit, nicOptions);
  }

  /** A frame arrived from the switch; the NIC takes it. */
  receive(buf: number, len: number): void {
    this.nic.receive(buf, len);
  }

  /** Busy fraction of each core from 0 to now. */
  utilisation(): number[] {
    const now = this.testbed.sim.now;
    return this.cores.map((c) => (now === 0 ? 0 : c.busyNs() / now));
  }
}
