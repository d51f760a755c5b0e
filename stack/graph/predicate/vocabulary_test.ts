import assert from "node:assert/strict";
import { formatPredicate } from "./parse.ts";
import { AtomTable } from "./atoms.ts";
import { fromExpr, type Pred, PredOp } from "./expr.ts";
import { PredSat } from "./sat.ts";
import {
  atomExpr,
  noneOfExpr,
  numberValue,
  statusAtom,
  udpEndpointMatch,
  udpMatch,
} from "./vocabulary.ts";

Deno.test("predicate vocabulary", async (t) => {
  await t.step("a UDP match names IPv4, UDP and one atom per specified field", () => {
    assert.equal(
      formatPredicate(udpMatch({ srcIp: 0x0a000001, srcPort: 1000, dstPort: 53 })),
      "and(pred(EthType,IPv4),pred(IpProt,UDP),pred(SrcIp,p167772161),pred(SrcPort,p1000),pred(DstPort,p53))",
    );
    assert.equal(
      formatPredicate(udpMatch({ dstPort: null })),
      "and(pred(EthType,IPv4),pred(IpProt,UDP))",
    );
  });
  await t.step("status atoms and number spelling", () => {
    assert.equal(
      formatPredicate(statusAtom("RxL3IPv4ValidChecksum")),
      "pred(RxL3IPv4ValidChecksum,true)",
    );
    assert.throws(() => numberValue(-1), /expected a non-negative integer, got -1/);
  });
  await t.step("a classifier's value ports and its none-of port partition the packets", () => {
    const values = ["TCP", "UDP", "ICMP"];
    assert.equal(
      formatPredicate(noneOfExpr("IpProt", values)),
      "and(not(pred(IpProt,TCP)),not(pred(IpProt,UDP)),not(pred(IpProt,ICMP)))",
    );
    assert.equal(formatPredicate(noneOfExpr("IpProt", ["UDP"])), "not(pred(IpProt,UDP))");
    const table = new AtomTable();
    const sat = new PredSat(table);
    const ports = [...values.map((v) => atomExpr("IpProt", v)), noneOfExpr("IpProt", values)]
      .map((e) => fromExpr(e, table));
    const covered: Pred = { op: PredOp.Or, args: ports };
    assert.equal(sat.satisfiable({ op: PredOp.Not, arg: covered }), false, "a packet on no port");
    ports.forEach((a, i) =>
      ports.forEach((b, j) => {
        const both: Pred = { op: PredOp.And, args: [a, b] };
        if (i < j) assert.equal(sat.satisfiable(both), false, `ports ${i} and ${j} overlap`);
      })
    );
  });
  await t.step("an endpoint's demux match excludes more specific endpoints", () => {
    const table = new AtomTable();
    const sat = new PredSat(table);
    const wide = fromExpr(
      udpEndpointMatch({ dstPort: 9 }, [{ srcPort: 40001, dstPort: 9 }]),
      table,
    );
    const narrow = fromExpr(udpEndpointMatch({ srcPort: 40001, dstPort: 9 }), table);
    assert.equal(sat.satisfiable({ op: PredOp.And, args: [wide, narrow] }), false);
    assert.equal(sat.satisfiable(wide), true);
    assert.deepEqual(udpEndpointMatch({ dstPort: 7 }), udpMatch({ dstPort: 7 }));
  });
});
