import assert from "node:assert/strict";
import {
  FrameInfo,
  parseFrame,
  Reason,
  verifyIpv4HeaderChecksum,
  verifyL4Checksum,
} from "../../packet/mod.ts";
import { BufferPool } from "../../packet/buffer_pool.ts";
import { PipelineSet } from "../../exec/pipelines.ts";
import { BufRing, LpgEnv } from "../../protocols/env.ts";
import { buildLpg, lpgImpls } from "../../protocols/lpg.ts";
import {
  ECHO_ENDPOINT,
  LOCAL_IP,
  LOCAL_MAC,
  makeStack,
  PEER_IP,
  udpFrame,
} from "../../protocols/_testing.ts";
import { parseIpv4, parseMac } from "../../packet/addr.ts";
import { UdpEchoApp } from "./udp_echo.ts";

function checkEcho(frame: Uint8Array, payload: Uint8Array): void {
  const info = new FrameInfo();
  const r = parseFrame(frame, 0, frame.length, info) || verifyIpv4HeaderChecksum(frame, info) ||
    verifyL4Checksum(frame, info);
  assert.equal(r, Reason.Ok);
  assert.equal(info.srcPort, 7);
  assert.equal(info.dstPort, 40000);
  assert.equal(info.ipDst, parseIpv4(PEER_IP) >>> 0);
  assert.deepEqual(frame.slice(info.payload, info.payload + payload.length), payload);
}

for (const mode of ["interpreter", "compiled"] as const) {
  Deno.test(`UDP echo (${mode})`, async (t) => {
    await t.step("single pipeline: the payload comes back to the sender", () => {
      const s = makeStack({ mode });
      const app = new UdpEchoApp(s.env, s, [0]);
      const payload = new TextEncoder().encode("hello, echo");
      assert.equal(s.receive(udpFrame(7, payload)).length, 0);
      assert.equal(app.poll(), 1);
      s.drain();
      const out = s.takeTx();
      assert.equal(out.length, 1);
      checkEcho(out[0] ?? new Uint8Array(), payload);
      assert.equal(s.pool.inUse, 0);
    });

    await t.step("pipelines: queue pipeline Q0 and app pipeline App0 linked by queues", () => {
      const graph = buildLpg([ECHO_ENDPOINT]);
      const pool = new BufferPool({ count: 64 });
      const env = new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC });
      const m = parseMac("02:00:00:00:00:02");
      env.arpInsert(parseIpv4(PEER_IP) >>> 0, (m[0] ?? 0) << 8 | (m[1] ?? 0), 0x00000002);
      const nic = new BufRing(64);
      const set = new PipelineSet({
        graph,
        impls: lpgImpls(graph),
        pool,
        env,
        mode,
        inputs: new Map([["Q0", nic]]),
      });
      assert.deepEqual([...set.pipelines.keys()], ["App0", "Q0"]);
      assert.deepEqual([...set.queues.keys()].sort(), ["App0_to_Q0", "Q0_to_App0"]);
      const app = new UdpEchoApp(env, set.get("App0"), [0]);
      set.start();
      set.run(4);
      assert.equal(env.tx.size, 1, "gratuitous ARP at start");
      pool.free(env.tx.shift(), 0);
      const payloads = [1, 2, 3].map((i) => new Uint8Array(10).fill(i));
      for (const p of payloads) {
        const b = pool.alloc(0);
        const f = udpFrame(7, p);
        pool.bytes.set(f, pool.start[b] ?? 0);
        pool.length[b] = f.length;
        nic.push(b);
      }
      for (let i = 0; i < 10; i++) {
        set.run(4);
        app.poll();
      }
      assert.equal(app.stats.echoed, 3);
      assert.equal(env.tx.size, 3);
      for (const p of payloads) {
        const b = env.tx.shift();
        const s0 = pool.start[b] ?? 0;
        checkEcho(pool.bytes.slice(s0, s0 + (pool.length[b] ?? 0)), p);
        pool.free(b, 0);
      }
      assert.equal(set.queues.get("Q0_to_App0")?.moved, 3);
      assert.equal(set.queues.get("App0_to_Q0")?.moved, 3);
      assert.equal(pool.inUse, 0);
    });

    await t.step("a full inter-pipeline queue drops with a counted reason", () => {
      const graph = buildLpg([ECHO_ENDPOINT]);
      const pool = new BufferPool({ count: 64 });
      const env = new LpgEnv(pool, { localIp: LOCAL_IP, localMac: LOCAL_MAC });
      const nic = new BufRing(64);
      const set = new PipelineSet({
        graph,
        impls: lpgImpls(graph),
        pool,
        env,
        mode,
        queueSlots: 2,
        inputs: new Map([["Q0", nic]]),
      });
      const q0 = set.get("Q0");
      for (let i = 0; i < 5; i++) {
        const b = pool.alloc(0);
        const f = udpFrame(7, new Uint8Array(4));
        pool.bytes.set(f, pool.start[b] ?? 0);
        pool.length[b] = f.length;
        q0.exec.run(q0.program.numberOf.get("rx.queue" as never) ?? 0, b);
      }
      const toApp = q0.program.numberOf.get("pl.to-App0" as never) ?? 0;
      assert.equal(q0.ctx.ports[toApp * q0.program.maxPorts], 3, "three counted queue-full drops");
      assert.equal(set.queues.get("Q0_to_App0")?.fullDrops, 3);
      assert.equal(pool.inUse, 2);
    });
  });
}
