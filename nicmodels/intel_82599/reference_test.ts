// The optimised classifier (hash indexes per field pattern, bucket chains) against a direct
// reading of the documented precedence (nic-models.md §2.4, §2.6, §2.7) over random rule sets.
import assert from "node:assert/strict";
import fc from "fast-check";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import { type FilterRule, type NicConfig, RxResult } from "../_shared/nic.ts";
import { TcpFlag } from "../_shared/rx_parse.ts";
import { Intel82599 } from "./model.ts";
import { Table82599 } from "./capabilities.ts";

interface Pkt {
  proto: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  syn: boolean;
}

const ips = ["10.0.0.1", "10.0.0.2", "10.0.0.3"];
const pktArb: fc.Arbitrary<Pkt> = fc.record({
  proto: fc.constantFrom(6, 17),
  srcIp: fc.constantFrom(...ips),
  dstIp: fc.constantFrom(...ips),
  srcPort: fc.integer({ min: 1, max: 3 }),
  dstPort: fc.integer({ min: 1, max: 3 }),
  syn: fc.boolean(),
});

const fiveArb: fc.Arbitrary<FilterRule> = fc.record({
  table: fc.constant("five-tuple"),
  match: fc.record(
    {
      proto: fc.constantFrom(6, 17),
      srcIp: fc.constantFrom(...ips),
      dstIp: fc.constantFrom(...ips),
      srcPort: fc.integer({ min: 1, max: 3 }),
      dstPort: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: [] },
  ),
  queue: fc.integer({ min: 1, max: 7 }),
  priority: fc.integer({ min: 1, max: 7 }),
});

const fdirArb: fc.Arbitrary<FilterRule> = pktArb.map((p) => ({
  table: "fdir-perfect",
  match: { proto: p.proto, srcIp: p.srcIp, dstIp: p.dstIp, srcPort: p.srcPort, dstPort: p.dstPort },
  queue: 1 + ((p.srcPort + p.dstPort) % 7),
}));

function matches(r: FilterRule, p: Pkt): boolean {
  const m = r.match;
  return (m.proto === undefined || m.proto === p.proto) &&
    (m.srcIp === undefined || m.srcIp === p.srcIp) &&
    (m.dstIp === undefined || m.dstIp === p.dstIp) &&
    (m.srcPort === undefined || m.srcPort === p.srcPort) &&
    (m.dstPort === undefined || m.dstPort === p.dstPort);
}

/** The documented order, read literally: [queue, table index]. */
function reference(cfg: NicConfig, synHigh: boolean, p: Pkt): [number, number] {
  const five = cfg.filters.filter((r) => r.table === "five-tuple");
  const syn = cfg.filters.find((r) => r.table === "syn");
  const fdir = cfg.filters.filter((r) => r.table === "fdir-perfect");
  const isSyn = syn !== undefined && p.proto === 6 && p.syn;
  if (isSyn && synHigh) return [syn.queue, Table82599.Syn];
  let best: FilterRule | undefined;
  for (const r of five) {
    if (matches(r, p) && (best === undefined || (r.priority ?? 0) > (best.priority ?? 0))) best = r;
  }
  if (best !== undefined) return [best.queue, Table82599.FiveTuple];
  if (isSyn) return [syn.queue, Table82599.Syn];
  const f = fdir.find((r) => matches(r, p));
  if (f !== undefined) return [f.queue, Table82599.FdirPerfect];
  return [0, -1];
}

Deno.test("82599 classifier agrees with the documented precedence", () => {
  const out = new RxResult();
  fc.assert(
    fc.property(
      fc.array(fiveArb, { maxLength: 12 }),
      fc.uniqueArray(fdirArb, { maxLength: 12, selector: (r) => JSON.stringify(r.match) }),
      fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
      fc.boolean(),
      fc.array(pktArb, { minLength: 1, maxLength: 20 }),
      (five, fdir, synQ, synHigh, pkts) => {
        const cfg: NicConfig = {
          queues: 8,
          ringSize: 512,
          rss: null,
          filters: [
            ...five,
            ...fdir,
            ...(synQ === undefined ? [] : [{ table: "syn", match: { tcpSyn: true }, queue: synQ }]),
          ],
          settings: { fdirMode: "perfect", synHighPriority: synHigh },
        };
        const nic = new Intel82599(cfg);
        for (const p of pkts) {
          const f = buildTestFrame({ ...p, tcpFlags: p.syn ? TcpFlag.Syn : TcpFlag.Ack });
          const q = nic.classify(f, 0, f.length, out);
          const [wantQ, wantTable] = reference(cfg, synHigh, p);
          assert.equal(q, wantQ, JSON.stringify({ p, cfg }));
          assert.equal(out.table, wantTable);
        }
      },
    ),
    { seed: 42, numRuns: 120 },
  );
});
