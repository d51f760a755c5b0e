/**
 * Test helpers (private): start the real memcached and tcpdump on the loopback interface, and a
 * small memcached client (ASCII and binary, UDP and TCP) that waits for each reply before the
 * next request, so the server handles requests in capture order.
 *
 * @module
 */
import dgram from "node:dgram";
import net from "node:net";

/** Why the live test cannot run here, or undefined when it can. */
export async function liveUnavailable(): Promise<string | undefined> {
  for (const bin of ["memcached", "tcpdump"]) {
    try {
      const out = await new Deno.Command(bin, {
        args: bin === "memcached" ? ["-V"] : ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (!out.success) return `${bin} cannot run here (exit code ${out.code})`;
    } catch (err) {
      return `${bin} cannot run here: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return undefined;
}

/** A loopback port free for both TCP and UDP at the time of the call. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const ok = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket("udp4");
      s.once("error", () => resolve(false));
      s.bind(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("Cannot find a free loopback port for TCP and UDP after 20 tries");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a child process; `ready` resolves once stderr shows `marker` (or rejects on exit). */
export function spawnWithMarker(
  cmd: string,
  args: string[],
  marker: string | null,
): { child: Deno.ChildProcess; ready: Promise<void>; stderr: () => string } {
  const child = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).spawn();
  let text = "";
  const ready = new Promise<void>((resolve, reject) => {
    if (marker === null) resolve();
    (async () => {
      const dec = new TextDecoder();
      for await (const chunk of child.stderr) {
        text += dec.decode(chunk);
        if (marker !== null && text.includes(marker)) resolve();
      }
      reject(new Error(`${cmd} ended before it was ready: ${text.trim()}`));
    })().catch(reject);
  });
  return { child, ready, stderr: () => text };
}

/** Stops a child with `signal` and waits for it (kills it if it does not end in 5 s). */
export async function stop(
  child: Deno.ChildProcess,
  signal: Deno.Signal = "SIGTERM",
): Promise<void> {
  try {
    child.kill(signal);
  } catch {
    return; // already ended
  }
  const done = child.status.then(() => true);
  if (!(await Promise.race([done, sleep(5000).then(() => false)]))) {
    try {
      child.kill("SIGKILL");
    } catch { /* ended meanwhile */ }
    await child.status;
  }
}

/** Waits until a TCP port accepts connections (memcached started). */
export async function waitForTcp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`Nothing listens on 127.0.0.1:${port} after 5 s`);
}

/** Bytes received so far on a client socket, appended by its event handler. */
class Inbox {
  chunks: Uint8Array[] = [];
  total = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.total += b.length;
  }
  /** Waits for a reply: some bytes then a quiet gap, or `firstMs` without any (noreply). */
  async settle(before: number, firstMs = 400, quietMs = 60): Promise<void> {
    let waited = 0;
    while (this.total === before && waited < firstMs) {
      await sleep(10);
      waited += 10;
    }
    let last = -1;
    while (last !== this.total) {
      last = this.total;
      await sleep(quietMs);
    }
  }
}

/** A TCP client connection. */
export class TcpClient {
  readonly #sock: net.Socket;
  readonly #inbox = new Inbox();
  readonly #closed: Promise<void>;
  private constructor(sock: net.Socket) {
    this.#sock = sock;
    sock.on("data", (b: Uint8Array) => this.#inbox.push(new Uint8Array(b)));
    this.#closed = new Promise((resolve) => sock.once("close", () => resolve()));
  }
  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ host: "127.0.0.1", port }, () => resolve(new TcpClient(s)));
      s.once("error", reject);
    });
  }
  /** Sends a request and waits for its reply to end. */
  async request(bytes: Uint8Array | string): Promise<void> {
    const before = this.#inbox.total;
    this.#sock.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
    await this.#inbox.settle(before);
  }
  /** Closes the connection (FIN) and waits for the server's close. */
  close(): Promise<void> {
    this.#sock.end();
    return this.#closed;
  }
}

/** A UDP client with the 8-byte memcached frame header. */
export class UdpClient {
  readonly #sock: dgram.Socket;
  readonly #inbox = new Inbox();
  #id = 0x1200;
  readonly #port: number;
  private constructor(sock: dgram.Socket, port: number) {
    this.#sock = sock;
    this.#port = port;
    sock.on("message", (b: Uint8Array) => this.#inbox.push(new Uint8Array(b)));
  }
  /** Opens a socket towards 127.0.0.1:`port`. */
  static open(port: number): Promise<UdpClient> {
    return new Promise((resolve) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, "127.0.0.1", () => resolve(new UdpClient(s, port)));
    });
  }
  /** Sends one request datagram (header added; `total` overrides the datagram count) and waits. */
  async request(body: Uint8Array | string, total = 1): Promise<void> {
    const b = typeof body === "string" ? new TextEncoder().encode(body) : body;
    const d = new Uint8Array(8 + b.length);
    const id = this.#id++;
    d.set([id >> 8, id & 0xff, 0, 0, total >> 8, total & 0xff, 0, 0]);
    d.set(b, 8);
    const before = this.#inbox.total;
    await new Promise<void>((r) => this.#sock.send(d, this.#port, "127.0.0.1", () => r()));
    await this.#inbox.settle(before);
  }
  /** Closes the socket. */
  close(): Promise<void> {
    return new Promise((resolve) => this.#sock.close(() => resolve()));
  }
}

/** A binary-protocol request (workloads.md §2). */
export function bin(
  opcode: number,
  key = "",
  opts: { extras?: number[]; value?: Uint8Array | string; cas?: bigint; opaque?: number } = {},
): Uint8Array {
  const k = new TextEncoder().encode(key);
  const x = Uint8Array.from(opts.extras ?? []);
  const v = typeof opts.value === "string"
    ? new TextEncoder().encode(opts.value)
    : opts.value ?? new Uint8Array(0);
  const out = new Uint8Array(24 + x.length + k.length + v.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x80;
  out[1] = opcode;
  dv.setUint16(2, k.length);
  out[4] = x.length;
  dv.setUint32(8, x.length + k.length + v.length);
  dv.setUint32(12, opts.opaque ?? 0x01020304);
  dv.setBigUint64(16, opts.cas ?? 0n);
  out.set(x, 24);
  out.set(k, 24 + x.length);
  out.set(v, 24 + x.length + k.length);
  return out;
}

/** `n` bytes of a repeating printable pattern starting at `seed`. */
export function value(n: number, seed = 0): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(33 + ((i + seed) % 90));
  return s;
}
