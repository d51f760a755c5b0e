/**
 * A small scenario builder for the stack tests: a testbed, a server from a spec and test clients.
 *
 * @module
 */
import { createTestbed, type Testbed } from "../../harness/sim/testbed.ts";
import { createServer, type Server, type ServerSpec } from "../../harness/stacks/server.ts";
import { type ClientMode, TestClient } from "./_client.ts";

/** A built scenario. */
export interface Scenario {
  /** The testbed. */
  readonly tb: Testbed;
  /** The server. */
  readonly server: Server;
  /** The clients. */
  readonly clients: TestClient[];
}

/** Builds a server from `spec` and `clients` clients with `flows` flows each. */
export function scenario(
  spec: ServerSpec,
  mode: ClientMode,
  clients: number,
  flows: number,
): Scenario {
  const tb = createTestbed({ seed: 42, poolBuffers: 16_384 });
  const server = createServer(tb, spec);
  const cs = Array.from({ length: clients }, (_, i) =>
    new TestClient(tb, {
      name: `client${i}`,
      n: i + 1,
      serverMac: server.host.mac,
      serverIp: server.host.ip,
      serverPort: server.app.port,
      mode,
      flows,
    }));
  return { tb, server, clients: cs };
}

/** Schedules `requests` per flow on `flows` flows of every client, `gapNs` apart, staggered. */
export function schedule(
  s: Scenario,
  flows: number,
  requests: number,
  gapNs: number,
  startNs: number,
): void {
  for (const [ci, c] of s.clients.entries()) {
    for (let r = 0; r < requests; r++) {
      for (let f = 0; f < flows; f++) c.at(startNs + r * gapNs + (ci * 7 + f * 3) * 100, f);
    }
  }
}

/** Requests answered by all clients. */
export function answered(s: Scenario): number {
  return s.clients.reduce((a, c) => a + c.answered, 0);
}

/** Requests sent by all clients. */
export function sent(s: Scenario): number {
  return s.clients.reduce((a, c) => a + c.sent, 0);
}
