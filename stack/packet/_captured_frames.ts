/**
 * Real frames captured with `tcpdump -i lo -xx` (loopback: all-zero MACs) and `tcpdump -i <veth>`
 * on 2026-11-22 under Linux, from traffic generated for these tests (a UDP datagram to a closed
 * port, a raw-socket ICMP echo, a TCP connection). Test data only.
 *
 * @module
 */

function hex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Captured frames by name, each a fresh copy. */
export const CAPTURED = {
  /** UDP 127.0.0.1:42283 -> 127.0.0.1:9999, "hello dragonet", ip id 19900, DF. Checksum field 0xfe29 is the
   * loopback CHECKSUM_PARTIAL value (pseudo-header sum); tcpdump -vv reports the full checksum 0x56d6. */
  udp: (): Uint8Array =>
    hex(
      "00000000000000000000000008004500002a4dbc40004011ef047f0000017f000001a52b270f0016" +
        "fe2968656c6c6f20647261676f6e6574",
    ),
  /** Kernel ICMP port unreachable (type 3 code 3) answering the UDP frame above, tos 0xc0, ip id 43310. */
  icmpUnreachable: (): Uint8Array =>
    hex(
      "000000000000000000000000080045c00046a92e00004001d2c67f0000017f000001030353d30000" +
        "00004500002a4dbc40004011ef047f0000017f000001a52b270f0016fe2968656c6c6f2064726167" +
        "6f6e6574",
    ),
  /** ICMP echo request id 0x1234 seq 1, payload "dragonet-lab-echo", ip id 43311, DF. */
  icmpEchoRequest: (): Uint8Array =>
    hex(
      "00000000000000000000000008004500002da92f40004001939e7f0000017f0000010800bc711234" +
        "0001647261676f6e65742d6c61622d6563686f",
    ),
  /** Kernel echo reply to the request above, ip id 43312, no DF. */
  icmpEchoReply: (): Uint8Array =>
    hex(
      "00000000000000000000000008004500002da93000004001d39d7f0000017f0000010000c4711234" +
        "0001647261676f6e65742d6c61622d6563686f",
    ),
  /** TCP SYN 127.0.0.1:59602 -> :9998, seq 1161283603, win 65495, options mss 65495, sackOK,
   * TS val 2214770792 ecr 0, nop, wscale 10. Checksum 0xfe30 is partial; tcpdump: full checksum 0xf667. */
  tcpSyn: (): Uint8Array =>
    hex(
      "00000000000000000000000008004500003c6bf340004006d0c67f0000017f000001e8d2270e4537" +
        "c81300000000a002ffd7fe3000000204ffd70402080a8402b868000000000103030a",
    ),
  /** TCP SYN-ACK, seq 3280216300, ack 1161283604, win 65483, TS val 3740493684 ecr 2214770792,
   * wscale 10, ip id 0. Checksum 0xfe30 is partial; tcpdump: full checksum 0xcb89. */
  tcpSynAck: (): Uint8Array =>
    hex(
      "00000000000000000000000008004500003c0000400040063cba7f0000017f000001270ee8d2c384" +
        "20ec4537c814a012ffcbfe3000000204ffd70402080adef367748402b8680103030a",
    ),
  /** TCP PSH-ACK carrying "GET / HTTP/1.0\r\n\r\n" (18 bytes), seq 1161283604, ack 3280216301, win 64,
   * ip id 27637. Checksum 0xfe3a is partial; tcpdump: full checksum 0x154f. */
  tcpData: (): Uint8Array =>
    hex(
      "0000000000000000000000000800450000466bf540004006d0ba7f0000017f000001e8d2270e4537" +
        "c814c38420ed80180040fe3a00000101080a8402b868def36774474554202f20485454502f312e30" +
        "0d0a0d0a",
    ),
  /** ARP request who-has 10.99.0.2 tell 10.99.0.1 from b2:c2:6d:a6:d0:ec, padded to 60 bytes,
   * captured on a veth interface. */
  arpRequest: (): Uint8Array =>
    hex(
      "ffffffffffffb2c26da6d0ec08060001080006040001b2c26da6d0ec0a6300010000000000000a63" +
        "0002000000000000000000000000000000000000",
    ),
} as const;
