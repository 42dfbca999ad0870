"""The webview has no power of its own: it can call the app's commands and nothing else.

Run inside the real window: Tauri's core and plugin commands are refused by the capability (which
grants only the app's own commands, and listening for the events Rust sends the window), and the
content security policy blocks content from anywhere else, loopback included.
"""

import json
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CAPABILITY = Path(__file__).resolve().parents[2] / "src-tauri" / "capabilities" / "main.json"

# Asks the IPC for a command and reports whether it was allowed, without throwing in the page.
INVOKE = """
const [cmd, args, done] = arguments;
window.__TAURI_INTERNALS__.invoke(cmd, args)
  .then(() => done("allowed"))
  .catch((e) => done("refused: " + String(e && e.message ? e.message : e)));
"""


@pytest.mark.parametrize(
    "command,args",
    [
        ("plugin:opener|open_url", {"url": "https://example.com/"}),
        ("plugin:shell|open", {"path": "https://example.com/"}),
        ("plugin:fs|read_text_file", {"path": "/etc/passwd"}),
        ("plugin:clipboard-manager|read_text", {}),
        ("plugin:event|emit", {"event": "tba://app-link", "payload": {"kind": "opened", "message": "x"}}),
        ("plugin:event|emit_to", {"target": {"kind": "Any"}, "event": "x", "payload": None}),
        # App links are handled in Rust only: the window may not read, register or remove them.
        ("plugin:deep-link|get_current", {}),
        ("plugin:deep-link|register", {"protocol": "tba-wizard"}),
        ("plugin:deep-link|unregister", {"protocol": "tba-wizard"}),
        ("plugin:deep-link|is_registered", {"protocol": "tba-wizard"}),
        # The save dialog is Rust's ("Save a copy as…"): the window may not open one, or a message box.
        ("plugin:dialog|save", {"options": {"defaultPath": "/tmp/pwned.pem"}}),
        ("plugin:dialog|open", {"options": {"directory": True}}),
        ("plugin:dialog|message", {"message": "pwned", "kind": "info"}),
        ("plugin:window|set_title", {"label": "main", "value": "pwned"}),
        ("plugin:webview|create_webview_window", {"options": {"label": "x", "url": "https://example.com/"}}),
    ],
)
def test_tauri_and_plugin_commands_are_refused(driver, command, args):
    driver.set_script_timeout(10)
    result = driver.execute_async_script(INVOKE, command, args)
    assert result.startswith("refused"), f"{command} should be refused, got {result}"
    assert driver.title != "pwned"


# tauri-plugin-dialog's script in the page turns alert() and confirm() into its message command, which the
# capability refuses: no native message box can be opened from the page.
CONFIRM = """
const done = arguments[0];
try {
  window.alert("pwned");  // answers nothing; its call is refused as confirm's is
  Promise.resolve(window.confirm("pwned")).then(
    (answer) => done("answered: " + String(answer)),
    (e) => done("refused: " + String(e && e.message ? e.message : e)),
  );
} catch (e) {
  done("threw: " + String(e));
}
"""


def test_alert_and_confirm_open_no_dialog(driver):
    driver.set_script_timeout(10)
    result = driver.execute_async_script(CONFIRM)
    assert result.startswith("refused"), f"confirm() in the page should be refused, got {result}"


def test_the_only_permissions_beyond_the_apps_commands_are_listening_for_events():
    granted = json.loads(CAPABILITY.read_text())["permissions"]
    # The app's own commands are `allow-<command>`; anything from Tauri or a plugin has a `prefix:`.
    identifiers = [p if isinstance(p, str) else p["identifier"] for p in granted]
    foreign = sorted(i for i in identifiers if ":" in i)
    assert foreign == ["core:event:allow-listen", "core:event:allow-unlisten"], foreign


def test_the_apps_own_commands_work(driver):
    driver.set_script_timeout(10)
    assert driver.execute_async_script(INVOKE, "app_info", {}) == "allowed"


def _png_pixel() -> bytes:
    """A valid 1x1 PNG, so that an image load that gets through really loads."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PIXEL = _png_pixel()


@pytest.fixture
def loopback_server():
    """A server on 127.0.0.1 that answers anything, to anyone (CORS open): only the CSP stands between it
    and the window. Loopback, so that a block cannot be the network's doing, as it could with a public host
    offline. Yields its origin and the paths it was asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            asked.append(self.path)
            if self.path.startswith("/pixel"):
                body, kind = PIXEL, "image/png"
            elif self.path.startswith("/script"):
                body, kind = b"window.__loopbackScriptRan = true;", "text/javascript"
            else:
                body, kind = b'{"reached": true}', "application/json"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


# Tries a fetch, an image and a script from the origin, each to its end, and reports what happened and
# which policy violations the page saw.
LOAD_FROM = """
const [origin, done] = arguments;
const violations = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
const settle = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r("no answer"), 4000))]);
const fetched = settle(
  fetch(origin + "/fetch").then((r) => r.text()).then((t) => "loaded: " + t, (e) => "blocked: " + e)
);
const image = settle(new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve("loaded");
  img.onerror = () => resolve("blocked");
  img.src = origin + "/pixel.png";
  document.body.appendChild(img);
}));
const script = settle(new Promise((resolve) => {
  const s = document.createElement("script");
  s.onload = () => resolve("loaded");
  s.onerror = () => resolve("blocked");
  s.src = origin + "/script.js";
  document.head.appendChild(s);
}));
Promise.all([fetched, image, script]).then(([fetch, img, script]) =>
  done({ fetch, img, script, ran: window.__loopbackScriptRan === true, violations })
);
"""


def test_loopback_content_is_blocked_by_the_csp(driver, loopback_server):
    origin, asked = loopback_server
    driver.set_script_timeout(15)
    result = driver.execute_async_script(LOAD_FROM, origin)
    # Anything that left the window reached the server; give a late request time to land.
    time.sleep(1)
    assert asked == [], f"the window reached {origin} despite the CSP: {asked}; in the page: {result}"
    assert result["fetch"].startswith("blocked"), result
    assert result["img"] == "blocked", result
    assert result["script"] == "blocked", result
    assert not result["ran"], result
    # And it is the policy that blocked them, each under its own directive.
    violated = result["violations"]
    assert "connect-src" in violated and "img-src" in violated, result
    assert any(v.startswith("script-src") for v in violated), result
    csp = driver.execute_script(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m ? m.content : '';"
    )
    # Tauri injects the configured policy; when it is delivered as a header there is no meta tag, and the
    # loads above are what prove it applies.
    if csp:
        assert "default-src 'self'" in csp
