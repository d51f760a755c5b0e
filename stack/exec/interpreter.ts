/**
 * The graph interpreter: runs one packet from a start node with an explicit stack, versioned
 * node state (no per-packet reset), O-node evaluation that fires at most once per run and waits
 * for the inputs it needs, and abort/terminal semantics.
 *
 * Source: `/work/shared/reference/dragonet-model.md` §2.2 (O-node truth table) and §12.3
 * (Dragonet `stack/Runner/dynamic.c`): pop a node, execute it, on a port push every successor
 * of that port in edge order; `-2` aborts the run; an O-node already fired in this run is
 * ignored; at the end the buffer is freed if no node took it.
 *
 * The lab's one addition: an F-node also runs at most once per run (a second arrival is
 * ignored), so a node reachable over two mutually exclusive edges behaves like one node.
 *
 * @module
 */
import type { ExecContext } from "./context.ts";
import { ExecKind, type Program } from "./program.ts";
import { ABORT } from "./types.ts";

/** Something that runs one packet from a start node: the interpreter or compiled code. */
export interface Executor {
  /** Runs buffer `buf` (-1 for none) from node `start`; returns whether the run aborted. */
  run(start: number, buf: number): boolean;
}

/** Interprets a program over a context. */
export class Interpreter<E> implements Executor {
  readonly #p: Program<E>;
  readonly #x: ExecContext<E>;
  readonly #stack: Int32Array;
  readonly #firedVer: Float64Array;
  readonly #firedPort: Int32Array;
  readonly #succ: Int32Array;
  readonly #succStart: Int32Array;
  readonly #inStart: Int32Array;
  readonly #inPred: Int32Array;
  readonly #inVal: Int8Array;
  #ver = 0;

  /** Prepares flat tables for `program` running in `ctx`. */
  constructor(program: Program<E>, ctx: ExecContext<E>) {
    this.#p = program;
    this.#x = ctx;
    const n = program.ids.length;
    const mp = program.maxPorts;
    this.#firedVer = new Float64Array(n);
    this.#firedPort = new Int32Array(n);
    // Successor lists flattened per (node, port).
    this.#succStart = new Int32Array(n * mp + 1);
    const succ: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < mp; p++) {
        this.#succStart[i * mp + p] = succ.length;
        for (const s of program.succ[i]?.[p] ?? []) succ.push(s);
      }
    }
    this.#succStart[n * mp] = succ.length;
    this.#succ = Int32Array.from(succ);
    this.#stack = new Int32Array(Math.max(16, succ.length + n + 1));
    const inStart = new Int32Array(n + 1);
    const inPred: number[] = [];
    const inVal: number[] = [];
    for (let i = 0; i < n; i++) {
      inStart[i] = inPred.length;
      const preds = program.inputs[i] ?? [];
      for (let k = 0; k < preds.length; k++) {
        inPred.push(preds[k] ?? 0);
        const row = program.inputValue[i]?.[k] ?? [];
        for (let p = 0; p < mp; p++) inVal.push(row[p] ?? -1);
      }
    }
    inStart[n] = inPred.length;
    this.#inStart = inStart;
    this.#inPred = Int32Array.from(inPred);
    this.#inVal = Int8Array.from(inVal);
  }

  /** Runs buffer `buf` from node `start`; returns whether a node aborted the run. */
  run(start: number, buf: number): boolean {
    const p = this.#p;
    const x = this.#x;
    const kind = p.kind;
    const work = p.work;
    const mp = p.maxPorts;
    const stack = this.#stack;
    const firedVer = this.#firedVer;
    const firedPort = this.#firedPort;
    const misses = x.misses;
    const ports = x.ports;
    const trace = x.trace;
    const unproductive = p.unproductive;
    const ver = ++this.#ver;
    x.begin(buf);
    let sp = 0;
    stack[sp++] = start;
    let aborted = false;
    while (sp > 0) {
      const n = stack[--sp] ?? 0;
      if (firedVer[n] === ver) continue;
      const k = kind[n];
      let port: number;
      if (k === ExecKind.F) {
        const w = work[n];
        port = w === undefined ? -1 : w(x, n);
        if (port < 0) {
          misses[n] = (misses[n] ?? 0) + 1;
          if (port === ABORT) {
            aborted = true;
            break;
          }
          continue;
        }
        if (port >= (p.portNames[n]?.length ?? 0)) {
          throw new Error(`Node "${p.ids[n]}" returned port ${port}, which it does not have`);
        }
      } else {
        port = this.#evaluate(n, k ?? 0, ver);
        if (port < 0) {
          misses[n] = (misses[n] ?? 0) + 1;
          continue;
        }
      }
      if (unproductive[n] === 0) x.productive = true;
      firedVer[n] = ver;
      firedPort[n] = port;
      ports[n * mp + port] = (ports[n * mp + port] ?? 0) + 1;
      if (trace !== null) trace.push(n, port);
      const base = n * mp + port;
      const end = this.#succStart[base + 1] ?? 0;
      for (let i = this.#succStart[base] ?? 0; i < end; i++) stack[sp++] = this.#succ[i] ?? 0;
    }
    x.end();
    return aborted;
  }

  /** Evaluates O-node `n`: its output port, or -1 while it waits. */
  #evaluate(n: number, k: number, ver: number): number {
    const p = this.#p;
    const mp = p.maxPorts;
    // Short-circuit input value: false for AND/NAND, true for OR/NOR.
    const sc = k === ExecKind.And || k === ExecKind.Nand ? 0 : 1;
    let all = true;
    const end = this.#inStart[n + 1] ?? 0;
    for (let i = this.#inStart[n] ?? 0; i < end; i++) {
      const pred = this.#inPred[i] ?? 0;
      if (this.#firedVer[pred] !== ver) {
        all = false;
        continue;
      }
      const v = this.#inVal[i * mp + (this.#firedPort[pred] ?? 0)] ?? -1;
      if (v < 0) all = false;
      else if (v === sc) {
        // AND -> false, OR -> true, NAND -> true, NOR -> false.
        const out = k === ExecKind.And || k === ExecKind.Nor ? 0 : 1;
        return out === 1 ? p.truePort[n] ?? -1 : p.falsePort[n] ?? -1;
      }
    }
    if (!all) return -1;
    const out = k === ExecKind.And || k === ExecKind.Nor ? 1 : 0;
    return out === 1 ? p.truePort[n] ?? -1 : p.falsePort[n] ?? -1;
  }
}
