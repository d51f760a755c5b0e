/**
 * Test helper: feed the same TCP steps to the engine and to a real memcached and collect every
 * byte-level difference.
 *
 * @module
 */
import { type MemcachedEngine, TcpSession } from "../../stack/apps/memcached/mod.ts";
import { bin, latin1, type Step } from "./_script.ts";
import { TcpPump } from "./_real_server.ts";

const SHOW = Number(Deno.env.get("MC_SHOW") ?? 300);

/**
 * Pause after a segment that should get no reply, so memcached reads it before the next one
 * arrives (two segments read together are one event for memcached, which changes when it
 * writes). Raise `MC_GRACE` (ms) on a heavily loaded machine.
 */
const GRACE_MS = Number(Deno.env.get("MC_GRACE") ?? 60);

/** Printable form of bytes (first 300, or `MC_SHOW`). */
export function show(b: Uint8Array): string {
  let s = "";
  for (const c of b.subarray(0, SHOW)) {
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return b.length > SHOW ? `${s}... (${b.length} bytes)` : s;
}

/** Whether two byte arrays are equal. */
export function same(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Runs TCP steps on engine sessions and real connections side by side. */
export class TcpComparer {
  private readonly sessions = new Map<string, TcpSession>();
  private readonly pumps = new Map<string, TcpPump>();
  /** CAS unique of the last `gets` hit the engine answered (fills `{CAS}` templates). */
  cas = "0";
  /** Connections the engine closed (and memcached closed too, or a difference was reported). */
  closedCount = 0;

  /** Compares against memcached on 127.0.0.1:port. */
  constructor(private readonly engine: MemcachedEngine, private readonly port: number) {}

  /** Runs one step; returns a description of the difference, or null when the bytes agree. */
  async step(step: Step): Promise<string | null> {
    const bytes = typeof step.request === "string"
      ? latin1(step.request.replaceAll("{CAS}", this.cas))
      : step.request;
    let session = this.sessions.get(step.conn);
    if (session === undefined) {
      session = new TcpSession(this.engine);
      this.sessions.set(step.conn, session);
      this.pumps.set(step.conn, await TcpPump.open(this.port));
    }
    const pump = this.pumps.get(step.conn) as TcpPump;
    const expected = session.receive(bytes).slice();
    let text = "";
    for (const c of expected) text += String.fromCharCode(c);
    const m = /VALUE \S+ \d+ \d+ (\d+)\r\n/.exec(text);
    if (m !== null) this.cas = m[1] as string;
    await pump.write(bytes);
    // With nothing to wait for, pause anyway so memcached reads this segment on its own.
    const got = expected.length > 0
      ? await pump.take(expected.length, 3000)
      : await pump.take(0, 0).then(() =>
        new Promise<Uint8Array>((r) => setTimeout(() => r(new Uint8Array(0)), GRACE_MS))
      );
    const diff = same(got, expected)
      ? null
      : `[${step.label}]\n  request: ${show(bytes)}\n  engine: ${show(expected)}\n  memcached: ${
        show(got)
      }`;
    if (session.closed) {
      // Later steps on this name use a fresh connection on both sides.
      this.closedCount++;
      this.sessions.delete(step.conn);
      this.pumps.delete(step.conn);
      const closed = await pump.closedWithin(1000);
      await pump.close();
      if (!closed) return diff ?? `[${step.label}] engine closed, memcached kept it open`;
    }
    return diff;
  }

  /** Sends a sentinel on every open connection: nothing unexpected may be left over. */
  async sentinels(): Promise<string[]> {
    const diffs: string[] = [];
    for (const [name, session] of this.sessions) {
      if (session.closed) continue;
      const pump = this.pumps.get(name) as TcpPump;
      const probe = name.startsWith("binary") ? bin(0x0a, { opaque: 9 }) : latin1("version\r\n");
      const expected = session.receive(probe).slice();
      await pump.write(probe);
      const got = await pump.take(expected.length + 1, 300);
      if (!same(got, expected)) {
        diffs.push(`[sentinel on ${name}]\n  engine: ${show(expected)}\n  memcached: ${show(got)}`);
      }
    }
    return diffs;
  }

  /** Closes the real connections. */
  async close(): Promise<void> {
    for (const p of this.pumps.values()) await p.close();
  }
}
