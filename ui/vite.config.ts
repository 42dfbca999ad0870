import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

// The UI is a static bundle that Tauri embeds at compile time (tauri.conf.json:
// build.frontendDist = "../ui/dist"). Everything it needs ships inside it: no
// web fonts, no CDNs, nothing fetched at run time (the CSP forbids it anyway).
const root = fileURLToPath(new URL(".", import.meta.url));

// The start screen lists the connector profiles before Rust has answered anything, so it reads them
// here, at build time, from the same folder the engine embeds (src-tauri/engine/profiles/*.json):
// a connector is one file, and a new one appears on the start screen with no other change. Only what
// the start screen shows goes into the bundle; the procedures themselves stay in Rust.
const PROFILES_DIR = fileURLToPath(new URL("../src-tauri/engine/profiles", import.meta.url));
const PROFILES_ID = "virtual:profiles";

interface ProfileFile {
  id: string;
  order: number;
  name: string;
  short_name: string;
  summary: string;
  badge?: string;
  release_notice?: { title: string; points: string[] };
  steps: { code: string; short_title: string }[];
}

function profilesPlugin(): Plugin {
  return {
    name: "tba-profiles",
    resolveId: (id) => (id === PROFILES_ID ? "\0" + PROFILES_ID : null),
    load(id) {
      if (id !== "\0" + PROFILES_ID) return null;
      const files = readdirSync(PROFILES_DIR).filter((f) => f.endsWith(".json")).sort();
      const choices = files
        .map((file) => {
          const path = join(PROFILES_DIR, file);
          this.addWatchFile(path);
          const p = JSON.parse(readFileSync(path, "utf8")) as ProfileFile;
          return {
            id: p.id,
            order: p.order,
            name: p.name,
            shortName: p.short_name,
            summary: p.summary,
            badge: p.badge ?? null,
            notice: p.release_notice ?? null,
            steps: p.steps.map((s) => ({ code: s.code, label: s.short_title })),
          };
        })
        .sort((a, b) => a.order - b.order);
      return `export default ${JSON.stringify(choices)};`;
    },
  };
}

export default defineConfig({
  plugins: [profilesPlugin()],
  root,
  base: "./",
  clearScreen: false,
  // JSX for Preact, by esbuild itself (no plugin): the same settings as ui/tsconfig.json.
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.4x+ (Linux), WebView2 (Windows) and WKWebView (macOS) are all modern.
    target: "es2022",
    // Keep every asset a separate file or a data: URL; never inline scripts/styles into HTML.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    strictPort: true,
    fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] },
  },
});
