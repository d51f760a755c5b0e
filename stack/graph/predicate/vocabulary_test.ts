import assert from "node:assert/strict";
import { formatPredicate } from "./parse.ts";
import { numberValue, statusAtom, udpMatch } from "./vocabulary.ts";

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
});
