/**
 * The request script run against both the real memcached and the engine: every command of
 * both protocols, their errors, noreply and quiet variants, bad and too-long keys, values larger
 * than one UDP datagram, pipelining and requests split across segments.
 *
 * ASCII steps are latin1 strings; `{CAS}` in one is replaced by the CAS unique of the last
 * `gets` hit the engine answered (the same on both sides because both start fresh).
 *
 * @module
 */

/** One scripted request. */
export interface Step {
  /** `tcp` steps go over the named connection; `udp` steps are one datagram each. */
  kind: "tcp" | "udp";
  /** Connection name (tcp); a new name opens a new connection on both sides. */
  conn: string;
  /** What the step checks. */
  label: string;
  /** Request bytes, or a latin1 template with `{CAS}`. */
  request: Uint8Array | string;
}

/** Encodes a latin1 string byte for byte. */
export function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** Builds a binary request. */
export function bin(
  op: number,
  o: { key?: string; extras?: number[]; value?: string; cas?: bigint; opaque?: number } = {},
): Uint8Array {
  const key = latin1(o.key ?? "");
  const extras = new Uint8Array(o.extras ?? []);
  const value = latin1(o.value ?? "");
  const body = extras.length + key.length + value.length;
  const b = new Uint8Array(24 + body);
  const v = new DataView(b.buffer);
  b[0] = 0x80;
  b[1] = op;
  v.setUint16(2, key.length);
  b[4] = extras.length;
  v.setUint32(8, body);
  v.setUint32(12, o.opaque ?? 0xa1b2c3d4);
  v.setBigUint64(16, o.cas ?? 0n);
  b.set(extras, 24);
  b.set(key, 24 + extras.length);
  b.set(value, 24 + extras.length + key.length);
  return b;
}

/** Big-endian bytes of a 32-bit value. */
export function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** Big-endian bytes of a 64-bit value. */
export function be64(v: bigint): number[] {
  return [...be32(Number(v >> 32n)), ...be32(Number(v & 0xffffffffn))];
}

/** Prefixes a request with the 8-byte UDP frame header. */
export function udpFrame(id: number, payload: Uint8Array, seq = 0, total = 1): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  b[0] = id >>> 8;
  b[1] = id & 0xff;
  b[2] = seq >>> 8;
  b[3] = seq & 0xff;
  b[4] = total >>> 8;
  b[5] = total & 0xff;
  b.set(payload, 8);
  return b;
}

/** Builds the script; `now` is the current Unix time in seconds (for absolute exptimes). */
export function buildScript(now: number): Step[] {
  const steps: Step[] = [];
  const a = (label: string, request: string, conn = "ascii"): void => {
    steps.push({ kind: "tcp", conn, label, request });
  };
  const b = (label: string, request: Uint8Array, conn = "binary"): void => {
    steps.push({ kind: "tcp", conn, label, request });
  };
  const u = (label: string, request: Uint8Array): void => {
    steps.push({ kind: "udp", conn: "udp", label, request });
  };
  const k250 = "k".repeat(250);
  const k251 = "k".repeat(251);
  const v2000 = "A".repeat(2000);
  const v5000 = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(33 + (i % 90))).join(
    "",
  );
  // Largest value memcached 1.6 accepts for a 1-byte key and flags 0 with `-I 1m`:
  // 48 header + 8 CAS + 2 key + 2 CRLF + value = 1 MiB.
  const vMax = 1024 * 1024 - 48 - 8 - 2 - 2;

  // --- ASCII: basics and misses
  a("version", "version\r\n");
  a("get miss", "get nope\r\n");
  a("gets miss", "gets nope\r\n");
  a("multi-get all miss", "get n1 n2 n3\r\n");
  a("set", "set k1 0 0 5\r\nhello\r\n");
  a("get hit", "get k1\r\n");
  a("gets hit", "gets k1\r\n");
  a("set with flags", "set kf 4294967295 0 3\r\nabc\r\nget kf\r\n");
  a("flags truncated to 32 bits", "set kt 4294967296 0 1\r\nx\r\nget kt\r\n");
  a("multi-get mixed", "get k1 nope kf k1\r\n");
  a("gets multi", "gets k1 kf\r\n");
  a("add existing", "add k1 0 0 1\r\nx\r\n");
  a("add new", "add k2 7 0 2\r\nxy\r\nget k2\r\n");
  a("replace missing", "replace nope 0 0 1\r\nx\r\n");
  a("replace existing", "replace k2 3 0 3\r\nxyz\r\ngets k2\r\n");
  a("append missing", "append nope 0 0 1\r\nx\r\n");
  a("prepend missing", "prepend nope 0 0 1\r\nx\r\n");
  a("append, flags ignored", "append k2 99 99 2\r\n!!\r\nprepend k2 5 5 2\r\n<<\r\ngets k2\r\n");
  a("empty value", "set ke 0 0 0\r\n\r\nget ke\r\n");
  a("value with CRLF inside", "set kc 0 0 4\r\n\r\n\r\n\r\nget kc\r\n");
  // --- CAS
  a("gets for cas", "gets k1\r\n");
  a("cas match", "cas k1 1 0 3 {CAS}\r\nnew\r\n");
  a("cas stale", "cas k1 0 0 1 {CAS}\r\nx\r\n");
  a("cas zero", "cas k1 0 0 1 0\r\nx\r\n");
  a("cas missing key", "cas nokey 0 0 1 1\r\nx\r\n");
  a("cas noreply", "gets k1\r\n");
  a("cas noreply store", "cas k1 0 0 2 {CAS} noreply\r\nzz\r\ngets k1\r\n");
  a("cas bad unique", "cas k1 0 0 1 abc\r\nx\r\n");
  a("cas too few tokens", "cas k1 0 0 1\r\n");
  // --- delete
  a("delete hit", "delete k2\r\n");
  a("delete miss", "delete k2\r\n");
  a("delete 0", "set kd 0 0 1\r\nx\r\ndelete kd 0\r\n");
  a("delete bad hold", "delete kd 1\r\ndelete a b c\r\n");
  a(
    "delete noreply",
    "set kd 0 0 1\r\nx\r\ndelete kd noreply\r\ndelete kd 0 noreply\r\nget kd\r\n",
  );
  // --- incr / decr
  a("incr", "set n 0 0 3\r\n100\r\nincr n 5\r\ngets n\r\n");
  a("decr in place pads with spaces", "decr n 100\r\nget n\r\n");
  a("decr floors at 0", "decr n 7\r\n");
  a("incr grows the value", "incr n 123456\r\ngets n\r\n");
  a("incr wraps at 2^64", "set w 0 0 20\r\n18446744073709551615\r\nincr w 2\r\nget w\r\n");
  a("incr leading space value", "set s 0 0 3\r\n 12\r\nincr s 1\r\nget s\r\n");
  a("incr non-numeric", "incr k1 1\r\n");
  a("incr empty value", "incr ke 1\r\n");
  a("incr negative value", "set neg 0 0 2\r\n-1\r\nincr neg 1\r\n");
  a("incr bad delta", "incr n x\r\nincr n -1\r\nincr n 18446744073709551616\r\n");
  a("incr plus delta", "incr n +3\r\n");
  a("incr miss", "incr nope 1\r\ndecr nope 1\r\n");
  a("incr noreply", "incr n 1 noreply\r\nget n\r\n");
  a("incr too few tokens", "incr n\r\n");
  // --- touch / gat
  a("touch hit", "touch k1 1000\r\n");
  a("touch miss", "touch nope 10\r\n");
  a("touch bad exptime", "touch k1 abc\r\n");
  a("touch too few tokens", "touch k1\r\n");
  a("gat", "gat 1000 k1 nope kf\r\n");
  a("gats", "gats 1000 k1\r\n");
  a("gat bad exptime", "gat abc k1\r\n");
  a("gat no keys", "gat 100\r\n");
  // --- expiry (times that cannot race)
  a("negative exptime expires at once", "set x1 0 -1 1\r\nx\r\nget x1\r\n");
  a("absolute past exptime", `set x2 0 ${now - 3600} 1\r\nx\r\nget x2\r\n`);
  a("absolute future exptime", `set x3 0 ${now + 3600} 1\r\nx\r\nget x3\r\n`);
  a("relative exptime", "set x4 0 1000 1\r\nx\r\nget x4\r\n");
  a("exptime 2^32 truncates to 0", "set x5 0 4294967296 1\r\nx\r\nget x5\r\n");
  a("touch -1 expires", "set x6 0 0 1\r\nx\r\ntouch x6 -1\r\nget x6\r\n");
  // --- noreply on every storage command
  a(
    "noreply storage",
    "set q1 0 0 1 noreply\r\na\r\nadd q1 0 0 1 noreply\r\nb\r\nreplace q1 0 0 1 noreply\r\nc\r\n" +
      "append q1 0 0 1 noreply\r\nd\r\nprepend q1 0 0 1 noreply\r\ne\r\ngets q1\r\n",
  );
  a("noreply silences bad data chunk", "set q2 0 0 1 noreply\r\nabc\r\nget q2\r\n");
  a("noreply silences errors", "incr q1 abc noreply\r\ntouch q1 x noreply\r\n");
  // --- errors
  a("unknown command", "bogus\r\n");
  a("empty line", "\r\n");
  a("one-letter command", "x\r\n");
  a("upper-case command", "GET k1\r\n");
  a("get without key", "get\r\n");
  a("set too few tokens", "set a 0 0\r\n");
  a("set too many tokens", "set a 0 0 1 noreply x\r\nx\r\n");
  a("set extra token ignored", "set a 0 0 1 junk\r\nx\r\n");
  a("set 25 words", `set a 0 0 1 ${Array.from({ length: 20 }, (_, i) => i).join(" ")}\r\nx\r\n`);
  a("bad flags", "set a x 0 1\r\nx\r\n");
  a("negative flags", "set a -1 0 1\r\nx\r\n");
  a("bad exptime", "set a 0 x 1\r\nx\r\n");
  a("bad length", "set a 0 0 x\r\n");
  a("negative length", "set a 0 0 -1\r\n");
  a("data longer than length", "set a 0 0 3\r\nabcd\r\nget a\r\n");
  a("data shorter than length", "set a 0 0 5\r\nabc\r\n\r\n");
  a("verbosity", "verbosity 1\r\nverbosity 1 noreply\r\nverbosity x\r\nverbosity\r\n");
  a("version with argument", "version x\r\n");
  a("flush_all bad delay", "flush_all x\r\n");
  // --- keys
  a("250-byte key", `set ${k250} 0 0 1\r\nx\r\nget ${k250}\r\n`);
  a("251-byte key set", `set ${k251} 0 0 1\r\nx\r\n`);
  a("251-byte key get", `get ${k251}\r\n`);
  a("251-byte key in multi-get drops hits", `get k1 ${k251} kf\r\n`);
  a("251-byte key delete", `delete ${k251}\r\n`);
  a("251-byte key incr", `incr ${k251} 1\r\n`);
  a("251-byte key touch", `touch ${k251} 1\r\n`);
  a("tab in key", "set t\tb 0 0 1\r\nx\r\nget t\tb\r\n");
  a("control byte in key", "set c\x01d 0 0 1\r\nx\r\nget c\x01d\r\n");
  a("high bytes in key", "set h\xe9\xff 0 0 1\r\nx\r\nget h\xe9\xff\r\n");
  a(
    "many keys in one get",
    `get ${Array.from({ length: 40 }, (_, i) => `k${i % 3 + 1}`).join(" ")}\r\n`,
  );
  // --- large values
  a("2000-byte value", `set big1 0 0 2000\r\n${v2000}\r\nget big1\r\n`);
  a("5000-byte value", `set big2 3 0 5000\r\n${v5000}\r\ngets big1 big2\r\n`);
  a("largest item fits", `set m 0 0 ${vMax}\r\n${"m".repeat(vMax)}\r\nget nope\r\n`);
  a("one byte too large", `set m 0 0 ${vMax + 1}\r\n${"m".repeat(vMax + 1)}\r\nget m\r\n`);
  // --- pipelining and segment boundaries
  a("pipelined", "set p1 0 0 1\r\n1\r\nset p2 0 0 1\r\n2\r\nget p1 p2\r\ndelete p1\r\nget p1\r\n");
  a("command split: first part", "ge");
  a("command split: second part", "t p2\r\n");
  a("data split: line and part of data", "set p3 0 0 10\r\nhell");
  a("data split: rest", "o world\r\nget p3\r\n");
  a("data split: missing CRLF part", "set p4 0 0 2\r\nhi");
  a("data split: CRLF", "\r\nget p4\r\n");
  a("replies wait for a split value", "version\r\nset p5 0 0 4\r\nab");
  a("split value completes", "cd\r\nget p5\r\n");
  a("too large, data split: line", `version\r\nset m 0 0 ${vMax + 1}\r\n${"m".repeat(1000)}`);
  a("too large, data split: rest", `${"m".repeat(vMax + 1 - 1000)}\r\nversion\r\n`);
  a(
    "incr after an ASCII get in the same read is in place",
    "set r1 0 0 3\r\n100\r\nget r1\r\ndecr r1 95\r\nget r1\r\n",
  );
  a("bare LF line endings", "set lf 0 0 1\nx\r\nget lf\n");
  // --- flush
  a("delayed flush takes no CAS", "flush_all 100000\r\nset f1 0 0 1\r\nx\r\ngets f1\r\n");
  a("flush_all", "flush_all\r\nget k1 f1\r\n");
  a("CAS after flush", "set f2 0 0 1\r\nx\r\ngets f2\r\n");
  a(
    "flush_all noreply and 0",
    "flush_all noreply\r\nflush_all 0\r\nset f3 0 0 1\r\nx\r\ngets f3\r\n",
  );
  // --- quit
  a("quit closes after replies", "version\r\nquit\r\nversion\r\n", "quit");

  // --- binary protocol
  const fl = (flags: number, exp = 0): number[] => [...be32(flags), ...be32(exp)];
  const incr = (delta: bigint, initial: bigint, exp: number): number[] => [
    ...be64(delta),
    ...be64(initial),
    ...be32(exp),
  ];
  b("noop", bin(0x0a));
  b("version", bin(0x0b));
  b("get miss", bin(0x00, { key: "bk" }));
  b("getk miss", bin(0x0c, { key: "bk" }));
  b("getq miss then noop", new Uint8Array([...bin(0x09, { key: "bk" }), ...bin(0x0a)]));
  b("set", bin(0x01, { key: "bk", extras: fl(5), value: "hello" }));
  b("get hit", bin(0x00, { key: "bk", opaque: 7 }));
  b("getk hit", bin(0x0c, { key: "bk" }));
  b(
    "getq and getkq hits",
    new Uint8Array([...bin(0x09, { key: "bk" }), ...bin(0x0d, { key: "bk" })]),
  );
  b("add existing", bin(0x02, { key: "bk", extras: fl(0), value: "x" }));
  b("addq existing still errors", bin(0x12, { key: "bk", extras: fl(0), value: "x" }));
  b("add new", bin(0x02, { key: "bk2", extras: fl(1), value: "x" }));
  b("replace missing", bin(0x03, { key: "nope", extras: fl(0), value: "x" }));
  b("replaceq existing is silent", bin(0x13, { key: "bk2", extras: fl(2), value: "yy" }));
  b("append", bin(0x0e, { key: "bk", value: "!!" }));
  b("prepend", bin(0x0f, { key: "bk", value: "<<" }));
  b("append missing", bin(0x0e, { key: "nope", value: "!!" }));
  b("get after append", bin(0x00, { key: "bk" }));
  b("set with stale cas", bin(0x01, { key: "bk", extras: fl(0), value: "z", cas: 1n }));
  b("set with cas on missing key", bin(0x01, { key: "nope", extras: fl(0), value: "z", cas: 5n }));
  b("delete with stale cas", bin(0x04, { key: "bk2", cas: 1n }));
  b("delete", bin(0x04, { key: "bk2" }));
  b("delete miss", bin(0x04, { key: "bk2" }));
  b("deleteq miss errors", bin(0x14, { key: "bk2" }));
  b("incr creates initial", bin(0x05, { key: "ctr", extras: incr(5n, 100n, 0) }));
  b("incr", bin(0x05, { key: "ctr", extras: incr(5n, 100n, 0) }));
  b("decr floors at 0", bin(0x06, { key: "ctr", extras: incr(500n, 0n, 0) }));
  b("incr miss without create", bin(0x05, { key: "nc", extras: incr(1n, 1n, 0xffffffff) }));
  b("incr non-numeric", bin(0x05, { key: "bk", extras: incr(1n, 1n, 0) }));
  b("incr with stale cas", bin(0x05, { key: "ctr", extras: incr(1n, 1n, 0), cas: 1n }));
  b("incrq silent", bin(0x15, { key: "ctr", extras: incr(1n, 0n, 0) }));
  b("get counter", bin(0x00, { key: "ctr" }));
  b("set counter", bin(0x01, { key: "pc", extras: fl(0), value: "100" }));
  b(
    "decr after a binary get in the same read builds a new item",
    new Uint8Array([
      ...bin(0x00, { key: "pc" }),
      ...bin(0x06, { key: "pc", extras: incr(95n, 0n, 0) }),
      ...bin(0x00, { key: "pc" }),
    ]),
  );
  b("set counter again", bin(0x01, { key: "pc", extras: fl(0), value: "100" }));
  b("get in its own read", bin(0x00, { key: "pc" }));
  b(
    "decr in a later read is in place",
    new Uint8Array([
      ...bin(0x06, { key: "pc", extras: incr(95n, 0n, 0) }),
      ...bin(0x00, { key: "pc" }),
    ]),
  );
  b("incr wraps", bin(0x05, { key: "ctr", extras: incr(0xffffffffffffffffn, 0n, 0) }));
  b("touch", bin(0x1c, { key: "ctr", extras: be32(1000) }));
  b("gat", bin(0x1d, { key: "ctr", extras: be32(1000) }));
  b("gatk", bin(0x23, { key: "ctr", extras: be32(1000) }));
  b("touch miss", bin(0x1c, { key: "nope", extras: be32(10) }));
  b("gatk miss", bin(0x23, { key: "nope", extras: be32(10) }));
  b(
    "gatq miss then noop",
    new Uint8Array([...bin(0x1e, { key: "nope", extras: be32(1) }), ...bin(0x0a)]),
  );
  b("setq silent", bin(0x11, { key: "sq", extras: fl(9), value: "quiet" }));
  b("large value", bin(0x01, { key: "bl", extras: fl(0), value: v5000 }));
  b("get large value", bin(0x00, { key: "bl" }));
  b("too large value", bin(0x01, { key: "bt", extras: fl(0), value: "t".repeat(vMax + 1) }));
  b("after too large", bin(0x0b));
  b("expired set", bin(0x01, { key: "be", extras: fl(0, now - 3600), value: "x" }));
  b("get expired", bin(0x00, { key: "be" }));
  b("unknown opcode", bin(0x50));
  b("flush", bin(0x08));
  b("get after flush", bin(0x00, { key: "bk" }));
  b("flushq silent", bin(0x18));
  b("set after flush", bin(0x01, { key: "bk", extras: fl(0), value: "again" }));
  b("split header: part 1", bin(0x00, { key: "bk" }).subarray(0, 10));
  b("split header: part 2", bin(0x00, { key: "bk" }).subarray(10));
  b("pipelined", new Uint8Array([...bin(0x0a), ...bin(0x00, { key: "bk" }), ...bin(0x0b)]));
  b("quit", bin(0x07), "binary-quit");
  b("quitq closes silently", bin(0x17), "binary-quitq");
  b(
    "get with extras is a protocol error",
    bin(0x00, { key: "bk", extras: [0, 0, 0, 0] }),
    "binary-einval",
  );
  b("251-byte key is a protocol error", bin(0x00, { key: k251 }), "binary-longkey");
  {
    const bad = bin(0x0a);
    bad[0] = 0x81;
    b("bad magic after a request", new Uint8Array([...bin(0x0a)]), "binary-badmagic");
    b("bad magic closes", bad, "binary-badmagic");
  }
  {
    const weird = bin(0x0a);
    weird[0] = 0x81;
    a("0x81 start is ASCII", String.fromCharCode(...weird.subarray(0, 24)) + "\r\n", "ascii-81");
  }

  // --- UDP
  u("udp version", udpFrame(1, latin1("version\r\n")));
  u("udp request id echoed", udpFrame(0xfffe, latin1("version\r\n")));
  u("udp set", udpFrame(2, latin1(`set ub 0 0 2000\r\n${v2000}\r\n`)));
  u("udp set 2", udpFrame(3, latin1("set us 0 0 3\r\nabc\r\n")));
  u("udp 2000-byte value in 2 datagrams", udpFrame(4, latin1("get ub\r\n")));
  u("udp 5000-byte value", udpFrame(5, latin1("set ul 0 0 5000\r\n" + v5000 + "\r\n")));
  u("udp multi-get: one message per key", udpFrame(6, latin1("get us ub ul nope\r\n")));
  u("udp multi-get ending on a hit", udpFrame(7, latin1("gets nope us\r\n")));
  u("udp two commands in one datagram", udpFrame(8, latin1("get us\r\nversion\r\n")));
  u("udp incomplete trailing command dropped", udpFrame(9, latin1("get us\r\nget u")));
  u("udp noreply sends nothing", udpFrame(10, latin1("set un 0 0 1 noreply\r\nx\r\n")));
  u("udp multi-packet request ignored", udpFrame(11, latin1("get us\r\n"), 0, 2));
  u("udp sequence number ignored", udpFrame(12, latin1("get us\r\n"), 3, 1));
  u("udp 8-byte datagram ignored", udpFrame(13, new Uint8Array(0)));
  u("udp error", udpFrame(14, latin1("bogus\r\n")));
  // "VALUE ux 0 1368\r\n" + 1368 + "\r\nEND\r\n" = 1392 bytes: exactly one datagram.
  u("udp set exact fit", udpFrame(15, latin1(`set ux 0 0 1368\r\n${"x".repeat(1368)}\r\n`)));
  u("udp reply of exactly 1392 bytes", udpFrame(16, latin1("get ux\r\n")));
  u("udp set one more", udpFrame(17, latin1(`set uy 0 0 1369\r\n${"y".repeat(1369)}\r\n`)));
  u("udp reply of 1393 bytes", udpFrame(18, latin1("get uy\r\n")));
  u("udp binary get hit", udpFrame(19, bin(0x00, { key: "us" })));
  u(
    "udp binary getq miss then noop",
    udpFrame(20, new Uint8Array([...bin(0x09, { key: "nope" }), ...bin(0x0a)])),
  );
  u(
    "udp binary setq then getk",
    udpFrame(
      21,
      new Uint8Array([
        ...bin(0x11, { key: "uq", extras: [0, 0, 0, 1, 0, 0, 0, 0], value: "q" }),
        ...bin(0x0c, { key: "uq" }),
      ]),
    ),
  );
  u("udp binary get of a 2000-byte value", udpFrame(22, bin(0x00, { key: "ub" })));
  return steps;
}
