/**
 * The `lab tcp` command group: look at the stack's TCP engine from the command line.
 *
 * - `transfer`: one connection between a client and a server engine over an in-memory link with
 *   delay, jitter (reordering) and loss; checks both byte streams arrive intact, prints the
 *   counters with their drop reasons, and can write every segment as a pcap for tcpdump.
 * - `counters`: every counter the engine keeps, with its description (drop reasons marked).
 *
 * @example
 * ```sh
 * deno task lab tcp transfer --up 200000 --down 50000 --loss 0.05 --jitter-us 200 --pcap tcp.pcap
 * tcpdump -nn -S -r tcp.pcap | head
 * deno task lab tcp counters
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { integerOption, numberOption } from "./_options.ts";
import { parseMac } from "../../stack/packet/addr.ts";
import { PcapWriter } from "../../stack/packet/pcap/mod.ts";
import {
  frameTcpSegment,
  runTransfer,
  TCP_COUNTERS,
  type TransferResult,
} from "../../stack/protocols/tcp/mod.ts";

/** Options of {@link transferReport}. */
export interface TransferCliOptions {
  /** Client-to-server bytes. */
  readonly up: number;
  /** Server-to-client bytes. */
  readonly down: number;
  /** Loss probability. */
  readonly loss: number;
  /** One-way delay (us). */
  readonly delayUs: number;
  /** Extra random delay (us). */
  readonly jitterUs: number;
  /** Seed of the link and the data. */
  readonly seed: number;
  /** MSS of both engines. */
  readonly mss: number;
  /** Receive buffer of both engines. */
  readonly rcvBuffer: number;
}

/** Deterministic stream contents (a byte pattern depending on the seed and direction). */
function pattern(n: number, seed: number, dir: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed ^ (dir * 0x9e3779b9)) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs the transfer; returns the result and the report `lab tcp transfer` prints. */
export function transferReport(o: TransferCliOptions): { result: TransferResult; text: string } {
  const up = pattern(o.up, o.seed, 1);
  const down = pattern(o.down, o.seed, 2);
  const t0 = performance.now();
  const result = runTransfer({
    up,
    down,
    engine: { mss: o.mss, rcvBuffer: o.rcvBuffer, timeWaitNs: 2_000_000_000 },
    link: {
      delayNs: Math.round(o.delayUs * 1000),
      jitterNs: Math.round(o.jitterUs * 1000),
      loss: o.loss,
      seed: o.seed,
      record: true,
    },
  });
  const wallMs = performance.now() - t0;
  const intactUp = equalBytes(result.serverReceived, up);
  const intactDown = equalBytes(result.clientReceived, down);
  const lines = [
    `transfer: ${o.up} bytes up, ${o.down} bytes down; link delay ${o.delayUs} us, jitter ${o.jitterUs} us, ` +
    `loss ${o.loss}, seed ${o.seed}; MSS ${o.mss}, receive buffer ${o.rcvBuffer}`,
    `result: ${result.completed ? "completed" : `NOT completed (${result.problem})`}; ` +
    `streams ${intactUp && intactDown ? "intact" : "DIFFER"} ` +
    `(up ${result.serverReceived.length}/${o.up}, down ${result.clientReceived.length}/${o.down})`,
    `virtual time ${(result.endNs / 1e6).toFixed(3)} ms (includes 2 s TIME-WAIT), ` +
    `${result.link.records.length} segments sent, ${result.link.dropped} lost, ` +
    `${result.steps} link steps, ${wallMs.toFixed(1)} ms wall`,
    "counter                      client     server  description",
  ];
  for (const c of TCP_COUNTERS) {
    const a = result.client.counters[c.code] ?? 0;
    const b = result.server.counters[c.code] ?? 0;
    if (a === 0 && b === 0) continue;
    lines.push(
      `${c.name.padEnd(24)} ${String(a).padStart(10)} ${String(b).padStart(10)}  ${
        c.drop ? "[drop] " : ""
      }${c.description}`,
    );
  }
  return { result, text: lines.join("\n") + "\n" };
}

/** Writes the link's segments as Ethernet frames into a nanosecond pcap file. */
export async function writeTransferPcap(result: TransferResult, path: string): Promise<number> {
  const macs = [parseMac("02:00:00:00:00:01"), parseMac("02:00:00:00:00:02")];
  const w = await PcapWriter.create(path, { nanosecond: true });
  const frame = new Uint8Array(65600);
  const epoch = 1_700_000_000_000_000_000n;
  try {
    for (const r of result.link.records) {
      const n = frameTcpSegment(r.bytes, 0, r.bytes.length, r.srcIp, r.dstIp, frame, 0, {
        srcMac: macs[r.from] ?? macs[0] ?? new Uint8Array(6),
        dstMac: macs[1 - r.from] ?? macs[1] ?? new Uint8Array(6),
      });
      await w.write(epoch + BigInt(r.time), frame, 0, n);
    }
  } finally {
    await w.close();
  }
  return result.link.records.length;
}

/** The text `lab tcp counters` prints. */
export function countersReport(): string {
  const lines = ["code  name                       kind   description"];
  for (const c of TCP_COUNTERS) {
    lines.push(
      `${String(c.code).padStart(4)}  ${c.name.padEnd(26)} ${
        c.drop ? "drop " : "stat "
      }  ${c.description}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Builds the `tcp` command group. */
export function tcpCommand(io: CliIo = processIo): Command {
  const tcp = new Command("tcp").description("The stack's TCP engine: transfers and counters");
  tcp
    .command("transfer")
    .description(
      "Run one TCP connection over an in-memory link with delay, jitter and loss; check the streams",
    )
    .option(
      "--up <bytes>",
      "client-to-server bytes",
      integerOption("--up", { min: 0, max: 1e8 }),
      100_000,
    )
    .option(
      "--down <bytes>",
      "server-to-client bytes",
      integerOption("--down", { min: 0, max: 1e8 }),
      10_000,
    )
    .option(
      "--loss <p>",
      "probability a segment is lost",
      numberOption("--loss", { min: 0, max: 0.5 }),
      0,
    )
    .option(
      "--delay-us <us>",
      "one-way delay in us",
      numberOption("--delay-us", { min: 0, max: 1e7 }),
      50,
    )
    .option(
      "--jitter-us <us>",
      "extra uniform random delay in us (reorders segments)",
      numberOption("--jitter-us", { min: 0, max: 1e7 }),
      0,
    )
    .option(
      "--seed <n>",
      "seed of the link and the data",
      integerOption("--seed", { min: 0, max: 0xffff_ffff }),
      1,
    )
    .option(
      "--mss <bytes>",
      "MSS of both engines",
      integerOption("--mss", { min: 64, max: 65495 }),
      1460,
    )
    .option(
      "--rcv-buffer <bytes>",
      "receive buffer of both engines",
      integerOption("--rcv-buffer", { min: 1024, max: 1 << 30 }),
      65536,
    )
    .option("--pcap <file>", "write every segment (lost ones too) as a nanosecond pcap")
    .action(async (o) => {
      const { result, text } = transferReport(o);
      io.write(text);
      if (o.pcap !== undefined) {
        const n = await writeTransferPcap(result, o.pcap);
        io.write(`wrote ${n} frames to ${o.pcap}\n`);
      }
      if (!result.completed) throw new Error(`Transfer did not complete: ${result.problem}`);
    });
  tcp
    .command("counters")
    .description("List the engine's counters with descriptions (drop reasons marked)")
    .action(() => io.write(countersReport()));
  return tcp;
}
