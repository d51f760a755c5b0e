/**
 * A real Linux TCP peer, replayed: the client half of a loopback conversation captured from
 * Linux (`tests/pcap/loopback.pcap`, client port 48418 to server port 47002) is fed to our
 * engine listening on 47002, whose ISN is set to the captured server's so the client's
 * acknowledgment numbers fit. Our answers must carry the sequence and acknowledgment numbers the
 * Linux server sent. (A live Linux peer needs raw sockets, which Deno does not offer; loopback
 * captures carry partial checksums, so verification is off.)
 */
import assert from "node:assert/strict";
import { FrameInfo } from "../../packet/frame_info.ts";
import { parseFrame } from "../../packet/parse.ts";
import { decodePcap } from "../../packet/pcap/mod.ts";
import { TcpFlag } from "../../packet/tcp.ts";
import { TCP_OK, TcpEngine } from "./engine.ts";
import { TcpState } from "./state.ts";
import { drain, FakeClock, flagText } from "./_test_net.ts";

const CAPTURE = new URL("../../../tests/pcap/loopback.pcap", import.meta.url);

Deno.test("replaying a Linux client: our server answers with Linux's numbers", async () => {
  const { records } = decodePcap(await Deno.readFile(CAPTURE));
  const info = new FrameInfo();
  const fromClient: Uint8Array[] = [];
  const fromServer: { flags: number; seq: number; ack: number }[] = [];
  for (const r of records) {
    if (parseFrame(r.data, 0, r.data.length, info) !== 0 || info.l4Proto !== 6) continue;
    if (info.srcPort === 48418 && info.dstPort === 47002) fromClient.push(r.data);
    if (info.srcPort === 47002 && info.dstPort === 48418) {
      fromServer.push({ flags: info.tcpFlags, seq: info.tcpSeq, ack: info.tcpAck });
    }
  }
  assert.equal(fromClient.length, 5, "SYN, ACK, data, FIN, ACK");
  const linuxSynAck = fromServer[0];
  assert.ok(linuxSynAck);

  const clock = new FakeClock();
  const server = new TcpEngine({
    clock: clock.read,
    verifyChecksum: false,
    isn: () => linuxSynAck.seq,
  });
  const l = server.listen(47002);
  const ours: { flags: number; seq: number; ack: number }[] = [];
  const step = (frame: Uint8Array) => {
    assert.equal(parseFrame(frame, 0, frame.length, info), 0);
    assert.equal(server.inputFrame(frame, info), TCP_OK);
    for (const s of drain(server)) ours.push({ flags: s.flags, seq: s.seq, ack: s.ack });
  };
  const [syn, ack, data, fin, lastAck] = fromClient;
  assert.ok(syn && ack && data && fin && lastAck);
  step(syn);
  step(ack);
  const sid = server.accept(l);
  assert.ok(sid >= 0);
  step(data);
  const buf = new Uint8Array(16);
  assert.equal(server.recv(sid, buf), 5);
  step(fin);
  assert.equal(server.state(sid), TcpState.CloseWait);
  server.close(sid);
  for (const s of drain(server)) ours.push({ flags: s.flags, seq: s.seq, ack: s.ack });
  step(lastAck);
  assert.equal(server.table.size, 0, "LAST-ACK ended by Linux's final ACK");

  const show = (xs: { flags: number; seq: number; ack: number }[]) =>
    xs.map((x) => `${flagText(x.flags & ~TcpFlag.PSH)} ${x.seq} ${x.ack}`);
  // Linux ACKed the data and the FIN separately and then sent its own FIN: so do we.
  assert.deepEqual(show(ours), show(fromServer));
});
