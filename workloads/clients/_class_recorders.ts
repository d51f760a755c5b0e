/**
 * A client's latency recorders: one per client class and one over all classes, filled by one
 * call per measured reply.
 *
 * A client whose connections are all of one class would record every latency twice, in the same
 * order, into that class's recorder and into the overall one, which would therefore be equal in
 * every count, in min and max and in their resize history; so the overall recorder then *is* that
 * class's recorder, and a reply costs one histogram update instead of two. With mixed classes
 * the overall recorder is a recorder of its own.
 *
 * @module
 */
import { type HistogramMode, LatencyRecorder } from "../metrics/latency_recorder.ts";

/** Per-class and overall latency recorders of one client. */
export class ClassRecorders {
  /** One recorder per class code (0..classCount-1). */
  readonly byClass: readonly LatencyRecorder[];
  /** Every class's samples (the single class's recorder when only one class is in use). */
  readonly overall: LatencyRecorder;
  readonly #separate: boolean;

  /** Creates `classCount` class recorders and the overall one for connections of `classesInUse`. */
  constructor(classCount: number, classesInUse: readonly number[], mode: HistogramMode) {
    const byClass: LatencyRecorder[] = [];
    for (let c = 0; c < classCount; c++) byClass.push(new LatencyRecorder({ mode }));
    this.byClass = byClass;
    const first = classesInUse[0];
    const single = first !== undefined && classesInUse.every((c) => c === first)
      ? byClass[first]
      : undefined;
    this.#separate = single === undefined;
    this.overall = single ?? new LatencyRecorder({ mode });
  }

  /** Records latency `ns` of a reply of class `cls` (see {@link LatencyRecorder.record}). */
  record(cls: number, ns: number): void {
    (this.byClass[cls] as LatencyRecorder).record(ns);
    if (this.#separate) this.overall.record(ns);
  }

  /** Records with coordinated-omission correction (see {@link LatencyRecorder.recordCorrected}). */
  recordCorrected(cls: number, ns: number, expectedIntervalNs: number): void {
    (this.byClass[cls] as LatencyRecorder).recordCorrected(ns, expectedIntervalNs);
    if (this.#separate) this.overall.recordCorrected(ns, expectedIntervalNs);
  }

  /** Frees every recorder (each once). */
  destroy(): void {
    for (const r of this.byClass) r.destroy();
    this.overall.destroy(); // safe when it is a class recorder: destroy() is idempotent
  }
}
