/**
 * Where the `lab` command groups write their results and how they report failure: one interface
 * for every group, the process implementation (standard output, `Deno.exitCode`) and a capture
 * for tests.
 *
 * @module
 */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";

/** Where a command writes its results and sets the exit status. */
export interface CliIo {
  /**
   * Writes `text` as is.
   *
   * @throws {Deno.errors.BrokenPipe} when the reader of standard output went away.
   */
  write(text: string): void;
  /** Sets the exit status the process ends with (the command keeps running). */
  setExitCode(code: number): void;
}

const encoder = new TextEncoder();

/** The process's standard output (every byte written, in order) and exit status. */
export const processIo: CliIo = {
  write(text: string): void {
    const bytes = encoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  },
  setExitCode(code: number): void {
    Deno.exitCode = code;
  },
};

/** A `CliIo` that keeps what a command writes and the exit status it sets, for tests. */
export class CaptureIo implements CliIo {
  /** Everything written so far. */
  text = "";
  /** The last exit status set (0 when none was). */
  exitCode = 0;

  /** Appends `text` to {@linkcode CaptureIo.text}. */
  write(text: string): void {
    this.text += text;
  }

  /** Records `code` in {@linkcode CaptureIo.exitCode}. */
  setExitCode(code: number): void {
    this.exitCode = code;
  }
}

/** Makes `command` and all its subcommands throw instead of exiting, and print nothing. */
function quiet(command: CommandUnknownOpts): void {
  command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  for (const sub of command.commands) quiet(sub);
}

/**
 * Runs a command group built on a capture with the given arguments, for tests: commander's own
 * messages are dropped and a usage error rejects (with commander's message) instead of exiting.
 *
 * @param build makes the command group writing to the given `CliIo`
 * @param io the capture to use (pass one to read its text after a rejection)
 * @returns the capture, holding the text written and the exit status set
 *
 * @example
 * ```ts ignore
 * const { text } = await runCaptured((io) => simCommand(io), ["wire", "--sizes", "64"]);
 * ```
 */
export async function runCaptured(
  build: (io: CliIo) => CommandUnknownOpts,
  args: readonly string[],
  io: CaptureIo = new CaptureIo(),
): Promise<CaptureIo> {
  const command = build(io);
  quiet(command);
  await command.parseAsync(args, { from: "user" });
  return io;
}
