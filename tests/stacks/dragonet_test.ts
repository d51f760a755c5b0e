import { runStackConformance, type StackUnderTest } from "./conformance.ts";

const CASES: readonly [string, StackUnderTest][] = [
  ["dragonet on the 82599", { cores: 4, nic: "intel-82599", stack: "dragonet" }],
  ["dragonet on the SFC9020", { cores: 4, nic: "sfc9020", stack: "dragonet" }],
];

for (const [name, sut] of CASES) {
  Deno.test(`stack conformance: ${name}`, async (t) => {
    await runStackConformance(t, sut);
  });
}
