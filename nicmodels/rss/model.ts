/**
 * The plain RSS-only NIC model: L2 length checks, checksum status, Toeplitz RSS over a
 * configurable key and table, default queue 0. No filter tables.
 *
 * Settings: `rxChecksum` (boolean, default true) = `ethtool -K rx on|off`.
 *
 * @module
 */
import { NicBase } from "../_shared/nic_base.ts";
import {
  type ConfigOp,
  type NicCapabilities,
  type NicConfig,
  type RxResult,
  RxStage,
  type ValidationIssue,
} from "../_shared/nic.ts";
import { RxKey } from "../_shared/rx_parse.ts";
import { rxPrologue } from "../_shared/rx_common.ts";
import { defaultRssConfig, RssEngine, validateRss } from "../_shared/rss.ts";
import { validateCommon } from "../_shared/validate_common.ts";
import { RSS_NIC_FRAMES, rssNicCapabilities, type RssNicOptions } from "./capabilities.ts";

/** Microsoft's verification key, the default RSS key of the lab's NICs (nic-models.md §4). */
export const DEFAULT_RSS_KEY =
  "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

/** A Linux-like default configuration: all queues, RSS on round-robin, 512-descriptor rings. */
export function defaultRssNicConfig(caps: NicCapabilities): NicConfig {
  if (caps.rss === null) throw new Error(`NIC ${caps.id} has no RSS capability`);
  return {
    queues: caps.rxQueues.value,
    ringSize: caps.rings.default.value,
    rss: defaultRssConfig(
      caps.rss,
      caps.rxQueues.value,
      DEFAULT_RSS_KEY.slice(0, 2 * caps.rss.keyBytes.value).padEnd(
        2 * caps.rss.keyBytes.value,
        "0",
      ),
    ),
    filters: [],
    settings: {},
  };
}

/** A multi-queue NIC that only does RSS. */
export class RssNic extends NicBase {
  private readonly key = new RxKey();
  private readonly rss: RssEngine;
  private checksums = true;
  private maxFrame: number = RSS_NIC_FRAMES.default.value;

  /** Builds the NIC from options (capabilities) and a configuration (default: Linux-like). */
  constructor(opts: RssNicOptions = {}, config?: NicConfig) {
    const caps = rssNicCapabilities(opts);
    const cfg = config ?? defaultRssNicConfig(caps);
    super(caps, cfg);
    const rssCap = caps.rss;
    if (rssCap === null) throw new Error("Plain RSS NIC without RSS capability");
    this.rss = new RssEngine(rssCap);
    this.start(cfg);
  }

  /** Every problem with `config` for this NIC. */
  validate(config: NicConfig): readonly ValidationIssue[] {
    const issues = validateCommon(this.capabilities, config, ["rxChecksum", "maxFrame"]);
    issues.push(...validateRss(this.capabilities.rss, config.rss, config.queues));
    const { rxChecksum, maxFrame } = config.settings;
    if (rxChecksum !== undefined && typeof rxChecksum !== "boolean") {
      issues.push({
        path: "settings.rxChecksum",
        message: `rxChecksum must be true or false, got ${JSON.stringify(rxChecksum)}`,
      });
    }
    const f = RSS_NIC_FRAMES;
    if (
      maxFrame !== undefined &&
      (typeof maxFrame !== "number" || !Number.isInteger(maxFrame) || maxFrame < f.min.value ||
        maxFrame > f.max.value)
    ) {
      issues.push({
        path: "settings.maxFrame",
        message: `maxFrame must be ${f.min.value}..${f.max.value} bytes, got ${
          JSON.stringify(maxFrame)
        }`,
      });
    }
    return issues;
  }

  /** Loads RSS and settings. */
  protected install(next: NicConfig, _ops: readonly ConfigOp[]): void {
    this.rss.configure(next.rss);
    this.checksums = next.settings.rxChecksum !== false;
    this.maxFrame = typeof next.settings.maxFrame === "number"
      ? next.settings.maxFrame
      : RSS_NIC_FRAMES.default.value;
  }

  /** L2 checks, checksum status, RSS, default queue. */
  classify(bytes: Uint8Array, off: number, len: number, out: RxResult): number {
    if (!rxPrologue(bytes, off, len, this.key, out, this.checksums, this.maxFrame)) return -1;
    const q = this.rss.select(bytes, this.key, out);
    if (q >= 0) {
      out.stage = RxStage.Rss;
      out.queue = q;
      return q;
    }
    out.stage = RxStage.Default;
    out.queue = this.capabilities.defaultQueue.value;
    return out.queue;
  }
}
