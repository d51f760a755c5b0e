/**
 * Test helpers: run requests through an engine session and read replies as latin1 text.
 *
 * @module
 */
import {
  MemcachedEngine,
  type MemcachedEngineOptions,
  TcpSession,
} from "../../stack/apps/memcached/mod.ts";
import { latin1 } from "./_script.ts";

/** A session on a fresh engine whose clock the test moves. */
export class Harness {
  /** Current clock value in seconds. */
  time = 1_700_000_000;
  /** The engine under test. */
  readonly engine: MemcachedEngine;
  /** The session requests go through. */
  readonly session: TcpSession;

  /** Creates a fresh engine (extra options allowed) and one session. */
  constructor(options: Partial<MemcachedEngineOptions> = {}) {
    this.engine = new MemcachedEngine({ ...options, clock: () => this.time });
    this.session = new TcpSession(this.engine);
  }

  /** Sends latin1 text or bytes; returns the reply as latin1 text. */
  send(request: string | Uint8Array): string {
    const bytes = typeof request === "string" ? latin1(request) : request;
    const out = this.session.receive(bytes);
    let s = "";
    for (const b of out) s += String.fromCharCode(b);
    return s;
  }
}
