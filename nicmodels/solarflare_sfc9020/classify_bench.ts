// Classification cost per frame on the SFC9020 model. Each iteration classifies a batch of 1024
// distinct 60-byte UDP frames; divide the reported time by 1024 for ns/frame.
//
// The 8000-filter table is filled with pseudo-random client flows (xorshift, fixed seed) in
// list order, keeping only rules the hashed table accepts, so probe clustering and search
// depths are those of a realistic fill (the UDP-full search depth is printed once).
import { formatIpv4Address } from "../_shared/addr.ts";
import { benchFlow, buildFrameBatch } from "../_shared/_bench_frames.ts";
import { type FilterRule, RxResult } from "../_shared/nic.ts";
import { SFC9020_CAPABILITIES as CAPS } from "./capabilities.ts";
import { sfcDefaultConfig, sfcDragonetConfig } from "./config.ts";
import { fillIpFilterWords, SfcFilterType } from "./filter_key.ts";
import { SfcFilterTable } from "./filter_table.ts";
import { Sfc9020Nic } from "./model.ts";
import { udpFullRule, xorshift } from "./_test_rules.ts";

const BATCH = 1024;
const QUEUES = 16;
const SERVER = 0x0a010001; // 10.1.0.1, the bench flows' destination
const out = new RxResult();

type Flow = ReturnType<typeof benchFlow>;

/** `n` pseudo-random client flows to 10.1.0.1:11211 that the hashed table accepts in order. */
function acceptedFlows(n: number): Flow[] {
  const scratch = new SfcFilterTable(CAPS.sfc.ipTable);
  const next = xorshift(7);
  const w = new Uint32Array(4);
  const flows: Flow[] = [];
  while (flows.length < n) {
    const client = next();
    const port = 1024 + (next() % 60000);
    fillIpFilterWords(SfcFilterType.UdpFull, SERVER, 11211, client, port, w);
    const r = scratch.insert(
      SfcFilterType.UdpFull,
      w[0] ?? 0,
      w[1] ?? 0,
      w[2] ?? 0,
      w[3] ?? 0,
      1,
      0,
      2,
    );
    if (r < 0) continue;
    flows.push({
      proto: 17,
      srcIp: formatIpv4Address(client),
      dstIp: "10.1.0.1",
      srcPort: port,
      dstPort: 11211,
    });
  }
  return flows;
}

function rulesOf(flows: Flow[]): FilterRule[] {
  return flows.map((f, i) =>
    udpFullRule(
      ipNum(f.srcIp),
      f.srcPort,
      ipNum(f.dstIp),
      f.dstPort,
      1 + (i % (QUEUES - 1)),
    )
  );
}

function ipNum(text: string): number {
  return text.split(".").reduce((a, p) => ((a << 8) | Number(p)) >>> 0, 0);
}

function run(nic: Sfc9020Nic, b: ReturnType<typeof buildFrameBatch>): number {
  let acc = 0;
  for (let i = 0; i < BATCH; i++) {
    acc += nic.classify(b.bytes, b.offsets[i] ?? 0, b.lengths[i] ?? 0, out);
  }
  return acc;
}

const plain = buildFrameBatch(BATCH, 18);
const linux = new Sfc9020Nic(sfcDefaultConfig(QUEUES, { ringSize: 512 }));

const flows128 = acceptedFlows(128);
const with128 = new Sfc9020Nic({ ...sfcDragonetConfig(QUEUES, 512), filters: rulesOf(flows128) });
const hit128 = buildFrameBatch(BATCH, 18, (i) => flows128[i % 128] ?? benchFlow(i));

const flows8000 = acceptedFlows(8000);
const with8000 = new Sfc9020Nic({ ...sfcDragonetConfig(QUEUES, 512), filters: rulesOf(flows8000) });
const hit8000 = buildFrameBatch(BATCH, 18, (i) => flows8000[(i * 7) % 8000] ?? benchFlow(i));
console.log(
  `sfc9020 bench: ${with8000.ipTable.count} filters installed, udp-full search depth ` +
    `${with8000.ipTable.searchDepth[SfcFilterType.UdpFull]}`,
);

Deno.bench("sfc9020 classify x1024: 0 filters (RSS, Linux default)", {
  group: "sfc9020",
  baseline: true,
}, () => {
  run(linux, plain);
});
Deno.bench("sfc9020 classify x1024: 128 full filters (all hit)", { group: "sfc9020" }, () => {
  run(with128, hit128);
});
Deno.bench("sfc9020 classify x1024: 8000 full filters (all hit)", { group: "sfc9020" }, () => {
  run(with8000, hit8000);
});
Deno.bench("sfc9020 classify x1024: 8000 full filters (all miss)", { group: "sfc9020" }, () => {
  run(with8000, plain);
});
