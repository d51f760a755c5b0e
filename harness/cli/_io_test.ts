import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { CaptureIo, type CliIo, runCaptured } from "./_io.ts";

function demo(io: CliIo) {
  const cmd = new Command("demo");
  cmd.command("say").argument("<word>").action((word) => io.write(`${word}\n`));
  cmd.command("fail").action(() => {
    io.write("failing\n");
    io.setExitCode(3);
  });
  return cmd;
}

Deno.test("CLI io", async (t) => {
  await t.step("a capture keeps the text written and the exit status", async () => {
    const said = await runCaptured(demo, ["say", "hello"]);
    assert.deepEqual([said.text, said.exitCode], ["hello\n", 0]);
    const failed = await runCaptured(demo, ["fail"]);
    assert.deepEqual([failed.text, failed.exitCode], ["failing\n", 3]);
  });

  await t.step("usage errors of subcommands reject instead of exiting", async () => {
    await assert.rejects(runCaptured(demo, ["say"]), /missing required argument 'word'/);
    await assert.rejects(runCaptured(demo, ["nope"]), /unknown command 'nope'/);
  });

  await t.step("a given capture holds the text written before a rejection", async () => {
    const io = new CaptureIo();
    const build = (o: CliIo) =>
      new Command("x").action(() => {
        o.write("partial\n");
        throw new Error("Boom");
      });
    await assert.rejects(runCaptured(build, [], io), /Boom/);
    assert.equal(io.text, "partial\n");
  });

  await t.step("the process io writes every byte to standard output", async () => {
    const text = "é".repeat(100_000) + "\n";
    const io = JSON.stringify(new URL("./_io.ts", import.meta.url).href);
    const code = `import { processIo } from ${io};
processIo.write("é".repeat(100_000) + "\\n"); processIo.setExitCode(4);`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", code],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 4, new TextDecoder().decode(r.stderr));
    assert.equal(new TextDecoder().decode(r.stdout), text);
  });
});
