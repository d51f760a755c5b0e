import assert from "node:assert/strict";
import fc from "fast-check";
import { flowKey } from "../search/flow.ts";
import { AppRegistry } from "./app_registry.ts";
import { EventFlag, ReplyStatus } from "./events.ts";
import { bind, flowEv, flowOf, LOCAL_IP, reg } from "./_test_util.ts";

Deno.test("app registry", async (t) => {
  await t.step("register, bind and span hand out ids; endpoints carry their sockets", () => {
    const r = new AppRegistry();
    assert.deepEqual(r.handle(reg("a")).reply, { status: ReplyStatus.Ok, id: 0 });
    assert.deepEqual(r.handle(reg("b")).reply, { status: ReplyStatus.Ok, id: 1 });
    const b = r.handle(bind(0, 7));
    assert.deepEqual(b.reply, { status: ReplyStatus.Ok, id: 0 });
    assert.equal(b.endpointsChanged, true);
    const s = r.handle({ kind: "span", socket: 0, app: 1, flags: 0 });
    assert.deepEqual(s.reply, { status: ReplyStatus.Ok, id: 1 });
    assert.deepEqual(r.endpoints(), [{
      sockets: [{ sid: 0, appId: 0 }, { sid: 1, appId: 1 }],
      srcIp: 0,
      srcPort: 0,
      dstIp: 0,
      dstPort: 7,
    }]);
    assert.equal(r.appLabel(1), "b");
  });
  await t.step("bad input returns a specific status and changes nothing", () => {
    const r = new AppRegistry();
    r.handle(reg("a"));
    r.handle(bind(0, 7));
    const cases: [Parameters<AppRegistry["handle"]>[0], number][] = [
      [bind(5, 7), ReplyStatus.UnknownApp],
      [{ kind: "span", socket: 9, app: 0, flags: 0 }, ReplyStatus.UnknownSocket],
      [{ kind: "span", socket: 0, app: 9, flags: 0 }, ReplyStatus.UnknownApp],
      [flowEv(9, 0, 7), ReplyStatus.UnknownSocket],
      [{ kind: "close", socket: 9, flags: 0 }, ReplyStatus.UnknownSocket],
      [{ ...bind(0, 7), local: { ip: 0, port: 70000 } }, ReplyStatus.BadAddress],
      [{ ...flowEv(0, 0, 7), remote: { ip: -1, port: 1 } }, ReplyStatus.BadAddress],
      [{ ...flowEv(0, 0, 7), local: { ip: LOCAL_IP, port: 8 } }, ReplyStatus.FlowOutsideEndpoint],
      [{ kind: "nop", flags: 2 }, ReplyStatus.BadFlags],
      [{ ...reg("x"), flags: 0.5 }, ReplyStatus.BadFlags],
    ];
    for (const [e, status] of cases) {
      const out = r.handle(e);
      assert.equal(out.reply.status, status, JSON.stringify(e));
      assert.equal(out.endpointsChanged || out.flowsChanged, false);
    }
    assert.equal(r.endpoints().length, 1);
    assert.equal(r.allFlows().length, 0);
  });
  await t.step("a flow takes the fields its endpoint fixes; a duplicate is refused", () => {
    const r = new AppRegistry();
    r.handle(reg("a"));
    r.handle(bind(0, 7));
    const out = r.handle({
      kind: "flow",
      socket: 0,
      local: { ip: LOCAL_IP, port: 0 },
      remote: { ip: 0x0a010001, port: 0 },
      flags: 0,
    });
    assert.equal(out.reply.status, ReplyStatus.Ok);
    assert.deepEqual(r.allFlows(), [{ srcIp: 0x0a010001, dstIp: LOCAL_IP, dstPort: 7 }]);
    assert.equal(
      r.handle({
        kind: "flow",
        socket: 0,
        local: { ip: LOCAL_IP, port: 7 },
        remote: { ip: 0x0a010001, port: 0 },
        flags: EventFlag.More,
      }).reply.status,
      ReplyStatus.DuplicateFlow,
    );
  });
  await t.step("closing the last socket removes the endpoint and its flows", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { minLength: 1, maxLength: 12 }), (ks) => {
        const r = new AppRegistry();
        r.handle(reg("a"));
        const s7 = r.handle(bind(0, 7)).reply.id;
        const s8 = r.handle(bind(0, 8)).reply.id;
        const span = r.handle({ kind: "span", socket: s8, app: 0, flags: 0 }).reply.id;
        const keep = new Set<string>();
        for (const k of new Set(ks)) {
          const port = k % 2 === 0 ? 7 : 8;
          r.handle(flowEv(port === 7 ? s7 : s8, k, port));
          if (port === 7) keep.add(flowKey(flowOf(k, 7)));
        }
        r.setFlows({ current: [...r.allFlows()], added: [], removed: [] });
        assert.equal(r.handle({ kind: "close", socket: s8, flags: 0 }).flowsChanged, false);
        const out = r.handle({ kind: "close", socket: span, flags: 0 });
        assert.equal(out.endpointsChanged, true);
        assert.deepEqual(new Set(r.allFlows().map(flowKey)), keep);
        assert.deepEqual(r.endpoints().map((e) => e.dstPort), [7]);
        const st = r.flows();
        assert.equal(st.removed.length + keep.size, new Set(ks).size);
        assert.ok(st.removed.every((f) => f.dstPort === 8));
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});
