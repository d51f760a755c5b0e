import { runStackConformance, type StackUnderTest } from "./conformance.ts";

// One case per core placement (harness/stacks/dragonet_placement.ts); colocated is the default.
const CASES: readonly [string, StackUnderTest][] = [
  ["dragonet on the 82599 (colocated)", { cores: 4, nic: "intel-82599", stack: "dragonet" }],
  ["dragonet on the SFC9020 (colocated)", { cores: 4, nic: "sfc9020", stack: "dragonet" }],
  ["dragonet on the 82599 (split)", {
    cores: 4,
    queues: 4,
    placement: "split",
    nic: "intel-82599",
    stack: "dragonet",
  }],
  ["dragonet on the SFC9020 (dedicated)", {
    cores: 8,
    queues: 4,
    placement: "dedicated",
    nic: "sfc9020",
    stack: "dragonet",
  }],
];

for (const [name, sut] of CASES) {
  Deno.test(`stack conformance: ${name}`, async (t) => {
    await runStackConformance(t, sut);
  });
}
