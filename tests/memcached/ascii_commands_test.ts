/**
 * The ASCII command table: every command with its success, miss and error replies, noreply,
 * expiry on the injected clock and LRU eviction under the memory limit. Expected texts are
 * memcached 1.6.18's (the same cases run against the real server in real_server_test.ts).
 */
import assert from "node:assert/strict";
import { Harness } from "./_engine_io.ts";

const TABLE: [string, string, string][] = [
  ["version", "version\r\n", "VERSION 1.6.18\r\n"],
  ["get miss", "get a\r\n", "END\r\n"],
  ["set", "set a 5 0 3\r\nabc\r\n", "STORED\r\n"],
  ["get hit", "get a\r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n"],
  ["gets hit with CAS 1", "gets a\r\n", "VALUE a 5 3 1\r\nabc\r\nEND\r\n"],
  ["multi-get", "get a b a\r\n", "VALUE a 5 3\r\nabc\r\nVALUE a 5 3\r\nabc\r\nEND\r\n"],
  ["add existing", "add a 0 0 1\r\nx\r\n", "NOT_STORED\r\n"],
  ["add new", "add b 0 0 1\r\nx\r\n", "STORED\r\n"],
  ["replace missing", "replace c 0 0 1\r\nx\r\n", "NOT_STORED\r\n"],
  ["replace", "replace b 1 0 2\r\nyy\r\n", "STORED\r\n"],
  ["append", "append b 9 9 1\r\n!\r\n", "STORED\r\n"],
  ["prepend", "prepend b 9 9 1\r\n<\r\n", "STORED\r\n"],
  ["flags kept through append/prepend", "gets b\r\n", "VALUE b 1 4 5\r\n<yy!\r\nEND\r\n"],
  ["append missing", "append c 0 0 1\r\nx\r\n", "NOT_STORED\r\n"],
  ["cas match", "cas b 0 0 1 5\r\nz\r\n", "STORED\r\n"],
  ["cas stale", "cas b 0 0 1 5\r\nz\r\n", "EXISTS\r\n"],
  ["cas missing", "cas c 0 0 1 5\r\nz\r\n", "NOT_FOUND\r\n"],
  ["delete", "delete b\r\n", "DELETED\r\n"],
  ["delete miss", "delete b\r\n", "NOT_FOUND\r\n"],
  [
    "delete bad",
    "delete a 1\r\n",
    "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n",
  ],
  ["incr", "set n 0 0 2\r\n10\r\nincr n 5\r\n", "STORED\r\n15\r\n"],
  ["decr in place", "decr n 10\r\nget n\r\n", "5\r\nVALUE n 0 2\r\n5 \r\nEND\r\n"],
  ["decr floor", "decr n 9\r\n", "0\r\n"],
  ["incr wraps", "set w 0 0 20\r\n18446744073709551615\r\nincr w 1\r\n", "STORED\r\n0\r\n"],
  [
    "incr non-numeric",
    "incr a 1\r\n",
    "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n",
  ],
  ["incr bad delta", "incr n -1\r\n", "CLIENT_ERROR invalid numeric delta argument\r\n"],
  ["incr miss", "incr zz 1\r\n", "NOT_FOUND\r\n"],
  ["touch", "touch a 100\r\n", "TOUCHED\r\n"],
  ["touch miss", "touch zz 100\r\n", "NOT_FOUND\r\n"],
  ["touch bad", "touch a x\r\n", "CLIENT_ERROR invalid exptime argument\r\n"],
  ["gat", "gat 100 a\r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n"],
  ["gats", "gats 100 a\r\n", "VALUE a 5 3 1\r\nabc\r\nEND\r\n"],
  ["verbosity", "verbosity 1\r\n", "OK\r\n"],
  ["unknown", "foo\r\n", "ERROR\r\n"],
  ["wrong token count", "set a 0 0\r\n", "ERROR\r\n"],
  ["bad flags", "set a x 0 1\r\n", "CLIENT_ERROR bad command line format\r\n"],
  [
    "bad data chunk then stray LF",
    "set a 0 0 1\r\nxy\r\n",
    "CLIENT_ERROR bad data chunk\r\nERROR\r\n",
  ],
  ["251-byte key", `get ${"k".repeat(251)}\r\n`, "CLIENT_ERROR bad command line format\r\n"],
  ["250-byte key", `set ${"k".repeat(250)} 0 0 1\r\nx\r\n`, "STORED\r\n"],
  [
    "noreply",
    "set q 0 0 1 noreply\r\nx\r\nincr q 1 noreply\r\ndelete q noreply\r\nget q\r\n",
    "END\r\n",
  ],
  ["flush_all", "flush_all\r\nget a\r\n", "OK\r\nEND\r\n"],
  // 14 CAS values so far (10 stores, 4 incr/decr), the flush takes the 15th, this set the 16th.
  [
    "flush takes a CAS",
    "set f 0 0 1\r\nx\r\ngets f\r\n",
    "STORED\r\nVALUE f 0 1 16\r\nx\r\nEND\r\n",
  ],
];

Deno.test("ASCII protocol", async (t) => {
  await t.step(`command table (${TABLE.length} cases)`, () => {
    const h = new Harness();
    for (const [label, request, expected] of TABLE) {
      assert.equal(h.send(request), expected, label);
    }
  });
  await t.step("relative, absolute and negative expiry follow the clock", () => {
    const h = new Harness();
    h.send(`set r 0 10 1\r\nx\r\nset abs 0 ${h.time + 20} 1\r\nx\r\nset neg 0 -1 1\r\nx\r\n`);
    assert.equal(h.send("get r abs neg\r\n"), "VALUE r 0 1\r\nx\r\nVALUE abs 0 1\r\nx\r\nEND\r\n");
    h.time += 9;
    assert.equal(h.send("get r\r\n"), "VALUE r 0 1\r\nx\r\nEND\r\n");
    h.time += 1;
    assert.equal(h.send("get r abs\r\n"), "VALUE abs 0 1\r\nx\r\nEND\r\n");
    h.time += 10;
    assert.equal(h.send("get abs\r\n"), "END\r\n");
    h.send("set t 0 5 1\r\nx\r\ntouch t 100\r\n");
    h.time += 50;
    assert.equal(h.send("get t\r\n"), "VALUE t 0 1\r\nx\r\nEND\r\n");
  });
  await t.step("a delayed flush_all empties the cache when its time comes", () => {
    const h = new Harness();
    h.send("set a 0 0 1\r\nx\r\n");
    assert.equal(h.send("flush_all 10\r\nget a\r\n"), "OK\r\nVALUE a 0 1\r\nx\r\nEND\r\n");
    h.time += 10;
    assert.equal(h.send("get a\r\n"), "END\r\n");
  });
  await t.step("the least recently used items are evicted under the memory limit", () => {
    // 56 + 2 + 1 + 1000 + 2 = 1061 bytes per item; 10 fit in 11000.
    const h = new Harness({ memoryLimit: 11_000 });
    const v = "v".repeat(1000);
    for (let i = 0; i < 10; i++) h.send(`set k${i} 0 0 1000\r\n${v}\r\n`);
    h.send("get k0\r\n"); // k0 becomes most recent; k1 is now the oldest
    h.send(`set kA 0 0 1000\r\n${v}\r\nset kB 0 0 1000\r\n${v}\r\n`);
    assert.equal(h.send("get k1\r\n"), "END\r\n");
    assert.equal(h.send("get k2\r\n"), "END\r\n");
    assert.ok(h.send("get k0\r\n").startsWith("VALUE k0"));
    assert.ok(h.send("get k3\r\n").startsWith("VALUE k3"));
    assert.equal(h.engine.store.evictions, 2);
    assert.ok(h.engine.store.bytes <= 11_000);
  });
  await t.step("a value larger than the memory limit is refused and its data swallowed", () => {
    const h = new Harness({ memoryLimit: 500 });
    assert.equal(
      h.send(`set a 0 0 600\r\n${"x".repeat(600)}\r\nversion\r\n`),
      "SERVER_ERROR out of memory storing object\r\nVERSION 1.6.18\r\n",
    );
  });
  await t.step("stats reports the engine counters", () => {
    const h = new Harness();
    h.send("set a 0 0 1\r\nx\r\nget a b\r\n");
    const s = h.send("stats\r\n");
    assert.match(s, /STAT get_hits 1\r\n/);
    assert.match(s, /STAT get_misses 1\r\n/);
    assert.match(s, /STAT curr_items 1\r\n/);
    assert.ok(s.endsWith("END\r\n"));
  });
});
