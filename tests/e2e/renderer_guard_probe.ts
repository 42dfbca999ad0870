// Run by test_inline_markup_selftest.py (bundled by esbuild, run by node): which props the UI's renderer
// guard (ui/src/app/guard.ts) lets through to an element. Preact calls the guard as each element is made,
// so no DOM is needed (only what reaches an element is checked, not a component's own props). Prints one
// JSON object: case -> "thrown" or "allowed".
import { h } from "preact";
import "../../ui/src/app/guard";

const cases: Record<string, Record<string, unknown>> = {
  "style (object)": { style: { color: "red" } },
  "style (string)": { style: "color: red" },
  dangerouslySetInnerHTML: { ["dangerously" + "SetInnerHTML"]: { __html: "<b>x</b>" } },
  "onclick (string)": { onclick: "go()" },
  "onClick (string)": { onClick: "go()" },
  "onClick (function)": { onClick: () => undefined },
  "class and data-testid": { class: "note", "data-testid": "status" },
};

const result: Record<string, string> = {};
for (const [name, props] of Object.entries(cases)) {
  try {
    h("p", props as never, "x");
    result[name] = "allowed";
  } catch {
    result[name] = "thrown";
  }
}
console.log(JSON.stringify(result));
