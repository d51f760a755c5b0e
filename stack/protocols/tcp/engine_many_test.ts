import assert from "node:assert/strict";
import { TcpEngine } from "./engine.ts";
import { TcpCounter } from "./counters.ts";
import { TcpLink, VirtualClock } from "./link.ts";

Deno.test("300 request/response connections through a slow acceptor with a 64-entry backlog", () => {
  const clock = new VirtualClock();
  const opts = { clock: clock.read, timeWaitNs: 1_000_000_000, maxConnections: 512 };
  const client = new TcpEngine(opts);
  const server = new TcpEngine(opts);
  const link = new TcpLink([client, server], clock, { jitterNs: 20_000, loss: 0.01, seed: 9 });
  const l = server.listen(80, { backlog: 64 });
  const request = new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n");
  const response = new Uint8Array(3000).fill(0x61);
  const N = 300;
  const conns: number[] = [];
  for (let i = 0; i < N; i++) conns.push(client.connect(0x0a000001, 0x0a000002, 80));
  const served = new Map<number, number>(); // server id -> request bytes read
  const got = new Map<number, number>(); // client id -> response bytes read
  const sentReq = new Set<number>();
  const buf = new Uint8Array(8192);
  let done = 0;
  let nextAccept = 0;
  for (let step = 0; step < 200_000 && done < N; step++) {
    // A slow acceptor: one connection per 100 us of virtual time, so the backlog overflows.
    if (clock.now >= nextAccept) {
      const id = server.accept(l);
      if (id >= 0) {
        served.set(id, 0);
        nextAccept = clock.now + 100_000;
      }
    }
    for (const [id, n] of served) {
      const r = server.recv(id, buf);
      if (r > 0) served.set(id, n + r);
      if (n + r === request.length) {
        assert.equal(server.send(id, response), response.length);
        server.close(id);
        served.delete(id);
      }
    }
    for (const id of conns) {
      if (got.get(id) === -1) continue;
      if (!sentReq.has(id) && client.state(id) === 3) {
        client.send(id, request);
        sentReq.add(id);
      }
      if (!sentReq.has(id)) continue;
      const n = (got.get(id) ?? 0) + client.recv(id, buf);
      got.set(id, n);
      if (client.isEof(id)) {
        assert.equal(n, response.length);
        client.close(id);
        got.set(id, -1);
        done++;
      }
    }
    while (client.events.shift());
    while (server.events.shift());
    if (!link.step()) break;
  }
  assert.equal(done, N);
  link.run();
  assert.equal(client.table.size + server.table.size, 0);
  assert.equal(server.counters[TcpCounter.Accepted], N);
  const overflow = (server.counters[TcpCounter.AcceptQueueFullSyn] ?? 0) +
    (server.counters[TcpCounter.AcceptQueueFullAck] ?? 0);
  assert.ok(overflow > 0, "the backlog overflowed and the handshakes were retried");
  assert.equal(client.counters[TcpCounter.Timeouts], 0);
});
