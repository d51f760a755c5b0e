import assert from "node:assert/strict";
import { loadNicConfig, nicEntry } from "./nic.ts";
import { RxResult } from "../../nicmodels/_shared/nic.ts";
import { buildTestFrame } from "../../nicmodels/_shared/_test_frames.ts";

const EXAMPLES = [
  ["intel-82599", "nicmodels/intel_82599/examples/memcached_10q.json"],
  ["solarflare-sfc9020", "nicmodels/solarflare_sfc9020/examples/memcached_10q.json"],
] as const;

Deno.test("the shipped example NIC configurations load and steer their flows", async (t) => {
  for (const [nic, path] of EXAMPLES) {
    await t.step(`${nic}: ${path}`, async () => {
      const entry = nicEntry(nic);
      const model = entry.make(await loadNicConfig(entry, path));
      const out = new RxResult();
      const flow = { proto: 17, dstIp: "10.0.0.1", dstPort: 11211 };
      const client = (srcIp: string, srcPort: number) =>
        buildTestFrame({ ...flow, srcIp, srcPort });
      for (
        const [frame, queue] of [[client("10.0.0.100", 8000), 1], [
          client("10.0.0.101", 8001),
          2,
        ]] as const
      ) {
        model.classify(frame, 0, frame.length, out);
        assert.equal(out.queue, queue);
      }
    });
  }
});
