/**
 * Cost of the buffer pool's per-packet operations: alloc + prepend a 42-byte header + free,
 * and alloc + move to another owner + free, per batch of 1000 (per-packet time = reported time
 * / 1000).
 *
 * Run: `deno bench --allow-all stack/packet/buffer_pool_bench.ts`
 *
 * @module
 */
import { BufferPool } from "./buffer_pool.ts";

const BATCH = 1000;
const held = new Int32Array(BATCH);
let sink = 0;

for (const debug of [false, true]) {
  const pool = new BufferPool({ count: 2 * BATCH, debug });
  const mode = debug ? "debug" : "release";
  Deno.bench(`alloc + prepend + free, ${mode} (x${BATCH})`, { group: "pool" }, () => {
    for (let i = 0; i < BATCH; i++) {
      const id = pool.alloc(1);
      sink ^= pool.prepend(id, 42, 1);
      held[i] = id;
    }
    for (let i = 0; i < BATCH; i++) pool.free(held[i] ?? 0, 1);
  });
  Deno.bench(`alloc + move + free, ${mode} (x${BATCH})`, { group: "pool" }, () => {
    for (let i = 0; i < BATCH; i++) {
      const id = pool.alloc(1);
      pool.move(id, 1, 2);
      held[i] = id;
    }
    for (let i = 0; i < BATCH; i++) pool.free(held[i] ?? 0, 2);
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === 0x7fffffff) console.log("unlikely sink value");
});
