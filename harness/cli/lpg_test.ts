import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { addLpgCommands } from "./lpg.ts";

function lpgCommand(io: Parameters<typeof addLpgCommands>[1]): Command {
  const group = new Command("graph").exitOverride();
  addLpgCommands(group, io);
  return group;
}
import { parseGraph } from "../../stack/graph/json.ts";

const STATE = new URL("../../stack/protocols/testdata/stack_state.json", import.meta.url).pathname;

function capture() {
  const out: string[] = [];
  let code = 0;
  return {
    io: { write: (t: string) => out.push(t), setExitCode: (c: number) => (code = c) },
    text: () => out.join(""),
    code: () => code,
  };
}

Deno.test("lab graph lpg and compile", async (t) => {
  const dir = await Deno.makeTempDir();
  await t.step("build writes a valid LPG with one filter per endpoint", async () => {
    const c = capture();
    const json = `${dir}/lpg.json`;
    await lpgCommand(c.io).parseAsync(["lpg", "--endpoints", STATE, "--json", json], {
      from: "user",
    });
    assert.equal(c.code(), 0, c.text());
    assert.match(c.text(), /0 problem\(s\); wrote/);
    const g = parseGraph(await Deno.readTextFile(json));
    assert.equal(g.nodes.filter((n) => n.spec === "rx.udp.demux-filter").length, 3);
  });
  await t.step("build without endpoints prints the template with its C-node", async () => {
    const c = capture();
    await lpgCommand(c.io).parseAsync(["lpg"], { from: "user" });
    assert.equal(c.code(), 0);
    assert.match(c.text(), /"rx.udp.sockets"/);
  });
  await t.step("compile prints a generated function, per pipeline when asked", async () => {
    const c = capture();
    await lpgCommand(c.io).parseAsync(["compile", `${dir}/lpg.json`], { from: "user" });
    assert.match(c.text(), /return function run\(start, buf\)/);
    assert.match(c.text(), /\/\/ rx\.ipv4\.valid-checksum \(fnode\)/);
    const p = capture();
    await lpgCommand(p.io).parseAsync(["compile", "--pipelines", `${dir}/lpg.json`], {
      from: "user",
    });
    assert.match(p.text(), /===== pipeline App0 =====/);
    assert.match(p.text(), /===== pipeline Q0 =====/);
  });
  await t.step("a missing stack-state file is a clear error", async () => {
    await assert.rejects(
      () =>
        lpgCommand(capture().io).parseAsync(["lpg", "--endpoints", `${dir}/nope.json`], {
          from: "user",
        }),
      /Cannot read stack-state file ".*nope.json": no such file/,
    );
  });
  await Deno.remove(dir, { recursive: true });
});
