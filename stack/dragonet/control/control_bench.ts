/**
 * Reconfiguration cost of the control loop (dragonet-model.md §11 asks for the stack's split:
 * search, graph construction, NIC apply). Reported, never asserted.
 *
 * Run: `deno bench --allow-read stack/dragonet/control/control_bench.ts`
 *
 * @module
 */
import { costByName } from "./cost_choice.ts";
import { DragonetControl } from "./control_loop.ts";
import { DRAGONET_NICS } from "./dragonet_nics.ts";
import { bind, flowEv, reg } from "./_test_util.ts";

/** A warm control loop (no graph) with `n` flows placed on 10 queues. */
async function warm(search: "greedy" | "incremental", n: number) {
  const ctl = new DragonetControl<null>({
    nic: DRAGONET_NICS["intel-82599"],
    queues: 10,
    cost: costByName({ name: "balance" }),
    search,
    builder: () => null,
    warmupVersions: 0,
  });
  await ctl.start();
  const app = ctl.handle(reg("bench", true)).id;
  const sid = ctl.handle(bind(app, 7, true)).id;
  for (let k = 0; k < n; k++) ctl.handle(flowEv(sid, k, 7, k < n - 1));
  await ctl.settled();
  return { ctl, sid };
}

for (const search of ["greedy", "incremental"] as const) {
  Deno.bench({
    name: `${search}: one event adds a flow to 100 placed flows (search + diff + NIC apply)`,
    group: "add one flow",
    baseline: search === "incremental",
    async fn(b) {
      const { ctl, sid } = await warm(search, 100);
      b.start();
      ctl.handle(flowEv(sid, 100, 7));
      await ctl.settled();
      b.end();
    },
  });
  Deno.bench({
    name: `${search}: one batch of 50 flows (MORE) from empty`,
    group: "batch of 50",
    baseline: search === "incremental",
    async fn(b) {
      const { ctl, sid } = await warm(search, 0);
      b.start();
      for (let k = 0; k < 50; k++) ctl.handle(flowEv(sid, k, 7, k < 49));
      await ctl.settled();
      b.end();
    },
  });
}

Deno.bench({
  name: "rebuild: configured PRG + LPG -> embedding -> pipelines (4 queues, 6 flows)",
  group: "rebuild",
  n: 5,
  warmup: 1,
  async fn(b) {
    const ctl = new DragonetControl({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 4,
      cost: costByName({ name: "balance" }),
      search: "greedy",
      warmupVersions: 100,
    });
    await ctl.start();
    const app = ctl.handle(reg("bench", true)).id;
    const sid = ctl.handle(bind(app, 7, true)).id;
    for (let k = 0; k < 5; k++) ctl.handle(flowEv(sid, k, 7, true));
    b.start();
    ctl.handle(flowEv(sid, 5, 7, false));
    await ctl.settled();
    b.end();
  },
});
