import assert from "node:assert/strict";
import { buildTestFrame } from "../_shared/_test_frames.ts";
import { RxResult } from "../_shared/nic.ts";
import { TcpFlag } from "../_shared/rx_parse.ts";
import { Intel82599 } from "./model.ts";
import { Table82599 } from "./capabilities.ts";

Deno.test("82599 ATR (Application Targeted Routing)", async (t) => {
  const local = { srcIp: "10.0.0.1", srcPort: 11211, dstIp: "10.0.0.2", dstPort: 40000 };
  const tx = (flags: number, proto = 6) => buildTestFrame({ ...local, proto, tcpFlags: flags });
  const rx = buildTestFrame({
    proto: 6,
    srcIp: "10.0.0.2",
    srcPort: 40000,
    dstIp: "10.0.0.1",
    dstPort: 11211,
  });
  const out = new RxResult();
  const cfg = {
    queues: 4,
    ringSize: 512,
    rss: null,
    filters: [],
    settings: { fdirMode: "signature" },
  };
  const send = (nic: Intel82599, f: Uint8Array, q: number) => nic.atrTransmit(f, 0, f.length, q);
  const counter = (nic: Intel82599, name: string) =>
    nic.counters().find((c) => c.name === name)?.value;

  await t.step("a transmitted SYN steers the reverse flow to the sending queue", () => {
    const nic = new Intel82599(cfg);
    assert.equal(nic.classify(rx, 0, rx.length, out), 0);
    assert.equal(send(nic, tx(TcpFlag.Syn), 3), true);
    assert.equal(nic.classify(rx, 0, rx.length, out), 3);
    assert.equal(out.table, Table82599.FdirSignature);
    assert.equal(nic.config().filters.length, 1);
    assert.equal(counter(nic, "fdir_atr_added"), 1);
  });

  await t.step("every 20th segment of a ring is sampled; the flow follows the new queue", () => {
    const nic = new Intel82599(cfg);
    send(nic, tx(TcpFlag.Syn), 3);
    for (let i = 1; i < 20; i++) assert.equal(send(nic, tx(TcpFlag.Ack), 2), false);
    assert.equal(send(nic, tx(TcpFlag.Ack), 2), true, "20th segment on ring 2");
    assert.equal(nic.classify(rx, 0, rx.length, out), 2);
    assert.equal(nic.config().filters.length, 1, "re-pointed, not duplicated");
    assert.equal(counter(nic, "fdir_atr_updated"), 1);
  });

  await t.step("FIN, UDP and perfect mode are never sampled", () => {
    const nic = new Intel82599(cfg);
    assert.equal(send(nic, tx(TcpFlag.Fin | TcpFlag.Syn), 1), false);
    for (let i = 0; i < 40; i++) assert.equal(send(nic, tx(0, 17), 1), false);
    const perfect = new Intel82599({ ...cfg, settings: { fdirMode: "perfect" } });
    assert.equal(send(perfect, tx(TcpFlag.Syn), 1), false);
    assert.equal(perfect.config().filters.length, 0);
    assert.throws(() => send(nic, tx(TcpFlag.Syn), 4), /TX queue 4 does not exist/);
  });
});
