import assert from "node:assert/strict";
import { costByName } from "./cost_choice.ts";
import { DragonetControl } from "./control_loop.ts";
import { DRAGONET_NICS } from "./dragonet_nics.ts";
import { parseEventScript, parseUdpAddress, replayScript, ScriptClock } from "./event_script.ts";
import { EventFlag, ReplyStatus } from "./events.ts";

const EXAMPLE = new URL("./examples/events.json", import.meta.url);

Deno.test("event scripts", async (t) => {
  await t.step("addresses with wildcards", () => {
    assert.deepEqual(parseUdpAddress("*:*"), { ip: 0, port: 0 });
    assert.deepEqual(parseUdpAddress("10.0.0.1:7"), { ip: 0x0a000001, port: 7 });
    assert.deepEqual(parseUdpAddress("*:53"), { ip: 0, port: 53 });
    for (const bad of ["10.0.0.1", "10.0.0.300:7", "1.2.3.4:70000", "1.2.3.4:0x10", ":7"]) {
      assert.throws(() => parseUdpAddress(bad), new RegExp(`Address "${bad}" is not "ip:port"`));
    }
  });
  await t.step("parses events with times, MORE and defaults", () => {
    const s = parseEventScript(
      JSON.stringify([
        { kind: "register", label: "a", more: true },
        { at: 5, kind: "bind", app: 0, local: "*:7" },
        { kind: "flow", socket: 0, remote: "10.0.0.2:4000" },
        { at: 9, kind: "close", socket: 0 },
      ]),
      "s.json",
    );
    assert.deepEqual(s.map((e) => e.at), [0, 5, 5, 9]);
    assert.deepEqual(s[0]?.event, { kind: "register", label: "a", flags: EventFlag.More });
    assert.deepEqual(s[2]?.event, {
      kind: "flow",
      socket: 0,
      local: { ip: 0, port: 0 },
      remote: { ip: 0x0a000002, port: 4000 },
      flags: 0,
    });
  });
  await t.step("bad scripts name the element and the field", () => {
    const cases: [unknown, RegExp][] = [
      [{}, /expected a JSON array of events/],
      [[{ kind: "jump" }], /element 0: kind must be one of register, bind/],
      [[{ kind: "nop", socket: 1 }], /element 0: field "socket" is not allowed for nop/],
      [[{ at: 5, kind: "nop" }, { at: 4, kind: "nop" }], /element 1: at must be .* >= 5, got 4/],
      [[{ kind: "close" }], /element 0: socket must be an integer >= 0, got undefined/],
      [[{ kind: "bind", app: 0, local: "x" }], /element 0: local: Address "x"/],
      [[{ kind: "nop", more: 1 }], /element 0: more must be a boolean/],
    ];
    for (const [data, re] of cases) {
      assert.throws(() => parseEventScript(JSON.stringify(data), "s.json"), re);
    }
    assert.throws(() => parseEventScript("[", "s.json"), /Cannot parse event script "s.json"/);
  });
  await t.step("replaying the example drives the loop with the script's clock", async () => {
    const script = parseEventScript(await Deno.readTextFile(EXAMPLE), "events.json");
    const clock = new ScriptClock();
    const ctl = new DragonetControl<null>({
      nic: DRAGONET_NICS["intel-82599"],
      queues: 4,
      cost: costByName({ name: "balance" }),
      search: "incremental",
      clock: clock.read,
      builder: () => null,
    });
    await ctl.start();
    const replies = await replayScript(ctl, clock, script);
    assert.ok(replies.every((r) => r.status === ReplyStatus.Ok));
    const log = ctl.log();
    assert.deepEqual(log.map((r) => r.startedAt), [0, 0, 1e6, 2e6, 3e6, 4e6, 5e6, 6e6]);
    assert.deepEqual(log.map((r) => r.added.length), [0, 0, 4, 1, 1, 1, 1, 0]);
    assert.equal(log.at(-1)?.removed.length, 1);
    assert.equal(log.at(-1)?.placement.length, 7);
  });
});
