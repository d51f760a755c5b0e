/**
 * The SFC9020 hashed filter table: insertion, removal and lookup exactly as the farch driver and
 * hardware do them (reference `nic-models.md` §3.4-§3.6).
 *
 * One class serves both the 8192-entry IP table and the 512-entry MAC table; sizes and depth
 * limits come from {@linkcode SfcHashedTableCapability}. State lives in typed arrays indexed by
 * slot; lookups allocate nothing.
 *
 * Counters (configuration time only; lookups have no side effects besides `lastProbes`):
 * `insertBusy`, `insertExists`, `insertPermission`. Per-frame hit and probe counters belong to
 * the NIC model, which reads `lastProbes` after each lookup.
 *
 * @module
 */
import type { SfcHashedTableCapability } from "./capabilities.ts";
import {
  farchHash,
  farchIncrement,
  isFullType,
  isUdpType,
  SFC_FILTER_TYPE_COUNT,
  SfcFilterType,
} from "./filter_key.ts";

/** Software filter priorities (reference §3.5): hint < auto < manual < required. */
export const SfcPriority = { Hint: 0, Auto: 1, Manual: 2, Required: 3 } as const;

/** One of the {@linkcode SfcPriority} codes. */
export type SfcPriorityCode = (typeof SfcPriority)[keyof typeof SfcPriority];

/** Names of the priorities indexed by code. */
export const SFC_PRIORITY_NAMES = ["hint", "auto", "manual", "required"] as const;

/**
 * Negative results of {@linkcode SfcFilterTable.insert} (a slot index >= 0 means success).
 *
 * `Busy` = EBUSY (no free slot within the insertion depth), `Exists` = EEXIST (an equal filter
 * with the same priority and no replace requested), `Permission` = EPERM (an equal filter with a
 * higher priority).
 */
export const SfcInsertError = { Busy: -1, Exists: -2, Permission: -3 } as const;

/** Entry flag bit: RSS enabled (queue = entry queue + indirection table entry). */
export const SFC_FLAG_RSS = 1;

/** Describes an insertion error code in words (for messages; not for hot paths). */
export function insertErrorText(code: number): string {
  switch (code) {
    case SfcInsertError.Busy:
      return "no free slot within the insertion probe limit (EBUSY)";
    case SfcInsertError.Exists:
      return "an equal filter with the same priority is installed (EEXIST)";
    case SfcInsertError.Permission:
      return "an equal filter with a higher priority is installed (EPERM)";
    default:
      return code >= 0 ? `inserted at slot ${code}` : `unknown insertion result ${code}`;
  }
}

/** A copy of a table's state, from {@linkcode SfcFilterTable.snapshot}. */
export interface SfcFilterTableSnapshot {
  /** The typed arrays, in a fixed order. */
  readonly arrays: readonly (Uint8Array | Uint16Array | Uint32Array | Int32Array)[];
  /** Installed filters. */
  readonly count: number;
}

/** The hashed filter table state and algorithms. */
export class SfcFilterTable {
  /** Number of slots. */
  readonly size: number;
  /** 1 where the slot holds a filter. */
  readonly used: Uint8Array;
  /** Filter type code per slot. */
  readonly type: Uint8Array;
  /** Data word 0 per slot. */
  readonly d0: Uint32Array;
  /** Data word 1 per slot. */
  readonly d1: Uint32Array;
  /** Data word 2 per slot. */
  readonly d2: Uint32Array;
  /** Target RX queue per slot. */
  readonly queue: Uint16Array;
  /** Flag bits per slot ({@linkcode SFC_FLAG_RSS}). */
  readonly flags: Uint8Array;
  /** Software priority per slot. */
  readonly priority: Uint8Array;
  /** Depth (1-based probe count) at which each slot's filter sits on its probe sequence. */
  readonly depth: Uint16Array;
  /** Search depth per filter type (the driver's `search_limit`), indexed by type code. */
  readonly searchDepth: Int32Array;
  /** Number of installed filters. */
  count = 0;
  /** Installed filters per type code. */
  readonly countByType: Int32Array;
  /**
   * Probes the hardware walked in the most recent lookup: the match depth on a hit, the type's
   * search depth on a miss.
   */
  lastProbes = 0;
  /** Insertions refused with EBUSY. */
  insertBusy = 0;
  /** Insertions refused with EEXIST. */
  insertExists = 0;
  /** Insertions refused with EPERM. */
  insertPermission = 0;

  readonly #mask: number;
  readonly #fudgeFull: number;
  readonly #fudgeWild: number;
  readonly #maxInsertDepth: number;
  readonly #maxInsertDepthHint: number;
  /**
   * Installed filters per key bucket (a multiplicative hash of the 32-bit key into 32 buckets
   * per slot): a zero lets a lookup miss without walking. Equal filters have equal keys, so this
   * never hides a match; it only saves the walk the hardware would do.
   */
  readonly #perKey: Uint32Array;
  readonly #perKeyShift: number;

  /**
   * Creates an empty table with the capacity and depth limits of `cap`.
   *
   * @throws {RangeError} when the capacity is not a power of two between 2 and 65536.
   */
  constructor(cap: SfcHashedTableCapability) {
    const size = cap.capacity.value;
    if (!Number.isInteger(size) || size < 2 || size > 65536 || (size & (size - 1)) !== 0) {
      throw new RangeError(
        `Cannot create filter table: capacity must be a power of two in 2..65536, got ${size}`,
      );
    }
    this.size = size;
    this.#mask = size - 1;
    this.used = new Uint8Array(size);
    this.type = new Uint8Array(size);
    this.d0 = new Uint32Array(size);
    this.d1 = new Uint32Array(size);
    this.d2 = new Uint32Array(size);
    this.queue = new Uint16Array(size);
    this.flags = new Uint8Array(size);
    this.priority = new Uint8Array(size);
    this.depth = new Uint16Array(size);
    this.searchDepth = new Int32Array(SFC_FILTER_TYPE_COUNT);
    this.countByType = new Int32Array(SFC_FILTER_TYPE_COUNT);
    this.#fudgeFull = cap.searchFudgeFull.value;
    this.#fudgeWild = cap.searchFudgeWild.value;
    this.#maxInsertDepth = cap.maxInsertDepth.value;
    this.#maxInsertDepthHint = cap.maxInsertDepthHint.value;
    const bits = Math.log2(size) + 5;
    this.#perKeyShift = 32 - bits;
    this.#perKey = new Uint32Array(1 << bits);
  }

  /** The search limit the driver programs into the NIC for `type` (depth + fudge, §3.5). */
  programmedSearchLimit(type: number): number {
    return (this.searchDepth[type] ?? 0) + (isFullType(type) ? this.#fudgeFull : this.#fudgeWild);
  }

  // Outcome of the last #walk (scratch; avoids allocating a result object).
  #insIndex = -1;
  #insDepth = 0;
  #repIndex = -1;
  #stopDepth = 0;

  /**
   * The search loop of `efx_farch_filter_insert` (reference §3.5), without changing the table:
   * walks the probe sequence looking at once for an equal filter (same type and data words) and
   * for the first free slot; stops at an equal filter, or once the depth reaches the type's
   * search depth and a free slot was seen or the insertion depth limit (200, or 5 for "hint")
   * was reached. Returns 0, or {@linkcode SfcInsertError.Busy}.
   */
  #walk(type: number, d0: number, d1: number, d2: number, key: number, priority: number): number {
    const incr = farchIncrement(key);
    const maxRepDepth = this.searchDepth[type] ?? 0;
    const maxInsDepth = priority <= SfcPriority.Hint
      ? this.#maxInsertDepthHint
      : this.#maxInsertDepth;
    let i = farchHash(key) & this.#mask;
    let insIndex = -1;
    let insDepth = 0;
    let repIndex = -1;
    let depth = 1;
    for (;;) {
      if (this.used[i] === 0) {
        if (insIndex < 0) {
          insIndex = i;
          insDepth = depth;
        }
      } else if (
        this.type[i] === type && this.d0[i] === d0 && this.d1[i] === d1 && this.d2[i] === d2
      ) {
        if (insIndex < 0) {
          insIndex = i;
          insDepth = depth;
        }
        repIndex = i;
        break;
      }
      if (depth >= maxRepDepth && (insIndex >= 0 || depth >= maxInsDepth)) {
        if (insIndex < 0) return SfcInsertError.Busy;
        repIndex = -1;
        break;
      }
      i = (i + incr) & this.#mask;
      depth++;
    }
    this.#insIndex = insIndex;
    this.#insDepth = insDepth;
    this.#repIndex = repIndex;
    this.#stopDepth = depth;
    return 0;
  }

  /** The replacement check of `efx_farch_filter_insert`: 0, Exists or Permission. */
  #replaceCheck(priority: number, replaceEqual: boolean): number {
    const rep = this.#repIndex;
    if (rep < 0) return 0;
    const saved = this.priority[rep] ?? 0;
    if (priority === saved && !replaceEqual) return SfcInsertError.Exists;
    if (priority < saved) return SfcInsertError.Permission;
    return 0;
  }

  /**
   * What {@linkcode insert} would return for this filter, without changing the table or its
   * counters (oracles use it to detect refusals before proposing a rule).
   */
  wouldInsert(
    type: number,
    d0: number,
    d1: number,
    d2: number,
    key: number,
    priority: number,
    replaceEqual = false,
  ): number {
    const w = this.#walk(type, d0, d1, d2, key, priority);
    if (w < 0) return w;
    const r = this.#replaceCheck(priority, replaceEqual);
    return r < 0 ? r : this.#insIndex;
  }

  /**
   * Inserts a filter following `efx_farch_filter_insert` step by step (reference §3.5): the
   * search loop (see {@linkcode wouldInsert}), the replacement check by priority, the write,
   * raising the type's search depth to the stopping depth when deeper, and clearing an equal
   * filter that was found deeper than the free slot used.
   *
   * @returns the slot index (>= 0), or an {@linkcode SfcInsertError} code.
   */
  insert(
    type: number,
    d0: number,
    d1: number,
    d2: number,
    key: number,
    queue: number,
    flags: number,
    priority: number,
    replaceEqual = false,
  ): number {
    if (this.#walk(type, d0, d1, d2, key, priority) < 0) {
      this.insertBusy++;
      return SfcInsertError.Busy;
    }
    const r = this.#replaceCheck(priority, replaceEqual);
    if (r === SfcInsertError.Exists) this.insertExists++;
    if (r === SfcInsertError.Permission) this.insertPermission++;
    if (r < 0) return r;
    const insIndex = this.#insIndex;
    const repIndex = this.#repIndex;
    if (insIndex !== repIndex) {
      const b = Math.imul(key, 0x9e3779b1) >>> this.#perKeyShift;
      this.used[insIndex] = 1;
      this.count++;
      this.countByType[type] = (this.countByType[type] ?? 0) + 1;
      this.#perKey[b] = (this.#perKey[b] ?? 0) + 1;
    }
    this.type[insIndex] = type;
    this.d0[insIndex] = d0;
    this.d1[insIndex] = d1;
    this.d2[insIndex] = d2;
    this.queue[insIndex] = queue;
    this.flags[insIndex] = flags;
    this.priority[insIndex] = priority;
    this.depth[insIndex] = this.#insDepth;
    if ((this.searchDepth[type] ?? 0) < this.#stopDepth) this.searchDepth[type] = this.#stopDepth;
    if (insIndex !== repIndex && repIndex >= 0) this.remove(repIndex);
    return insIndex;
  }

  /**
   * Clears a slot (`efx_farch_filter_table_clear_entry`); search depths of every type reset to 0
   * only when the table becomes empty (reference §3.5).
   *
   * @returns false when the slot is out of range or empty.
   */
  remove(slot: number): boolean {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.size || this.used[slot] === 0) {
      return false;
    }
    const type = this.type[slot] ?? 0;
    const key = ((this.d0[slot] ?? 0) ^ (this.d1[slot] ?? 0) ^ (this.d2[slot] ?? 0) ^
      this.#data3Of(slot)) >>> 0;
    const b = Math.imul(key, 0x9e3779b1) >>> this.#perKeyShift;
    this.#perKey[b] = (this.#perKey[b] ?? 1) - 1;
    this.used[slot] = 0;
    this.type[slot] = 0;
    this.d0[slot] = 0;
    this.d1[slot] = 0;
    this.d2[slot] = 0;
    this.queue[slot] = 0;
    this.flags[slot] = 0;
    this.priority[slot] = 0;
    this.depth[slot] = 0;
    this.count--;
    this.countByType[type] = (this.countByType[type] ?? 1) - 1;
    if (this.count === 0) this.searchDepth.fill(0);
    return true;
  }

  /** Removes every filter (search depths reset, as for an emptied table). */
  clear(): void {
    this.used.fill(0);
    this.#perKey.fill(0);
    this.countByType.fill(0);
    this.searchDepth.fill(0);
    this.count = 0;
  }

  /**
   * Finds an installed filter equal to (type, d0, d1, d2) by walking its probe sequence up to
   * the type's search depth, as the hardware does on receive; sets {@linkcode lastProbes}.
   *
   * On a miss the hardware walks the whole search depth; the model adds that many probes but
   * skips the walk when no installed filter's key falls in the same bucket (exactly equivalent,
   * since equal filters have equal keys).
   *
   * @returns the slot, or -1 when no filter matches.
   */
  lookup(type: number, d0: number, d1: number, d2: number, key: number): number {
    const limit = this.searchDepth[type] ?? 0;
    if (limit === 0) {
      this.lastProbes = 0;
      return -1;
    }
    if (this.#perKey[Math.imul(key, 0x9e3779b1) >>> this.#perKeyShift] === 0) {
      this.lastProbes = limit;
      return -1;
    }
    const hash = farchHash(key);
    const incr = farchIncrement(key);
    const mask = this.#mask;
    let i = hash & mask;
    for (let depth = 1; depth <= limit; depth++) {
      if (
        this.used[i] === 1 && this.type[i] === type && this.d0[i] === d0 && this.d1[i] === d1 &&
        this.d2[i] === d2
      ) {
        this.lastProbes = depth;
        return i;
      }
      i = (i + incr) & mask;
    }
    this.lastProbes = limit;
    return -1;
  }

  /** Copies the whole table state (for an all-or-nothing reconfiguration). */
  snapshot(): SfcFilterTableSnapshot {
    return {
      arrays: [
        this.used.slice(),
        this.type.slice(),
        this.d0.slice(),
        this.d1.slice(),
        this.d2.slice(),
        this.queue.slice(),
        this.flags.slice(),
        this.priority.slice(),
        this.depth.slice(),
        this.searchDepth.slice(),
        this.countByType.slice(),
        this.#perKey.slice(),
      ],
      count: this.count,
    };
  }

  /** Restores a state taken by {@linkcode snapshot} from this table. */
  restore(s: SfcFilterTableSnapshot): void {
    const targets = [
      this.used,
      this.type,
      this.d0,
      this.d1,
      this.d2,
      this.queue,
      this.flags,
      this.priority,
      this.depth,
      this.searchDepth,
      this.countByType,
      this.#perKey,
    ];
    targets.forEach((t, i) => {
      const src = s.arrays[i];
      if (src === undefined || src.length !== t.length) {
        throw new RangeError(`Cannot restore filter table: snapshot array ${i} does not fit`);
      }
      t.set(src as never);
    });
    this.count = s.count;
  }

  #data3Of(slot: number): number {
    const t = this.type[slot] ?? 0;
    return isUdpType(t) || t === SfcFilterType.MacWild ? 1 : 0;
  }
}
