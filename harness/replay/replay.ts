/**
 * Replays a capture through the lab's whole stack: the frames addressed to one host go through
 * the LPG (compiled), TCP and an application (memcached or UDP echo); every frame the stack
 * transmits is returned in order, stamped with the time of the input frame that caused it.
 *
 * What is fed: IPv4 frames whose destination is the host's address, and ARP frames asking for
 * it. Skipped (and counted): frames for other hosts; frames the host itself sent (source address
 * and source port are the host's and the application's port: a loopback capture records both
 * directions with the same address); frames that are neither IPv4 nor ARP or do not parse.
 *
 * Replay rules, each a documented choice:
 * - Checksums (`fixChecksums`): Linux loopback captures carry partial UDP/TCP checksums (the
 *   pseudo-header sum, offload never done). `auto` (default) completes them in frames whose
 *   MACs are both zero (loopback-style); `on` does it for every frame; `off` never. Only a field
 *   equal to the pseudo-header sum is completed; any other wrong checksum is left for the stack
 *   to drop with its reason. Counted either way.
 * - ARP: a capture cannot answer the stack's ARP requests, so the source MAC of every fed IPv4
 *   frame is entered in the ARP cache for its source address before the frame runs.
 * - TCP ISN (`isnFromCapture`, default true): the client's acknowledgments in the capture count
 *   from the captured server's initial sequence number, so a connection takes its ISN from the
 *   captured SYN-ACK of the same 4-tuple when there is one.
 * - Time: the TCP and memcached clocks follow the capture's timestamps; due TCP timers run
 *   before each frame; nothing runs after the last frame.
 *
 * @module
 */
import { parseMac } from "../../stack/packet/addr.ts";
import { FrameInfo } from "../../stack/packet/frame_info.ts";
import { parseFrame } from "../../stack/packet/parse.ts";
import { Reason } from "../../stack/packet/reason.ts";
import type { PcapFrameInput, PcapRecord } from "../../stack/packet/pcap/mod.ts";
import { LpgHost } from "../../stack/protocols/tcp/lpg_host.ts";
import { UdpEchoApp } from "../../stack/apps/echo/udp_echo.ts";
import { MemcachedEngine } from "../../stack/apps/memcached/engine.ts";
import { MemcachedLpgApp } from "../../stack/apps/memcached/lpg_app.ts";
import { defaultIsn } from "../../stack/protocols/tcp/config.ts";
import { DEFAULT_MTU, FRAME_OVERHEAD } from "../../stack/protocols/env.ts";
import { classifyL4Checksum, fillL4Checksum, L4Checksum } from "./checksums.ts";

/** Applications the replay can run. */
export const REPLAY_APPS = ["memcached", "echo"] as const;
/** One of {@linkcode REPLAY_APPS}. */
export type ReplayApp = (typeof REPLAY_APPS)[number];

/** Checksum completion modes (see the module doc). */
export const FIX_CHECKSUM_MODES = ["auto", "on", "off"] as const;
/** One of {@linkcode FIX_CHECKSUM_MODES}. */
export type FixChecksumMode = (typeof FIX_CHECKSUM_MODES)[number];

/** Default port per application: memcached 11211 (workloads.md §3), echo 7 (RFC 862). */
export const DEFAULT_PORT: Readonly<Record<ReplayApp, number>> = { memcached: 11211, echo: 7 };

/** Options of {@linkcode replayCapture}. */
export interface ReplayOptions {
  /** The application. */
  readonly app: ReplayApp;
  /** The host's IPv4 address (dotted quad). */
  readonly ip: string;
  /** The host's MAC (default `02:00:00:00:00:01`; loopback captures use 00:00:00:00:00:00). */
  readonly mac?: string;
  /** The application's UDP/TCP port (default per app, {@linkcode DEFAULT_PORT}). */
  readonly port?: number;
  /** Checksum completion (default `auto`). */
  readonly fixChecksums?: FixChecksumMode;
  /** Take TCP ISNs from the captured SYN-ACKs (default true). */
  readonly isnFromCapture?: boolean;
  /** Executor (default `compiled`). */
  readonly mode?: "compiled" | "interpreter";
  /**
   * The stack's MTU. Default: the interface the capture was made on accepted every frame in it,
   * so the smallest MTU that admits the largest captured frame, and at least Ethernet's 1500
   * (loopback captures carry frames up to 64 KiB).
   */
  readonly mtu?: number;
}

/** Counts of a replay. */
export interface ReplaySummary {
  /** Frames read. */
  read: number;
  /** Frames fed to the stack. */
  fed: number;
  /** Frames skipped: for other hosts. */
  skippedOtherHost: number;
  /** Frames skipped: sent by the host itself (loopback captures). */
  skippedOwn: number;
  /** Frames skipped: not IPv4 or ARP, or unparsable. */
  skippedOther: number;
  /** Frames transmitted by the stack. */
  transmitted: number;
  /** Partial checksums completed. */
  checksumsFixed: number;
  /** Wrong checksums left in place (the stack drops those frames). */
  checksumsBad: number;
  /** TCP connections whose ISN came from the capture. */
  isnFromCapture: number;
  /** Drops by node and reason (graph counters, the TCP engine's reasons included). */
  drops: { node: string; reason: string; count: number }[];
  /** Frames the stack could not take (no buffer, or longer than a buffer). */
  refused: number;
}

/** The result of a replay. */
export interface ReplayResult {
  /** Every transmitted frame, in order. */
  readonly frames: PcapFrameInput[];
  /** Counts. */
  readonly summary: ReplaySummary;
}

/** One line summarising a replay (`read 10, fed 5, ...`). */
export function formatSummary(s: ReplaySummary): string {
  const drops = s.drops.reduce((n, d) => n + d.count, 0);
  const reasons = s.drops.map((d) => `${d.reason}@${d.node} ${d.count}`).join(", ");
  return `read ${s.read}, fed ${s.fed}, skipped ${
    s.skippedOtherHost + s.skippedOwn + s.skippedOther
  } (other host ${s.skippedOtherHost}, own ${s.skippedOwn}, not IPv4/ARP ${s.skippedOther}), ` +
    `transmitted ${s.transmitted}, dropped ${drops}${reasons === "" ? "" : ` (${reasons})`}, ` +
    `checksums fixed ${s.checksumsFixed}, bad ${s.checksumsBad}, refused ${s.refused}`;
}

function parseIp(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const parts = m === null ? [] : m.slice(1).map(Number);
  if (parts.length !== 4 || parts.some((p) => p > 255)) {
    throw new Error(`Replay address "${text}" must be a dotted IPv4 quad like 127.0.0.1`);
  }
  return parts.reduce((a, p) => a * 256 + p, 0) >>> 0;
}

/**
 * Replays `records` (Ethernet frames) through the lab's stack with the application.
 *
 * @throws {Error} when an option is malformed (address, MAC, port).
 */
export function replayCapture(
  records: readonly PcapRecord[],
  options: ReplayOptions,
): ReplayResult {
  const ip = parseIp(options.ip);
  const mac = options.mac ?? "02:00:00:00:00:01";
  parseMac(mac); // throws a clear error on a malformed MAC
  const port = options.port ?? DEFAULT_PORT[options.app];
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new Error(`Replay port ${port} must be an integer 1..65535`);
  }
  const fix = options.fixChecksums ?? "auto";
  const info = new FrameInfo();

  // Captured server ISNs per remote endpoint (in order of the SYN-ACKs).
  const isns = new Map<string, number[]>();
  if (options.isnFromCapture ?? true) {
    for (const r of records) {
      if (parseFrame(r.data, 0, r.data.length, info) !== Reason.Ok) continue;
      if (info.l4Proto !== 6 || info.ipSrc >>> 0 !== ip || info.srcPort !== port) continue;
      if ((info.tcpFlags & 0x12) !== 0x12) continue;
      const key = `${info.ipDst >>> 0}:${info.dstPort}`;
      const list = isns.get(key) ?? [];
      list.push(info.tcpSeq >>> 0);
      isns.set(key, list);
    }
  }
  const t0 = records[0]?.tsNs ?? 0n;
  let nowNs = 0;
  let nowSec = Number(t0) / 1e9;
  let isnUsed = 0;
  // Buffers big enough for the largest frame (loopback frames reach 64 KiB), fewer of them then.
  const largest = records.reduce((m, r) => Math.max(m, r.data.length), 0);
  const bufferSize = Math.max(2048, 128 + ((largest + 1023) & ~1023));
  const host = new LpgHost({
    bufferSize,
    buffers: bufferSize > 2048 ? 512 : 4096,
    lpg: {
      localIp: options.ip,
      localMac: mac,
      mtu: options.mtu ?? Math.min(65535, Math.max(DEFAULT_MTU, largest - FRAME_OVERHEAD)),
    },
    endpoints: [{ sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: port }],
    mode: options.mode ?? "compiled",
    tcp: {
      clock: () => nowNs,
      isn: (lIp, lPort, rIp, rPort, t) => {
        const captured = isns.get(`${rIp >>> 0}:${rPort}`)?.shift();
        if (captured !== undefined) {
          isnUsed++;
          return captured;
        }
        return defaultIsn(lIp, lPort, rIp, rPort, t);
      },
    },
  });
  const poll: () => number = options.app === "memcached"
    ? (() => {
      const engine = new MemcachedEngine({ clock: () => nowSec });
      const app = new MemcachedLpgApp(engine, host.env, host, {
        udpSids: [0],
        tcp: host.tcp,
        tcpPort: port,
      });
      return () => app.poll();
    })()
    : (() => {
      const app = new UdpEchoApp(host.env, host, [0]);
      return () => app.poll();
    })();

  const summary: ReplaySummary = {
    read: 0,
    fed: 0,
    skippedOtherHost: 0,
    skippedOwn: 0,
    skippedOther: 0,
    transmitted: 0,
    checksumsFixed: 0,
    checksumsBad: 0,
    isnFromCapture: 0,
    drops: [],
    refused: 0,
  };
  const frames: PcapFrameInput[] = [];
  let stamp = t0;
  const collect = (bytes: Uint8Array, off: number, len: number) => {
    frames.push({ tsNs: stamp, data: bytes.slice(off, off + len) });
  };
  const settle = () => {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const ran = host.drain();
      const polled = poll();
      if (ran === 0 && polled === 0 && host.ctx.tasks.size === 0) break;
    }
    host.takeTx(collect);
  };

  for (const r of records) {
    summary.read++;
    stamp = r.tsNs;
    nowNs = Number(r.tsNs - t0);
    nowSec = Number(r.tsNs) / 1e9;
    host.tcp.tick();
    settle();
    const data = r.data;
    if (parseFrame(data, 0, data.length, info) !== Reason.Ok) {
      summary.skippedOther++;
      continue;
    }
    if (info.etherType === 0x0806) {
      if (info.arpTargetIp >>> 0 !== ip) {
        summary.skippedOtherHost++;
        continue;
      }
    } else if (info.etherType === 0x0800) {
      if (info.ipDst >>> 0 !== ip) {
        summary.skippedOtherHost++;
        continue;
      }
      if (info.ipSrc >>> 0 === ip && info.srcPort === port) {
        summary.skippedOwn++;
        continue;
      }
    } else {
      summary.skippedOther++;
      continue;
    }
    const frame = data.slice();
    if (info.etherType === 0x0800) {
      const loopbackStyle = frame.subarray(0, 12).every((b) => b === 0);
      if (fix === "on" || (fix === "auto" && loopbackStyle)) {
        const c = classifyL4Checksum(frame, info);
        if (c === L4Checksum.Partial) {
          fillL4Checksum(frame, info);
          summary.checksumsFixed++;
        } else if (c === L4Checksum.Bad) {
          summary.checksumsBad++;
        }
      } else if (classifyL4Checksum(frame, info) !== L4Checksum.Ok) {
        summary.checksumsBad++;
      }
      const hi = (frame[6] ?? 0) << 8 | (frame[7] ?? 0);
      const lo = ((frame[8] ?? 0) << 24 | (frame[9] ?? 0) << 16 | (frame[10] ?? 0) << 8 |
        (frame[11] ?? 0)) >>> 0;
      host.env.arpInsert(info.ipSrc >>> 0, hi, lo);
    }
    summary.fed++;
    if (!host.receive(frame)) summary.refused++;
    settle();
  }
  summary.transmitted = frames.length;
  summary.isnFromCapture = isnUsed;
  summary.drops = host.drops();
  return { frames, summary };
}
