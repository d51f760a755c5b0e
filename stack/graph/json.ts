/**
 * Reads and writes graphs as JSON.
 *
 * Reading checks the *shape* of the data (types of every field, with the path of the first
 * mismatch); whether the graph makes sense (dangling targets, unknown ports, ...) is the job of
 * `validateGraph()`, which reports every problem at once.
 *
 * @module
 */
import {
  type CounterSpec,
  type Edge,
  type Graph,
  GRAPH_SCHEMA_VERSION,
  type GraphNode,
  isNodeKind,
  type NodeAttributes,
  type NodeId,
  type NodeSpec,
  type PredicateExpr,
} from "./types.ts";

/**
 * Serialises a graph as pretty-printed JSON ending in a newline, with every object's keys in one
 * canonical order (the order of the type declarations), so equal graphs give equal text.
 *
 * @throws {GraphJsonError} when the in-memory graph does not have the shape of a graph.
 */
export function graphToJson(graph: Graph): string {
  const canonical = new ShapeReader("graph in memory").graph(JSON.parse(JSON.stringify(graph)));
  return JSON.stringify(canonical, null, 2) + "\n";
}

/**
 * Whether two node specs describe the same node once serialised: compares their canonical JSON
 * forms, so key order (a spec read back from a file against one written in code) does not matter.
 */
export function specsEqual(a: NodeSpec, b: NodeSpec): boolean {
  if (a === b) return true;
  const canon = (s: NodeSpec) =>
    JSON.stringify(new ShapeReader("spec in memory").spec(JSON.parse(JSON.stringify(s)), "spec"));
  return canon(a) === canon(b);
}

/** Thrown when JSON text is not a graph; the message names the path and what was expected. */
export class GraphJsonError extends Error {
  /** Makes the error. */
  constructor(message: string) {
    super(message);
    this.name = "GraphJsonError";
  }
}

/**
 * Parses JSON text into a {@linkcode Graph}, checking the shape of every field.
 *
 * Node ids are taken as they are (branded without a syntax check) so that `validateGraph()` can
 * report bad ids together with every other problem.
 *
 * @param source names the text in error messages (a file name)
 * @throws {GraphJsonError} naming the source, the path of the bad field, and what was expected.
 */
export function parseGraph(text: string, source = "graph"): Graph {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new GraphJsonError(
      `Cannot parse graph "${source}": not valid JSON (${
        err instanceof Error ? err.message : String(err)
      })`,
    );
  }
  return new ShapeReader(source).graph(data);
}

type Json = Record<string, unknown>;

class ShapeReader {
  readonly #source: string;
  constructor(source: string) {
    this.#source = source;
  }

  fail(path: string, expected: string, got: unknown): never {
    const shown = got === undefined ? "nothing" : JSON.stringify(got)?.slice(0, 60) ?? String(got);
    throw new GraphJsonError(
      `Cannot read graph "${this.#source}": field "${path}" must be ${expected}, got ${shown}`,
    );
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(path, "an object", value);
    }
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, "an array", value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== "string") this.fail(path, "a string", value);
    return value;
  }

  optString(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  optBool(value: unknown, path: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") this.fail(path, "true or false", value);
    return value;
  }

  optCount(value: unknown, path: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      this.fail(path, "a whole number >= 0", value);
    }
    return value;
  }

  graph(value: unknown): Graph {
    const o = this.object(value, "$");
    if (o.schemaVersion !== GRAPH_SCHEMA_VERSION) {
      this.fail("schemaVersion", `${GRAPH_SCHEMA_VERSION}`, o.schemaVersion);
    }
    const specsObject = this.object(o.specs, "specs");
    const specs: Record<string, NodeSpec> = {};
    for (const [key, spec] of Object.entries(specsObject)) {
      specs[key] = this.spec(spec, `specs.${key}`);
    }
    return {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      name: this.string(o.name, "name"),
      specs,
      nodes: this.array(o.nodes, "nodes").map((n, i) => this.node(n, `nodes[${i}]`)),
      edges: this.array(o.edges, "edges").map((e, i) => this.edge(e, `edges[${i}]`)),
    };
  }

  spec(value: unknown, path: string): NodeSpec {
    const o = this.object(value, path);
    const kind = this.string(o.kind, `${path}.kind`);
    if (!isNodeKind(kind)) this.fail(`${path}.kind`, "fnode, and, or, nand, nor or config", kind);
    const ports = this.array(o.ports, `${path}.ports`).map((p, i) =>
      this.string(p, `${path}.ports[${i}]`)
    );
    const doc = this.optString(o.doc, `${path}.doc`);
    const attributes = o.attributes === undefined
      ? undefined
      : this.attributes(o.attributes, `${path}.attributes`);
    const predicates = o.predicates === undefined
      ? undefined
      : this.predicateMap(o.predicates, `${path}.predicates`);
    const counters = o.counters === undefined
      ? undefined
      : this.array(o.counters, `${path}.counters`).map((c, i) =>
        this.counter(c, `${path}.counters[${i}]`)
      );
    let config: NodeSpec["config"];
    if (o.config !== undefined) {
      const c = this.object(o.config, `${path}.config`);
      const incremental = this.optString(c.incremental, `${path}.config.incremental`);
      const capacity = this.optCount(c.capacity, `${path}.config.capacity`);
      config = {
        space: this.string(c.space, `${path}.config.space`),
        expansion: this.string(c.expansion, `${path}.config.expansion`),
        ...(incremental === undefined ? {} : { incremental }),
        ...(capacity === undefined ? {} : { capacity }),
      };
    }
    return {
      name: this.string(o.name, `${path}.name`),
      kind,
      ports,
      ...(attributes === undefined ? {} : { attributes }),
      ...(predicates === undefined ? {} : { predicates }),
      ...(counters === undefined ? {} : { counters }),
      ...(config === undefined ? {} : { config }),
      ...(doc === undefined ? {} : { doc }),
    };
  }

  counter(value: unknown, path: string): CounterSpec {
    const o = this.object(value, path);
    const drop = this.optBool(o.drop, `${path}.drop`);
    return {
      name: this.string(o.name, `${path}.name`),
      description: this.string(o.description, `${path}.description`),
      ...(drop === undefined ? {} : { drop }),
    };
  }

  attributes(value: unknown, path: string): NodeAttributes {
    const o = this.object(value, path);
    const flags = [
      "source",
      "sink",
      "software",
      "init",
      "unproductive",
      "noReplicateOut",
      "noReplicateInInOut",
      "loadBalance",
    ] as const;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(o)) {
      if (key === "values") {
        const v = this.object(o.values, `${path}.values`);
        const values: Record<string, string> = {};
        for (const [k, s] of Object.entries(v)) values[k] = this.string(s, `${path}.values.${k}`);
        out.values = values;
      } else if ((flags as readonly string[]).includes(key)) {
        out[key] = this.optBool(o[key], `${path}.${key}`);
      } else {
        this.fail(
          `${path}.${key}`,
          `one of ${flags.join(", ")}, values (unknown attribute)`,
          o[key],
        );
      }
    }
    return out as NodeAttributes;
  }

  predicateMap(value: unknown, path: string): Record<string, PredicateExpr> {
    const o = this.object(value, path);
    const out: Record<string, PredicateExpr> = {};
    for (const [port, e] of Object.entries(o)) out[port] = this.expr(e, `${path}.${port}`);
    return out;
  }

  expr(value: unknown, path: string): PredicateExpr {
    const o = this.object(value, path);
    switch (o.op) {
      case "const":
        if (typeof o.value !== "boolean") this.fail(`${path}.value`, "true or false", o.value);
        return { op: "const", value: o.value };
      case "atom":
        return {
          op: "atom",
          key: this.string(o.key, `${path}.key`),
          value: this.string(o.value, `${path}.value`),
        };
      case "and":
      case "or":
        return {
          op: o.op,
          args: this.array(o.args, `${path}.args`).map((a, i) =>
            this.expr(a, `${path}.args[${i}]`)
          ),
        };
      case "not":
        return { op: "not", arg: this.expr(o.arg, `${path}.arg`) };
      default:
        return this.fail(`${path}.op`, "const, atom, and, or or not", o.op);
    }
  }

  node(value: unknown, path: string): GraphNode {
    const o = this.object(value, path);
    const label = this.optString(o.label, `${path}.label`);
    const tag = this.optString(o.tag, `${path}.tag`);
    if (o.origin !== "PRG" && o.origin !== "LPG") {
      this.fail(`${path}.origin`, "PRG or LPG", o.origin);
    }
    const attributes = o.attributes === undefined
      ? undefined
      : this.attributes(o.attributes, `${path}.attributes`);
    const predicates = o.predicates === undefined
      ? undefined
      : this.predicateMap(o.predicates, `${path}.predicates`);
    const slotsLeft = this.optCount(o.slotsLeft, `${path}.slotsLeft`);
    return {
      id: this.string(o.id, `${path}.id`) as NodeId,
      spec: this.string(o.spec, `${path}.spec`),
      ...(label === undefined ? {} : { label }),
      ...(tag === undefined ? {} : { tag }),
      origin: o.origin,
      ...(attributes === undefined ? {} : { attributes }),
      ...(predicates === undefined ? {} : { predicates }),
      ...(slotsLeft === undefined ? {} : { slotsLeft }),
    };
  }

  edge(value: unknown, path: string): Edge {
    const o = this.object(value, path);
    const from = this.string(o.from, `${path}.from`) as NodeId;
    const to = this.string(o.to, `${path}.to`) as NodeId;
    if (o.kind === "port") {
      return { kind: "port", from, port: this.string(o.port, `${path}.port`), to };
    }
    if (o.kind === "spawn") {
      const predicate = o.predicate === undefined
        ? undefined
        : this.expr(o.predicate, `${path}.predicate`);
      return {
        kind: "spawn",
        from,
        spawn: this.string(o.spawn, `${path}.spawn`),
        to,
        ...(predicate === undefined ? {} : { predicate }),
      };
    }
    return this.fail(`${path}.kind`, "port or spawn", o.kind);
  }
}
