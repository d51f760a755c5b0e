/**
 * Builds a Dragonet server machine from the same plain data as the other servers
 * ({@link ServerSpec} with `stack: "dragonet"`): the NIC in Dragonet's bring-up configuration,
 * `cores` cores in total (as every stack gets) used as the spec's `placement` says
 * (`dragonet_placement.ts`), the application, and the {@link DragonetStack}.
 *
 * @module
 */
import { parseIpv4, parseMac } from "../../stack/packet/addr.ts";
import { Host } from "../sim/host.ts";
import type { Testbed } from "../sim/testbed.ts";
import { dragonetNicModel, type DragonetOptions, DragonetStack } from "./dragonet.ts";
import { EchoApp, MemcachedApp, type ServerApp } from "./server_app.ts";
import type { Server, ServerSpec } from "./server.ts";
import { dragonetLayout } from "./dragonet_placement.ts";

/** Hardware queues of a Dragonet server spec under its placement; throws on a bad placement. */
export function dragonetQueues(
  spec: Pick<ServerSpec, "cores" | "queues" | "threads" | "placement" | "stackCores">,
): number {
  return dragonetLayout(spec).queues;
}

/**
 * Builds the Dragonet server described by `spec` on `testbed` (model options such as the
 * reconfiguration timing in `options`); throws a clear error on a bad spec.
 */
export function createDragonetServer(
  testbed: Testbed,
  spec: ServerSpec,
  options: Omit<DragonetOptions, "layout" | "socketQueueDatagrams"> = {},
): Server {
  const name = spec.name ?? "server";
  const ip = parseIpv4(spec.ip ?? "10.0.0.1");
  const mac = parseMac(spec.mac ?? "02:00:00:00:00:01");
  const pool = testbed.pool;
  let app: ServerApp;
  if (spec.app === "memcached") {
    app = new MemcachedApp(pool, () => Math.floor(testbed.sim.now / 1e9), spec.port);
  } else if (spec.app === "echo") {
    app = new EchoApp(pool, spec.port);
  } else {
    throw new Error(
      `Server spec field "app" is ${JSON.stringify(spec.app)}: allowed memcached, echo`,
    );
  }
  if (spec.variant !== undefined && spec.variant !== "default") {
    throw new Error(
      `Server spec field "variant" is ${
        JSON.stringify(spec.variant)
      }: the dragonet stack allows default`,
    );
  }
  if (spec.transport !== undefined && spec.transport !== "udp") {
    throw new Error(
      `Server spec field "transport" is ${
        JSON.stringify(spec.transport)
      }: the dragonet stack allows udp (its LPG has no TCP path)`,
    );
  }
  const layout = dragonetLayout(spec);
  const host = new Host(testbed, {
    name,
    mac,
    ip,
    cores: layout.cores,
    nic: dragonetNicModel(spec.nic, layout.queues),
    ...(spec.nicLatencyNs === undefined ? {} : { nicLatencyNs: spec.nicLatencyNs }),
  });
  const stack = new DragonetStack(host, app, {
    ...options,
    layout,
    ...(spec.socketQueueDatagrams === undefined
      ? {}
      : { socketQueueDatagrams: spec.socketQueueDatagrams }),
  });
  return { host, stack, app };
}
