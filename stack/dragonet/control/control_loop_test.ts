import assert from "node:assert/strict";
import fc from "fast-check";
import { ruleKey } from "../../../nicmodels/_shared/config_diff.ts";
import { flowKey } from "../search/flow.ts";
import { costByName } from "./cost_choice.ts";
import { type ControlOptions, DragonetControl } from "./control_loop.ts";
import { DRAGONET_NICS, type DragonetNicId } from "./dragonet_nics.ts";
import { EventFlag, ReplyStatus } from "./events.ts";
import type { ReconfigRecord } from "./reconfig_log.ts";
import {
  bind,
  classifyFlow,
  deferred,
  filterKeys,
  flowEv,
  flowOf,
  reg,
  steppingClock,
} from "./_test_util.ts";

type Opts = Partial<ControlOptions<number>> & { nicId?: DragonetNicId };

/** A control loop whose graph builder only counts (the real one is tested separately). */
function control(o: Opts = {}): { ctl: DragonetControl<number>; builds: number[] } {
  const builds: number[] = [];
  const ctl = new DragonetControl<number>({
    nic: DRAGONET_NICS[o.nicId ?? "intel-82599"],
    queues: 4,
    cost: costByName({ name: "balance" }),
    search: "greedy",
    builder: (_c, _e, version) => {
      builds.push(version);
      return version;
    },
    ...o,
  });
  return { ctl, builds };
}

/** Starts `ctl`, registers an app and binds port 7; returns the socket id. */
async function setup(ctl: DragonetControl<number>): Promise<number> {
  await ctl.start();
  const app = ctl.handle(reg("echo", true)).id;
  const sid = ctl.handle(bind(app, 7)).id;
  await ctl.settled();
  return sid;
}

const last = <G>(ctl: DragonetControl<G>) => ctl.log().at(-1) as ReconfigRecord;

Deno.test("control loop: MORE batches events into one search", async (t) => {
  await t.step("a batch of events with MORE runs one reconfiguration at its end", async () => {
    const { ctl } = control();
    await ctl.start();
    assert.equal(ctl.log().length, 1);
    const app = ctl.handle(reg("echo", true)).id;
    const sid = ctl.handle(bind(app, 7, true)).id;
    for (let k = 0; k < 4; k++) ctl.handle(flowEv(sid, k, 7, true));
    await ctl.settled();
    assert.equal(ctl.log().length, 1, "nothing runs while MORE is set");
    ctl.handle(flowEv(sid, 4, 7));
    await ctl.settled();
    assert.equal(ctl.log().length, 2);
    const r = last(ctl);
    assert.equal(r.events, 7);
    assert.deepEqual(r.added.map(flowKey), [0, 1, 2, 3, 4].map((k) => flowKey(flowOf(k, 7))));
    assert.equal(r.placement.length, 5);
  });
  await t.step("every event without MORE triggers its own run", async () => {
    const { ctl } = control();
    const sid = await setup(ctl);
    const before = ctl.log().length;
    for (let k = 0; k < 3; k++) ctl.handle(flowEv(sid, k, 7));
    await ctl.settled();
    assert.equal(ctl.log().length, before + 3);
    assert.deepEqual(ctl.log().slice(before).map((r) => r.added.length), [1, 1, 1]);
  });
  await t.step(
    "a nop without MORE forces a run; a rejected event still ends the batch",
    async () => {
      const { ctl } = control();
      const sid = await setup(ctl);
      const before = ctl.log().length;
      ctl.handle({ kind: "nop", flags: 0 });
      await ctl.settled();
      assert.equal(ctl.log().length, before + 1);
      ctl.handle(flowEv(sid, 1, 7, true));
      const bad = ctl.handle({ kind: "close", socket: 999, flags: 0 });
      assert.equal(bad.status, ReplyStatus.UnknownSocket);
      await ctl.settled();
      assert.equal(ctl.log().length, before + 2);
      assert.equal(last(ctl).added.length, 1);
    },
  );
});

Deno.test("control loop: warm-up rebuild rule", async (t) => {
  await t.step("rebuilds while version < 5, then only the NIC changes", async () => {
    const { ctl, builds } = control();
    const sid = await setup(ctl);
    for (let k = 0; k < 5; k++) ctl.handle(flowEv(sid, k, 7));
    await ctl.settled();
    assert.deepEqual(ctl.log().map((r) => r.rebuild), [
      "initial",
      "warm-up",
      "warm-up",
      "warm-up",
      "none",
      "none",
      "none",
    ]);
    assert.deepEqual(builds, [1, 2, 3, 4]);
    assert.equal(ctl.graph(), 4, "the warm graph is the last one built");
    assert.ok(ctl.log().slice(4).every((r) => r.ops.length === 1), "the NIC still changes");
  });
  await t.step("once warm, a new endpoint rebuilds (extension) unless disabled", async () => {
    for (const rebuildOnEndpointChange of [true, false]) {
      const { ctl, builds } = control({ warmupVersions: 2, rebuildOnEndpointChange });
      const sid = await setup(ctl);
      ctl.handle(flowEv(sid, 0, 7));
      await ctl.settled();
      ctl.handle(bind(0, 8));
      await ctl.settled();
      assert.deepEqual(
        ctl.log().map((r) => r.rebuild),
        rebuildOnEndpointChange
          ? ["initial", "endpoints", "none", "endpoints"]
          : ["initial", "none", "none", "none"],
      );
      assert.deepEqual(builds, rebuildOnEndpointChange ? [1, 2, 4] : [1]);
    }
  });
  await t.step("a graph that is null still counts as built", async () => {
    const ctl = new DragonetControl<null>({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 3,
      cost: costByName({ name: "balance" }),
      search: "greedy",
      builder: () => null,
      warmupVersions: 0,
    });
    await ctl.start();
    ctl.handle({ kind: "nop", flags: 0 });
    await ctl.settled();
    assert.deepEqual(ctl.log().map((r) => r.rebuild), ["initial", "none"]);
  });
  await t.step("the default builder embeds the LPG into the configured PRG", async () => {
    const ctl = new DragonetControl({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 2,
      cost: costByName({ name: "balance" }),
      search: "greedy",
    });
    await ctl.start();
    const app = ctl.handle(reg("echo", true)).id;
    const sid = ctl.handle(bind(app, 7, true)).id;
    ctl.handle(flowEv(sid, 0, 7));
    await ctl.settled();
    assert.equal(last(ctl).error, null);
    assert.deepEqual(ctl.graph()?.pipelines.map((p) => p.name).sort(), ["App0", "Q0", "Q1"]);
  });
});

const NICS: DragonetNicId[] = ["intel-82599", "solarflare-sfc9020"];
const SEARCHES = ["greedy", "incremental"] as const;

Deno.test("control loop: the NIC follows the search", async (t) => {
  await t.step("the applied diff reproduces the search's configuration", async () => {
    // Random batches of adds (flow k on port 7 or 8) and closes of the port-8 socket.
    const batch = fc.array(fc.tuple(fc.nat(20), fc.boolean()), { minLength: 1, maxLength: 6 });
    for (const nicId of NICS) {
      for (const search of SEARCHES) {
        await fc.assert(
          fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 4 }), async (batches) => {
            const { ctl } = control({ nicId, search });
            await setup(ctl);
            let sid8 = ctl.handle(bind(0, 8)).id;
            for (const b of batches) {
              for (const [k, close] of b) {
                if (close) {
                  ctl.handle({ kind: "close", socket: sid8, flags: EventFlag.More });
                  sid8 = ctl.handle(bind(0, 8, true)).id;
                } else ctl.handle(flowEv(k % 2 === 0 ? 0 : sid8, k, k % 2 === 0 ? 7 : 8, true));
              }
              ctl.handle({ kind: "nop", flags: 0 });
              await ctl.settled();
              const r = last(ctl);
              assert.equal(r.error, null);
              const searched = ctl.lastSearch()?.config;
              assert.ok(searched !== undefined);
              assert.deepEqual(filterKeys(ctl.nicModel.config()), filterKeys(searched));
              assert.deepEqual(ctl.nicModel.config().settings, searched.settings);
              for (const p of r.placement) {
                assert.equal(classifyFlow(ctl.nicModel, p.flow), p.queue);
              }
            }
          }),
          { seed: 42, numRuns: 8 },
        );
      }
    }
  });
  await t.step("frames of each flow arrive on the queue the search chose", async () => {
    for (const nicId of NICS) {
      for (const search of SEARCHES) {
        const { ctl } = control({ nicId, search });
        const sid = await setup(ctl);
        for (let k = 0; k < 7; k++) ctl.handle(flowEv(sid, k, 7, k < 6));
        await ctl.settled();
        const r = last(ctl);
        assert.equal(r.placement.length, 7);
        assert.deepEqual(new Set(r.placement.map((p) => p.queue)), new Set([1, 2, 3]));
        for (const p of r.placement) {
          assert.equal(classifyFlow(ctl.nicModel, p.flow), p.queue, `${nicId} ${search}`);
        }
        assert.equal(classifyFlow(ctl.nicModel, flowOf(99, 7)), 0, "unknown flows: queue 0");
      }
    }
  });
});

Deno.test("control loop: close removes the endpoint and its flows", async (t) => {
  for (const search of SEARCHES) {
    await t.step(`${search} search`, async () => {
      const { ctl } = control({ search });
      const sid7 = await setup(ctl);
      const sid8 = ctl.handle(bind(0, 8, true)).id;
      const spanned = ctl.handle({ kind: "span", socket: sid8, app: 0, flags: EventFlag.More }).id;
      for (let k = 0; k < 3; k++) ctl.handle(flowEv(sid7, k, 7, true));
      for (let k = 3; k < 6; k++) ctl.handle(flowEv(sid8, k, 8, true));
      ctl.handle({ kind: "nop", flags: 0 });
      await ctl.settled();
      assert.equal(last(ctl).placement.length, 6);

      ctl.handle({ kind: "close", socket: sid8, flags: 0 });
      await ctl.settled();
      assert.equal(last(ctl).removed.length, 0, "another socket still holds the endpoint");
      assert.equal(ctl.registry.endpoints().length, 2);

      ctl.handle({ kind: "close", socket: spanned, flags: 0 });
      await ctl.settled();
      const r = last(ctl);
      assert.deepEqual(
        r.removed.map(flowKey).sort(),
        [3, 4, 5].map((k) => flowKey(flowOf(k, 8))).sort(),
      );
      assert.deepEqual(r.placement.map((p) => p.flow.dstPort), [7, 7, 7]);
      assert.deepEqual(ctl.registry.endpoints().map((e) => e.dstPort), [7]);
      const installed = ctl.nicModel.config().filters.map((f) => f.match.dstPort);
      // Greedy recomputes from scratch; the incremental search removes lazily (§10 step 1).
      assert.equal(installed.filter((p) => p === 8).length, search === "greedy" ? 0 : 3);
      assert.equal(ctl.handle(flowEv(spanned, 9, 8)).status, ReplyStatus.UnknownSocket);
    });
  }
});

Deno.test("control loop: a trigger during an update is coalesced (Q11)", async (t) => {
  await t.step("triggers during an asynchronous rebuild run once more afterwards", async () => {
    const gates: ReturnType<typeof deferred<number>>[] = [];
    const ctl = new DragonetControl<number>({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 4,
      cost: costByName({ name: "balance" }),
      search: "incremental",
      builder: () => {
        const d = deferred<number>();
        gates.push(d);
        return d.promise;
      },
    });
    const started = ctl.start();
    assert.equal(ctl.updating, true);
    const app = ctl.handle(reg("echo", true)).id;
    const sid = ctl.handle(bind(app, 7)).id;
    ctl.handle(flowEv(sid, 0, 7));
    ctl.handle(flowEv(sid, 1, 7));
    assert.equal(gates.length, 1, "no second run while the first is in progress");
    gates[0]?.resolve(1);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(gates.length, 2, "exactly one follow-up run");
    gates[1]?.resolve(2);
    await started;
    assert.equal(ctl.updating, false);
    const log = ctl.log();
    assert.equal(log.length, 2);
    assert.equal(log[1]?.coalesced, 3);
    assert.equal(log[1]?.events, 4);
    assert.equal(log[1]?.placement.length, 2);
    assert.deepEqual(gates.length, 2);
  });
  await t.step("a trigger from the readiness listener is coalesced, not lost", async () => {
    let sid = -1;
    let fired = false;
    const { ctl } = control({
      onReconfigured: (r) => {
        if (r.version === 3 && !fired) {
          fired = true;
          ctl.handle(flowEv(sid, 5, 7));
        }
      },
    });
    sid = await setup(ctl);
    ctl.handle(flowEv(sid, 0, 7));
    await ctl.settled();
    const log = ctl.log();
    assert.equal(log.length, 4);
    assert.equal(log[3]?.coalesced, 1);
    assert.deepEqual(log[3]?.added.map(flowKey), [flowKey(flowOf(5, 7))]);
  });
});

Deno.test("control loop: the reconfiguration log", async (t) => {
  await t.step("records clock times, search time, flows and operations", async () => {
    let ms = 0;
    const { ctl } = control({
      clock: steppingClock(1_000, 10),
      timer: () => (ms += 2.5),
    });
    const sid = await setup(ctl);
    ctl.handle(flowEv(sid, 0, 7, true));
    ctl.handle(flowEv(sid, 1, 7));
    await ctl.settled();
    const r = last(ctl);
    assert.equal(r.version, 3);
    assert.equal(r.searchMs, 2.5);
    assert.equal(r.rebuildMs, 2.5);
    assert.ok(r.triggeredAt < r.startedAt && r.startedAt < r.finishedAt);
    assert.equal((r.startedAt - 1_000) % 10, 0, "times come from the injected clock");
    assert.deepEqual(r.ops.map((o) => o.op), ["add", "add"]);
    assert.deepEqual(
      r.ops.map((o) => (o.op === "add" ? o.rule.queue : -1)),
      r.placement.map((p) => p.queue),
    );
    assert.deepEqual(r.cost, ctl.lastSearch()?.cost);
    assert.ok(ctl.log().every((x, i) => x.version === i + 1));
  });
  await t.step("a throwing listener is reported by settled(), the log is kept", async () => {
    const { ctl } = control({
      onReconfigured: (r) => {
        if (r.version === 2) throw new Error("listener broke");
      },
    });
    await ctl.start();
    ctl.handle({ kind: "nop", flags: 0 });
    await assert.rejects(ctl.settled(), /listener broke/);
    await ctl.settled();
    assert.equal(ctl.log().length, 2);
    ctl.handle({ kind: "nop", flags: 0 });
    await ctl.settled();
    assert.equal(ctl.log().length, 3);
  });
  await t.step("a failed rebuild leaves the NIC unchanged and the next run recovers", async () => {
    let fail = false;
    const ctl = new DragonetControl<number>({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 4,
      cost: costByName({ name: "balance" }),
      search: "incremental",
      builder: (_c, _e, v) => {
        if (fail) throw new Error("embedding failed");
        return v;
      },
    });
    const sid = await setup(ctl);
    fail = true;
    ctl.handle(flowEv(sid, 0, 7));
    await ctl.settled();
    assert.equal(last(ctl).error, "embedding failed");
    assert.equal(ctl.nicModel.config().filters.length, 0);
    fail = false;
    ctl.handle(flowEv(sid, 1, 7));
    await ctl.settled();
    const r = last(ctl);
    assert.equal(r.error, null);
    assert.equal(r.placement.length, 2);
    assert.deepEqual(
      filterKeys(ctl.nicModel.config()),
      (ctl.lastSearch()?.config.filters ?? []).map(ruleKey).sort(),
    );
  });
});
