import assert from "node:assert/strict";
import fc from "fast-check";
import { ConnTable, tupleHash } from "./conn_table.ts";

Deno.test("connection table", async (t) => {
  await t.step("insert, lookup, remove and reuse of slots", () => {
    const table = new ConnTable(2);
    const a = table.insert(1, 80, 2, 40000);
    const b = table.insert(1, 80, 2, 40001);
    assert.deepEqual([a >= 0, b >= 0, a !== b], [true, true, true]);
    assert.equal(table.insert(1, 80, 2, 40002), -1, "full");
    assert.equal(table.lookup(1, 80, 2, 40000), a);
    assert.equal(table.lookup(1, 80, 2, 40001), b);
    assert.equal(table.lookup(2, 80, 1, 40000), -1, "direction matters");
    table.remove(a);
    assert.equal(table.lookup(1, 80, 2, 40000), -1);
    assert.equal(table.size, 1);
    const c = table.insert(3, 443, 4, 5);
    assert.equal(c, a, "the freed slot is reused");
    assert.equal(table.conns[c]?.localPort, 443);
    table.remove(c);
    table.remove(c);
    assert.equal(table.size, 1, "removing twice is a no-op");
  });

  await t.step("the hash differs when any field changes", () => {
    const h = tupleHash(0x0a000001, 80, 0x0a000002, 40000);
    assert.notEqual(h, tupleHash(0x0a000001, 80, 0x0a000002, 40001));
    assert.notEqual(h, tupleHash(0x0a000002, 80, 0x0a000001, 40000));
    assert.notEqual(h, tupleHash(0x0a000001, 81, 0x0a000002, 40000));
    assert.ok(h >= 0 && h <= 0xffffffff && Number.isInteger(h));
  });

  await t.step("matches a Map model under random inserts and removes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            remove: fc.boolean(),
            rip: fc.integer({ min: 0, max: 3 }),
            rport: fc.integer({ min: 0, max: 20 }),
          }),
          { maxLength: 200 },
        ),
        (ops) => {
          const table = new ConnTable(16);
          const model = new Map<string, number>();
          for (const op of ops) {
            const key = `${op.rip}:${op.rport}`;
            const found = table.lookup(7, 80, op.rip, op.rport);
            assert.equal(found, model.get(key) ?? -1);
            if (op.remove && found >= 0) {
              table.remove(found);
              model.delete(key);
            } else if (!op.remove && found < 0) {
              const id = table.insert(7, 80, op.rip, op.rport);
              if (model.size === 16) assert.equal(id, -1);
              else model.set(key, id);
            }
            assert.equal(table.size, model.size);
          }
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  await t.step("rejects a bad capacity", () => {
    assert.throws(() => new ConnTable(0), /capacity 0 must be an integer 1..4194304/);
  });
});
