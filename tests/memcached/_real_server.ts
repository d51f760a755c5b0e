/**
 * Test helpers: start the installed `memcached` on free loopback ports, and read its TCP and
 * UDP replies with timeouts.
 *
 * @module
 */
import dgram from "node:dgram";

/** A running memcached process. */
export interface RealServer {
  /** TCP and UDP port. */
  port: number;
  /** Stops the process and waits for it. */
  stop(): Promise<void>;
}

/** Returns why memcached cannot be used, or null when `memcached -V` runs. */
export async function memcachedMissing(): Promise<string | null> {
  try {
    const r = await new Deno.Command("memcached", {
      args: ["-V"],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return r.success ? null : `memcached -V exited with code ${r.code}`;
  } catch (err) {
    return `memcached is not installed (${err instanceof Error ? err.message : String(err)})`;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Starts memcached on a free port (TCP and UDP) and waits until it accepts connections. */
export async function startMemcached(extraArgs: string[] = []): Promise<RealServer> {
  const port = freePort();
  const args = ["-l", "127.0.0.1", "-p", String(port), "-U", String(port), ...extraArgs];
  if (Deno.uid() === 0) args.push("-u", "root");
  const child = new Deno.Command("memcached", { args, stdout: "null", stderr: "piped" }).spawn();
  const stderr = child.stderr.pipeTo(new WritableStream());
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
    await stderr.catch(() => {});
  };
  for (let i = 0; i < 100; i++) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return { port, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await stop();
  throw new Error(`memcached did not accept connections on 127.0.0.1:${port} within 2 s`);
}

/** A TCP connection whose incoming bytes are queued for reads with a timeout. */
export class TcpPump {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** Whether the peer closed the connection. */
  eof = false;
  private wake: (() => void) | null = null;
  private readonly done: Promise<void>;

  private constructor(private readonly conn: Deno.TcpConn) {
    this.done = this.pump();
  }

  /** Connects to 127.0.0.1:port. */
  static async open(port: number): Promise<TcpPump> {
    return new TcpPump(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  private async pump(): Promise<void> {
    const buf = new Uint8Array(256 * 1024);
    try {
      while (true) {
        const n = await this.conn.read(buf);
        if (n === null) break;
        this.chunks.push(buf.slice(0, n));
        this.size += n;
        this.wake?.();
      }
    } catch {
      // reset by peer counts as closed
    }
    this.eof = true;
    this.wake?.();
  }

  /** Sends bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.conn.write(bytes.subarray(off));
  }

  /** Waits until `n` bytes arrived, the peer closed, or `ms` passed; returns what arrived. */
  async take(n: number, ms: number): Promise<Uint8Array> {
    const deadline = Date.now() + ms;
    while (this.size < n && !this.eof && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, Math.max(1, deadline - Date.now()));
      });
      this.wake = null;
    }
    const all = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      all.set(c, o);
      o += c.length;
    }
    const got = all.slice(0, Math.min(n, all.length));
    const rest = all.slice(got.length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return got;
  }

  /** Waits up to `ms` for the peer to close; returns whether it did. */
  async closedWithin(ms: number): Promise<boolean> {
    await this.take(Number.MAX_SAFE_INTEGER, ms);
    return this.eof;
  }

  /** Closes the connection and waits for the reader. */
  async close(): Promise<void> {
    try {
      this.conn.close();
    } catch {
      // already closed
    }
    await this.done;
  }
}

/** A UDP socket collecting reply datagrams. */
export class UdpPump {
  private queue: Uint8Array[] = [];
  private wake: (() => void) | null = null;

  private constructor(private readonly sock: dgram.Socket, private readonly port: number) {
    sock.on("message", (m: Uint8Array) => {
      this.queue.push(new Uint8Array(m));
      this.wake?.();
    });
  }

  /** Opens a socket sending to 127.0.0.1:port. */
  static async open(port: number): Promise<UdpPump> {
    const sock = dgram.createSocket("udp4");
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
    return new UdpPump(sock, port);
  }

  /** Sends one datagram. */
  send(bytes: Uint8Array): void {
    this.sock.send(bytes, this.port, "127.0.0.1");
  }

  /** Waits for `n` datagrams (or `ms`), then `graceMs` more for extras; returns all received. */
  async take(n: number, ms: number, graceMs: number): Promise<Uint8Array[]> {
    const deadline = Date.now() + ms;
    while (this.queue.length < n && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, Math.max(1, deadline - Date.now()));
      });
      this.wake = null;
    }
    await new Promise((r) => setTimeout(r, graceMs));
    const got = this.queue;
    this.queue = [];
    return got;
  }

  /** Closes the socket. */
  close(): Promise<void> {
    return new Promise((r) => this.sock.close(() => r()));
  }
}
