/**
 * A real Linux TCP peer, replayed from a loopback conversation captured from Linux
 * (`tests/pcap/loopback.pcap`, client port 48418 to server port 47002): each half is fed to our
 * engine playing the other side, with its ISN set to the captured one so the peer's numbers fit,
 * and our answers must carry the flags, sequence and acknowledgment numbers Linux sent. (A live
 * Linux peer needs raw sockets, which Deno does not offer; loopback captures carry partial
 * checksums, so verification is off.)
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

interface Captured {
  readonly fromClient: Uint8Array[];
  readonly fromServer: Uint8Array[];
}

async function capture(): Promise<Captured> {
  const { records } = decodePcap(await Deno.readFile(CAPTURE));
  const info = new FrameInfo();
  const fromClient: Uint8Array[] = [];
  const fromServer: Uint8Array[] = [];
  for (const r of records) {
    if (parseFrame(r.data, 0, r.data.length, info) !== 0 || info.l4Proto !== 6) continue;
    if (info.srcPort === 48418 && info.dstPort === 47002) fromClient.push(r.data);
    if (info.srcPort === 47002 && info.dstPort === 48418) fromServer.push(r.data);
  }
  return { fromClient, fromServer };
}

function fields(frame: Uint8Array): string {
  const info = new FrameInfo();
  assert.equal(parseFrame(frame, 0, frame.length, info), 0);
  return `${flagText(info.tcpFlags & ~TcpFlag.PSH)} ${info.tcpSeq} ${info.tcpAck}`;
}

Deno.test("replaying a Linux server: our client answers with Linux's numbers", async () => {
  const { fromClient, fromServer } = await capture();
  const info = new FrameInfo();
  assert.ok(
    parseFrame(fromClient[0] ?? new Uint8Array(0), 0, fromClient[0]?.length ?? 0, info) === 0,
  );
  const clock = new FakeClock();
  const client = new TcpEngine({
    clock: clock.read,
    verifyChecksum: false,
    isn: () => info.tcpSeq,
  });
  const ours: string[] = [];
  const collect = () => {
    for (const s of drain(client)) {
      ours.push(`${flagText(s.flags & ~TcpFlag.PSH)} ${s.seq} ${s.ack}`);
    }
  };
  const step = (frame: Uint8Array) => {
    assert.equal(parseFrame(frame, 0, frame.length, info), 0);
    assert.equal(client.inputFrame(frame, info), TCP_OK);
    collect();
  };
  const [synAck, dataAck, fin] = fromServer;
  assert.ok(synAck && dataAck && fin && fromServer.length === 3);
  const id = client.connect(0x7f000001, 0x7f000001, 47002, 48418);
  collect();
  step(synAck);
  assert.equal(client.send(id, new TextEncoder().encode("hello")), 5);
  collect();
  step(dataAck);
  client.close(id);
  collect();
  step(fin);
  assert.equal(client.state(id), TcpState.TimeWait);
  assert.deepEqual(ours, fromClient.map(fields));
});

Deno.test("replaying a Linux client: our server answers with Linux's numbers", async () => {
  const { fromClient, fromServer } = await capture();
  assert.equal(fromClient.length, 5, "SYN, ACK, data, FIN, ACK");
  const info = new FrameInfo();
  assert.equal(
    parseFrame(fromServer[0] ?? new Uint8Array(0), 0, fromServer[0]?.length ?? 0, info),
    0,
  );
  const clock = new FakeClock();
  const serverIsn = info.tcpSeq;
  const server = new TcpEngine({ clock: clock.read, verifyChecksum: false, isn: () => serverIsn });
  const l = server.listen(47002);
  const ours: string[] = [];
  const collect = () => {
    for (const s of drain(server)) {
      ours.push(`${flagText(s.flags & ~TcpFlag.PSH)} ${s.seq} ${s.ack}`);
    }
  };
  const step = (frame: Uint8Array) => {
    assert.equal(parseFrame(frame, 0, frame.length, info), 0);
    assert.equal(server.inputFrame(frame, info), TCP_OK);
    collect();
  };
  const [syn, ack, data, fin, lastAck] = fromClient;
  assert.ok(syn && ack && data && fin && lastAck);
  step(syn);
  step(ack);
  const sid = server.accept(l);
  assert.ok(sid >= 0);
  step(data); // quick-ACK mode: ACKed at once, as Linux did
  assert.equal(server.recv(sid, new Uint8Array(16)), 5);
  step(fin); // the FIN's ACK waits for our own FIN, as Linux's did
  assert.equal(server.state(sid), TcpState.CloseWait);
  server.close(sid);
  collect();
  step(lastAck);
  assert.equal(server.table.size, 0, "LAST-ACK ended by Linux's final ACK");
  assert.deepEqual(ours, fromServer.map(fields));
});
