import assert from "node:assert/strict";
import fc from "fast-check";
import { hashKey, Item, ItemStore } from "./item_store.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function put(store: ItemStore, key: string, vlen: number, now: number, exptime = 0): Item {
  const k = enc.encode(key);
  const it = new Item(
    k,
    hashKey(k, 0, k.length),
    new Uint8Array(vlen),
    0,
    exptime,
    store.itemSize(k.length, 0, vlen),
  );
  store.link(it, now);
  return it;
}

function has(store: ItemStore, key: string, now: number): boolean {
  const k = enc.encode(key);
  return store.find(k, 0, k.length, hashKey(k, 0, k.length), now) !== null;
}

Deno.test("item store", async (t) => {
  await t.step("evicts from the LRU tail under the memory limit", () => {
    // Each item: 56 overhead + 2 key + 1 + 100 value + 2 = 161 bytes; 5 fit in 900.
    const store = new ItemStore({ memoryLimit: 900 });
    for (let i = 0; i < 5; i++) put(store, `k${i}`, 100, 0);
    assert.equal(store.currItems, 5);
    // Touch k0 so k1 is the least recently used.
    const k0 = enc.encode("k0");
    store.touch(store.find(k0, 0, 2, hashKey(k0, 0, 2), 0) as Item, 0);
    put(store, "k5", 100, 0);
    assert.equal(store.evictions, 1);
    assert.equal(has(store, "k1", 0), false);
    assert.equal(has(store, "k0", 0), true);
    assert.deepEqual([...store.lruKeys()].map((k) => dec.decode(k)), [
      "k5",
      "k0",
      "k4",
      "k3",
      "k2",
    ]);
    assert.ok(store.bytes <= store.memoryLimit);
  });
  await t.step("expired items are gone at their exptime and reclaimed", () => {
    const store = new ItemStore();
    put(store, "e", 1, 100, 110);
    assert.equal(has(store, "e", 109), true);
    assert.equal(has(store, "e", 110), false);
    assert.equal(store.reclaimed, 1);
    assert.equal(store.currItems, 0);
  });
  await t.step("a delayed flush kills older items only once its time comes", () => {
    const store = new ItemStore();
    put(store, "old", 1, 100);
    store.flush(150, 0);
    assert.equal(has(store, "old", 149), true);
    assert.equal(has(store, "old", 150), false);
  });
  await t.step("a delayed flush hides an earlier immediate one, as in memcached", () => {
    const store = new ItemStore();
    put(store, "x", 1, 100).cas = 5;
    store.flush(99, 6); // immediate: time 100 > 99, but CAS 5 < 6
    assert.equal(store.currItems, 1); // nothing freed eagerly
    store.flush(1000, 0); // delayed: its time is ahead, so nothing counts as flushed yet
    assert.equal(has(store, "x", 100), true);
    store.flush(99, 6);
    assert.equal(has(store, "x", 100), false);
  });
  await t.step("sizes follow memcached's item accounting", () => {
    const store = new ItemStore({ itemSizeMax: 1024 * 1024 });
    assert.equal(store.itemSize(1, 0, 10), 56 + 1 + 1 + 10 + 2);
    assert.equal(store.itemSize(1, 7, 10), 56 + 1 + 1 + 4 + 10 + 2);
    assert.equal(store.sizeOk(1, 0, 1024 * 1024 - 60), true);
    assert.equal(store.sizeOk(1, 0, 1024 * 1024 - 59), false);
  });
  await t.step("rejects a bad limit with a clear error", () => {
    assert.throws(() => new ItemStore({ memoryLimit: 0 }), /memoryLimit.*positive integer, got 0/);
  });
  await t.step("every linked key stays findable across table growth; deleted ones are gone", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), {
          minLength: 1600,
          maxLength: 2500,
        }),
        (keys) => {
          const store = new ItemStore();
          for (const k of keys) put(store, k, 1, 0);
          const half = keys.slice(0, keys.length >> 1);
          for (const k of half) {
            const b = enc.encode(k);
            store.unlink(store.find(b, 0, b.length, hashKey(b, 0, b.length), 0) as Item);
          }
          return keys.every((k, i) => has(store, k, 0) === i >= half.length) &&
            store.currItems === keys.length - half.length;
        },
      ),
      { seed: 42, numRuns: 5 },
    );
  });
  await t.step("colliding hashes around the table's end: links and unlinks match a set", () => {
    // Eight hashes whose home slots wrap around the end of the 1024-slot table, so runs of
    // colliding items cross slot 0 and deletions shift items back across it.
    const HASHES = [1021, 1022, 1023, 0, 1, 2, 1023 + 1024, 5];
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 59 }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), (ops) => {
        const store = new ItemStore();
        const model = new Map<number, Item>();
        const key = (i: number) => enc.encode(`key${i}`);
        const hashOf = (i: number) => HASHES[i % HASHES.length] as number;
        const find = (i: number) => {
          const k = key(i);
          return store.find(k, 0, k.length, hashOf(i), 0);
        };
        for (const [add, i] of ops) {
          const there = model.get(i);
          if (add && there === undefined) {
            const k = key(i);
            const it = new Item(
              k,
              hashOf(i),
              new Uint8Array(1),
              0,
              0,
              store.itemSize(k.length, 0, 1),
            );
            store.link(it, 0);
            model.set(i, it);
          } else if (!add && there !== undefined) {
            store.unlink(there);
            model.delete(i);
          }
          for (let j = 0; j < 60; j++) {
            if (find(j) !== (model.get(j) ?? null)) return false;
          }
        }
        return store.currItems === model.size;
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});

Deno.test("hashKey is MurmurHash3 x86 32-bit with seed 0 (memcached's default hash)", () => {
  // Reference values of MurmurHash3_x86_32 (smhasher), covering every tail length.
  const cases: [string, number][] = [
    ["", 0],
    ["a", 0x3c2569b2],
    ["ab", 0x9bbfd75f],
    ["abc", 0xb3dd93fa],
    ["hello", 0x248bfa47],
    ["Hello, world!", 0xc0363e43],
    ["The quick brown fox jumps over the lazy dog", 0x2e4ff723],
  ];
  for (const [text, want] of cases) {
    const padded = enc.encode(`##${text}#`);
    assert.equal(hashKey(padded, 2, padded.length - 1), want, JSON.stringify(text));
  }
});
