/**
 * A registry of behaviour by name, so graph data never holds functions.
 *
 * Work functions attach to nodes by spec name; C-node expansion functions by the expansion name
 * in the spec's `config` (reference §3.1: NIC functions attached by label after parsing).
 *
 * @module
 */

/**
 * Maps names to implementations of one sort (work functions, expansion functions, ...).
 *
 * @example
 * ```ts
 * import { Registry } from "./registry.ts";
 * const expansions = new Registry<(value: number) => number>("expansion function");
 * expansions.register("double", (v) => v * 2);
 * expansions.get("double")(21); // 42
 * ```
 */
export class Registry<T> {
  readonly #what: string;
  readonly #entries = new Map<string, T>();

  /** Makes an empty registry; `what` names its entries in error messages. */
  constructor(what: string) {
    this.#what = what;
  }

  /**
   * Registers an implementation under a name.
   *
   * @throws {Error} when the name is empty or already registered.
   */
  register(name: string, implementation: T): this {
    if (name.length === 0) throw new Error(`Cannot register ${this.#what}: name must not be empty`);
    if (this.#entries.has(name)) {
      throw new Error(`Cannot register ${this.#what} "${name}": the name is already registered`);
    }
    this.#entries.set(name, implementation);
    return this;
  }

  /** Returns whether a name is registered. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /**
   * Returns the implementation registered under a name.
   *
   * @throws {Error} naming the missing entry and the registered names.
   */
  get(name: string): T {
    const found = this.#entries.get(name);
    if (found === undefined) {
      const known = [...this.#entries.keys()].sort().join(", ") || "none";
      throw new Error(`Unknown ${this.#what} "${name}": registered names are ${known}`);
    }
    return found;
  }

  /** Returns the registered names, sorted. */
  names(): string[] {
    return [...this.#entries.keys()].sort();
  }
}
