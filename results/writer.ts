/**
 * Writes results to disk: the canonical JSON after every run (partial results, `complete:
 * false` until the experiment finishes) and the tidy CSV, each atomically through a temporary
 * file in the same folder and a rename, so a crash leaves either the previous file or the new
 * one, never half of one. Also reads the tidy CSV back.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { canonicalJson } from "./canonical_json.ts";
import { type ResultContext, type ResultFile, type RunResult, SCHEMA_VERSION } from "./schema.ts";
import { parseTidyCsv, resultToTidyCsv, TidyCsvError, type TidyRow } from "./tidy_csv.ts";
import { formatProblems, runKey, validateResult, validateRun } from "./validate.ts";
import { ResultInputError } from "./run_builder.ts";

/** The file operations the writer uses (tests replace them to simulate failures). */
export interface FileOps {
  /** Writes `data` to `path`, flushed to stable storage, creating or truncating it. */
  writeFileSynced(path: string, data: Uint8Array): Promise<void>;
  /** Renames `from` to `to`, replacing `to` atomically. */
  rename(from: string, to: string): Promise<void>;
  /** Removes `path`. */
  remove(path: string): Promise<void>;
}

/** {@link FileOps} over the real file system. */
export const DENO_FILE_OPS: FileOps = {
  async writeFileSynced(path, data) {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      let off = 0;
      while (off < data.length) off += await file.write(data.subarray(off));
      await file.syncData();
    } finally {
      file.close();
    }
  },
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
};

let tempCounter = 0;

/**
 * Writes `text` to `path` atomically: a temporary file beside it, flushed, then renamed over it.
 * On failure the temporary file is removed and `path` keeps its previous content.
 */
export async function writeTextAtomic(
  path: string,
  text: string,
  ops: FileOps = DENO_FILE_OPS,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}-${tempCounter++}`);
  try {
    await ops.writeFileSynced(tmp, new TextEncoder().encode(text));
    await ops.rename(tmp, path);
  } catch (err) {
    try {
      await ops.remove(tmp);
    } catch {
      // The temporary file may never have been created.
    }
    throw err;
  }
}

/** The canonical JSON text of a result (sorted keys, trailing newline): byte-identical per value. */
export function resultJsonText(result: ResultFile): string {
  return canonicalJson(result) + "\n";
}

/** Writes a result as canonical JSON, atomically. */
export async function writeResultJson(
  path: string,
  result: ResultFile,
  ops: FileOps = DENO_FILE_OPS,
): Promise<void> {
  await writeTextAtomic(path, resultJsonText(result), ops);
}

/** Writes a result's tidy CSV, atomically. */
export async function writeTidyCsv(
  path: string,
  result: ResultFile,
  ops: FileOps = DENO_FILE_OPS,
): Promise<void> {
  await writeTextAtomic(path, resultToTidyCsv(result), ops);
}

/**
 * Reads a tidy CSV file back into rows.
 *
 * @throws {TidyCsvError} when the file is missing, unreadable or malformed (naming the file).
 */
export async function readTidyCsv(path: string): Promise<TidyRow[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new TidyCsvError(path, [{
      path: "file",
      message: err instanceof Deno.errors.NotFound
        ? "no such file"
        : `cannot be read (${err instanceof Error ? err.message : String(err)})`,
    }]);
  }
  return parseTidyCsv(text, path);
}

/** Options of a {@link ResultWriter}. */
export interface ResultWriterOptions {
  /** Where the JSON result goes (rewritten after every run). */
  readonly jsonPath: string;
  /** Where the tidy CSV goes (rewritten after every run); none when absent. */
  readonly csvPath?: string;
  /** File operations (tests inject failures); default the real file system. */
  readonly ops?: FileOps;
}

/**
 * Collects the runs of one experiment and rewrites the result after every run, so what was
 * measured survives a crash; {@link ResultWriter.finish} marks it complete.
 *
 * @example
 * ```ts ignore
 * const writer = await ResultWriter.create(context, { jsonPath: "results/out/run.json" });
 * for (const point of points) await writer.add(makeRun(measure(point)));
 * await writer.finish();
 * ```
 */
export class ResultWriter {
  readonly #options: ResultWriterOptions;
  readonly #context: ResultContext;
  readonly #runs: RunResult[] = [];
  readonly #keys = new Set<string>();
  readonly #seeds: Set<number>;
  #complete = false;

  private constructor(context: ResultContext, options: ResultWriterOptions) {
    this.#context = context;
    this.#options = options;
    this.#seeds = new Set(context.seeds);
  }

  /**
   * Validates the context and writes the empty, incomplete result.
   *
   * @throws {ResultInputError} listing the context's problems.
   */
  static async create(context: ResultContext, options: ResultWriterOptions): Promise<ResultWriter> {
    const problems = validateResult({
      schemaVersion: SCHEMA_VERSION,
      context,
      complete: false,
      runs: [],
    });
    if (problems.length > 0) {
      throw new ResultInputError(`Result context is invalid:\n${formatProblems(problems)}`);
    }
    const writer = new ResultWriter(context, options);
    await writer.#write();
    return writer;
  }

  /** The result as written so far. */
  get result(): ResultFile {
    return {
      schemaVersion: SCHEMA_VERSION,
      context: this.#context,
      complete: this.#complete,
      runs: [...this.#runs],
    };
  }

  /**
   * Appends a run and rewrites the files. A rejected run (invalid, repeated, unknown seed, or
   * the writer already finished) leaves the files as they were.
   *
   * @throws {ResultInputError} for a rejected run; file errors pass through (the run is then
   *   not kept, and the files keep the previous runs).
   */
  async add(run: RunResult): Promise<void> {
    if (this.#complete) {
      throw new ResultInputError("Cannot add a run: the result was already finished");
    }
    const path = `$.runs[${this.#runs.length}]`;
    const problems = validateRun(run, path);
    if (problems.length > 0) {
      throw new ResultInputError(`Run is invalid:\n${formatProblems(problems)}`);
    }
    const key = runKey(run);
    if (this.#keys.has(key)) {
      throw new ResultInputError(`Run "${key}" was already added; give it another repetition`);
    }
    if (!this.#seeds.has(run.seed)) {
      throw new ResultInputError(
        `Run "${key}" uses seed ${run.seed}, which the context does not list; ` +
          `allowed: ${[...this.#seeds].join(", ")}`,
      );
    }
    this.#runs.push(run);
    try {
      await this.#write();
    } catch (err) {
      this.#runs.pop();
      throw err;
    }
    this.#keys.add(key);
  }

  /** Marks the result complete and writes it a last time. */
  async finish(): Promise<ResultFile> {
    this.#complete = true;
    try {
      await this.#write();
    } catch (err) {
      this.#complete = false;
      throw err;
    }
    return this.result;
  }

  /** Writes the CSV first and the canonical JSON last, so the JSON never holds a run the writer dropped. */
  async #write(): Promise<void> {
    const result = this.result;
    if (this.#options.csvPath !== undefined) {
      await writeTidyCsv(this.#options.csvPath, result, this.#options.ops);
    }
    await writeResultJson(this.#options.jsonPath, result, this.#options.ops);
  }
}
