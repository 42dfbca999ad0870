// Boots the window: the stylesheets, the guard of the CSP promise, the first screen (drawn at once from
// virtual:profiles, before Rust is asked anything), then what Rust knows.

import "./styles/base.css";
// Shared pieces before the screens, whose rules may build on them.
import "./components/widgets.css";
import "./app/guard";

import { h, render } from "preact";
import { initAppLinks } from "./app/actions/applinks";
import { loadHome } from "./app/navigation";
import { App } from "./app/App";
import { freshLocal } from "./app/local";
import { trackInputModality } from "./app/modality";
import { EMPTY_VIEW, mount, navigate, update, type Mode } from "./app/store";
import { api } from "./api";
import { loadAppInfo } from "./app-info";
import type { HomeView, View } from "./types";

import "./styles/responsive.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

trackInputModality(document.documentElement);
mount((state) => render(h(App, { state }), root));

// At first launch focus would sit on the page's body, so the first Tab reached Support before the
// connectors: it starts at the first choice (focus does not select it).
document.querySelector<HTMLInputElement>('[data-testid="connector-choices"] input.choice-input')?.focus();

initAppLinks();

void (async () => {
  let view: View = EMPTY_VIEW;
  let home: HomeView | null = null;
  try {
    // Both at once: the home screen's data must not wait for a round trip of the view's.
    [view, home] = await Promise.all([api.view(), loadHome()]);
  } catch {
    // A plain browser without Tauri: the start screen still works as a preview.
  }
  // A journey under way reopens where it was; a setup under way is offered on the start screen;
  // otherwise returning users see their connections.
  let mode: Mode = "start";
  if (view.journey !== "setup" && view.current) mode = "wizard";
  else if (!view.active && (home?.cards.length ?? 0) > 0) mode = "home";
  const patch = { view, home, mode, local: freshLocal(mode === "wizard" ? (view.current?.id ?? null) : null) };
  // The start screen is already on display: it is patched, and keeps its focus; another screen takes it.
  if (mode === "start") update(patch);
  else navigate(patch);
})();

void loadAppInfo().then((info) => {
  if (info) update({ version: `${info.name} ${info.version}`, baseUrl: info.base_url ?? "" });
});
