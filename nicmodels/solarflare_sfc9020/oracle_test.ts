import assert from "node:assert/strict";
import { formatIpv4Address, parseIpv4Address as ip } from "../_shared/addr.ts";
import type { FilterRule, FlowSpec } from "../_shared/nic.ts";
import { NicConfigError, RxResult } from "../_shared/nic.ts";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import { SFC9020_CAPABILITIES as CAPS } from "./capabilities.ts";
import { sfcDefaultConfig, sfcDragonetConfig } from "./config.ts";
import { fillIpFilterWords, SfcFilterType } from "./filter_key.ts";
import { Sfc9020Nic } from "./model.ts";
import { Sfc9020Oracle } from "./oracle.ts";
import { collidingUdpRule } from "./_test_rules.ts";

const MAX = CAPS.sfc.ipTable.maxInsertDepth.value;

function frameOf(flow: FlowSpec): Uint8Array {
  if (
    flow.srcIp === undefined || flow.dstIp === undefined || flow.srcPort === undefined ||
    flow.dstPort === undefined
  ) throw new Error("Test flow must be fully specified");
  return buildTestFrame({
    proto: flow.proto ?? 17,
    srcIp: flow.srcIp,
    dstIp: flow.dstIp,
    srcPort: flow.srcPort,
    dstPort: flow.dstPort,
  });
}

/** Flow of the i-th colliding rule (same full-filter key as every `collidingUdpRule(key, _)`). */
function flowOf(rule: FilterRule): FlowSpec {
  const { srcIp, dstIp, srcPort, dstPort } = rule.match;
  if (
    srcIp === undefined || dstIp === undefined || srcPort === undefined || dstPort === undefined
  ) {
    throw new Error("Test rule must be a full IP rule");
  }
  return { proto: 17, srcIp, dstIp, srcPort, dstPort };
}

/** `n` UDP wildcard rules (distinct local endpoints) whose keys all equal `key`. */
function collidingWildRules(key: number, n: number): FilterRule[] {
  return Array.from({ length: n }, (_, i) => {
    const port = 2000 + i;
    const local = (key ^ port ^ 1) >>> 0; // UDP wild: d0 = port, d1 = 0, d2 = local IP, u = 1
    return {
      table: "ip",
      match: { proto: 17, dstIp: formatIpv4Address(local), dstPort: port },
      queue: 1,
    };
  });
}

Deno.test("SFC9020 oracle", async (t) => {
  const out = new RxResult();

  await t.step("a fresh flow gets one full rule per non-default queue; each one steers it", () => {
    const cfg = sfcDragonetConfig(10, 512);
    const nic = new Sfc9020Nic(cfg);
    const oracle = new Sfc9020Oracle(nic);
    const flow: FlowSpec = { srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };
    const cands = oracle.propose(nic.config(), flow);
    assert.deepEqual(cands.map((c) => c.queue), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const c of cands) {
      assert.deepEqual(c.affectedQueues, [0, c.queue]);
      const n = new Sfc9020Nic(cfg);
      n.apply(c.ops);
      const f = frameOf(flow);
      assert.equal(n.classify(f, 0, f.length, out), c.queue);
    }
  });

  await t.step("a refused full filter falls back to a wildcard on the local endpoint", () => {
    const key = 0x2468ace0;
    const rules = Array.from({ length: MAX }, (_, i) => collidingUdpRule(key, i, 1));
    const nic = new Sfc9020Nic({ ...sfcDragonetConfig(4, 512), filters: rules });
    const flow = flowOf(collidingUdpRule(key, MAX, 1));
    const cands = new Sfc9020Oracle(nic).propose(nic.config(), flow);
    assert.deepEqual(cands.map((c) => c.queue), [1, 2, 3]);
    for (const c of cands) {
      const op = c.ops[0];
      assert.ok(op !== undefined && op.op === "add");
      assert.deepEqual(op.rule.match, {
        proto: 17,
        dstIp: flow.dstIp,
        dstPort: flow.dstPort,
      });
      assert.deepEqual(c.affectedQueues, [0, 1, 2, 3]);
    }
    nic.apply(cands[1]?.ops ?? []);
    const f = frameOf(flow);
    assert.equal(nic.classify(f, 0, f.length, out), 2);
  });

  await t.step("both refused: the fallback leaves the flow on its default/RSS queue", () => {
    const key = 0x2468ace0;
    const full = Array.from({ length: MAX }, (_, i) => collidingUdpRule(key, i, 1));
    const flow = flowOf(collidingUdpRule(key, MAX, 1));
    // Fill the flow's wildcard probe sequence too.
    const w = new Uint32Array(4);
    fillIpFilterWords(SfcFilterType.UdpWild, ip(flow.dstIp ?? ""), flow.dstPort ?? 0, 0, 0, w);
    const wild = collidingWildRules(w[3] ?? 0, MAX);
    const nic = new Sfc9020Nic({ ...sfcDefaultConfig(8, { ringSize: 512 }), filters: full });
    let refused = 0;
    for (const rule of wild) {
      try {
        nic.apply([{ op: "add", rule }]);
      } catch (e) {
        if (!(e instanceof NicConfigError)) throw e;
        refused++; // this sequence crosses the full rules' slots too
      }
    }
    assert.ok(refused > 0, "the wildcard probe sequence is full");
    const cands = new Sfc9020Oracle(nic).propose(nic.config(), flow);
    assert.equal(cands.length, 1);
    assert.deepEqual(cands[0]?.ops, []);
    const f = frameOf(flow);
    assert.equal(cands[0]?.queue, nic.classify(f, 0, f.length, out), "where the NIC sends it");
  });

  await t.step("without the live model the oracle rebuilds the table from the config", () => {
    const key = 0x13579bdf;
    const rules = Array.from({ length: MAX }, (_, i) => collidingUdpRule(key, i, 1));
    const cfg = { ...sfcDragonetConfig(4, 512), filters: rules };
    const cands = new Sfc9020Oracle().propose(cfg, flowOf(collidingUdpRule(key, MAX, 1)));
    const op = cands[0]?.ops[0];
    assert.ok(op !== undefined && op.op === "add");
    assert.equal(op.rule.match.srcIp, undefined, "wildcard proposed");
  });

  await t.step("an installed flow is moved, and a local-endpoint flow gets a wildcard", () => {
    const flow: FlowSpec = { srcIp: "10.0.0.2", dstIp: "10.0.0.1", srcPort: 40000, dstPort: 11211 };
    const cfg = sfcDragonetConfig(4, 512);
    const oracle = new Sfc9020Oracle();
    const first = oracle.propose(cfg, flow)[0];
    assert.ok(first !== undefined);
    const nic = new Sfc9020Nic(cfg);
    nic.apply(first.ops);
    const moves = oracle.propose(nic.config(), flow);
    assert.deepEqual(moves.map((c) => c.queue), [2, 3]);
    assert.deepEqual(moves[0]?.ops.map((o) => o.op), ["remove", "add"]);
    nic.apply(moves[1]?.ops ?? []);
    const f = frameOf(flow);
    assert.equal(nic.classify(f, 0, f.length, out), 3);
    const listen = oracle.propose(cfg, { dstIp: "10.0.0.1", dstPort: 80, proto: 6 });
    assert.deepEqual(listen.map((c) => c.queue), [1, 2, 3]);
    const unmatchable = oracle.propose(cfg, { dstPort: 80 });
    assert.deepEqual(unmatchable, [{ ops: [], queue: 0, affectedQueues: [] }]);
  });

  await t.step(
    "greedy placement: the scratch-table oracle agrees with the live-table oracle",
    () => {
      const nic = new Sfc9020Nic(sfcDragonetConfig(6, 512));
      const live = new Sfc9020Oracle(nic);
      const scratch = new Sfc9020Oracle();
      for (let i = 0; i < 40; i++) {
        const flow: FlowSpec = {
          srcIp: `10.9.${i >> 4}.${i & 15}`,
          dstIp: "10.0.0.1",
          srcPort: 3000 + i,
          dstPort: 11211,
        };
        const a = live.propose(nic.config(), flow);
        const b = scratch.propose(nic.config(), flow);
        assert.deepEqual(a, b);
        const pick = a[i % a.length];
        assert.ok(pick !== undefined);
        nic.apply(pick.ops);
        const f = frameOf(flow);
        assert.equal(nic.classify(f, 0, f.length, out), pick.queue);
      }
      assert.equal(nic.ipTable.count, 40);
    },
  );
});
