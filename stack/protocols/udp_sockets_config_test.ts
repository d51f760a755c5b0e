import assert from "node:assert/strict";
import { applyConfig, ConfigError } from "../graph/config/apply.ts";
import { makeConfigRegistries } from "../graph/config/expansion.ts";
import { nodeId } from "../graph/types.ts";
import { buildLpg, lpgTemplate } from "./lpg.ts";
import { endpointsToValue, registerLpgConfig, valueToEndpoints } from "./udp_sockets_config.ts";
import { UDP_SOCKETS_NODE, type UdpEndpoint } from "./udp_sockets_expansion.ts";

const ENDPOINTS: UdpEndpoint[] = [
  { sockets: [{ sid: 0, appId: 0 }], srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 7 },
  {
    sockets: [{ sid: 4, appId: 3 }, { sid: 5, appId: 3 }],
    srcIp: 6,
    srcPort: 2345,
    dstIp: 3,
    dstPort: 3456,
  },
];

const sorted = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

Deno.test("socket C-node through the configuration layer", async (t) => {
  await t.step("applyConfig gives the same graph as buildLpg", () => {
    const registries = registerLpgConfig(makeConfigRegistries());
    const g = applyConfig(
      lpgTemplate(),
      [[nodeId(UDP_SOCKETS_NODE), endpointsToValue(ENDPOINTS)]],
      registries,
    );
    const direct = buildLpg(ENDPOINTS);
    assert.deepEqual(sorted(g.nodes), sorted(direct.nodes));
    assert.deepEqual(sorted(g.edges), sorted(direct.edges));
  });
  await t.step("values round-trip and a value outside the space is refused", () => {
    assert.deepEqual(valueToEndpoints(endpointsToValue(ENDPOINTS)), ENDPOINTS);
    const registries = registerLpgConfig(makeConfigRegistries());
    assert.throws(
      () =>
        applyConfig(
          lpgTemplate(),
          [[nodeId(UDP_SOCKETS_NODE), [{
            sids: [],
            sIP: null,
            sPort: 70000,
            dIP: null,
            dPort: 7,
          }]]],
          registries,
        ),
      ConfigError,
    );
  });
});
