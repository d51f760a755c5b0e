import assert from "node:assert/strict";
import fc from "fast-check";
import { GraphBuilder } from "../../stack/graph/builder.ts";
import { defineSpec, type Graph } from "../../stack/graph/types.ts";
import { udpMatch } from "../../stack/graph/predicate/mod.ts";
import { buildTestFrame } from "./_test_frames.ts";
import { NicDrop, RxFlag, RxResult } from "./nic.ts";
import { buildPrg, PRG_ENTRY_SPEC, PRG_RX_QUEUE_SPEC } from "./prg.ts";
import { ipRuleMatch, prgRuleOf } from "./prg_rule.ts";
import { compilePrgWalker, PrgWalkDrop, PrgWalkError, walkPrg } from "./prg_walk.ts";

const ENTRY = defineSpec({ name: PRG_ENTRY_SPEC, kind: "fnode", ports: ["other"] } as const);
const QUEUE = defineSpec({ name: PRG_RX_QUEUE_SPEC, kind: "fnode", ports: [] } as const);

/** entry -> operator (one or two inputs) -> true: queue 1, false: queue 2. */
function operatorGraph(kind: "and" | "or" | "nand" | "nor", twoInputs: boolean): Graph {
  const op = defineSpec({ name: `t.${kind}`, kind, ports: ["true", "false"] } as const);
  const b = new GraphBuilder("t", { origin: "PRG" });
  // The entry's `other` port feeds a to-queue style boolean node: use the real ones.
  const to = defineSpec({ name: "nic.rx.to-queue", kind: "fnode", ports: ["true"] } as const);
  b.node("e", ENTRY, { attributes: { values: { checksums: "false" } }, out: { other: "t" } });
  b.node("t", to, { out: { true: "op" } });
  if (twoInputs) b.node("t2", to, { out: { true: "op" } });
  b.node("op", op, { out: { true: "q1", false: "q2" } });
  b.node("q1", QUEUE, { attributes: { values: { queue: "1" } } });
  b.node("q2", QUEUE, { attributes: { values: { queue: "2" } } });
  return b.build();
}

const FRAME = buildTestFrame({ srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 1, dstPort: 2 });

Deno.test("PRG walker", async (t) => {
  await t.step("O-nodes short-circuit on a true input as the reference says", () => {
    // A true input: OR fires true, NOR fires false; AND/NAND with one input fire their
    // all-arrived output (true for AND, false for NAND).
    assert.equal(walkPrg(operatorGraph("or", false), FRAME).queue, 1);
    assert.equal(walkPrg(operatorGraph("nor", false), FRAME).queue, 2);
    assert.equal(walkPrg(operatorGraph("and", false), FRAME).queue, 1);
    assert.equal(walkPrg(operatorGraph("nand", false), FRAME).queue, 2);
    // Two inputs, one arrived true: OR is decided, AND is not.
    assert.equal(walkPrg(operatorGraph("or", true), FRAME).queue, 1);
    const r = walkPrg(operatorGraph("and", true), FRAME);
    assert.deepEqual([r.queue, r.drop], [-1, PrgWalkDrop.Undecided]);
  });

  await t.step("unconfigured PRGs and unknown specs are refused with the node named", () => {
    const prg = buildPrg("t", 2, [{
      id: "rss",
      label: "RSS",
      capacity: 128,
      space: "t.rss",
      expansion: "nic.rss-table",
      source: "test",
    }], 0);
    assert.throws(
      () => compilePrgWalker(prg),
      (e) => e instanceof PrgWalkError && /C-node "rx\.c\.rss" is not configured/.test(e.message),
    );
    const b = new GraphBuilder("u", { origin: "PRG" });
    b.node("e", ENTRY, { out: { other: "x" } });
    b.node("x", defineSpec({ name: "t.mystery", kind: "fnode", ports: [] } as const));
    assert.throws(() => compilePrgWalker(b.build()), /node "x".*"t\.mystery"/);
  });

  await t.step("the plain PRG delivers to the default queue with checksum flags", () => {
    const g = buildPrg("t", 4, [], 3, { checksums: true, l2Drop: "short", maxFrame: 100 });
    const w = compilePrgWalker(g);
    const out = new RxResult();
    assert.equal(w.walk(FRAME, 0, FRAME.length, out), 3);
    const csum = RxFlag.Ipv4ChecksumChecked | RxFlag.L4ChecksumChecked;
    assert.equal(out.flags, csum);
    const bad = FRAME.slice();
    bad[22] = (bad[22] ?? 0) ^ 1; // TTL: IPv4 header checksum now wrong
    w.walk(bad, 0, bad.length, out);
    assert.equal(out.flags & RxFlag.Ipv4ChecksumBad, RxFlag.Ipv4ChecksumBad);
    assert.equal(w.walk(FRAME, 0, 10, out), -1);
    assert.equal(out.drop, NicDrop.L2Length);
    const big = buildTestFrame({
      srcIp: "10.0.0.1",
      dstIp: "10.0.0.2",
      srcPort: 1,
      dstPort: 2,
      payload: 200,
    });
    assert.equal(w.walk(big, 0, big.length, out), -1);
    assert.equal(out.drop, NicDrop.L2Oversize);
  });

  await t.step("a UDP rule's predicate is udpMatch of its fields", () => {
    const ips = ["10.0.0.1", "10.0.0.2"];
    fc.assert(
      fc.property(
        fc.option(fc.nat(1)),
        fc.option(fc.nat(1)),
        fc.option(fc.nat(65535)),
        fc.option(fc.nat(65535)),
        (s, d, sp, dp) => {
          const rule = prgRuleOf({
            table: "five-tuple",
            match: {
              proto: 17,
              ...(s === null ? {} : { srcIp: ips[s] as string }),
              ...(d === null ? {} : { dstIp: ips[d] as string }),
              ...(sp === null ? {} : { srcPort: sp }),
              ...(dp === null ? {} : { dstPort: dp }),
            },
            queue: 1,
          }, 0);
          const want = udpMatch({
            srcIp: rule.srcIp,
            dstIp: rule.dstIp,
            srcPort: rule.srcPort,
            dstPort: rule.dstPort,
          });
          assert.deepEqual(ipRuleMatch(rule), want);
        },
      ),
      { seed: 42, numRuns: 50 },
    );
  });
});
