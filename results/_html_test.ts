import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeHtml, jsonForScript, scriptForInline } from "./_html.ts";

Deno.test("HTML escaping", async (t) => {
  await t.step("escapeHtml leaves no markup characters", () => {
    assert.equal(
      escapeHtml(`<a href="x">Tom & 'Jerry'</a>`),
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeHtml(s);
        assert.ok(!/[<>"']/.test(e));
        assert.ok(!/&(?!amp;|lt;|gt;|quot;|#39;)/.test(e));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  await t.step("jsonForScript round-trips and cannot close its element", () => {
    const v = { stack: "</script><script>alert(1)</script>", note: "<!-- & \u2028" };
    const text = jsonForScript(v);
    assert.ok(!/[<>&\u2028\u2029]/.test(text));
    assert.deepEqual(JSON.parse(text), v);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = jsonForScript(value);
        assert.ok(!/[<>&\u2028\u2029]/.test(out));
        assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(value)));
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  await t.step("scriptForInline breaks every </script and refuses <!--", () => {
    assert.equal(
      scriptForInline('var a = "</script>", b = "</SCRIPT>";', "x"),
      'var a = "<\\/script>", b = "<\\/SCRIPT>";',
    );
    assert.throws(
      () => scriptForInline("var a = '<!--';", "the vega build"),
      /Cannot inline the vega build: it contains "<!--"/,
    );
  });
});
