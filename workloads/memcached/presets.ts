/**
 * memcached workload presets as data (workloads.md §5, §4, §11): Dragonet's memaslap profile
 * and the Facebook ETC profile as mutilate encodes it.
 *
 * @module
 */
import type { LoopSpec } from "../clients/load_client.ts";
import type { KeyPopularity } from "./key_popularity.ts";

/** A memcached-over-UDP workload (serialisable). */
export interface MemcachedWorkload {
  /** Preset name. */
  readonly name: string;
  /** Where the numbers come from. */
  readonly source: string;
  /** Key size distribution in mutilate's syntax. */
  readonly keySize: string;
  /** Value size distribution in mutilate's syntax. */
  readonly valueSize: string;
  /** Fraction of gets. */
  readonly getRatio: number;
  /** Records (distinct keys) loaded in warm-up and addressed by requests. */
  readonly records: number;
  /** Key popularity. */
  readonly popularity: KeyPopularity;
  /** Server UDP port. */
  readonly serverPort: number;
  /** First client source port (one per connection, consecutive). */
  readonly firstSrcPort: number;
  /** Default pacing. */
  readonly loop: LoopSpec;
  /** Request timeout (ns). */
  readonly timeoutNs: number;
  /** Timeout check period (ns). */
  readonly timeoutCheckNs: number;
  /** Unmeasured time after the load before the window opens (ns). */
  readonly warmupNs: number;
  /** Measurement window (ns). */
  readonly durationNs: number;
}

const dragonet = (value: 64 | 1024): MemcachedWorkload => ({
  name: `dragonet-memcached-${value}`,
  source:
    "workloads.md §5, §11: memaslap --udp -T1 -c1, bmKey_64_val_<v>.conf (key 64, value 64|1024 fixed, set 0.1 / get 0.9), port 7777, source ports from 8000, 50 s after 2 s, UDP loss timeout 10 s checked every 1 s",
  keySize: "fixed:64",
  valueSize: `fixed:${value}`,
  getRatio: 0.9,
  // memaslap's task window: 1000 objects per concurrency (one connection here).
  records: 1000,
  popularity: { kind: "uniform" },
  serverPort: 7777,
  firstSrcPort: 8000,
  loop: { mode: "closed", outstanding: 1 },
  timeoutNs: 10e9,
  timeoutCheckNs: 1e9,
  warmupNs: 2e9,
  durationNs: 50e9,
});

/** Dragonet's memaslap profile with 64-byte values. */
export const DRAGONET_MEMCACHED_64: MemcachedWorkload = dragonet(64);
/** Dragonet's memaslap profile with 1024-byte values. */
export const DRAGONET_MEMCACHED_1024: MemcachedWorkload = dragonet(1024);

/**
 * Facebook ETC as mutilate encodes it: fb_key / fb_value sizes, fb_ia gaps, 10 000 records, get
 * ratio 0.75 (unverified: IX's shorthand, a parameter), open loop from intended send times.
 * Timeout 1 s is the lab's choice (mutilate runs over TCP and has none).
 */
export const FACEBOOK_ETC: MemcachedWorkload = {
  name: "etc",
  source: "workloads.md §4.2 (mutilate Generator.cc), §11",
  keySize: "fb_key",
  valueSize: "fb_value",
  getRatio: 0.75,
  records: 10_000,
  popularity: { kind: "uniform" },
  serverPort: 11211,
  firstSrcPort: 9000,
  loop: { mode: "open", ratePerSecond: 100_000, interArrival: "fb_ia", maxOutstanding: 64 },
  timeoutNs: 1e9,
  timeoutCheckNs: 100e6,
  warmupNs: 10e6,
  durationNs: 100e6,
};

/** Every memcached preset by name. */
export const MEMCACHED_PRESETS: Readonly<Record<string, MemcachedWorkload>> = {
  [DRAGONET_MEMCACHED_64.name]: DRAGONET_MEMCACHED_64,
  [DRAGONET_MEMCACHED_1024.name]: DRAGONET_MEMCACHED_1024,
  [FACEBOOK_ETC.name]: FACEBOOK_ETC,
};
