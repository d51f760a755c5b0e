/**
 * The `lab workload` command group: the load generators' presets and the exact requests they
 * put on the wire.
 *
 * - `presets`: every memcached and UDP echo preset with its source (`--json` for the data).
 * - `requests <preset>`: the first requests one connection of a preset sends (after its warm-up
 *   load), built as real frames: 4-tuple, frame length and payload text.
 *
 * @example
 * ```sh
 * deno task lab workload presets
 * deno task lab workload requests dragonet-memcached-64 --count 4
 * deno task lab workload requests etc --count 3 --seed 7
 * ```
 *
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { type CliIo, processIo } from "./_io.ts";
import { integerOption } from "./_options.ts";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { formatIpv4 } from "../../stack/packet/addr.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason, reasonName } from "../../stack/packet/reason.ts";
import {
  keyLengths,
  MAX_UDP_PAYLOAD,
  UDP_HEADERS_BYTES,
  UdpFrameWriter,
} from "../../workloads/mod.ts";
import { createSampler, parseDistribution } from "../../workloads/dist/mod.ts";
import {
  createKeyChooser,
  MEMCACHED_PRESETS,
  MemcachedUdpClient,
} from "../../workloads/memcached/mod.ts";
import { ECHO_PRESETS, UdpEchoClient } from "../../workloads/echo/mod.ts";
import type { ClientProtocol } from "../../workloads/clients/protocol.ts";

const PRESET_NAMES = [...Object.keys(MEMCACHED_PRESETS), ...Object.keys(ECHO_PRESETS)];

function fmtNs(ns: number): string {
  if (ns === Infinity) return "none";
  return ns >= 1e9 ? `${ns / 1e9} s` : ns >= 1e6 ? `${ns / 1e6} ms` : `${ns} ns`;
}

/** The text printed by `lab workload presets`. */
export function presetsText(): string {
  const lines: string[] = [];
  for (const w of Object.values(MEMCACHED_PRESETS)) {
    const loop = w.loop.mode === "closed"
      ? `closed loop, ${w.loop.outstanding} outstanding`
      : `open loop, ${w.loop.ratePerSecond}/s ${w.loop.interArrival ?? "exponential"}`;
    lines.push(
      `${w.name}: memcached over UDP port ${w.serverPort}, key ${w.keySize}, value ${w.valueSize}, ` +
        `get ratio ${w.getRatio}, ${w.records} records (${w.popularity.kind}), ${loop}, ` +
        `timeout ${fmtNs(w.timeoutNs)}, source ports from ${w.firstSrcPort}`,
      `  source: ${w.source}`,
    );
  }
  for (const w of Object.values(ECHO_PRESETS)) {
    const loop = w.loop.mode === "closed"
      ? `closed loop, ${w.loop.outstanding} outstanding`
      : "open loop";
    lines.push(
      `${w.name}: UDP echo port ${w.serverPort}, request = response ${w.requestSize} B, ${loop}, ` +
        `timeout ${fmtNs(w.timeoutNs)}, source ports from ${w.firstSrcPort}`,
      `  source: ${w.source}`,
    );
  }
  return lines.join("\n") + "\n";
}

function printable(bytes: Uint8Array, max: number): string {
  let s = "";
  for (let i = 0; i < bytes.length && i < max; i++) {
    const b = bytes[i] as number;
    s += b === 13
      ? "\\r"
      : b === 10
      ? "\\n"
      : b >= 32 && b < 127
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${s}... (${bytes.length} B)` : s;
}

/** Options of {@link requestsText}. */
export interface RequestsOptions {
  /** Preset name. */
  readonly preset: string;
  /** Requests to show. */
  readonly count: number;
  /** Seed of the connection's stream. */
  readonly seed: number;
}

/** The text printed by `lab workload requests`. */
export function requestsText(o: RequestsOptions): string {
  const mc = MEMCACHED_PRESETS[o.preset];
  const echo = ECHO_PRESETS[o.preset];
  let protocol: ClientProtocol;
  let dstPort: number;
  let srcPort: number;
  if (mc !== undefined) {
    protocol = new MemcachedUdpClient({
      keyLengths: keyLengths(mc.records, createSampler(parseDistribution(mc.keySize))),
      valueSize: createSampler(parseDistribution(mc.valueSize)),
      getRatio: mc.getRatio,
      keys: createKeyChooser(mc.popularity, mc.records),
      rng: xoroshiro128plus(o.seed),
      load: null,
    });
    dstPort = mc.serverPort;
    srcPort = mc.firstSrcPort;
  } else if (echo !== undefined) {
    protocol = new UdpEchoClient(echo.requestSize);
    dstPort = echo.serverPort;
    srcPort = echo.firstSrcPort;
  } else {
    throw new InvalidArgumentError(
      `Preset "${o.preset}" is unknown: allowed ${PRESET_NAMES.join(", ")}`,
    );
  }
  const writer = new UdpFrameWriter({
    srcMac: new Uint8Array([2, 0, 0, 0, 2, 1]),
    dstMac: new Uint8Array([2, 0, 0, 0, 1, 1]),
    srcIp: 0x0a000201,
    dstIp: 0x0a000101,
    srcPort,
    dstPort,
  });
  const bytes = new Uint8Array(2048);
  const info = new FrameInfo();
  const lines: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const n = protocol.writeRequest(0, i, bytes, UDP_HEADERS_BYTES, MAX_UDP_PAYLOAD);
    const len = writer.write(bytes, 0, n);
    const r = parseFrame(bytes, 0, len, info);
    if (r !== Reason.Ok) throw new Error(`Built frame does not parse: ${reasonName(r)}`);
    lines.push(
      `${formatIpv4(info.ipSrc)}:${info.srcPort} -> ${formatIpv4(info.ipDst)}:${info.dstPort} ` +
        `frame ${len + 4} B with FCS, UDP payload ${n} B: ` +
        printable(bytes.subarray(UDP_HEADERS_BYTES, UDP_HEADERS_BYTES + n), 120),
    );
  }
  return lines.join("\n") + "\n";
}

/** Builds `lab workload`. */
export function workloadCommand(io: CliIo = processIo): Command {
  const cmd = new Command("workload").description(
    "Load generator presets (memcached over UDP, UDP echo) and the requests they send",
  );
  cmd.command("presets")
    .description("List the presets with their parameters and sources")
    .option("--json", "print the preset data as JSON")
    .action((opts) => {
      io.write(
        opts.json
          ? JSON.stringify(
            { memcached: MEMCACHED_PRESETS, echo: ECHO_PRESETS },
            (_k, v) => v === Infinity ? "Infinity" : v,
            2,
          ) + "\n"
          : presetsText(),
      );
    });
  cmd.command("requests")
    .description("Show the first requests one connection of a preset sends, as built frames")
    .argument("<preset>", `one of ${PRESET_NAMES.join(", ")}`)
    .option("--count <n>", "requests to show", integerOption("--count", { min: 1, max: 1000 }), 5)
    .option(
      "--seed <n>",
      "seed of the connection's random stream",
      integerOption("--seed", { min: 0, max: 2 ** 32 - 1 }),
      42,
    )
    .action((preset, opts) => {
      io.write(requestsText({ preset, count: opts.count, seed: opts.seed }));
    });
  return cmd;
}
