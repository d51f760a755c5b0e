/**
 * A minimal test client host: sends memcached or echo requests over real UDP frames on fixed
 * flows and checks every reply against what it expects.
 *
 * @module
 */
import {
  buildUdpFrame,
  FrameInfo,
  parseFrame,
  Reason,
  verifyIpv4HeaderChecksum,
  verifyL4Checksum,
} from "../../stack/packet/mod.ts";
import type { NetHost, Testbed, Transmit } from "../../harness/sim/testbed.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What a client sends. */
export type ClientMode = "echo" | "memcached-set-get" | "memcached-get-miss";

/** Options of a {@link TestClient}. */
export interface TestClientOptions {
  /** Host name. */
  readonly name: string;
  /** Last MAC byte and last IP byte (10.0.1.n). */
  readonly n: number;
  /** Server MAC and IP. */
  readonly serverMac: Uint8Array;
  /** Server IPv4 (u32). */
  readonly serverIp: number;
  /** Server UDP port. */
  readonly serverPort: number;
  /** What to send. */
  readonly mode: ClientMode;
  /** Flows (source ports 8000 + i). */
  readonly flows: number;
  /** Echo payload bytes (default 64). */
  readonly payloadBytes?: number;
}

/** A test client. Counters: `sent`, `answered`, `wrong` (replies that were not what we expected). */
export class TestClient implements NetHost {
  /** Name. */
  readonly name: string;
  /** MAC. */
  readonly mac: Uint8Array;
  /** IPv4. */
  readonly ip: number;
  /** Requests sent. */
  sent = 0;
  /** Replies that matched an outstanding request. */
  answered = 0;
  /** Replies that did not match (wrong bytes, unknown request). */
  wrong = 0;
  /** First mismatch, for diagnostics. */
  firstWrong = "";
  /** Latencies of answered requests (ns). */
  readonly latencies: number[] = [];
  #tb: Testbed;
  #tx: Transmit;
  #o: TestClientOptions;
  #info = new FrameInfo();
  /** Outstanding requests: key "flow:id" -> [send time, expected reply]. */
  #outstanding = new Map<string, [number, string]>();
  #seq: number[];
  #kind: number;

  /** Creates the client and attaches it to the testbed. */
  constructor(tb: Testbed, o: TestClientOptions) {
    this.name = o.name;
    this.mac = new Uint8Array([2, 0, 0, 0, 1, o.n]);
    this.ip = ((10 << 24) | (1 << 8) | o.n) >>> 0;
    this.#tb = tb;
    this.#o = o;
    this.#seq = new Array(o.flows).fill(0);
    this.#tx = tb.attach(this);
    this.#kind = tb.sim.on(`${o.name}.send`, (flow) => this.send(flow));
  }

  /** Schedules a request on `flow` at absolute time `t`. */
  at(t: number, flow: number): void {
    this.#tb.sim.at(t, this.#kind, flow);
  }

  /** Sends the next request of `flow` now. */
  send(flow: number): void {
    const o = this.#o;
    const k = this.#seq[flow] ?? 0;
    this.#seq[flow] = k + 1;
    const id = k & 0xffff;
    let payload: Uint8Array;
    let expect: string;
    if (o.mode === "echo") {
      const text = `echo ${this.name} flow ${flow} seq ${k} `.padEnd(o.payloadBytes ?? 64, "x");
      payload = enc.encode(text);
      expect = text;
    } else {
      const key = `key-${this.name}-${flow}`;
      let cmd: string;
      if (o.mode === "memcached-get-miss") {
        cmd = `get miss-${key}-${k}\r\n`;
        expect = "END\r\n";
      } else if (k % 2 === 0) {
        const value = `value${k}`.padEnd(16, "v");
        cmd = `set ${key} 0 0 ${value.length}\r\n${value}\r\n`;
        expect = "STORED\r\n";
      } else {
        const value = `value${k - 1}`.padEnd(16, "v");
        cmd = `get ${key}\r\n`;
        expect = `VALUE ${key} 0 ${value.length}\r\n${value}\r\nEND\r\n`;
      }
      const body = enc.encode(cmd);
      payload = new Uint8Array(8 + body.length);
      payload[0] = id >>> 8;
      payload[1] = id & 0xff;
      payload[5] = 1; // total datagrams = 1
      payload.set(body, 8);
    }
    const pool = this.#tb.pool;
    const buf = pool.alloc(0);
    if (buf < 0) throw new Error(`Client ${this.name}: buffer pool exhausted`);
    const len = buildUdpFrame(pool.bytes, pool.start[buf] ?? 0, {
      dstMac: o.serverMac,
      srcMac: this.mac,
      srcIp: this.ip,
      dstIp: o.serverIp,
      srcPort: 8000 + flow,
      dstPort: o.serverPort,
      payload,
    });
    pool.length[buf] = len;
    this.#outstanding.set(`${flow}:${o.mode === "echo" ? k : id}`, [this.#tb.sim.now, expect]);
    this.sent++;
    this.#tx(buf, len);
  }

  /** Sends a frame to the server with a corrupted UDP checksum (`badChecksum`) or to `port`. */
  sendBad(kind: "bad-checksum" | "closed-port"): void {
    const o = this.#o;
    const pool = this.#tb.pool;
    const buf = pool.alloc(0);
    const s = pool.start[buf] ?? 0;
    const len = buildUdpFrame(pool.bytes, s, {
      dstMac: o.serverMac,
      srcMac: this.mac,
      srcIp: this.ip,
      dstIp: o.serverIp,
      srcPort: 9999,
      dstPort: kind === "closed-port" ? 4444 : o.serverPort,
      payload: enc.encode("not a request, must be dropped"),
    });
    if (kind === "bad-checksum") pool.bytes[s + len - 1] = (pool.bytes[s + len - 1] ?? 0) ^ 0xff;
    pool.length[buf] = len;
    this.#tx(buf, len);
  }

  /** Requests not answered yet. */
  get outstanding(): number {
    return this.#outstanding.size;
  }

  /** A reply arrived. */
  receive(buf: number, len: number): void {
    const pool = this.#tb.pool;
    const b = pool.bytes;
    const info = this.#info;
    const r = parseFrame(b, pool.start[buf] ?? 0, len, info) || verifyIpv4HeaderChecksum(b, info) ||
      verifyL4Checksum(b, info);
    const payload = b.slice(info.payload, info.payload + info.payloadLen);
    pool.free(buf, pool.owner[buf] ?? 0);
    if (r !== Reason.Ok) return this.#bad(`unparsable reply (reason ${r})`);
    const flow = info.dstPort - 8000;
    if (info.ipSrc !== this.#o.serverIp || info.srcPort !== this.#o.serverPort) {
      return this.#bad(`reply from the wrong endpoint ${info.ipSrc}:${info.srcPort}`);
    }
    let key: string;
    let text: string;
    if (this.#o.mode === "echo") {
      text = dec.decode(payload);
      const m = /seq (\d+) /.exec(text);
      key = `${flow}:${m?.[1] ?? "?"}`;
    } else {
      if (payload.length < 8 || payload[4] !== 0 || payload[5] !== 1) {
        return this.#bad("memcached reply without a one-datagram header");
      }
      key = `${flow}:${((payload[0] ?? 0) << 8) | (payload[1] ?? 0)}`;
      text = dec.decode(payload.subarray(8));
    }
    const want = this.#outstanding.get(key);
    if (want === undefined) return this.#bad(`reply to an unknown request ${key}`);
    if (want[1] !== text) {
      return this.#bad(
        `reply ${JSON.stringify(text)} to ${key}, expected ${JSON.stringify(want[1])}`,
      );
    }
    this.#outstanding.delete(key);
    this.answered++;
    this.latencies.push(this.#tb.sim.now - want[0]);
  }

  #bad(why: string): void {
    this.wrong++;
    if (this.firstWrong === "") this.firstWrong = why;
  }
}
