// Tiny DOM helpers. Text always goes in through text nodes, never through
// innerHTML, so nothing the UI is given can become markup.

import type { TestId } from "./testids";

export type AttrValue = string | number | boolean | null | undefined;

export interface ElOptions {
  class?: string | undefined;
  /** Stable hook for the end-to-end tests (rendered as data-testid). */
  testid?: TestId | undefined;
  /** Plain attributes. `true` sets an empty attribute, `false`/null/undefined leaves it out. */
  attrs?: Record<string, AttrValue> | undefined;
  text?: string | undefined;
}

export type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  opts: ElOptions = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.class) node.className = opts.class;
  if (opts.testid) node.dataset["testid"] = opts.testid;
  if (opts.attrs) setAttrs(node, opts.attrs);
  if (opts.text !== undefined) node.textContent = opts.text;
  append(node, children);
  return node;
}

export function setAttrs(node: Element, attrs: Record<string, AttrValue>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "style" || name.toLowerCase().startsWith("on")) {
      // Inline styles and handlers would need 'unsafe-inline' under the CSP.
      throw new Error(`el(): attribute "${name}" is not allowed`);
    }
    if (value === false || value === null || value === undefined) node.removeAttribute(name);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replace all children of `parent`. */
export function replaceChildren(parent: Element, children: readonly Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Text that only assistive technology reads (e.g. "done" next to a tick). */
export function srOnly(text: string): HTMLSpanElement {
  return el("span", { class: "sr-only", text });
}
