import assert from "node:assert/strict";
import fc from "fast-check";
import { SFC9020_CAPABILITIES } from "./capabilities.ts";
import { fillIpFilterWords, ipData0, ipData1, SfcFilterType } from "./filter_key.ts";
import { SfcFilterTable, SfcInsertError, SfcPriority } from "./filter_table.ts";

const IP_CAP = SFC9020_CAPABILITIES.sfc.ipTable;
const MAX_DEPTH = IP_CAP.maxInsertDepth.value;
const HINT_DEPTH = IP_CAP.maxInsertDepthHint.value;
const SIZE = IP_CAP.capacity.value;
const LOCAL_PORT = 7777;

/**
 * Data words of the i-th filter of `type` whose 32-bit key is exactly `key`: the remote
 * address/port vary with i and the local address absorbs the difference, so every such filter
 * walks the same probe sequence (the worst case for the hashed table).
 */
function collidingWords(type: number, key: number, i: number): [number, number, number] {
  const remote = (0x0a000001 + i) >>> 0;
  const d0 = ipData0(remote, 1000 + (i % 60000));
  const d1 = ipData1(LOCAL_PORT, remote);
  const udp = type === SfcFilterType.UdpFull ? 1 : 0;
  const d2 = (key ^ d0 ^ d1 ^ udp) >>> 0;
  return [d0, d1, d2];
}

function insertColliding(
  t: SfcFilterTable,
  type: number,
  key: number,
  i: number,
  priority: number = SfcPriority.Manual,
): number {
  const [d0, d1, d2] = collidingWords(type, key, i);
  return t.insert(type, d0, d1, d2, key, 1, 0, priority);
}

Deno.test("SFC hashed filter table", async (t) => {
  await t.step("filters sharing one probe sequence: the 201st insert fails at 200 entries", () => {
    const table = new SfcFilterTable(IP_CAP);
    const key = 0x12345678;
    for (let i = 0; i < MAX_DEPTH; i++) {
      assert.ok(insertColliding(table, SfcFilterType.UdpFull, key, i) >= 0, `insert ${i}`);
    }
    assert.equal(table.count, MAX_DEPTH);
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], MAX_DEPTH);
    assert.equal(
      insertColliding(table, SfcFilterType.UdpFull, key, MAX_DEPTH),
      SfcInsertError.Busy,
    );
    assert.equal(table.insertBusy, 1);
    assert.equal(table.count, MAX_DEPTH); // far below the 8192 capacity
    // A filter with another probe sequence still fits.
    assert.ok(insertColliding(table, SfcFilterType.UdpFull, 0x0badf00d, 0) >= 0);
  });

  await t.step("hint-priority inserts give up after 5 probes", () => {
    const table = new SfcFilterTable(IP_CAP);
    const key = 0x0000beef;
    for (let i = 0; i < HINT_DEPTH; i++) {
      assert.ok(insertColliding(table, SfcFilterType.TcpFull, key, i, SfcPriority.Hint) >= 0);
    }
    assert.equal(
      insertColliding(table, SfcFilterType.TcpFull, key, HINT_DEPTH, SfcPriority.Hint),
      SfcInsertError.Busy,
    );
    // A manual filter on the same sequence may go deeper.
    assert.ok(insertColliding(table, SfcFilterType.TcpFull, key, HINT_DEPTH) >= 0);
  });

  await t.step("random distinct flows fill the table only partly before the first refusal", () => {
    const table = new SfcFilterTable(IP_CAP);
    const w = new Uint32Array(4);
    let firstRefusalAt = -1;
    // Pseudo-random clients (xorshift32, fixed seed). Sequential addresses would not do: the
    // LFSR hash is linear, so structured keys can spread perfectly over the table.
    let x = 42;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    for (let i = 0; i < SIZE && firstRefusalAt < 0; i++) {
      const client = next();
      const port = 1024 + (next() % 60000);
      fillIpFilterWords(SfcFilterType.UdpFull, 0x0a000001, 11211, client, port, w);
      const r = table.insert(
        SfcFilterType.UdpFull,
        w[0] ?? 0,
        w[1] ?? 0,
        w[2] ?? 0,
        w[3] ?? 0,
        1,
        0,
        2,
      );
      if (r === SfcInsertError.Busy) firstRefusalAt = table.count;
    }
    assert.ok(firstRefusalAt > 0, "a refusal happened");
    assert.ok(firstRefusalAt < SIZE, `refused at ${firstRefusalAt} entries, below ${SIZE}`);
  });

  await t.step("lookups walk at most the type's search depth; misses cost that depth", () => {
    const table = new SfcFilterTable(IP_CAP);
    const key = 0x00c0ffee;
    // Two TCP full filters and then a UDP full filter on the same probe sequence.
    const s0 = insertColliding(table, SfcFilterType.TcpFull, key, 0);
    const s1 = insertColliding(table, SfcFilterType.TcpFull, key, 1);
    const s2 = insertColliding(table, SfcFilterType.UdpFull, key, 2);
    assert.deepEqual([table.depth[s0], table.depth[s1], table.depth[s2]], [1, 2, 3]);
    assert.equal(table.searchDepth[SfcFilterType.TcpFull], 2);
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], 3);
    assert.equal(table.programmedSearchLimit(SfcFilterType.UdpFull), 3 + 1);
    assert.equal(table.programmedSearchLimit(SfcFilterType.TcpWild), 0 + 3);

    const [a0, a1, a2] = collidingWords(SfcFilterType.UdpFull, key, 2);
    assert.equal(table.lookup(SfcFilterType.UdpFull, a0, a1, a2, key), s2);
    assert.equal(table.lastProbes, 3);
    const [b0, b1, b2] = collidingWords(SfcFilterType.TcpFull, key, 1);
    assert.equal(table.lookup(SfcFilterType.TcpFull, b0, b1, b2, key), s1);
    assert.equal(table.lastProbes, 2);
    // Misses on the same sequence cost the whole per-type depth.
    const [c0, c1, c2] = collidingWords(SfcFilterType.TcpFull, key, 9);
    assert.equal(table.lookup(SfcFilterType.TcpFull, c0, c1, c2, key), -1);
    assert.equal(table.lastProbes, 2);
    assert.equal(table.lookup(SfcFilterType.UdpFull, c0, c1, c2, key), -1);
    assert.equal(table.lastProbes, 3);
    // No wildcard filters installed: a wildcard lookup walks nothing.
    assert.equal(table.lookup(SfcFilterType.UdpWild, 0, 0, 0, key), -1);
    assert.equal(table.lastProbes, 0);
  });

  await t.step("search depth survives removals and resets only when the table empties", () => {
    const table = new SfcFilterTable(IP_CAP);
    const key = 0x51515151;
    const slots = [0, 1, 2, 3].map((i) => insertColliding(table, SfcFilterType.UdpFull, key, i));
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], 4);
    assert.ok(table.remove(slots[3] ?? -1));
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], 4, "deepest removed, depth kept");
    assert.ok(table.remove(slots[0] ?? -1));
    assert.ok(table.remove(slots[1] ?? -1));
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], 4);
    // The filter at depth 3 is still found although the slots before it are now empty.
    const [d0, d1, d2] = collidingWords(SfcFilterType.UdpFull, key, 2);
    assert.equal(table.lookup(SfcFilterType.UdpFull, d0, d1, d2, key), slots[2]);
    assert.ok(table.remove(slots[2] ?? -1));
    assert.equal(table.count, 0);
    assert.equal(table.searchDepth[SfcFilterType.UdpFull], 0);
    assert.equal(table.remove(slots[2] ?? -1), false, "removing an empty slot reports false");
    assert.equal(table.remove(SIZE), false);
  });

  await t.step(
    "equal filters: EEXIST, EPERM, replacement, and moving to an earlier free slot",
    () => {
      const table = new SfcFilterTable(IP_CAP);
      const key = 0x77777777;
      const type = SfcFilterType.UdpFull;
      const a = insertColliding(table, type, key, 0);
      const b = insertColliding(table, type, key, 1);
      assert.equal(insertColliding(table, type, key, 1), SfcInsertError.Exists);
      assert.equal(
        insertColliding(table, type, key, 1, SfcPriority.Auto),
        SfcInsertError.Permission,
      );
      assert.equal(
        insertColliding(table, type, key, 1, SfcPriority.Required),
        b,
        "replaced in place",
      );
      assert.equal(table.priority[b], SfcPriority.Required);
      const [d0, d1, d2] = collidingWords(type, key, 1);
      assert.equal(table.insert(type, d0, d1, d2, key, 5, 0, SfcPriority.Required, true), b);
      assert.equal(table.queue[b], 5);
      assert.equal(table.count, 2);
      // Free the depth-1 slot; an equal higher-priority insert moves B there and clears B's slot.
      assert.ok(table.remove(a));
      const moved = table.insert(type, d0, d1, d2, key, 6, 0, SfcPriority.Required, true);
      assert.equal(moved, a);
      assert.equal(table.used[b], 0);
      assert.equal(table.count, 1);
      assert.equal(table.lookup(type, d0, d1, d2, key), a);
    },
  );

  await t.step("random insert/remove sequences keep every installed filter findable", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            add: fc.boolean(),
            flow: fc.integer({ min: 0, max: 400 }),
            type: fc.constantFrom(SfcFilterType.TcpFull, SfcFilterType.UdpFull),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (ops) => {
          const table = new SfcFilterTable(IP_CAP);
          const key = 0x00abcdef; // all on one probe sequence: the hardest case
          const installed = new Map<string, number>();
          for (const op of ops) {
            const id = `${op.type}:${op.flow}`;
            if (op.add) {
              const r = insertColliding(table, op.type, key, op.flow);
              if (installed.has(id)) assert.equal(r, SfcInsertError.Exists);
              else if (r >= 0) installed.set(id, r);
              else assert.equal(r, SfcInsertError.Busy);
            } else if (installed.has(id)) {
              assert.ok(table.remove(installed.get(id) ?? -1));
              installed.delete(id);
            }
          }
          assert.equal(table.count, installed.size);
          for (const [id, slot] of installed) {
            const [type, flow] = id.split(":").map(Number) as [number, number];
            const [d0, d1, d2] = collidingWords(type, key, flow);
            assert.equal(table.lookup(type, d0, d1, d2, key), slot);
            assert.ok((table.depth[slot] ?? 999) <= (table.searchDepth[type] ?? 0));
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  await t.step("wouldInsert predicts insert without changing the table", () => {
    const table = new SfcFilterTable(IP_CAP);
    const key = 0x0f0f0f0f;
    for (let i = 0; i <= MAX_DEPTH; i++) {
      const [d0, d1, d2] = collidingWords(SfcFilterType.UdpFull, key, i);
      const before = table.snapshot();
      const predicted = table.wouldInsert(SfcFilterType.UdpFull, d0, d1, d2, key, 2);
      assert.deepEqual(table.snapshot(), before);
      assert.equal(table.insert(SfcFilterType.UdpFull, d0, d1, d2, key, 1, 0, 2), predicted);
    }
    assert.equal(table.count, MAX_DEPTH);
    const [d0, d1, d2] = collidingWords(SfcFilterType.UdpFull, key, 0);
    assert.equal(
      table.wouldInsert(SfcFilterType.UdpFull, d0, d1, d2, key, 2),
      SfcInsertError.Exists,
    );
  });

  await t.step("a capacity that is not a power of two is rejected with the value", () => {
    assert.throws(
      () => new SfcFilterTable({ ...IP_CAP, capacity: { value: 1000, source: "test" } }),
      /capacity must be a power of two in 2\.\.65536, got 1000/,
    );
  });
});
