// The promise el() kept, kept by the renderer: no markup from strings, no inline style, no on* attribute.
// Preact would set `style` through the CSSOM (which the CSP's style-src does not stop) and parse
// `dangerouslySetInnerHTML` as markup; an `on*` prop that is not a function would be no listener. Any
// such prop on an element throws before it reaches the DOM. tests/ui_csp_scan.py finds them in the
// source; the end-to-end run checks the live window (e2e_support.assert_no_inline_markup).

import { options, type VNode } from "preact";

const RAW_MARKUP = ["dangerously", "SetInnerHTML"].join(""); // csp-scan: allowed (the guard names it)

function check(vnode: VNode): void {
  if (typeof vnode.type !== "string") return;
  const props = vnode.props as Record<string, unknown>;
  for (const name of Object.keys(props)) {
    const value = props[name];
    const handler = /^on/i.test(name);
    if (name === "style" || name === RAW_MARKUP || (handler && value != null && typeof value !== "function")) {
      throw new Error(`<${vnode.type}>: the prop "${name}" is not allowed (no inline style, markup or on* attribute)`);
    }
  }
}

const previous = options.vnode;
options.vnode = (vnode) => {
  check(vnode);
  previous?.(vnode);
};
