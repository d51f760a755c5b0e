import assert from "node:assert/strict";
import { parseIpv4 } from "../../packet/addr.ts";
import { ipv4PseudoHeaderSum, onesComplementSum } from "../../packet/checksum.ts";
import { TcpFlag } from "../../packet/tcp.ts";
import { parseTcpOptions, TcpOptions } from "../../packet/tcp_options.ts";
import { TCP_OK, TcpEngine, type TcpEngineOptions } from "./engine.ts";
import { TcpCounter, tcpCountersRecord } from "./counters.ts";
import { TcpEvent, TcpState } from "./state.ts";
import { drain, FakeClock, feed, flagText, Net } from "./_test_net.ts";

const CLIENT = parseIpv4("10.0.0.1");
const SERVER = parseIpv4("10.0.0.2");
const PORT = 80;
const enc = new TextEncoder();
const dec = new TextDecoder();

function pair(client: TcpEngineOptions = {}, server: TcpEngineOptions = {}) {
  const clock = new FakeClock();
  const c = new TcpEngine({ clock: clock.read, ...client });
  const s = new TcpEngine({ clock: clock.read, ...server });
  const net = new Net([c, s], clock);
  return { clock, c, s, net };
}

function readAll(e: TcpEngine, id: number): string {
  const buf = new Uint8Array(1 << 16);
  let text = "";
  for (;;) {
    const n = e.recv(id, buf);
    if (n === 0) return text;
    text += dec.decode(buf.subarray(0, n));
  }
}

/** Edits a segment copy and recomputes its checksum. */
function reseal(
  bytes: Uint8Array,
  src: number,
  dst: number,
  edit: (v: DataView) => void,
): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  edit(v);
  v.setUint16(16, 0);
  const sum = onesComplementSum(
    bytes,
    0,
    bytes.length,
    ipv4PseudoHeaderSum(src, dst, 6, bytes.length),
  );
  v.setUint16(16, ~sum & 0xffff);
  return bytes;
}

function counter(e: TcpEngine, code: number): number {
  return e.counters[code] ?? 0;
}

function established(server: TcpEngineOptions = {}) {
  const p = pair({}, server);
  const l = p.s.listen(PORT);
  const cid = p.c.connect(CLIENT, SERVER, PORT);
  p.net.run();
  const sid = p.s.accept(l);
  assert.ok(sid >= 0);
  return { ...p, l, cid, sid };
}

Deno.test("TCP engine", async (t) => {
  await t.step("three-way handshake with MSS and window-scale options", () => {
    const { c, s, net } = pair({}, { mss: 1000, windowScale: 5 });
    const l = s.listen(PORT);
    const cid = c.connect(CLIENT, SERVER, PORT);
    assert.equal(c.state(cid), TcpState.SynSent);
    net.run();
    const [syn, synAck, ack] = net.trace;
    assert.ok(syn && synAck && ack);
    assert.deepEqual([syn, synAck, ack].map((x) => flagText(x.flags)), ["S", "SA", "A"]);
    const opts = new TcpOptions();
    assert.equal(parseTcpOptions(syn.bytes, 20, syn.headerLen - 20, opts), 0);
    assert.equal(opts.mss, 1460);
    assert.equal(opts.windowScale, 7);
    assert.equal(parseTcpOptions(synAck.bytes, 20, synAck.headerLen - 20, opts), 0);
    assert.equal(opts.mss, 1000);
    assert.equal(opts.windowScale, 5);
    assert.equal(synAck.ack, (syn.seq + 1) >>> 0);
    assert.equal(ack.ack, (synAck.seq + 1) >>> 0);
    assert.equal(ack.seq, (syn.seq + 1) >>> 0);
    assert.equal(c.state(cid), TcpState.Established);
    assert.equal(s.acceptQueueLength(l), 1);
    assert.ok(s.events.shift() && s.events.code === TcpEvent.AcceptReady && s.events.id === l);
    assert.ok(c.events.shift() && c.events.code === TcpEvent.Established);
    const sid = s.accept(l);
    assert.equal(s.state(sid), TcpState.Established);
    assert.equal(s.accept(l), -1);
    assert.equal(counter(s, TcpCounter.PassiveOpens), 1);
    assert.equal(counter(s, TcpCounter.Established), 1);
    assert.equal(counter(c, TcpCounter.ActiveOpens), 1);
  });

  await t.step("data both ways with cumulative ACKs", () => {
    const { c, s, net, cid, sid } = established();
    assert.equal(c.send(cid, enc.encode("GET / HTTP/1.0\r\n\r\n")), 18);
    net.run();
    assert.equal(readAll(s, sid), "GET / HTTP/1.0\r\n\r\n");
    const body = "x".repeat(5000);
    assert.equal(s.send(sid, enc.encode(body)), 5000);
    net.run();
    assert.equal(readAll(c, cid), body);
    const fromServer = net.trace.filter((x) => x.from === 1 && x.payload.length > 0);
    assert.deepEqual(fromServer.map((x) => x.payload.length), [1460, 1460, 1460, 620]);
    const lastAck = net.trace.filter((x) => x.from === 0).at(-1);
    const last = fromServer.at(-1);
    assert.ok(lastAck && last);
    assert.equal(lastAck.ack, (last.seq + last.payload.length) >>> 0);
    assert.equal(s.unacked(sid), 0);
    assert.equal(counter(c, TcpCounter.BytesDelivered), 5000);
  });

  await t.step("rings start small and grow only when data needs the room", () => {
    const { c, s, net, cid, sid } = established();
    const ring = () => s.table.conns[sid]?.rcvBuf.length ?? 0;
    c.send(cid, enc.encode("small"));
    net.run();
    assert.equal(ring(), 4096);
    const data = new Uint8Array(60_000).map((_, i) => i % 251);
    assert.equal(c.send(cid, data), 60_000);
    net.run();
    assert.equal(ring(), 65536);
    const got = new Uint8Array(60_005);
    assert.equal(s.recv(sid, got), 60_005);
    assert.deepEqual(got.subarray(5), data);
  });

  await t.step("client-initiated close: FIN, CLOSE-WAIT, LAST-ACK, TIME-WAIT, slots freed", () => {
    const { c, s, net, clock, cid, sid } = established();
    c.close(cid);
    net.run(100, clock.now + 1e9);
    assert.equal(s.state(sid), TcpState.CloseWait);
    assert.ok(s.isEof(sid));
    assert.equal(c.state(cid), TcpState.FinWait2);
    s.close(sid);
    net.run(100, clock.now + 1e9);
    assert.equal(c.state(cid), TcpState.TimeWait);
    assert.equal(s.table.size, 0);
    net.run();
    assert.equal(c.table.size, 0);
    assert.equal(counter(c, TcpCounter.TimeWaitExpired), 1);
    assert.deepEqual(
      net.trace.slice(3).map((x) => `${x.from}:${flagText(x.flags)}`),
      ["0:FA", "1:A", "1:FA", "0:A"],
    );
  });

  await t.step("server-initiated close after a reply; simultaneous FINs end in TIME-WAIT", () => {
    const { c, s, net, clock, cid, sid } = established();
    s.send(sid, enc.encode("bye"));
    s.shutdown(sid);
    net.run(100, clock.now + 1e9);
    assert.equal(readAll(c, cid), "bye");
    assert.ok(c.isEof(cid));
    assert.equal(c.state(cid), TcpState.CloseWait);
    c.close(cid);
    net.run(100, clock.now + 1e9);
    assert.equal(c.table.size, 0);
    assert.equal(s.state(sid), TcpState.TimeWait);
    s.close(sid);
    net.run();
    assert.equal(s.table.size, 0);

    const b = established();
    b.c.close(b.cid);
    b.s.close(b.sid);
    b.net.run(100, b.clock.now + 1e9);
    assert.equal(b.c.state(b.cid), TcpState.TimeWait);
    assert.equal(b.s.state(b.sid), TcpState.TimeWait);
  });

  await t.step(
    "reset: abort sends RST, the peer reports Reset; out-of-window RST is ignored",
    () => {
      const { c, s, net, cid, sid } = established();
      const before = net.trace.length;
      // A RST whose sequence number is in the window but not exact draws a challenge ACK.
      const last = net.trace[2];
      assert.ok(last);
      const forged = reseal(last.bytes.slice(0, 20), CLIENT, SERVER, (v) => {
        v.setUint32(4, (v.getUint32(4) + 100) >>> 0);
        v.setUint8(13, TcpFlag.RST);
      });
      assert.equal(s.input(forged, 0, 20, CLIENT, SERVER), TcpCounter.RstIgnored);
      assert.equal(s.state(sid), TcpState.Established);
      assert.equal(flagText(drain(s)[0]?.flags ?? 0), "A");
      c.abort(cid);
      assert.equal(c.table.size, 0);
      net.run();
      assert.equal(flagText(net.trace[before]?.flags ?? 0), "RA");
      assert.equal(s.state(sid), TcpState.Closed);
      assert.equal(s.error(sid), TcpEvent.Reset);
      let sawReset = false;
      while (s.events.shift()) sawReset ||= s.events.code === TcpEvent.Reset && s.events.id === sid;
      assert.ok(sawReset);
      assert.equal(s.send(sid, enc.encode("late")), -1);
      s.close(sid);
      assert.equal(s.table.size, 0);
      assert.throws(() => s.recv(sid, new Uint8Array(4)), /holds no such connection/);
    },
  );

  await t.step("RST to segments for no socket", () => {
    const clock = new FakeClock();
    const e = new TcpEngine({ clock: clock.read });
    const other = new TcpEngine({ clock: clock.read });
    other.connect(CLIENT, SERVER, 9999, 40000);
    const [syn] = drain(other);
    assert.ok(syn);
    assert.equal(feed(e, syn), TcpCounter.NoSocket);
    const [rst] = drain(e);
    assert.ok(rst);
    assert.equal(flagText(rst.flags), "RA");
    assert.equal(rst.seq, 0);
    assert.equal(rst.ack, (syn.seq + 1) >>> 0);
    assert.equal(feed(other, rst), TCP_OK);
    assert.equal(other.state(0), TcpState.Closed);
    assert.equal(other.error(0), TcpEvent.Reset);
    // An ACK-bearing segment gets <SEQ=SEG.ACK><CTL=RST>.
    const a = established();
    a.s.abort(a.sid);
    drain(a.s);
    a.c.send(a.cid, enc.encode("hi"));
    const [data] = drain(a.c);
    assert.ok(data);
    assert.equal(feed(a.s, data), TcpCounter.ListenNotSyn); // the listener answers an ACK
    const [r2] = drain(a.s);
    assert.ok(r2);
    assert.equal(flagText(r2.flags), "R");
    assert.equal(r2.seq, data.ack);
    assert.equal(counter(a.s, TcpCounter.ListenNotSyn), 1);
    assert.equal(counter(a.s, TcpCounter.RstSent), 2);
  });

  await t.step("retransmission after a dropped segment, with RTO backoff", () => {
    let drops = 2;
    const p = pair();
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    const net = new Net([p.c, p.s], p.clock, {
      dropIf: (x) => x.from === 0 && x.payload.length > 0 && drops-- > 0,
    });
    const t0 = p.clock.now;
    p.c.send(cid, enc.encode("lost twice"));
    net.run();
    assert.equal(readAll(p.s, sid), "lost twice");
    const sends = net.trace.filter((x) => x.from === 0 && x.payload.length > 0);
    assert.equal(sends.length, 3);
    const [a, b, c] = sends.map((x) => x.time - t0);
    // The handshake gave an RTT sample of 100 us, so the RTO is its 200 ms floor; then doubles.
    assert.equal(a, 0);
    assert.equal(b, 200_000_000);
    assert.equal(c, 600_000_000);
    assert.equal(counter(p.c, TcpCounter.RtoExpired), 2);
    assert.equal(counter(p.c, TcpCounter.Retransmits), 2);
    assert.equal(counter(p.c, TcpCounter.BytesSent), 10);
  });

  await t.step("SYN retries end in a timeout", () => {
    const clock = new FakeClock();
    const e = new TcpEngine({ clock: clock.read, synRetries: 2, initialRtoNs: 1_000_000_000 });
    const id = e.connect(CLIENT, SERVER, PORT);
    const times: number[] = [clock.now];
    drain(e);
    while (e.nextDeadline() >= 0) {
      clock.now = e.nextDeadline();
      e.tick();
      if (drain(e).length > 0) times.push(clock.now);
    }
    assert.deepEqual(times, [0, 1e9, 3e9]);
    assert.equal(e.state(id), TcpState.Closed);
    assert.equal(e.error(id), TcpEvent.TimedOut);
    assert.equal(counter(e, TcpCounter.Timeouts), 1);
  });

  await t.step("accept-queue overflow drops the SYN or the handshake ACK, counted", () => {
    const clock = new FakeClock();
    const s = new TcpEngine({ clock: clock.read });
    const c = new TcpEngine({ clock: clock.read });
    const l = s.listen(PORT, { backlog: 1 });
    assert.equal(s.acceptQueueCapacity(l), 1);
    const a = c.connect(CLIENT, SERVER, PORT);
    const b = c.connect(CLIENT, SERVER, PORT);
    const net = new Net([c, s], clock);
    net.run(100, 150_000); // both handshakes: two SYNs in, two SYN-ACKs, two ACKs
    assert.equal(c.state(a), TcpState.Established);
    assert.equal(c.state(b), TcpState.Established);
    assert.equal(s.acceptQueueLength(l), 1);
    assert.equal(counter(s, TcpCounter.AcceptQueueFullAck), 1);
    const c3 = c.connect(CLIENT, SERVER, PORT);
    net.run(100, clock.now + 100_000);
    assert.equal(counter(s, TcpCounter.AcceptQueueFullSyn), 1);
    assert.equal(c.state(c3), TcpState.SynSent);
    const first = s.accept(l);
    assert.ok(first >= 0);
    net.run(100, clock.now + 1.5e9); // the SYN-ACK to b is retransmitted after 1 s
    assert.equal(counter(s, TcpCounter.AcceptQueueFullSyn), 2); // c3's first SYN retry
    const second = s.accept(l);
    assert.ok(second >= 0 && second !== first);
    assert.equal(s.acceptQueueLength(l), 0);
    net.run(); // c3's next SYN retry (3 s) finds room
    assert.equal(c.state(c3), TcpState.Established);
    assert.ok(s.accept(l) >= 0);
    assert.equal(counter(s, TcpCounter.Accepted), 3);
  });

  await t.step("out-of-order segments are buffered and delivered in order", () => {
    const { c, s, net, cid, sid } = established();
    c.send(cid, enc.encode("w")); // the reply ACK teaches the client the scaled window
    net.run();
    readAll(s, sid);
    s.send(sid, enc.encode("r"));
    net.run();
    readAll(c, cid);
    c.send(cid, enc.encode("a".repeat(1460) + "b".repeat(1460) + "c".repeat(100)));
    const segs = drain(c);
    assert.equal(segs.length, 3);
    const [s1, s2, s3] = segs;
    assert.ok(s1 && s2 && s3);
    assert.equal(feed(s, s3), TCP_OK);
    assert.equal(feed(s, s2), TCP_OK);
    assert.equal(s.readable(sid), 0);
    const dupAcks = drain(s);
    assert.deepEqual(dupAcks.map((x) => x.ack), [s1.seq, s1.seq]);
    assert.equal(counter(s, TcpCounter.OutOfOrderQueued), 2);
    assert.equal(feed(s, s1), TCP_OK);
    assert.equal(readAll(s, sid), "a".repeat(1460) + "b".repeat(1460) + "c".repeat(100));
    const [ack] = drain(s);
    assert.equal(ack?.ack, (s3.seq + 100) >>> 0);
    for (const x of dupAcks) feed(c, x);
    assert.equal(counter(c, TcpCounter.DuplicateAcks), 2);
  });

  await t.step("without out-of-order ranges the segment is dropped with a reason", () => {
    const p = pair({}, { oooRanges: 0 });
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    p.c.send(cid, enc.encode("x".repeat(2000)));
    const [s1, s2] = drain(p.c);
    assert.ok(s1 && s2);
    assert.equal(feed(p.s, s2), TcpCounter.OutOfOrderFull);
    assert.equal(feed(p.s, s1), TCP_OK);
    assert.equal(p.s.readable(sid), 1460);
  });

  await t.step("three duplicate ACKs trigger a fast retransmit", () => {
    let dropped = false;
    const p = pair();
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    const net = new Net([p.c, p.s], p.clock, {
      dropIf: (x) => x.from === 0 && x.payload.length > 0 && !dropped && (dropped = true),
    });
    p.c.send(cid, new Uint8Array(1460 * 5).fill(7));
    net.run();
    assert.equal(p.s.readable(sid), 1460 * 5);
    assert.equal(counter(p.c, TcpCounter.FastRetransmits), 1);
    assert.equal(counter(p.c, TcpCounter.RtoExpired), 0);
  });

  await t.step("two losses in one window: fast recovery resends both without an RTO", () => {
    const lost = new Set<number>();
    const p = pair();
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    let nth = 0;
    const net = new Net([p.c, p.s], p.clock, {
      dropIf: (x) => {
        if (x.from !== 0 || x.payload.length === 0 || lost.has(x.seq)) return false;
        nth++;
        if (nth !== 2 && nth !== 4) return false;
        lost.add(x.seq);
        return true;
      },
    });
    p.c.send(cid, new Uint8Array(1460 * 10).fill(3));
    net.run();
    assert.equal(p.s.readable(sid), 1460 * 10);
    assert.equal(counter(p.c, TcpCounter.FastRetransmits), 1);
    assert.equal(
      counter(p.c, TcpCounter.Retransmits),
      2,
      "the second hole is resent on the partial ACK",
    );
    assert.equal(counter(p.c, TcpCounter.RtoExpired), 0);
  });

  await t.step("sequence numbers wrap around 2^32", () => {
    const isn = () => 0xffffff00;
    const p = pair({ isn }, { isn });
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    const data = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
    assert.equal(p.c.send(cid, data), 10_000);
    assert.equal(p.s.send(sid, data), 10_000);
    p.net.run();
    const got = new Uint8Array(10_000);
    assert.equal(p.s.recv(sid, got), 10_000);
    assert.deepEqual(got, data);
    assert.equal(p.c.recv(cid, got), 10_000);
    assert.deepEqual(got, data);
    const seqs = p.net.trace.filter((x) => x.from === 0).map((x) => x.seq);
    assert.ok(seqs.some((x) => x > 0xffff0000) && seqs.some((x) => x < 0x10000));
    p.c.close(cid);
    p.s.close(sid);
    p.net.run();
    assert.equal(p.c.table.size + p.s.table.size, 0);
  });

  await t.step("window scale is honoured: the sender uses a window above 64 KiB", () => {
    const p = pair({ sndBuffer: 1 << 20 }, { rcvBuffer: 1 << 20, windowScale: 4 });
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    const ack = p.net.trace[2];
    assert.ok(ack);
    const conn = p.c.table.conns[cid];
    assert.equal(conn?.sndWnd, 65535); // from the SYN-ACK, unscaled
    p.c.send(cid, new Uint8Array(200_000));
    p.net.run();
    assert.equal(p.s.readable(sid), 200_000);
    const wins = p.net.trace.filter((x) => x.from === 1 && !(x.flags & TcpFlag.SYN));
    assert.ok(wins.every((x) => x.window <= (1 << 20) >>> 4));
    assert.ok((conn?.sndWnd ?? 0) > 65535);
  });

  await t.step("a zero window is probed until the reader opens it", () => {
    const p = pair({}, { rcvBuffer: 2048, windowScale: -1 });
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    const sid = p.s.accept(l);
    p.c.send(cid, new Uint8Array(5000).fill(1));
    p.net.run(100, p.clock.now + 3e9);
    assert.equal(p.s.readable(sid), 2048);
    assert.ok(counter(p.c, TcpCounter.WindowProbes) >= 1);
    let total = 0;
    const buf = new Uint8Array(8192);
    for (let i = 0; i < 10 && total < 5000; i++) {
      total += p.s.recv(sid, buf);
      p.net.run(100, p.clock.now + 1e9);
    }
    total += p.s.recv(sid, buf);
    assert.equal(total, 5000);
  });

  await t.step("closing a listener resets its queued connections and frees the port", () => {
    const { c, s, net, l, cid } = established();
    const queued = c.connect(CLIENT, SERVER, PORT);
    net.run(100, net.clock.now + 1e6);
    assert.equal(s.acceptQueueLength(l), 1);
    s.closeListener(l);
    net.run(100, net.clock.now + 1e6);
    assert.equal(c.state(queued), TcpState.Closed);
    assert.equal(c.error(queued), TcpEvent.Reset);
    assert.equal(c.state(cid), TcpState.Established, "accepted connections stay");
    const late = c.connect(CLIENT, SERVER, PORT);
    net.run(100, net.clock.now + 1e6);
    assert.equal(c.error(late), TcpEvent.Reset);
    assert.equal(counter(s, TcpCounter.NoSocket), 1);
    assert.equal(s.listen(PORT), l, "the listener slot and port are free again");
  });

  await t.step("a new SYN above the old sequence space ends TIME-WAIT early", () => {
    let next = 1000;
    const isn = () => (next += 1_000_000);
    const p = pair({ isn }, { isn });
    const l = p.s.listen(PORT);
    const first = p.c.connect(CLIENT, SERVER, PORT, 5555);
    p.net.run();
    const sid = p.s.accept(l);
    p.s.close(sid); // the server closes first and keeps TIME-WAIT
    p.net.run(100, p.clock.now + 1e9);
    p.c.close(first);
    p.net.run(100, p.clock.now + 1e9);
    assert.equal(p.c.table.size, 0);
    assert.equal(p.s.state(sid), TcpState.TimeWait);
    const again = p.c.connect(CLIENT, SERVER, PORT, 5555);
    p.net.run(100, p.clock.now + 1e9);
    assert.equal(p.c.state(again), TcpState.Established);
    assert.equal(counter(p.s, TcpCounter.TimeWaitReused), 1);
    assert.ok(p.s.accept(l) >= 0);
  });

  await t.step("timers fire in deadline order across connections", () => {
    const clock = new FakeClock();
    const e = new TcpEngine({ clock: clock.read, initialRtoNs: 1000 });
    const ids: number[] = [];
    for (let k = 0; k < 5; k++) {
      clock.now = 100 * (4 - k); // connections armed at 400, 300, ..., 0 ns
      ids.push(e.connect(CLIENT, SERVER, PORT));
    }
    drain(e);
    const order: number[] = [];
    while (order.length < 5) {
      clock.now = e.nextDeadline();
      e.tick();
      for (let i = 0; i < e.tx.count; i++) order.push(e.tx.conn[i] ?? -1);
      e.tx.clear();
    }
    assert.deepEqual(order, [...ids].reverse());
    assert.equal(e.nextDeadline(), 1000 + 2000, "the first retry (at 1000) doubled the RTO");
  });

  await t.step("delayed ACK: every second segment at once, a lone one after 40 ms", () => {
    const { c, s, net, clock, cid, sid } = established({ quickAcks: 0 });
    const t0 = clock.now;
    c.send(cid, enc.encode("one"));
    net.run();
    const acks = net.trace.filter((x) => x.from === 1 && x.time > t0);
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.time, t0 + 50_000 + 40_000_000, "ACK after the 40 ms delay");
    const t1 = clock.now;
    c.send(cid, new Uint8Array(2920));
    net.run();
    const acks2 = net.trace.filter((x) => x.from === 1 && x.time > t1);
    assert.deepEqual(
      acks2.map((x) => x.time - t1),
      [50_000],
      "the second segment is ACKed at once",
    );
    // A reply sent before the timer carries the ACK: no pure ACK at all.
    readAll(s, sid);
    const t2 = clock.now;
    c.send(cid, enc.encode("GET"));
    net.run(100, clock.now + 60_000);
    s.send(sid, enc.encode("200 OK"));
    net.run();
    const fromServer = net.trace.filter((x) => x.from === 1 && x.time > t2);
    assert.deepEqual(fromServer.map((x) => x.payload.length), [6]);
  });

  await t.step("delayedAckNs 0 acknowledges every segment at once", () => {
    const p = pair({}, { delayedAckNs: 0 });
    const l = p.s.listen(PORT);
    const cid = p.c.connect(CLIENT, SERVER, PORT);
    p.net.run();
    p.s.accept(l);
    const t0 = p.clock.now;
    p.c.send(cid, enc.encode("x".repeat(3000)));
    p.net.run();
    const acks = p.net.trace.filter((x) => x.from === 1 && x.time > t0);
    assert.equal(acks.length, 3);
  });

  await t.step(
    "a FIN that arrives before the data it follows takes effect when the gap fills",
    () => {
      const { c, s, cid, sid } = established();
      c.send(cid, enc.encode("tail"));
      c.shutdown(cid);
      const [data, fin] = drain(c);
      assert.ok(data && fin && (fin.flags & TcpFlag.FIN) !== 0);
      assert.equal(feed(s, fin), TCP_OK);
      assert.equal(s.state(sid), TcpState.Established);
      assert.equal(feed(s, data), TCP_OK);
      assert.equal(s.state(sid), TcpState.CloseWait);
      assert.equal(readAll(s, sid), "tail");
      assert.ok(s.isEof(sid));
    },
  );

  await t.step(
    "an HTTP/1.0-style exchange: about 5 segments in and 4-5 out (host-stacks.md §5.3)",
    () => {
      const { c, s, net, cid, sid } = established();
      c.send(cid, enc.encode("GET /index.html HTTP/1.0\r\n\r\n"));
      net.run(100, net.clock.now + 100_000);
      readAll(s, sid);
      s.send(sid, enc.encode("HTTP/1.0 200 OK\r\n\r\n<html></html>"));
      s.close(sid);
      net.run(100, net.clock.now + 100_000);
      readAll(c, cid);
      c.close(cid);
      net.run();
      const text = (from: number) =>
        net.trace.filter((x) => x.from === from).map((x) =>
          flagText(x.flags) + (x.payload.length > 0 ? "+data" : "")
        );
      // Server in: SYN, ACK, request, ACK of the response (quick ACK), FIN carrying the ACK of
      // our FIN (delayed ACK on FIN) = 5.
      assert.deepEqual(text(0), ["S", "A", "PA+data", "A", "FA"]);
      // Server out: SYN-ACK, ACK of the request (quick-ACK mode, as Linux does for the first
      // segments), response, FIN, ACK = 5.
      assert.deepEqual(text(1), ["SA", "A", "PA+data", "FA", "A"]);
    },
  );

  await t.step("bad segments are dropped with specific reasons and never throw", () => {
    const clock = new FakeClock();
    const e = new TcpEngine({ clock: clock.read });
    e.listen(PORT);
    const c = new TcpEngine({ clock: clock.read });
    c.connect(CLIENT, SERVER, PORT);
    const [syn] = drain(c);
    assert.ok(syn);
    const bad = new Uint8Array(syn.bytes);
    bad[30 % bad.length] = (bad[30 % bad.length] ?? 0) ^ 0xff;
    assert.equal(e.input(bad, 0, bad.length, CLIENT, SERVER), TcpCounter.BadChecksum);
    assert.equal(e.input(syn.bytes, 0, 10, CLIENT, SERVER), TcpCounter.Malformed);
    assert.equal(e.input(syn.bytes, 5, 100, CLIENT, SERVER), TcpCounter.Malformed);
    const synFin = reseal(syn.bytes.slice(), CLIENT, SERVER, (v) => v.setUint8(13, 3));
    assert.equal(e.input(synFin, 0, synFin.length, CLIENT, SERVER), TcpCounter.BadFlags);
    assert.equal(counter(e, TcpCounter.SegmentsIn), 4);
    assert.equal(drain(e).length, 0);
    assert.equal(e.table.size, 0);
    assert.equal(tcpCountersRecord(e.counters)["bad-checksum"], 1);
    assert.throws(() => e.listen(PORT), /already uses it/);
    assert.throws(() => new TcpEngine({ mss: 10 }), /"mss" must be an integer 64..65495, got 10/);
  });
});
