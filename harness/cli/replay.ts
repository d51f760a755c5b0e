/**
 * The `lab replay` command: feeds the frames of a capture addressed to one host through the
 * lab's whole stack (LPG compiled, TCP engine, the application) and writes every frame the
 * stack transmits, in order, to a pcap; prints one summary line (frames read, fed, skipped,
 * transmitted, dropped by reason, checksums completed or bad).
 *
 * Loopback captures (`tcpdump -i lo`): MACs are 00:00:00:00:00:00 (pass `--mac
 * 00:00:00:00:00:00` so the Ethernet layer accepts the frames) and UDP/TCP checksums are partial
 * (Linux checksum offload); `--fix-checksums auto` (the default) completes partial checksums in
 * frames whose MACs are both zero, `on` in every frame, `off` never. A checksum that is neither
 * correct nor partial is never changed: the stack drops the frame and counts the reason.
 * TCP connections take their ISN from the captured SYN-ACK (`--no-capture-isn` to generate), so
 * the client's acknowledgments fit.
 *
 * @example
 * ```sh
 * tcpdump -i lo -w mc.pcap -U port 11211 &   # then drive memcached -U 11211, stop tcpdump
 * deno task lab replay --app memcached --ip 127.0.0.1 --mac 00:00:00:00:00:00 mc.pcap lab.pcap
 * tcpdump -nn -r lab.pcap | head
 * ```
 *
 * @module
 */
import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { decodePcap, LinkType, PcapWriter } from "../../stack/packet/pcap/mod.ts";
import { FIX_CHECKSUM_MODES, formatSummary, REPLAY_APPS, replayCapture } from "../replay/replay.ts";
import { type CliIo, processIo } from "./_io.ts";
import { choiceOption, integerOption, ipv4Option } from "./_options.ts";

/** Builds the `replay` command writing to `io`. */
export function replayCommand(io: CliIo = processIo): CommandUnknownOpts {
  return new Command("replay")
    .description(
      "Replay the frames of a capture addressed to --ip through the lab's stack and an " +
        "application; write what the stack transmits to OUT.pcap",
    )
    .argument("<in>", "capture to read (pcap, Ethernet link type)")
    .argument("<out>", "pcap to write the transmitted frames to")
    .addOption(
      new Option("--app <app>", `application: ${REPLAY_APPS.join(" or ")}`)
        .argParser(choiceOption("--app", REPLAY_APPS))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--ip <addr>", "the stack's IPv4 address; frames to it are fed")
        .argParser((v) => (ipv4Option("--ip")(v), v))
        .makeOptionMandatory(),
    )
    .option(
      "--mac <mac>",
      "the stack's MAC (loopback captures: 00:00:00:00:00:00)",
      "02:00:00:00:00:01",
    )
    .addOption(
      new Option("--port <n>", "the application's UDP/TCP port (default 11211 memcached, 7 echo)")
        .argParser(integerOption("--port", { min: 1, max: 65535 })),
    )
    .addOption(
      new Option(
        "--fix-checksums <mode>",
        "complete partial UDP/TCP checksums: auto (frames with zero MACs), on, off",
      ).argParser(choiceOption("--fix-checksums", FIX_CHECKSUM_MODES)).default("auto" as const),
    )
    .addOption(
      new Option(
        "--mtu <bytes>",
        "the stack's MTU (default: admits the largest captured frame, at least 1500)",
      ).argParser(integerOption("--mtu", { min: 68, max: 65535 })),
    )
    .option("--no-capture-isn", "generate TCP ISNs instead of taking the captured SYN-ACK's")
    .addOption(
      new Option("--mode <mode>", "executor: compiled or interpreter")
        .argParser(choiceOption("--mode", ["compiled", "interpreter"] as const))
        .default("compiled" as const),
    )
    .option("--json", "print the summary as JSON instead of one line")
    .action(async (input, output, opts) => {
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(input);
      } catch (err) {
        throw new Error(
          `Cannot read capture "${input}": ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const { header, records } = decodePcap(bytes, input);
      if (header.linkType !== LinkType.Ethernet) {
        throw new Error(
          `Cannot replay "${input}": link type ${header.linkType} is not Ethernet (1)`,
        );
      }
      const { frames, summary } = replayCapture(records, {
        app: opts.app,
        ip: opts.ip,
        mac: opts.mac,
        ...(opts.port === undefined ? {} : { port: opts.port }),
        ...(opts.mtu === undefined ? {} : { mtu: opts.mtu }),
        fixChecksums: opts.fixChecksums,
        isnFromCapture: opts.captureIsn,
        mode: opts.mode,
      });
      const w = await PcapWriter.create(output, { nanosecond: header.nanosecond });
      try {
        for (const f of frames) await w.write(f.tsNs, f.data);
      } finally {
        await w.close();
      }
      io.write(
        opts.json === true ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`,
      );
    });
}
