/**
 * The proof against the real server: one script of requests of every kind is run against the
 * installed memcached (fresh process, loopback TCP and `-U` UDP on a free port) and against the
 * engine (fresh), and every reply is compared byte for byte, UDP datagrams included.
 *
 * Skipped with a printed reason only when memcached is not installed.
 */
import assert from "node:assert/strict";
import { handleDatagram, MemcachedEngine } from "../../stack/apps/memcached/mod.ts";
import { buildScript } from "./_script.ts";
import { memcachedMissing, type RealServer, startMemcached, UdpPump } from "./_real_server.ts";
import { same, show, TcpComparer } from "./_compare.ts";

const missing = await memcachedMissing();
if (missing !== null) console.log(`real_server_test skipped: ${missing}`);

Deno.test({
  name: "memcached engine replies byte for byte like the real memcached",
  ignore: missing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    let server: RealServer | null = null;
    let tcp: TcpComparer | null = null;
    let udp: UdpPump | null = null;
    try {
      server = await startMemcached();
      const port = server.port;
      const now = Math.floor(Date.now() / 1000);
      // The test's clock is the wall clock, so absolute exptimes mean the same on both sides.
      const engine = new MemcachedEngine({ clock: () => Date.now() / 1000 });
      const script = buildScript(now);
      tcp = new TcpComparer(engine, port);
      const comparer = tcp;

      await t.step(`${script.filter((s) => s.kind === "tcp").length} TCP steps`, async () => {
        const mismatches: string[] = [];
        for (const step of script) {
          if (step.kind !== "tcp") continue;
          const diff = await comparer.step(step);
          if (diff !== null) mismatches.push(diff);
        }
        mismatches.push(...await comparer.sentinels());
        assert.deepEqual(mismatches, []);
      });

      await t.step(`${script.filter((s) => s.kind === "udp").length} UDP steps`, async () => {
        udp = await UdpPump.open(port);
        const udpMismatches: string[] = [];
        for (const step of script) {
          if (step.kind !== "udp") continue;
          const bytes = step.request as Uint8Array;
          const expected: Uint8Array[] = [];
          handle(engine, bytes, expected);
          udp.send(bytes);
          const got = await udp.take(expected.length, 2000, expected.length === 0 ? 150 : 30);
          const ok = got.length === expected.length &&
            got.every((g, i) => same(g, expected[i] as Uint8Array));
          if (!ok) {
            udpMismatches.push(
              `[${step.label}]\n  engine: ${expected.map(show).join(" | ")}\n  memcached: ${
                got.map(show).join(" | ")
              }`,
            );
          }
        }
        assert.deepEqual(udpMismatches, []);
      });
    } finally {
      if (tcp !== null) await (tcp as TcpComparer).close();
      if (udp !== null) await (udp as UdpPump).close();
      if (server !== null) await server.stop();
    }
  },
});

function handle(engine: MemcachedEngine, datagram: Uint8Array, into: Uint8Array[]): void {
  handleDatagram(engine, datagram, (d) => into.push(d.slice()));
}
