import assert from "node:assert/strict";
import fc from "fast-check";
import { BufferPool, FREE_OWNER } from "./buffer_pool.ts";

Deno.test("BufferPool", async (t) => {
  await t.step("layout: one arena, 2048-byte buffers, data after 128 bytes of headroom", () => {
    const pool = new BufferPool({ count: 3 });
    assert.equal(pool.bytes.length, 3 * 2048);
    assert.equal(pool.bytes.buffer.byteLength, 3 * 2048);
    const a = pool.alloc(7);
    const b = pool.alloc(7);
    assert.deepEqual([a, b], [0, 1]);
    assert.equal(pool.start[b], 2048 + 128);
    assert.equal(pool.length[b], 0);
    assert.equal(pool.owner[b], 7);
    assert.equal(pool.headroomOf(b), 128);
    assert.equal(pool.tailroomOf(b), 2048 - 128);
  });

  await t.step(
    "counters: allocated, inUse, highWater, allocFailures; exhaustion returns -1",
    () => {
      const pool = new BufferPool({ count: 2 });
      const a = pool.alloc(0);
      const b = pool.alloc(0);
      assert.equal(pool.alloc(0), -1);
      assert.equal(pool.alloc(0), -1);
      assert.equal(pool.allocFailures, 2);
      assert.equal(pool.inUse, 2);
      pool.free(a, 0);
      pool.free(b, 0);
      assert.equal(pool.alloc(1), b, "last freed is reused first");
      assert.deepEqual([pool.allocated, pool.freed, pool.inUse, pool.highWater], [3, 2, 1, 2]);
    },
  );

  await t.step("prepend writes headers in place; append and trimFront move the ends", () => {
    const pool = new BufferPool({ count: 2, headroom: 64 });
    const id = pool.alloc(0);
    assert.equal(pool.append(id, 100), 64);
    assert.equal(pool.prepend(id, 42), 22);
    assert.deepEqual([pool.start[id], pool.length[id]], [22, 142]);
    assert.equal(pool.prepend(id, 23), -1, "only 22 bytes of headroom left");
    assert.deepEqual([pool.start[id], pool.length[id]], [22, 142], "unchanged on failure");
    assert.equal(pool.trimFront(id, 14), 36);
    assert.equal(pool.trimFront(id, 129), -1);
    assert.equal(pool.append(id, pool.tailroomOf(id) + 1), -1);
    assert.equal(pool.append(id, pool.tailroomOf(id)), 36 + 128);
    assert.equal(pool.tailroomOf(id), 0);
    pool.resetData(id);
    assert.deepEqual([pool.start[id], pool.length[id]], [64, 0]);
  });

  await t.step("double free always throws a clear error", () => {
    const pool = new BufferPool({ count: 2 });
    const id = pool.alloc(3);
    pool.free(id, 3);
    assert.throws(
      () => pool.free(id, 3),
      /Cannot free buffer 0 for owner 3: it is already free \(double free\)/,
    );
    assert.equal(pool.inUse, 0, "the failed free changed nothing");
    assert.throws(() => pool.free(2, 3), /Cannot free buffer 2: ids are integers 0\.\.1/);
  });

  await t.step("debug mode: wrong owner, use after free, poisoned bytes", () => {
    const pool = new BufferPool({ count: 2, debug: true });
    const id = pool.alloc(1);
    pool.bytes[pool.start[id] ?? 0] = 0x42;
    assert.throws(() => pool.free(id, 2), /Cannot free buffer 0 for owner 2: it is owned by 1/);
    pool.move(id, 1, 2);
    assert.equal(pool.owner[id], 2);
    assert.throws(
      () => pool.prepend(id, 14, 1),
      /Cannot prepend to buffer 0 for owner 1: it is owned by 2/,
    );
    pool.free(id, 2);
    assert.equal(pool.owner[id], FREE_OWNER);
    assert.equal(pool.bytes[pool.start[id] ?? 0], 0xdd);
    assert.throws(
      () => pool.append(id, 1, 2),
      /Cannot append to buffer 0 for owner 2: it is free \(use after free\)/,
    );
    assert.throws(() => pool.checkOwner(id, 2), /use after free/);
    assert.throws(() => pool.move(id, 2, 3), /Cannot move buffer 0 for owner 2: it is free/);
  });

  await t.step(
    "non-debug mode does not check owners but still refuses moves of free buffers",
    () => {
      const pool = new BufferPool({ count: 1 });
      const id = pool.alloc(1);
      pool.free(id, 9);
      assert.throws(() => pool.move(id, 1, 2), /use after free/);
    },
  );

  await t.step("bad options throw errors naming the option and range", () => {
    assert.throws(() => new BufferPool({ count: 0 }), /count 0 must be an integer 1\.\.1048576/);
    assert.throws(
      () => new BufferPool({ count: 1, bufferSize: 32 }),
      /bufferSize 32 must be an integer 64\.\.65536/,
    );
    assert.throws(
      () => new BufferPool({ count: 1, headroom: 2048 }),
      /headroom 2048 must be an integer 0\.\.2047/,
    );
    const pool = new BufferPool({ count: 1 });
    assert.throws(() => pool.alloc(-2), /owner -2: owners are integers >= 0/);
  });

  await t.step("property: alloc/free/move sequences match a set model", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("alloc" as const), owner: fc.nat(3) }),
      fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), to: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pool = new BufferPool({ count: 8, bufferSize: 64, headroom: 16, debug: true });
        const model = new Map<number, number>(); // id -> owner
        let high = 0;
        let failures = 0;
        for (const o of ops) {
          if (o.kind === "alloc") {
            const id = pool.alloc(o.owner);
            if (model.size === 8) {
              assert.equal(id, -1);
              failures++;
            } else {
              assert.ok(id >= 0 && !model.has(id), `fresh id ${id}`);
              model.set(id, o.owner);
              assert.equal(pool.start[id], id * 64 + 16);
            }
          } else if (model.size > 0) {
            const ids = [...model.keys()];
            const id = ids[o.pick % ids.length] ?? 0;
            const owner = model.get(id) ?? 0;
            if (o.kind === "free") {
              pool.free(id, owner);
              model.delete(id);
            } else {
              pool.move(id, owner, o.to);
              model.set(id, o.to);
            }
          }
          high = Math.max(high, model.size);
          assert.equal(pool.inUse, model.size);
        }
        assert.equal(pool.highWater, high);
        assert.equal(pool.allocFailures, failures);
        for (const [id, owner] of model) assert.equal(pool.owner[id], owner);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
