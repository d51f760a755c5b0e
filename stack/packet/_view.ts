/**
 * A cached `DataView` over a `Uint8Array`, so per-packet code reads big-endian fields without
 * allocating a view per call.
 *
 * The cache holds the last array seen; code that always works on one arena (the buffer pool's
 * `bytes`) never allocates. Offsets into the view equal offsets into the array.
 *
 * @module
 */

let lastBytes: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));

/** Returns a DataView whose offset 0 is `bytes[0]`, reusing the previous one for the same array. */
export function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastBytes) {
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    lastBytes = bytes;
  }
  return lastView;
}
