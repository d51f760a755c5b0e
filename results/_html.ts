/**
 * Safe HTML building blocks for the report: text and attribute escaping, JSON embedded in a
 * `<script>` data block, and script code inlined without ending its element early.
 *
 * @module
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON text safe inside `<script type="application/json">`: `<`, `>`, `&` and the JavaScript
 * line separators are written as `\u` escapes, so no string in the data can close the element
 * or open a comment; `JSON.parse` gives back the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Script code safe to inline in a `<script>` element: every `</script` (any case) becomes
 * `<\/script`, which means the same inside JavaScript strings and regular expressions.
 *
 * @throws {Error} naming `what` when the code contains `<!--`, which would change how the
 *   browser finds the end of the element
 */
export function scriptForInline(code: string, what: string): string {
  if (code.includes("<!--")) {
    throw new Error(`Cannot inline ${what}: it contains "<!--"; allowed: script code without it`);
  }
  return code.replace(/<\/(script)/gi, "<\\/$1");
}
