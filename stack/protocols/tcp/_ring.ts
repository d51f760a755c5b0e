/**
 * Growth of a connection's byte ring. Rings start small and double (up to the configured buffer
 * size) only when data needs the room, so idle or lightly used connections cost little memory;
 * the copy happens once per doubling, not per segment.
 *
 * @module
 */

/**
 * Returns a ring of at least `need` bytes (a power of two, at most `max`, at least `need`)
 * holding the old ring's bytes linearised from `head` (so the new head is 0).
 */
export function growRing(ring: Uint8Array, head: number, need: number, max: number): Uint8Array {
  let size = ring.length > 0 ? ring.length : 1;
  while (size < need) size *= 2;
  if (size > max) size = max;
  if (size < need) size = need;
  const out = new Uint8Array(size);
  const n = ring.length;
  out.set(ring.subarray(head, n), 0);
  out.set(ring.subarray(0, head), n - head);
  return out;
}
