import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The UI is a static bundle that Tauri embeds at compile time (tauri.conf.json:
// build.frontendDist = "../ui/dist"). Everything it needs ships inside it: no
// web fonts, no CDNs, nothing fetched at run time (the CSP forbids it anyway).
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "./",
  clearScreen: false,
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
