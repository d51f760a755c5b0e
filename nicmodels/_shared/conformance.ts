/**
 * The one conformance suite every NIC model runs (STYLE.md §9).
 *
 * A model's test calls {@link runNicConformance} with a {@link ConformanceSubject} that knows how
 * to build the model and its NIC-specific rules. A case the NIC cannot express returns a skip
 * reason string, which is printed (never a silent pass).
 *
 * Cases: default queue; one rule steers a flow and counts a hit; precedence when several rules
 * match; capacity accepted and capacity + 1 rejected with a message naming the limit; ring
 * overflow dropped and counted; checksum-status flags on good and bad frames; configuration by
 * diff round-trips; classify has no side effects; random and truncated bytes never throw.
 *
 * @example
 * ```ts ignore
 * Deno.test("my NIC conforms", (t) => runNicConformance(t, mySubject));
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { diffConfig, sameValue } from "./config_diff.ts";
import {
  type FilterRule,
  type NicConfig,
  NicConfigError,
  NicDrop,
  type NicModel,
  RxFlag,
  RxResult,
  RxStage,
} from "./nic.ts";
import {
  buildNonIpFrame,
  buildTestFrame,
  IPV4_CHECKSUM_OFFSET,
  UDP4_CHECKSUM_OFFSET,
} from "./_test_frames.ts";

/** A UDP or TCP IPv4 flow as the conformance suite uses it. */
export interface ConformanceFlow {
  /** 6 or 17. */
  readonly proto: number;
  /** Source (remote) address. */
  readonly srcIp: string;
  /** Destination (local) address. */
  readonly dstIp: string;
  /** Source port. */
  readonly srcPort: number;
  /** Destination port. */
  readonly dstPort: number;
}

/** Several rules matching one flow and the queue the NIC's documented precedence picks. */
export interface PrecedenceCase {
  /** Rules, all matching the flow (installed together). */
  readonly rules: readonly FilterRule[];
  /** Queue the flow must land on. */
  readonly expected: number;
  /** Why, citing the reference (printed on failure). */
  readonly why: string;
}

/** Capacity + 1 rules for one table and what the rejection message must say. */
export interface CapacityCase {
  /** capacity + 1 valid-looking rules for one table. */
  readonly rules: readonly FilterRule[];
  /** The table's capacity (the first `capacity` rules must be accepted). */
  readonly capacity: number;
  /** The error message must match this (it names the limit). */
  readonly message: RegExp;
}

/** What the suite needs to know about one NIC model. */
export interface ConformanceSubject {
  /** Model name for step titles. */
  readonly name: string;
  /** Builds a model in configuration `config`. */
  make(config: NicConfig): NicModel;
  /** A valid configuration with `queues` queues, rings of `ringSize`, RSS off and no filters. */
  baseConfig(queues: number, ringSize: number): NicConfig;
  /** A rule steering exactly `flow` to `queue`, or the reason this NIC cannot. */
  steerRule(flow: ConformanceFlow, queue: number): FilterRule | string;
  /** A precedence case for `flow`, or the reason there is none. */
  precedence(flow: ConformanceFlow): PrecedenceCase | string;
  /** A capacity case, or the reason there is none. */
  overCapacity(): CapacityCase | string;
}

const FLOW: ConformanceFlow = {
  proto: 17,
  srcIp: "10.0.0.2",
  dstIp: "10.0.0.1",
  srcPort: 40000,
  dstPort: 11211,
};

function frameOf(flow: ConformanceFlow): Uint8Array {
  return buildTestFrame(flow);
}

function counter(nic: NicModel, name: string): number {
  return nic.counters().find((c) => c.name === name)?.value ?? 0;
}

/** Runs `fn` as a step, or marks it ignored (with the reason printed) when `reason` is a string. */
async function stepOr(
  t: Deno.TestContext,
  name: string,
  reason: string | null,
  fn: () => void,
): Promise<void> {
  if (reason !== null) {
    console.log(`  ignored "${name}": ${reason}`);
    await t.step({ name, ignore: true, fn: () => {} });
    return;
  }
  await t.step(name, fn);
}

function why(x: unknown): string | null {
  return typeof x === "string" ? x : null;
}

/** Runs every conformance case for `subject` as steps of test context `t`. */
export async function runNicConformance(
  t: Deno.TestContext,
  subject: ConformanceSubject,
): Promise<void> {
  const caps = () => subject.make(subject.baseConfig(4, 512)).capabilities;
  const ringMin = caps().rings.min.value;
  const base = subject.baseConfig(4, Math.max(ringMin, 64));
  const out = new RxResult();

  await t.step(`${subject.name}: unclaimed frames go to the default queue`, () => {
    const nic = subject.make(base);
    const q0 = nic.capabilities.defaultQueue.value;
    assert.equal(nic.receive(frameOf(FLOW), 0, frameOf(FLOW).length, out), q0);
    assert.equal(out.stage, RxStage.Default);
    assert.equal(out.flags & RxFlag.FilterMatch, 0);
    const arp = buildNonIpFrame();
    assert.equal(nic.receive(arp, 0, arp.length, out), q0);
    assert.equal(counter(nic, `rx_queue_${q0}_packets`), 2);
  });

  const steer = subject.steerRule(FLOW, 2);
  await stepOr(t, `${subject.name}: one rule steers its flow and counts a hit`, why(steer), () => {
    const rule = steer as FilterRule;
    const nic = subject.make({ ...base, filters: [rule] });
    const f = frameOf(FLOW);
    assert.equal(nic.receive(f, 0, f.length, out), 2);
    assert.equal(out.stage, RxStage.Filter);
    assert.ok(out.flags & RxFlag.FilterMatch);
    assert.equal(counter(nic, `${rule.table}_hits`), 1);
    const other = frameOf({ ...FLOW, srcPort: FLOW.srcPort + 1, srcIp: "10.9.9.9" });
    assert.equal(nic.receive(other, 0, other.length, out), nic.capabilities.defaultQueue.value);
  });

  const prec = subject.precedence(FLOW);
  await stepOr(t, `${subject.name}: precedence when several rules match`, why(prec), () => {
    const c = prec as PrecedenceCase;
    const nic = subject.make({ ...base, filters: c.rules });
    const f = frameOf(FLOW);
    assert.equal(nic.classify(f, 0, f.length, out), c.expected, c.why);
    // Installation order must not matter.
    const rev = subject.make({ ...base, filters: [...c.rules].reverse() });
    assert.equal(rev.classify(f, 0, f.length, out), c.expected, `${c.why} (reversed order)`);
  });

  const cap = subject.overCapacity();
  const capName = `${subject.name}: capacity accepted, capacity + 1 rejected naming the limit`;
  await stepOr(t, capName, why(cap), () => {
    const c = cap as CapacityCase;
    assert.equal(c.rules.length, c.capacity + 1);
    const nic = subject.make(base);
    nic.configure({ ...base, filters: c.rules.slice(0, c.capacity) });
    assert.equal(nic.config().filters.length, c.capacity);
    const before = nic.config();
    assert.throws(
      () => nic.configure({ ...base, filters: c.rules }),
      (e: unknown) => e instanceof NicConfigError && c.message.test(e.message),
    );
    assert.equal(nic.config(), before, "a rejected change leaves the configuration in force");
    assert.ok(nic.validate({ ...base, filters: c.rules }).length > 0);
  });

  await t.step(`${subject.name}: a full RX ring drops and counts`, () => {
    const size = ringMin;
    const nic = subject.make(subject.baseConfig(4, size));
    const q0 = nic.capabilities.defaultQueue.value;
    const f = frameOf(FLOW);
    for (let i = 0; i < size; i++) assert.equal(nic.receive(f, 0, f.length, out, i), q0);
    assert.equal(nic.rxPending(q0), size);
    assert.equal(nic.receive(f, 0, f.length, out, size), -1);
    assert.equal(out.drop, NicDrop.RxRingFull);
    assert.equal(counter(nic, "rx_no_dma_resources"), 1);
    assert.equal(counter(nic, `rx_queue_${q0}_no_dma_resources`), 1);
    const cookies = new Int32Array(2);
    assert.equal(nic.pollRx(q0, 2, cookies), 2);
    assert.deepEqual([...cookies], [0, 1]);
    assert.equal(nic.receive(f, 0, f.length, out), q0);
  });

  await t.step(`${subject.name}: checksum-status flags on good and bad frames`, () => {
    const nic = subject.make(base);
    const off = nic.capabilities.offloads;
    const good = frameOf(FLOW);
    nic.classify(good, 0, good.length, out);
    const want = (off.rxIpv4Checksum.value ? RxFlag.Ipv4ChecksumChecked : 0) |
      (off.rxL4Checksum.value ? RxFlag.L4ChecksumChecked : 0);
    const mask = RxFlag.Ipv4ChecksumChecked | RxFlag.Ipv4ChecksumBad |
      RxFlag.L4ChecksumChecked | RxFlag.L4ChecksumBad;
    assert.equal(out.flags & mask, want);
    const badIp = frameOf(FLOW);
    badIp[IPV4_CHECKSUM_OFFSET] = (badIp[IPV4_CHECKSUM_OFFSET] ?? 0) ^ 0x5a;
    nic.classify(badIp, 0, badIp.length, out);
    assert.equal(
      out.flags & RxFlag.Ipv4ChecksumBad,
      off.rxIpv4Checksum.value ? RxFlag.Ipv4ChecksumBad : 0,
    );
    const badL4 = frameOf(FLOW);
    badL4[UDP4_CHECKSUM_OFFSET] = (badL4[UDP4_CHECKSUM_OFFSET] ?? 0) ^ 0x5a;
    nic.classify(badL4, 0, badL4.length, out);
    assert.equal(
      out.flags & RxFlag.L4ChecksumBad,
      off.rxL4Checksum.value ? RxFlag.L4ChecksumBad : 0,
    );
    assert.equal(out.flags & RxFlag.Ipv4ChecksumBad, 0);
  });

  const steer1 = subject.steerRule(FLOW, 1);
  await stepOr(t, `${subject.name}: configuration by diff round-trips`, why(steer1), () => {
    const rule = steer1 as FilterRule;
    const a = { ...base, filters: [rule] };
    const nic = subject.make(base);
    const ops = nic.configure(a);
    assert.deepEqual(ops, [{ op: "add", rule }]);
    assert.ok(sameValue(nic.config(), a));
    const back = nic.configure(base);
    assert.deepEqual(back, [{ op: "remove", rule }]);
    nic.apply(diffConfig(base, a));
    assert.ok(sameValue(nic.config(), a));
    const f = frameOf(FLOW);
    assert.equal(nic.classify(f, 0, f.length, out), 1);
  });

  await t.step(`${subject.name}: classify has no side effects`, () => {
    const nic = subject.make(base);
    const f = frameOf(FLOW);
    const before = JSON.stringify(nic.counters());
    nic.classify(f, 0, f.length, out);
    assert.equal(JSON.stringify(nic.counters()), before);
    assert.equal(nic.rxPending(nic.capabilities.defaultQueue.value), 0);
  });

  await t.step(`${subject.name}: random and truncated bytes never throw`, () => {
    const nic = subject.make(base);
    const good = frameOf(FLOW);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(good.length), (junk, cut) => {
        nic.receive(junk, 0, junk.length, out);
        nic.receive(good, 0, cut, out);
        nic.pollRx(nic.capabilities.defaultQueue.value, 4, new Int32Array(4));
        return true;
      }),
      { seed: 42, numRuns: 150 },
    );
  });
}
