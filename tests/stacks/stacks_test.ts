import { runStackConformance, type StackUnderTest } from "./conformance.ts";

const CASES: readonly [string, StackUnderTest][] = [
  ["linux-like default on the plain RSS NIC", { cores: 4, nic: "rss", stack: "linux-like" }],
  ["linux-like rss-pinned on the 82599", {
    cores: 4,
    nic: "intel-82599",
    stack: "linux-like",
    variant: "rss-pinned",
  }],
  ["linux-like busy-poll on the 82599", {
    cores: 4,
    nic: "intel-82599",
    stack: "linux-like",
    variant: "busy-poll",
  }],
  ["linux-like default on the SFC9020 (sfc driver, 60 us moderation)", {
    cores: 4,
    nic: "sfc9020",
    stack: "linux-like",
  }],
  ["linux-like default, static 10 us moderation", {
    cores: 4,
    nic: "rss",
    stack: "linux-like",
    moderation: { kind: "interval", intervalNs: 10_000, source: "test" },
  }],
  ["onload-like on the SFC9020", { cores: 4, nic: "sfc9020", stack: "onload-like" }],
];

for (const [name, sut] of CASES) {
  Deno.test(`stack conformance: ${name}`, async (t) => {
    await runStackConformance(t, sut);
  });
}
