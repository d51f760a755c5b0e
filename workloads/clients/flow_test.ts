import assert from "node:assert/strict";
import { consecutiveFlows, dragonetGoldClass } from "./flow.ts";
import { ClientClass } from "./types.ts";

const base = { dstIp: 1, dstPort: 7777, dstMac: new Uint8Array([2, 0, 0, 0, 0, 1]) };

Deno.test("flows", async (t) => {
  await t.step("consecutive source ports, one flow each, classes by port", () => {
    const flows = consecutiveFlows({
      ...base,
      count: 3,
      firstSrcPort: 7999,
      clientClass: (p) => (p < 8000 ? ClientClass.HighPriority : ClientClass.BestEffort),
    });
    assert.deepEqual(flows.map((f) => f.srcPort), [7999, 8000, 8001]);
    assert.deepEqual(flows.map((f) => f.clientClass), [0, 1, 1]);
  });

  await t.step("ports past 65535 or a zero count are refused with the range", () => {
    assert.throws(
      () => consecutiveFlows({ ...base, count: 10, firstSrcPort: 65_530 }),
      /Source ports 65530\.\.65539 are invalid/,
    );
    assert.throws(
      () => consecutiveFlows({ ...base, count: 0, firstSrcPort: 1 }),
      /Flow count 0 is invalid/,
    );
  });

  await t.step("Dragonet's gold test: designated hosts, ports 8000 ± fpa, or port 5000", () => {
    const gold = dragonetGoldClass([10, 11], 2);
    assert.equal(gold(10, 7998), ClientClass.HighPriority);
    assert.equal(gold(11, 8001), ClientClass.HighPriority);
    assert.equal(gold(10, 8002), ClientClass.BestEffort);
    assert.equal(gold(10, 7997), ClientClass.BestEffort);
    assert.equal(gold(12, 8000), ClientClass.BestEffort);
    assert.equal(gold(10, 5000), ClientClass.HighPriority);
  });
});
