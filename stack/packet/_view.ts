/**
 * Cached `DataView`s over `Uint8Array`s, so per-packet code reads big-endian fields without
 * allocating a view per call.
 *
 * The cache holds the last four arrays seen (e.g. an RX pool, a TX pool and a scratch buffer);
 * code working on a few arenas never allocates. Offsets into the view equal offsets into the
 * array.
 *
 * @module
 */

const SLOTS = 4;
const arrays: (Uint8Array | null)[] = [null, null, null, null];
const views: DataView[] = [];
const empty = new DataView(new ArrayBuffer(0));
for (let i = 0; i < SLOTS; i++) views.push(empty);
let next = 0;

/** Returns a DataView whose offset 0 is `bytes[0]`, reusing a cached one for the same array. */
export function viewOf(bytes: Uint8Array): DataView {
  for (let i = 0; i < SLOTS; i++) {
    if (arrays[i] === bytes) return views[i] ?? empty;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  arrays[next] = bytes;
  views[next] = v;
  next = (next + 1) % SLOTS;
  return v;
}
