import assert from "node:assert/strict";
import fc from "fast-check";
import { applyConfig } from "../../graph/config/apply.ts";
import type { Graph, NodeId } from "../../graph/types.ts";
import { validateGraph } from "../../graph/validate.ts";
import { nid, type TestFilter, testLpg, testPrg, testRegistries } from "./_fixtures.ts";
import { embedGraphs } from "./embed.ts";
import { embedSimple } from "./embed_simple.ts";
import { makeGraph } from "./make_graph.ts";

/** A random small configuration: queue count, filter list and NIC TX path. */
const configArb = fc.integer({ min: 1, max: 4 }).chain((queues) =>
  fc.record({
    queues: fc.constant(queues),
    filters: fc.array(
      fc.record({
        dport: fc.constantFrom<number | null>(7, 8, 9, null),
        queue: fc.integer({ min: 0, max: queues - 1 }),
      }),
      { maxLength: 5 },
    ),
    tx: fc.constantFrom("none" as const, "l4" as const, "l4-port7" as const, "l3l4" as const),
  })
);

Deno.test("embedding variants agree", async (t) => {
  await t.step(
    "predicate-driven and simple embedding keep the same LPG nodes per queue",
    () => {
      const lpg = testLpg();
      fc.assert(
        fc.property(configArb, ({ queues, filters, tx }) => {
          const prg = applyConfig(
            testPrg(queues, tx),
            [[nid("rx.filters"), filters as TestFilter[]]],
            testRegistries(),
          );
          const b = embedGraphs(prg, lpg);
          const a = embedSimple(prg, lpg);
          // The queue nodes merge into PRG nodes, which both variants always keep.
          const queueNodes = new Set<string>(["rx.queue", "tx.queue"]);
          b.queues.forEach((q, i) => {
            const keptB: NodeId[] = [];
            for (const [id, outcome] of q.outcomes) {
              if (outcome !== "removed" && !queueNodes.has(id)) keptB.push(id);
            }
            const liveA = [...(a.live[i]?.nodes ?? [])].filter((id) => !queueNodes.has(id));
            assert.deepEqual(keptB.sort(), liveA.sort(), q.queue.tag);
          });
        }),
        { seed: 42, numRuns: 40 },
      );
    },
  );

  await t.step("embedding adds no validation problem; the software graph validates", () => {
    const lpg = testLpg();
    fc.assert(
      fc.property(configArb, ({ queues, filters, tx }) => {
        const prg = applyConfig(
          testPrg(queues, tx),
          [[nid("rx.filters"), filters as TestFilter[]]],
          testRegistries(),
        );
        // A queue no filter reaches is unreachable already in the configured PRG.
        const show = (g: Graph) => validateGraph(g).map((p) => `${p.code} ${p.node ?? ""}`);
        const before = new Set(show(prg));
        const built = makeGraph(prg, lpg);
        assert.deepEqual(show(built.embedded).filter((p) => !before.has(p)), []);
        assert.deepEqual(show(embedSimple(prg, lpg).graph).filter((p) => !before.has(p)), []);
        assert.deepEqual(show(built.software), []);
      }),
      { seed: 42, numRuns: 30 },
    );
  });
});
