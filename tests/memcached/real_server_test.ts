/**
 * The proof against the real server: one script of requests of every kind is run against the
 * installed memcached (fresh process, loopback TCP and `-U` UDP on a free port) and against the
 * engine (fresh), and every reply is compared byte for byte, UDP datagrams included.
 *
 * Skipped with a printed reason only when memcached is not installed.
 */
import assert from "node:assert/strict";
import { handleDatagram, MemcachedEngine, TcpSession } from "../../stack/apps/memcached/mod.ts";
import { buildScript, latin1 } from "./_script.ts";
import {
  memcachedMissing,
  type RealServer,
  startMemcached,
  TcpPump,
  UdpPump,
} from "./_real_server.ts";

const missing = await memcachedMissing();
if (missing !== null) console.log(`real_server_test skipped: ${missing}`);

function show(b: Uint8Array): string {
  let s = "";
  for (const c of b.subarray(0, 300)) {
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return b.length > 300 ? `${s}... (${b.length} bytes)` : s;
}

function same(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

Deno.test({
  name: "memcached engine replies byte for byte like the real memcached",
  ignore: missing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    let server: RealServer | null = null;
    const pumps = new Map<string, TcpPump>();
    let udp: UdpPump | null = null;
    try {
      server = await startMemcached();
      const port = server.port;
      const now = Math.floor(Date.now() / 1000);
      // The test's clock is the wall clock, so absolute exptimes mean the same on both sides.
      const engine = new MemcachedEngine({ clock: () => Date.now() / 1000 });
      const sessions = new Map<string, TcpSession>();
      const mismatches: string[] = [];
      let cas = "0";
      const script = buildScript(now);

      await t.step(`${script.filter((s) => s.kind === "tcp").length} TCP steps`, async () => {
        for (const step of script) {
          if (step.kind !== "tcp") continue;
          const bytes = typeof step.request === "string"
            ? latin1(step.request.replaceAll("{CAS}", cas))
            : step.request;
          let session = sessions.get(step.conn);
          if (session === undefined) {
            session = new TcpSession(engine);
            sessions.set(step.conn, session);
            pumps.set(step.conn, await TcpPump.open(port));
          }
          const pump = pumps.get(step.conn) as TcpPump;
          const expected = session.receive(bytes).slice();
          const m = /VALUE \S+ \d+ \d+ (\d+)\r\n/.exec(new TextDecoder("latin1").decode(expected));
          if (m !== null) cas = m[1] as string;
          await pump.write(bytes);
          const got = await pump.take(expected.length, 3000);
          if (!same(got, expected)) {
            mismatches.push(
              `[${step.label}]\n  engine: ${show(expected)}\n  memcached: ${show(got)}`,
            );
          }
          if (session.closed) {
            const closed = await pump.closedWithin(1000);
            if (!closed) mismatches.push(`[${step.label}] engine closed, memcached kept it open`);
          }
        }
        // Sentinels: nothing unexpected is left on any open connection.
        for (const [name, session] of sessions) {
          if (session.closed) continue;
          const pump = pumps.get(name) as TcpPump;
          const probe = name.startsWith("binary")
            ? new Uint8Array([
              0x80,
              0x0a,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              9,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
              0,
            ])
            : latin1("version\r\n");
          const expected = session.receive(probe).slice();
          await pump.write(probe);
          const got = await pump.take(expected.length + 1, 300);
          if (!same(got, expected)) {
            mismatches.push(
              `[sentinel on ${name}]\n  engine: ${show(expected)}\n  memcached: ${show(got)}`,
            );
          }
        }
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
      for (const p of pumps.values()) await p.close();
      if (udp !== null) await (udp as UdpPump).close();
      if (server !== null) await server.stop();
    }
  },
});

function handle(engine: MemcachedEngine, datagram: Uint8Array, into: Uint8Array[]): void {
  handleDatagram(engine, datagram, (d) => into.push(d.slice()));
}
