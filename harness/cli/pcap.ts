/**
 * The `lab pcap` command group: `show` prints one line per frame like `tcpdump -nn -S`, `stats`
 * summarises a capture (text or `--json`).
 *
 * @example
 * ```sh
 * deno task lab pcap show tests/pcap/loopback.pcap -e
 * deno task lab pcap stats tests/pcap/loopback.pcap --json
 * ```
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { integerOption } from "./_options.ts";
import {
  describeFrame,
  formatStatsReport,
  PcapReader,
  PcapStats,
  scanFrames,
} from "../../stack/packet/pcap/mod.ts";

const FLUSH_CHARS = 1 << 16;

/** Thrown inside a scan to stop it once the output's reader has gone away. */
class OutputClosed extends Error {}

/**
 * Opens a pcap file named on the command line.
 *
 * @throws {Error} naming the path when it is missing, not readable or a directory; a
 * `PcapError` when its file header is not a classic pcap header.
 */
export async function openPcap(path: string): Promise<PcapReader> {
  try {
    return await PcapReader.open(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot open pcap file "${path}": no such file`);
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new Error(`Cannot open pcap file "${path}": permission denied`);
    }
    if (err instanceof Deno.errors.IsADirectory) {
      throw new Error(`Cannot open pcap file "${path}": it is a directory`);
    }
    throw err;
  }
}

/** Prints one line per frame of `path` to `out`; resolves to the number of frames shown. */
export async function showPcap(
  path: string,
  opts: { readonly ethernet?: boolean; readonly count?: number },
  out: CliIo,
): Promise<number> {
  const reader = await openPcap(path);
  let pending = "";
  const flush = () => {
    const text = pending;
    pending = "";
    try {
      out.write(text);
    } catch (err) {
      if (err instanceof Deno.errors.BrokenPipe) throw new OutputClosed();
      throw err;
    }
  };
  try {
    const describe = { ethernet: opts.ethernet ?? false, nanosecond: reader.nanosecond };
    const n = await scanFrames(reader, (rec, insp) => {
      pending += describeFrame(rec.bytes, rec.tsSec, rec.tsNsec, insp, describe) + "\n";
      if (pending.length >= FLUSH_CHARS) flush();
    }, opts.count ?? Infinity);
    if (pending.length > 0) flush();
    return n;
  } catch (err) {
    if (err instanceof OutputClosed) return 0;
    if (pending.length > 0) {
      try {
        flush();
      } catch {
        // The reader went away too: the scan's own error is the one to report.
      }
    }
    throw err;
  } finally {
    reader.close();
  }
}

/** Computes the statistics of `path` and writes them as text or JSON to `out`. */
export async function statsPcap(
  path: string,
  opts: { readonly json?: boolean; readonly top?: number },
  out: CliIo,
): Promise<void> {
  const reader = await openPcap(path);
  try {
    const stats = new PcapStats();
    await scanFrames(reader, (rec, insp) => stats.add(rec.tsSec, rec.tsNsec, insp));
    const report = stats.report(reader.nanosecond, opts.top ?? 10);
    const text = opts.json ?? false
      ? JSON.stringify(
        {
          file: path,
          linkType: reader.linkType,
          nanosecond: reader.nanosecond,
          snaplen: reader.snaplen,
          ...report,
        },
        null,
        2,
      )
      : formatStatsReport(report, path);
    out.write(text + "\n");
  } finally {
    reader.close();
  }
}

/** Builds the `pcap` command group (`show`, `stats`) writing its results to `out`. */
export function pcapCommand(out: CliIo = processIo): Command {
  const group = new Command("pcap").description(
    "Read classic pcap files (microsecond or nanosecond, either byte order, Ethernet)",
  );
  group
    .command("show")
    .description(
      "Print one line per frame like `tcpdump -nn -S` (UTC times), marking bad IPv4/UDP/TCP/ICMP checksums, malformed and truncated frames",
    )
    .argument("<file>", "pcap file to read")
    .option(
      "-e, --ethernet",
      "also print MAC addresses, EtherType and frame length (like tcpdump -e)",
    )
    .option("-c, --count <n>", "stop after n frames", integerOption("--count", { min: 1 }))
    .action(async (file, o) => {
      await showPcap(file, {
        ethernet: o.ethernet ?? false,
        ...(o.count === undefined ? {} : { count: o.count }),
      }, out);
    });
  group
    .command("stats")
    .description(
      "Summarise a capture: frames, bytes, protocols, flows, duration, bad checksums, truncated and malformed frames",
    )
    .argument("<file>", "pcap file to read")
    .option("--json", "print the summary as JSON")
    .option(
      "--top <n>",
      "list the n largest flows (default 10)",
      integerOption("--top", { min: 1 }),
    )
    .action(async (file, o) => {
      await statsPcap(file, {
        json: o.json ?? false,
        ...(o.top === undefined ? {} : { top: o.top }),
      }, out);
    });
  return group;
}
