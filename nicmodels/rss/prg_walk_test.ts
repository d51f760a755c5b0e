import assert from "node:assert/strict";
import fc from "fast-check";
import { assertAgree, buildRecipeFrame, frameRecipe } from "../_shared/_prg_frames.ts";
import type { NicConfig } from "../_shared/nic.ts";
import { compilePrgWalker } from "../_shared/prg_walk.ts";
import { formatKeyHex } from "../_shared/toeplitz.ts";
import { validateGraph } from "../../stack/graph/validate.ts";
import { rssNicCapabilities } from "./capabilities.ts";
import { RssNic } from "./model.ts";
import { configureRssNicPrg } from "./prg_configure.ts";

const configRss = fc.record({
  queues: fc.integer({ min: 1, max: 16 }),
  enabled: fc.constantFrom(true, true, true, false),
  key: fc.uint8Array({ minLength: 40, maxLength: 40 }),
  table: fc.array(fc.nat(15), { minLength: 128, maxLength: 128 }),
  udp4: fc.constantFrom("2-tuple", "4-tuple"),
  tcp6: fc.constantFrom("2-tuple", "4-tuple"),
  rxChecksum: fc.boolean(),
  maxFrame: fc.constantFrom(1522, 1522, 100),
});

type Gen = typeof configRss extends fc.Arbitrary<infer T> ? T : never;

function toConfig(g: Gen): NicConfig {
  return {
    queues: g.queues,
    ringSize: 512,
    rss: {
      enabled: g.enabled,
      key: formatKeyHex(g.key),
      table: g.table.map((e) => e % g.queues),
      fields: {
        "ipv4-udp": g.udp4 as "2-tuple" | "4-tuple",
        "ipv6-tcp": g.tcp6 as "2-tuple" | "4-tuple",
      },
    },
    filters: [],
    settings: { rxChecksum: g.rxChecksum, maxFrame: g.maxFrame },
  };
}

Deno.test("RSS NIC configured PRG", async (t) => {
  await t.step("the RSS node reaches exactly the queues in the table", () => {
    const caps = rssNicCapabilities({ queues: 4 });
    const cfg = toConfig({
      queues: 4,
      enabled: true,
      key: new Uint8Array(40).fill(0x6d),
      table: Array.from({ length: 128 }, (_, i) => (i % 2) * 3),
      udp4: "2-tuple",
      tcp6: "4-tuple",
      rxChecksum: true,
      maxFrame: 1522,
    });
    const g = configureRssNicPrg(caps, cfg);
    const reached = g.edges.flatMap((e) =>
      e.kind === "port" && e.from === "rx.c.rss.rss" ? [`${e.port}->${e.to}`] : []
    ).sort();
    assert.deepEqual(reached, [
      "nohash->rx.to-default",
      "q0->rx.c.rss.rss-q0",
      "q3->rx.c.rss.rss-q3",
    ]);
    assert.deepEqual(
      validateGraph(g).filter((p) => p.code !== "unreachable").map((p) => p.message),
      [],
    );
  });

  await t.step("model and PRG walk agree", () => {
    fc.assert(
      fc.property(
        configRss,
        fc.array(frameRecipe, { minLength: 10, maxLength: 20 }),
        (g, recipes) => {
          const cfg = toConfig(g);
          const nic = new RssNic({ queues: g.queues }, cfg);
          const walker = compilePrgWalker(configureRssNicPrg(nic.capabilities, cfg));
          for (const r of recipes) assertAgree(nic, walker, buildRecipeFrame(r, []), "RSS NIC");
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
