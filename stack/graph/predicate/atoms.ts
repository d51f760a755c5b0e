/**
 * Interned predicate atoms: each `(key, value)` pair gets a small integer id.
 *
 * Atoms are single-valued (reference `dragonet-model.md` §4.1): for one key at most one value is
 * true, so the engine needs each atom's key as a number; it keeps both in typed arrays so hot
 * loops never touch strings.
 *
 * @module
 */

/** Id of an interned `(key, value)` atom (a dense small integer). */
export type AtomId = number;
/** Id of an interned atom key (a dense small integer). */
export type KeyId = number;

/** Key of the placeholder atom of a spawn edge without a predicate: `SPAWN.<source label>`. */
export const SPAWN_KEY_PREFIX = "SPAWN.";
/** Value of the placeholder atom of a spawn edge without a predicate (reference §4.2). */
export const SPAWN_PLACEHOLDER_VALUE = "XX";

/**
 * Interns atom keys and `(key, value)` pairs.
 *
 * @example
 * ```ts
 * import { AtomTable } from "./atoms.ts";
 * const t = new AtomTable();
 * const a = t.atom("EthType", "IPv4");
 * t.keyOf(a) === t.keyOf(t.atom("EthType", "ARP")); // true
 * ```
 */
export class AtomTable {
  readonly #keyIds = new Map<string, KeyId>();
  readonly #keyNames: string[] = [];
  readonly #atomIds = new Map<string, AtomId>();
  readonly #atomValues: string[] = [];
  #atomKeys = new Int32Array(64);

  /** Number of interned atoms (ids are `0..size-1`). */
  get size(): number {
    return this.#atomValues.length;
  }

  /** Number of interned keys (ids are `0..keyCount-1`). */
  get keyCount(): number {
    return this.#keyNames.length;
  }

  /** Returns the id of `key`, interning it on first use. */
  key(key: string): KeyId {
    let id = this.#keyIds.get(key);
    if (id === undefined) {
      id = this.#keyNames.length;
      this.#keyNames.push(key);
      this.#keyIds.set(key, id);
    }
    return id;
  }

  /** Returns the id of atom `(key, value)`, interning it on first use. */
  atom(key: string, value: string): AtomId {
    const k = this.key(key);
    const composite = `${k}\u0000${value}`;
    let id = this.#atomIds.get(composite);
    if (id === undefined) {
      id = this.#atomValues.length;
      if (id === this.#atomKeys.length) {
        const grown = new Int32Array(this.#atomKeys.length * 2);
        grown.set(this.#atomKeys);
        this.#atomKeys = grown;
      }
      this.#atomKeys[id] = k;
      this.#atomValues.push(value);
      this.#atomIds.set(composite, id);
    }
    return id;
  }

  /** Returns the id of atom `(key, value)` if interned, else `undefined` (never interns). */
  find(key: string, value: string): AtomId | undefined {
    const k = this.#keyIds.get(key);
    return k === undefined ? undefined : this.#atomIds.get(`${k}\u0000${value}`);
  }

  /** Key id of an atom (no bounds check beyond the typed array's). */
  keyOf(atom: AtomId): KeyId {
    return this.#atomKeys[atom] ?? -1;
  }

  /** Key name of an atom. */
  keyName(atom: AtomId): string {
    return this.#keyNames[this.keyOf(atom)] ?? "?";
  }

  /** Value name of an atom. */
  valueName(atom: AtomId): string {
    return this.#atomValues[atom] ?? "?";
  }

  /** Renders an atom as `key=value`. */
  show(atom: AtomId): string {
    return `${this.keyName(atom)}=${this.valueName(atom)}`;
  }
}
