import assert from "node:assert/strict";
import fc from "fast-check";
import type { PredicateExpr } from "../graph/types.ts";
import { buildLpg } from "./lpg.ts";
import { specificity, type UdpEndpoint } from "./udp_sockets_expansion.ts";

interface Packet {
  readonly srcIp: number;
  readonly srcPort: number;
  readonly dstIp: number;
  readonly dstPort: number;
}

/** Evaluates a port predicate against a UDP/IPv4 packet (test oracle, vocabulary spelling). */
function holds(e: PredicateExpr, p: Packet): boolean {
  switch (e.op) {
    case "const":
      return e.value;
    case "and":
      return e.args.every((a) => holds(a, p));
    case "or":
      return e.args.some((a) => holds(a, p));
    case "not":
      return !holds(e.arg, p);
    case "atom": {
      const fields: Record<string, string> = {
        EthType: "IPv4",
        IpProt: "UDP",
        SrcIp: `p${p.srcIp}`,
        SrcPort: `p${p.srcPort}`,
        DstIp: `p${p.dstIp}`,
        DstPort: `p${p.dstPort}`,
      };
      return fields[e.key] === e.value;
    }
  }
}

const IPS = [0x0a000001, 0x0a000002];
const LOCAL = 0x0a000009;
const arbEndpoint = fc.record({
  srcIp: fc.constantFrom(0, ...IPS),
  srcPort: fc.constantFrom(0, 40000, 40001),
  dstIp: fc.constantFrom(0, LOCAL),
  dstPort: fc.constantFrom(0, 7, 9),
});
const arbPacket = fc.record({
  srcIp: fc.constantFrom(...IPS),
  srcPort: fc.constantFrom(40000, 40001, 40002),
  dstIp: fc.constantFrom(LOCAL, 0x0a00000a),
  dstPort: fc.constantFrom(7, 9, 53),
});

/** The endpoint the demux should pick (reference §6.6, Q12 fixed): most specific, then first. */
function expectedFilter(endpoints: readonly UdpEndpoint[], p: Packet): number {
  let best = -1;
  endpoints.forEach((e, i) => {
    const matches = (e.srcIp === 0 || e.srcIp === p.srcIp) &&
      (e.srcPort === 0 || e.srcPort === p.srcPort) &&
      (e.dstIp === 0 || e.dstIp === p.dstIp) && (e.dstPort === 0 || e.dstPort === p.dstPort);
    const bestEp = endpoints[best];
    if (matches && (bestEp === undefined || specificity(e) > specificity(bestEp))) best = i;
  });
  return best;
}

Deno.test("socket C-node expansion: demux filter port predicates", async (t) => {
  await t.step(
    "exactly the chosen endpoint's filter claims a datagram; false is true's negation",
    () => {
      fc.assert(
        fc.property(fc.array(arbEndpoint, { minLength: 1, maxLength: 5 }), arbPacket, (eps, p) => {
          const endpoints = eps.map((e, i) => ({ ...e, sockets: [{ sid: i, appId: 0 }] }));
          const lpg = buildLpg(endpoints);
          const claims = endpoints.map((_, i) => {
            const node = lpg.nodes.find((n) => n.id === `rx.udp.demux.e${i + 1}`);
            const t = node?.predicates?.["true"];
            const f = node?.predicates?.["false"];
            assert.ok(t !== undefined && f !== undefined, `filter e${i + 1} has both predicates`);
            assert.equal(holds(f, p), !holds(t, p));
            return holds(t, p);
          });
          const want = expectedFilter(endpoints, p);
          assert.deepEqual(claims, endpoints.map((_, i) => i === want));
        }),
        { seed: 42, numRuns: 200 },
      );
    },
  );
});
