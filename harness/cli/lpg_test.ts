import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { addLpgCommands } from "./lpg.ts";
import { type CliIo, runCaptured } from "./_io.ts";
import { parseGraph } from "../../stack/graph/json.ts";

const STATE = new URL("../../stack/protocols/testdata/stack_state.json", import.meta.url).pathname;

function lpgCommand(io: CliIo): Command {
  const group = new Command("graph");
  addLpgCommands(group, io);
  return group;
}

function run(args: string[]) {
  return runCaptured(lpgCommand, args);
}

Deno.test("lab graph lpg and compile", async (t) => {
  const dir = await Deno.makeTempDir();
  await t.step("build writes a valid LPG with one filter per endpoint", async () => {
    const json = `${dir}/lpg.json`;
    const c = await run(["lpg", "--endpoints", STATE, "--json", json]);
    assert.equal(c.exitCode, 0, c.text);
    assert.match(c.text, /0 problem\(s\); wrote/);
    const g = parseGraph(await Deno.readTextFile(json));
    assert.equal(g.nodes.filter((n) => n.spec === "rx.udp.demux-filter").length, 3);
  });
  await t.step("build without endpoints prints the template with its C-node", async () => {
    const c = await run(["lpg"]);
    assert.equal(c.exitCode, 0);
    assert.match(c.text, /"rx.udp.sockets"/);
  });
  await t.step("compile prints a generated function, per pipeline when asked", async () => {
    const c = await run(["compile", `${dir}/lpg.json`]);
    assert.match(c.text, /return function run\(start, buf\)/);
    assert.match(c.text, /\/\/ rx\.ipv4\.valid-checksum \(fnode\)/);
    const p = await run(["compile", "--pipelines", `${dir}/lpg.json`]);
    assert.match(p.text, /===== pipeline App0 =====/);
    assert.match(p.text, /===== pipeline Q0 =====/);
  });
  await t.step("a missing stack-state file is a clear error", async () => {
    await assert.rejects(
      () => run(["lpg", "--endpoints", `${dir}/nope.json`]),
      /Cannot read stack-state file ".*nope.json": no such file/,
    );
  });
  await Deno.remove(dir, { recursive: true });
});
