"""The webview has no power of its own: it can call the app's commands and nothing else.

Run inside the real window: Tauri's core and plugin commands are refused by the capability (which
grants only the app's own commands, and listening for the events Rust sends the window), and the
content security policy blocks remote content.
"""

import json
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
        ("plugin:window|set_title", {"label": "main", "value": "pwned"}),
        ("plugin:webview|create_webview_window", {"options": {"label": "x", "url": "https://example.com/"}}),
    ],
)
def test_tauri_and_plugin_commands_are_refused(driver, command, args):
    driver.set_script_timeout(10)
    result = driver.execute_async_script(INVOKE, command, args)
    assert result.startswith("refused"), f"{command} should be refused, got {result}"
    assert driver.title != "pwned"


def test_the_only_permissions_beyond_the_apps_commands_are_listening_for_events():
    granted = json.loads(CAPABILITY.read_text())["permissions"]
    # The app's own commands are `allow-<command>`; anything from Tauri or a plugin has a `prefix:`.
    identifiers = [p if isinstance(p, str) else p["identifier"] for p in granted]
    foreign = sorted(i for i in identifiers if ":" in i)
    assert foreign == ["core:event:allow-listen", "core:event:allow-unlisten"], foreign


def test_the_apps_own_commands_work(driver):
    driver.set_script_timeout(10)
    assert driver.execute_async_script(INVOKE, "app_info", {}) == "allowed"


def test_remote_content_is_blocked_by_the_csp(driver):
    driver.set_script_timeout(10)
    result = driver.execute_async_script(
        """
        const done = arguments[0];
        fetch("https://example.com/").then(() => done("loaded")).catch((e) => done("blocked: " + e));
        """
    )
    assert result.startswith("blocked"), result
    csp = driver.execute_script(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m ? m.content : '';"
    )
    # Tauri injects the configured policy; when it is delivered as a header there is no meta tag, and the
    # fetch above is what proves it applies.
    if csp:
        assert "default-src 'self'" in csp
