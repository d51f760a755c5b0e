/**
 * One's-complement summation alternatives over a 20-byte IPv4 header and a 1000-byte payload,
 * batches of 1000 distinct buffers in one arena (per-sum time = reported time / 1000). The
 * exported `onesComplementSum` uses 32-bit DataView reads; the others are measured to justify it.
 *
 * Run: `deno bench --allow-all stack/packet/checksum_bench.ts`
 *
 * @module
 */
import { onesComplementSum } from "./checksum.ts";

const N = 1000;
const STRIDE = 2048;
const arena = new Uint8Array(N * STRIDE);
for (let i = 0; i < arena.length; i++) arena[i] = (i * 2654435761) >>> 24;
const dv = new DataView(arena.buffer);
const u16 = new Uint16Array(arena.buffer);
// Data starts where a frame's IPv4 header sits in a pool buffer: 128 headroom + 14 Ethernet.
const OFF = 142;

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function sumU16(off: number, len: number): number {
  let s = 0;
  const end = off + (len & ~1);
  for (let i = off; i < end; i += 2) s += dv.getUint16(i);
  if (len & 1) s += dv.getUint8(off + len - 1) << 8;
  return fold(s);
}

function sumBytes(off: number, len: number): number {
  let s = 0;
  const end = off + (len & ~1);
  for (let i = off; i < end; i += 2) s += ((arena[i] as number) << 8) | (arena[i + 1] as number);
  if (len & 1) s += (arena[off + len - 1] as number) << 8;
  return fold(s);
}

/** Little-endian 16-bit words via a Uint16Array (even offsets only), byte-swapped at the end. */
function sumU16Native(off: number, len: number): number {
  let s = 0;
  const end = (off + (len & ~1)) >>> 1;
  for (let i = off >>> 1; i < end; i++) s += u16[i] as number;
  s = fold(s);
  s = ((s & 0xff) << 8) | (s >>> 8);
  if (len & 1) s = fold(s + ((arena[off + len - 1] as number) << 8));
  return s;
}

let sink = 0;
for (const len of [20, 1000]) {
  const group = `sum-${len}`;
  const check = onesComplementSum(arena, OFF, len);
  if (
    sumU16(OFF, len) !== check || sumBytes(OFF, len) !== check || sumU16Native(OFF, len) !== check
  ) {
    throw new Error(`Checksum alternatives disagree for ${len} bytes`);
  }
  Deno.bench(
    `onesComplementSum (DataView u32), ${len} B (x${N})`,
    { group, baseline: true },
    () => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += onesComplementSum(arena, i * STRIDE + OFF, len);
      sink ^= acc;
    },
  );
  Deno.bench(`DataView u16 loop, ${len} B (x${N})`, { group }, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += sumU16(i * STRIDE + OFF, len);
    sink ^= acc;
  });
  Deno.bench(`Uint8Array byte pairs, ${len} B (x${N})`, { group }, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += sumBytes(i * STRIDE + OFF, len);
    sink ^= acc;
  });
  Deno.bench(`Uint16Array native-endian + swap, ${len} B (x${N})`, { group }, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc += sumU16Native(i * STRIDE + OFF, len);
    sink ^= acc;
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === 0x7fffffff) console.log("unlikely sink value");
});
