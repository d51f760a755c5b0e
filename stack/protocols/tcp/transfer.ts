/**
 * `runTransfer`: one TCP connection between a client and a server engine over a `TcpLink`. Each
 * side sends its whole stream, reads the other's to the end, half-closes after its last byte
 * and closes at end of stream; the run ends when both closed and both tables are empty (after
 * TIME-WAIT), or after `maxSteps`. Used by the property test and `lab tcp transfer`.
 *
 * @module
 */
import { TcpEngine, type TcpEngineOptions } from "./engine.ts";
import { TcpLink, type TcpLinkOptions, VirtualClock } from "./link.ts";

/** What to transfer and over what. */
export interface TransferOptions {
  /** Bytes the client sends. */
  readonly up: Uint8Array;
  /** Bytes the server sends back. */
  readonly down: Uint8Array;
  /** Engine options of both sides (the clock is the link's). */
  readonly engine?: Omit<TcpEngineOptions, "clock">;
  /** Link options. */
  readonly link?: TcpLinkOptions;
  /** Client address (u32, default 10.0.0.1). */
  readonly clientIp?: number;
  /** Server address (u32, default 10.0.0.2). */
  readonly serverIp?: number;
  /** Server port (default 80). */
  readonly port?: number;
  /** Link steps before giving up (default 100 000). */
  readonly maxSteps?: number;
}

/** Outcome of a transfer. */
export interface TransferResult {
  /** Both sides saw end of stream, closed, and every slot was freed. */
  readonly completed: boolean;
  /** Why it did not complete (empty when it did). */
  readonly problem: string;
  /** What the server read. */
  readonly serverReceived: Uint8Array;
  /** What the client read. */
  readonly clientReceived: Uint8Array;
  /** Link steps taken. */
  readonly steps: number;
  /** Virtual time at the end (ns). */
  readonly endNs: number;
  /** The engines (counters, tables). */
  readonly client: TcpEngine;
  /** The server engine. */
  readonly server: TcpEngine;
  /** The link (records, drops). */
  readonly link: TcpLink;
}

/** One side's application. */
class Side {
  sent = 0;
  got = 0;
  shut = false;
  closed = false;
  problem = "";
  readonly received: Uint8Array;

  constructor(
    readonly name: string,
    readonly e: TcpEngine,
    public id: number,
    readonly data: Uint8Array,
    expect: number,
  ) {
    this.received = new Uint8Array(expect + 1); // one spare byte shows extra data
  }

  run(): void {
    if (this.closed || this.id < 0 || this.problem !== "") return;
    const e = this.e;
    if (e.error(this.id) !== 0) {
      this.problem = `${this.name} connection failed: ${e.describe(this.id)}`;
      return;
    }
    while (this.sent < this.data.length) {
      const n = e.send(this.id, this.data, this.sent, this.data.length - this.sent);
      if (n <= 0) break;
      this.sent += n;
    }
    if (this.sent === this.data.length && !this.shut) this.shut = e.shutdown(this.id);
    for (;;) {
      const n = e.recv(this.id, this.received, this.got, this.received.length - this.got);
      if (n === 0) break;
      this.got += n;
    }
    if (this.shut && e.isEof(this.id)) {
      e.close(this.id);
      this.closed = true;
    }
  }
}

/** Runs one connection to completion (or `maxSteps`); never throws for protocol trouble. */
export function runTransfer(o: TransferOptions): TransferResult {
  const clock = new VirtualClock();
  const client = new TcpEngine({ ...o.engine, clock: clock.read });
  const server = new TcpEngine({ ...o.engine, clock: clock.read });
  const link = new TcpLink([client, server], clock, o.link ?? {});
  const port = o.port ?? 80;
  const l = server.listen(port);
  const cs = new Side(
    "client",
    client,
    client.connect(o.clientIp ?? 0x0a000001, o.serverIp ?? 0x0a000002, port),
    o.up,
    o.down.length,
  );
  const ss = new Side("server", server, -1, o.down, o.up.length);
  const maxSteps = o.maxSteps ?? 100_000;
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    if (ss.id < 0) ss.id = server.accept(l);
    cs.run();
    ss.run();
    while (client.events.shift());
    while (server.events.shift());
    if (cs.problem !== "" || ss.problem !== "") break;
    if (!link.step()) break;
  }
  let problem = cs.problem || ss.problem;
  if (problem === "" && !(cs.closed && ss.closed)) {
    problem = `not finished after ${steps} steps: client ${
      cs.id >= 0 ? client.describe(cs.id) : "-"
    }; server ${ss.id >= 0 ? server.describe(ss.id) : "not accepted"}`;
  }
  if (problem === "" && client.table.size + server.table.size > 0) {
    problem =
      `connections left after the run: client ${client.table.size}, server ${server.table.size}`;
  }
  return {
    completed: problem === "",
    problem,
    serverReceived: ss.received.subarray(0, ss.got),
    clientReceived: cs.received.subarray(0, cs.got),
    steps,
    endNs: clock.now,
    client,
    server,
    link,
  };
}
