/**
 * Reading the files named on the `lab` command line, with one error wording for every command
 * group: `Cannot read <what> "<path>": no such file` (or "it is a directory", "permission
 * denied").
 *
 * @module
 */

/**
 * Reads a UTF-8 text file named on the command line.
 *
 * @param what what the file is, for the message ("graph file", "NIC config")
 * @throws {Error} naming `what`, the path and the reason when the file is missing, a directory or
 * not readable; other I/O errors are rethrown as they are.
 */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    const reason = err instanceof Deno.errors.NotFound
      ? "no such file"
      : err instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : err instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : undefined;
    if (reason === undefined) throw err;
    throw new Error(`Cannot read ${what} "${path}": ${reason}`);
  }
}
