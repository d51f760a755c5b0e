/**
 * Builds a server machine from plain data: cores, NIC, stack model and application on a testbed
 * (the "system" layer of an experiment, STYLE.md rule 10).
 *
 * @module
 */
import type { NicModel } from "../../nicmodels/_shared/nic.ts";
import { RssNic } from "../../nicmodels/rss/model.ts";
import { Intel82599 } from "../../nicmodels/intel_82599/model.ts";
import { defaultIntel82599Config } from "../../nicmodels/intel_82599/default_config.ts";
import { Sfc9020Nic } from "../../nicmodels/solarflare_sfc9020/model.ts";
import { sfcDefaultConfig } from "../../nicmodels/solarflare_sfc9020/config.ts";
import { parseIpv4, parseMac } from "../../stack/packet/addr.ts";
import { Host } from "../sim/host.ts";
import type { Moderation } from "../sim/host_nic.ts";
import type { Testbed } from "../sim/testbed.ts";
import { LINUX_VARIANTS, LinuxLike, type LinuxVariant } from "./linux_like.ts";
import { LinuxLikeTcp } from "./linux_like_tcp.ts";
import { OnloadLike, onloadNicConfig } from "./onload_like.ts";
import { OnloadLikeTcp } from "./onload_like_tcp.ts";
import { createDragonetServer, dragonetQueues } from "./dragonet_server.ts";
import { dragonetNicModel } from "./dragonet.ts";
import type { DragonetPlacement } from "./dragonet_placement.ts";
import { ECHO_PORT, EchoApp, MEMCACHED_PORT, MemcachedApp, type ServerApp } from "./server_app.ts";
import type { StackModel } from "./stack_model.ts";

/** NIC models a server can have. */
export type NicKind = "rss" | "intel-82599" | "sfc9020";
/** Stack models. */
export type StackKind = "linux-like" | "onload-like" | "dragonet";
/** Transports the application is served over. */
export type TransportKind = "udp" | "tcp";
/** Applications. */
export type AppKind = "memcached" | "echo";

/** A server as data (JSON-serialisable). */
export interface ServerSpec {
  /** Host name (default "server"). */
  readonly name?: string;
  /** MAC (default "02:00:00:00:00:01"). */
  readonly mac?: string;
  /** IPv4 address (default "10.0.0.1"). */
  readonly ip?: string;
  /** Total server cores, for every stack (Dragonet places its pipelines on them by `placement`). */
  readonly cores: number;
  /** NIC model. */
  readonly nic: NicKind;
  /** NIC queues (default: one per core, within the NIC's RSS limit). */
  readonly queues?: number;
  /** Stack model. */
  readonly stack: StackKind;
  /** Variant of the stack model (Linux-like: default, rss-pinned, busy-poll). */
  readonly variant?: string;
  /** Worker threads (Linux-like; default one per core) or app threads (Dragonet). */
  readonly threads?: number;
  /**
   * Dragonet only: how its pipelines use the `cores` (colocated, split, dedicated; default
   * colocated); see `dragonet_placement.ts`.
   */
  readonly placement?: DragonetPlacement;
  /** Dragonet placement "split" only: cores running the queue pipelines (default half). */
  readonly stackCores?: number;
  /** Application. */
  readonly app: AppKind;
  /** Application port (default: memcached 7777, echo 888). */
  readonly port?: number;
  /**
   * Transport (default "udp"). "tcp" serves memcached over the real TCP engine (Linux-like
   * default variant and Onload-like only).
   */
  readonly transport?: TransportKind;
  /** TCP listen backlog (default memcached's 1024; the accept queue holds min(backlog, somaxconn)). */
  readonly backlog?: number;
  /** TCP `net.core.somaxconn` (default the engine's 128, host-stacks.md §2.4, unverified). */
  readonly somaxconn?: number;
  /** NIC latency per direction (ns). */
  readonly nicLatencyNs?: number;
  /** Socket queue bound in datagrams. */
  readonly socketQueueDatagrams?: number;
  /** Interrupt moderation (default: the NIC driver's, from the capabilities). */
  readonly moderation?: Moderation;
}

/** A built server. */
export interface Server {
  /** The machine. */
  readonly host: Host;
  /** Its stack model. */
  readonly stack: StackModel;
  /** Its application. */
  readonly app: ServerApp;
}

/** Builds the server described by `spec` on `testbed`; throws a clear error on a bad spec. */
export function createServer(testbed: Testbed, spec: ServerSpec): Server {
  if (spec.stack === "dragonet") return createDragonetServer(testbed, spec);
  for (const field of ["placement", "stackCores"] as const) {
    if (spec[field] !== undefined) {
      throw new Error(
        `Server spec field "${field}" is ${JSON.stringify(spec[field])}: only the dragonet stack ` +
          `takes it, stack is "${spec.stack}"`,
      );
    }
  }
  const name = spec.name ?? "server";
  const ip = parseIpv4(spec.ip ?? "10.0.0.1");
  const mac = parseMac(spec.mac ?? "02:00:00:00:00:01");
  const pool = testbed.pool;
  const app: ServerApp = spec.app === "memcached"
    ? new MemcachedApp(pool, () => Math.floor(testbed.sim.now / 1e9), spec.port)
    : spec.app === "echo"
    ? new EchoApp(pool, spec.port)
    : unknown("app", spec.app, ["memcached", "echo"]);
  const nic = createNicModel(spec, ip, app.port);
  const host = new Host(testbed, {
    name,
    mac,
    ip,
    cores: spec.cores,
    nic,
    ...(spec.nicLatencyNs === undefined ? {} : { nicLatencyNs: spec.nicLatencyNs }),
    ...(spec.moderation === undefined ? {} : { moderation: spec.moderation }),
  });
  const sq = spec.socketQueueDatagrams === undefined
    ? {}
    : { socketQueueDatagrams: spec.socketQueueDatagrams };
  let stack: StackModel;
  const transport = spec.transport ?? "udp";
  if (transport !== "udp" && transport !== "tcp") unknown("transport", transport, ["udp", "tcp"]);
  if (transport === "tcp") {
    if (!(app instanceof MemcachedApp)) {
      throw new Error(
        `Server spec: transport "tcp" serves memcached only, got app ${JSON.stringify(spec.app)}`,
      );
    }
    const tcp = {
      ...(spec.backlog === undefined ? {} : { backlog: spec.backlog }),
      ...(spec.somaxconn === undefined ? {} : { tcp: { somaxconn: spec.somaxconn } }),
    };
    if (spec.stack === "linux-like") {
      if (spec.variant !== undefined && spec.variant !== "default") {
        unknown("variant", spec.variant, ["default (the only Linux-like variant over tcp)"]);
      }
      stack = new LinuxLikeTcp(host, app, {
        ...tcp,
        ...(spec.threads === undefined ? {} : { threads: spec.threads }),
      });
    } else if (spec.stack === "onload-like") {
      if (spec.variant !== undefined && spec.variant !== "spin") {
        unknown("variant", spec.variant, ["spin"]);
      }
      stack = new OnloadLikeTcp(host, app, tcp);
    } else {
      unknown("stack", spec.stack, ["linux-like", "onload-like (over tcp)"]);
    }
    return { host, stack, app };
  }
  if (spec.stack === "linux-like") {
    const variant = (spec.variant ?? "default") as LinuxVariant;
    if (!LINUX_VARIANTS.includes(variant)) unknown("variant", variant, LINUX_VARIANTS);
    stack = new LinuxLike(host, app, {
      variant,
      ...sq,
      ...(spec.threads === undefined ? {} : { threads: spec.threads }),
    });
  } else if (spec.stack === "onload-like") {
    if (spec.variant !== undefined && spec.variant !== "spin") {
      unknown("variant", spec.variant, ["spin"]);
    }
    stack = new OnloadLike(host, app, sq);
  } else {
    unknown("stack", spec.stack, ["linux-like", "onload-like", "dragonet"]);
  }
  return { host, stack, app };
}

/**
 * The configured NIC model of `spec`: the plain RSS NIC and the 82599 with the Linux driver's
 * bring-up, the SFC9020 with the sfc driver's, or with the Onload-like stack's filter for the
 * listening socket `ip:port`.
 */
export function createNicModel(
  spec: ServerSpec,
  ip = parseIpv4(spec.ip ?? "10.0.0.1"),
  port = spec.port ?? (spec.app === "memcached" ? MEMCACHED_PORT : ECHO_PORT),
): NicModel {
  if (spec.stack === "dragonet") return dragonetNicModel(spec.nic, dragonetQueues(spec));
  const queues = spec.queues ?? Math.min(spec.cores, 16);
  if (spec.stack === "onload-like" && spec.nic !== "sfc9020") {
    throw new Error(
      `Server spec: the onload-like stack needs nic "sfc9020" (hardware filters per socket), got "${spec.nic}"`,
    );
  }
  switch (spec.nic) {
    case "rss":
      return new RssNic({ queues });
    case "intel-82599":
      return new Intel82599(defaultIntel82599Config(queues));
    case "sfc9020":
      return new Sfc9020Nic(
        spec.stack === "onload-like"
          ? onloadNicConfig(queues, ip, port, spec.transport === "tcp" ? 6 : 17)
          : sfcDefaultConfig(queues),
      );
    default:
      return unknown("nic", spec.nic, ["rss", "intel-82599", "sfc9020"]);
  }
}

function unknown(field: string, value: unknown, allowed: readonly string[]): never {
  throw new Error(
    `Server spec field "${field}" is ${JSON.stringify(value)}: allowed ${allowed.join(", ")}`,
  );
}
