/**
 * Captures a little real UDP, TCP and ICMP traffic on the loopback interface with tcpdump.
 *
 * Used by the cross-check tests (live capture) and, run as a script, to regenerate the shipped
 * fixture: `deno run -A tests/pcap/_loopback_capture.ts tests/pcap/loopback.pcap`.
 *
 * The traffic: one UDP datagram "hello" to a bound port; one to a closed port (the kernel
 * answers with ICMP port unreachable); a TCP connection that sends "ping!" and closes.
 *
 * @module
 */
import dgram from "node:dgram";

/** Ports the traffic uses; the capture filter keeps only these. */
export const LOOPBACK_PORTS = { udp: 47001, udpClosed: 47003, tcp: 47002 } as const;

/** Frames the traffic makes on loopback: UDP 2, ICMP 1, TCP 8 (3 handshake, data, ack, 3 close). */
export const LOOPBACK_FRAMES = 11;

/** Outcome of `captureLoopback`: ok, or the reason the capture could not be made. */
export type CaptureResult = { ok: true } | { ok: false; reason: string };

/** Says whether tcpdump is on the PATH, by running `tcpdump --version`. */
export async function haveTcpdump(): Promise<boolean> {
  try {
    const r = await new Deno.Command("tcpdump", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return r.success;
  } catch {
    return false;
  }
}

async function sendTraffic(): Promise<void> {
  const { udp, udpClosed, tcp } = LOOPBACK_PORTS;
  const server = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => server.bind(udp, "127.0.0.1", resolve));
  const got = new Promise((resolve) => server.once("message", resolve));
  const client = dgram.createSocket("udp4");
  client.on("error", () => {}); // the ICMP unreachable surfaces as ECONNREFUSED on some kernels
  await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => client.send("hello", udp, "127.0.0.1", () => resolve()));
  await got;
  await new Promise<void>((resolve) =>
    client.send("nobody", udpClosed, "127.0.0.1", () => resolve())
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  server.close();
  client.close();

  const listener = Deno.listen({ hostname: "127.0.0.1", port: tcp });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: tcp });
  const accepted = await listener.accept();
  await conn.write(new TextEncoder().encode("ping!"));
  await accepted.read(new Uint8Array(16));
  conn.close();
  await accepted.read(new Uint8Array(16)); // sees the FIN
  accepted.close();
  listener.close();
}

/**
 * Runs tcpdump on `lo` writing `path` while sending the traffic; resolves once tcpdump has
 * seen `LOOPBACK_FRAMES` frames or after `timeoutMs`. Needs capture rights (root or
 * CAP_NET_RAW); when they are missing the result says so instead of throwing.
 */
export async function captureLoopback(path: string, timeoutMs = 10_000): Promise<CaptureResult> {
  if (!(await haveTcpdump())) return { ok: false, reason: "tcpdump is not installed" };
  const { udp, udpClosed, tcp } = LOOPBACK_PORTS;
  // The ICMP clause keeps only the port-unreachable quoting our datagram: offset 30 of the ICMP
  // message is the quoted UDP header's destination port (8 ICMP + 20 IPv4 + 2).
  const filter =
    `udp port ${udp} or udp port ${udpClosed} or tcp port ${tcp} or (icmp and icmp[30:2] = ${udpClosed})`;
  const child = new Deno.Command("tcpdump", {
    args: ["-i", "lo", "-U", "-n", "-c", String(LOOPBACK_FRAMES), "-w", path, filter],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const timer = setTimeout(() => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
  }, timeoutMs);
  try {
    while (!text.includes("listening on")) {
      const r = await stderr.read();
      if (r.done) break;
      text += r.value;
    }
    if (!text.includes("listening on")) {
      await child.status;
      return { ok: false, reason: `tcpdump cannot capture on lo: ${text.trim() || "no output"}` };
    }
    try {
      await sendTraffic();
    } catch (err) {
      child.kill("SIGTERM");
      await child.status;
      return {
        ok: false,
        reason: `cannot send loopback traffic: ${err instanceof Error ? err.message : err}`,
      };
    }
    const status = await child.status;
    if (!status.success && status.signal !== "SIGTERM") {
      return { ok: false, reason: `tcpdump exited with code ${status.code}` };
    }
    return { ok: true };
  } finally {
    clearTimeout(timer);
    stderr.cancel().catch(() => {});
  }
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error("usage: deno run -A tests/pcap/_loopback_capture.ts OUT.pcap");
    Deno.exit(2);
  }
  const r = await captureLoopback(path);
  if (!r.ok) {
    console.error(`capture failed: ${r.reason}`);
    Deno.exit(1);
  }
  console.log(`wrote ${path}`);
}
