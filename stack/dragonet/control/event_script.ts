/**
 * Application event scripts: a JSON list of timed {@link AppEvent}s, parsed with clear errors,
 * and replayed through a {@link DragonetControl} whose clock reads the script's time.
 *
 * Format: an array of objects with `kind` (register, bind, flow, span, close, nop), optional
 * `at` (nanoseconds, non-decreasing; default the previous event's time) and `more` (the MORE
 * flag, default false). Addresses are `"ip:port"` text with `*` for a wildcard part (`"*:7"`,
 * `"10.0.0.1:*"`), default `"*:*"`. Fields per kind: register `label`; bind `app`, `local`,
 * `remote`; flow `socket`, `local`, `remote`; span `socket`, `app`; close `socket`.
 *
 * @module
 */
import { parseIpv4Address } from "../../../nicmodels/_shared/addr.ts";
import type { DragonetControl } from "./control_loop.ts";
import { type AppEvent, EventFlag, type EventReply, type UdpAddress } from "./events.ts";

/** One scripted event and its time. */
export interface ScriptedEvent {
  /** Time in nanoseconds. */
  readonly at: number;
  /** The event. */
  readonly event: AppEvent;
}

const FIELDS: Readonly<Record<AppEvent["kind"], readonly string[]>> = {
  register: ["label"],
  bind: ["app", "local", "remote"],
  flow: ["socket", "local", "remote"],
  span: ["socket", "app"],
  close: ["socket"],
  nop: [],
};

/** Parses `"ip:port"` with `*` wildcards; throws naming the text and the allowed form. */
export function parseUdpAddress(text: string): UdpAddress {
  const m = /^([^:]+):([^:]+)$/.exec(text);
  const bad = () =>
    new Error(`Address "${text}" is not "ip:port" (dotted quad or *, port 0..65535 or *)`);
  if (m === null) throw bad();
  const [ipText, portText] = [m[1] as string, m[2] as string];
  let ip = 0;
  if (ipText !== "*") {
    try {
      ip = parseIpv4Address(ipText);
    } catch {
      throw bad();
    }
  }
  const port = portText === "*" ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$|^\*$/.test(portText)) {
    throw bad();
  }
  return { ip, port };
}

/** Parses an event script (see the module doc); throws naming the element and field. */
export function parseEventScript(text: string, name: string): ScriptedEvent[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot parse event script "${name}": ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new Error(`Cannot read event script "${name}": expected a JSON array of events`);
  }
  let at = 0;
  return data.map((raw, i) => {
    const where = `event script "${name}" element ${i}`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new Error(`Cannot read ${where}: expected an object like {"kind": "nop"}`);
    }
    const o = raw as Record<string, unknown>;
    const kind = o["kind"];
    if (typeof kind !== "string" || !(kind in FIELDS)) {
      throw new Error(
        `Cannot read ${where}: kind must be one of ${Object.keys(FIELDS).join(", ")}, got ${
          JSON.stringify(kind)
        }`,
      );
    }
    const k = kind as AppEvent["kind"];
    const allowed = ["kind", "at", "more", ...(FIELDS[k] ?? [])];
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) {
        throw new Error(
          `Cannot read ${where}: field "${key}" is not allowed for ${k} (allowed: ${
            allowed.join(", ")
          })`,
        );
      }
    }
    const t = o["at"] ?? at;
    if (typeof t !== "number" || !Number.isInteger(t) || t < at) {
      throw new Error(
        `Cannot read ${where}: at must be an integer number of nanoseconds >= ${at}, got ${
          JSON.stringify(t)
        }`,
      );
    }
    at = t;
    const more = o["more"] ?? false;
    if (typeof more !== "boolean") throw new Error(`Cannot read ${where}: more must be a boolean`);
    const flags = more ? EventFlag.More : 0;
    const id = (f: string): number => {
      const v = o[f];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        throw new Error(
          `Cannot read ${where}: ${f} must be an integer >= 0, got ${JSON.stringify(v)}`,
        );
      }
      return v;
    };
    const addr = (f: string): UdpAddress => {
      const v = o[f] ?? "*:*";
      if (typeof v !== "string") throw new Error(`Cannot read ${where}: ${f} must be "ip:port"`);
      try {
        return parseUdpAddress(v);
      } catch (e) {
        throw new Error(`Cannot read ${where}: ${f}: ${(e as Error).message}`);
      }
    };
    let event: AppEvent;
    switch (k) {
      case "register": {
        const label = o["label"] ?? "";
        if (typeof label !== "string") {
          throw new Error(`Cannot read ${where}: label must be a string`);
        }
        event = { kind: k, label, flags };
        break;
      }
      case "bind":
        event = { kind: k, app: id("app"), local: addr("local"), remote: addr("remote"), flags };
        break;
      case "flow":
        event = {
          kind: k,
          socket: id("socket"),
          local: addr("local"),
          remote: addr("remote"),
          flags,
        };
        break;
      case "span":
        event = { kind: k, socket: id("socket"), app: id("app"), flags };
        break;
      case "close":
        event = { kind: k, socket: id("socket"), flags };
        break;
      case "nop":
        event = { kind: k, flags };
        break;
    }
    return { at, event };
  });
}

/**
 * A clock for {@link DragonetControl} that reads a settable time, so a script (or a
 * simulator) decides what "now" is.
 */
export class ScriptClock {
  /** Current time in nanoseconds. */
  now = 0;
  /** The clock function to inject. */
  readonly read = (): number => this.now;
}

/** Replays `script` through `control` (whose clock is `clock.read`); returns each reply. */
export async function replayScript<G>(
  control: DragonetControl<G>,
  clock: ScriptClock,
  script: readonly ScriptedEvent[],
): Promise<EventReply[]> {
  const replies: EventReply[] = [];
  for (const s of script) {
    clock.now = s.at;
    replies.push(control.handle(s.event));
    await control.settled();
  }
  return replies;
}
