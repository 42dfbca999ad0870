window.addEventListener("DOMContentLoaded", () => {
  window.__TAURI_INTERNALS__.invoke("ready");
});
