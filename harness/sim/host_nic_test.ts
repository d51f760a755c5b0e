import assert from "node:assert/strict";
import { BufferPool } from "../../stack/packet/buffer_pool.ts";
import { buildUdpFrame } from "../../stack/packet/build.ts";
import { RssNic } from "../../nicmodels/rss/model.ts";
import { INTEL_82599 } from "../../nicmodels/intel_82599/capabilities.ts";
import { SFC9020_CAPABILITIES } from "../../nicmodels/solarflare_sfc9020/capabilities.ts";
import {
  checkModeration,
  HOST_NIC_TX_RING_FULL,
  HostNic,
  moderationFromCapabilities,
} from "./host_nic.ts";
import { Simulator } from "./simulator.ts";

const MAC = new Uint8Array([2, 0, 0, 0, 0, 1]);

function frame(pool: BufferPool, srcIp = 0x0a000102): number {
  const id = pool.alloc(0);
  const len = buildUdpFrame(pool.bytes, pool.start[id] ?? 0, {
    dstMac: MAC,
    srcMac: new Uint8Array([2, 0, 0, 0, 0, 2]),
    srcIp,
    dstIp: 0x0a000001,
    srcPort: 8000,
    dstPort: 7,
    payload: new Uint8Array(20),
  });
  pool.length[id] = len;
  return id;
}

function setup(intervalNs: number, buffers = 64) {
  const sim = new Simulator();
  const pool = new BufferPool({ count: buffers });
  const sent: number[] = [];
  const nic = new HostNic(sim, "h", new RssNic({ queues: 1 }), pool, (b) => {
    sent.push(sim.now);
    pool.free(b, 0);
    return true;
  }, { latencyNs: 500, moderation: { kind: "interval", intervalNs, source: "test" } });
  return { sim, pool, nic, sent };
}

Deno.test("HostNic", async (t) => {
  await t.step("a received frame becomes visible after the NIC latency", () => {
    const { sim, pool, nic } = setup(0);
    const id = frame(pool);
    nic.receive(id, pool.length[id] ?? 0);
    assert.equal(nic.visible(0), 0);
    assert.equal(nic.pending(0), 1);
    sim.run(499);
    assert.equal(nic.visible(0), 0);
    sim.run(500);
    assert.equal(nic.visible(0), 1);
    const out = new Int32Array(4);
    assert.equal(nic.pollRx(0, 4, out), 1);
    assert.equal(out[0], id);
    assert.equal(nic.pending(0), 0);
  });

  await t.step("a runt frame is dropped with the model's reason and its buffer freed", () => {
    const { pool, nic } = setup(0);
    const id = pool.alloc(0);
    nic.receive(id, 10);
    assert.equal(nic.drops[1], 1); // rx_length_errors
    assert.equal(pool.inUse, 0);
  });

  await t.step("interrupts fire at once, then at most one per moderation interval", () => {
    const { sim, pool, nic } = setup(10_000);
    const fired: number[] = [];
    const out = new Int32Array(8);
    nic.onInterrupt = (q) => {
      fired.push(sim.now);
      // NAPI: poll everything, then re-arm.
      let n;
      while ((n = nic.pollRx(q, 8, out)) > 0) for (let i = 0; i < n; i++) pool.free(out[i] ?? 0, 0);
      nic.enableInterrupt(q);
    };
    const at = sim.on("rx", () => {
      const id = frame(pool);
      nic.receive(id, pool.length[id] ?? 0);
    });
    nic.enableInterrupt(0);
    for (const t0 of [1000, 2000, 3000, 30_000]) sim.at(t0, at);
    sim.run();
    // visible at 1500 (fires), 2500 and 3500 wait for 11 500, 30 500 fires at once.
    assert.deepEqual(fired, [1500, 11_500, 30_500]);
    assert.deepEqual([...nic.interrupts], [3]);
  });

  await t.step("refuses a moderation with bad numbers", () => {
    assert.throws(
      () => checkModeration({ kind: "interval", intervalNs: -1, source: "t" }),
      /intervalNs -1 is invalid/,
    );
    assert.throws(
      () =>
        checkModeration({
          kind: "dynamic",
          levelsNs: [1, 2, 3],
          thresholds: [32, 4],
          source: "t",
        }),
      /thresholds \[32, 4\] are invalid/,
    );
  });

  await t.step("the driver defaults come from the capabilities", () => {
    const ixgbe = moderationFromCapabilities(INTEL_82599);
    assert.equal(ixgbe.kind, "dynamic");
    const sfc = moderationFromCapabilities(SFC9020_CAPABILITIES);
    assert.deepEqual(sfc.kind === "interval" ? sfc.intervalNs : -1, 60_000);
  });

  await t.step("dynamic moderation picks a longer interval after busier interrupts", () => {
    const sim = new Simulator();
    const pool = new BufferPool({ count: 256 });
    const nic = new HostNic(sim, "h", new RssNic({ queues: 1 }), pool, () => true, {
      latencyNs: 0,
      moderation: {
        kind: "dynamic",
        levelsNs: [10_000, 50_000, 125_000],
        thresholds: [4, 32],
        source: "test",
      },
    });
    const out = new Int32Array(64);
    const deliver = (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = frame(pool);
        nic.receive(id, pool.length[id] ?? 0);
      }
    };
    nic.onInterrupt = (q) => {
      let n;
      while ((n = nic.pollRx(q, 64, out)) > 0) {
        for (let i = 0; i < n; i++) pool.free(out[i] ?? 0, 0);
      }
      nic.enableInterrupt(q);
    };
    nic.enableInterrupt(0);
    deliver(2);
    sim.run();
    assert.equal(nic.intervalNs(0), 10_000);
    const burst = sim.on("burst", () => deliver(40));
    sim.at(sim.now + 1, burst);
    sim.run();
    assert.equal(nic.intervalNs(0), 125_000);
  });

  await t.step(
    "transmit reaches the wire after the latency; a full TX ring is a counted drop",
    () => {
      const { sim, pool, nic, sent } = setup(0, 4096);
      const ring = nic.model.config().ringSize;
      let ok = 0;
      for (let i = 0; i < ring + 1; i++) {
        const id = pool.alloc(0);
        if (id < 0) break;
        pool.length[id] = 60;
        if (nic.send(0, id, 60)) ok++;
      }
      sim.run();
      assert.equal(ok, ring);
      assert.equal(sent.length, ring);
      assert.ok(sent.every((t0) => t0 === 500));
      assert.equal(nic.txInFlight, 0);
      assert.equal(nic.drops[HOST_NIC_TX_RING_FULL], 1);
      assert.equal(pool.inUse, 0);
    },
  );
});
