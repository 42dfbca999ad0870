"""The checks of the UI's CSP promise (no markup from strings, no inline style, no on* attribute) can fail:
each broken form is planted, in a copy of the UI's source for the static scan (tests/ui_csp_scan.py) and in
the live window for the runtime check (e2e_support.assert_no_inline_markup), and must be found; the
renderer's guard (ui/src/app/guard.ts) must refuse each such prop. The clean source and the clean window
must pass."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import e2e_support as es

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import ui_csp_scan  # noqa: E402

BROKEN = {
    "dangerouslySetInnerHTML": 'export const A = () => <div dangerouslySetInnerHTML={{ __html: x }} />;',
    "innerHTML": "node.innerHTML = text;",
    "outerHTML": "node.outerHTML = `<b>${text}</b>`;",
    "insertAdjacentHTML": 'node.insertAdjacentHTML("beforeend", text);',
    "a style prop (object)": "export const A = () => <p style={{ color: 'red' }}>x</p>;",
    "a style prop (string)": 'export const A = () => <p style="color: red">x</p>;',
    "a style key in h() props": 'h("p", { style: { color: "red" } }, "x");',
    "a quoted style key": 'h("p", { "style": "color: red" }, "x");',
    "the CSSOM": 'node.style.color = "red";',
    "cssText": "node.style.cssText = text;",
    "setAttribute style": 'node.setAttribute("style", "color: red");',
    "setAttribute onclick": "node.setAttribute('onclick', 'go()');",
    "an onclick string": 'export const A = () => <button onclick="go()">x</button>;',
    "an inline script in the page": "<script>alert(1)</script>",
}


@pytest.mark.parametrize("form", list(BROKEN))
def test_the_source_scan_finds_each_broken_form(form, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(REPO / "ui" / "src", src)
    suffix = ".html" if "<script>" in BROKEN[form] else ".tsx"
    (src / "screens").mkdir(exist_ok=True)
    (src / "screens" / f"planted{suffix}").write_text(f"// a comment may say style= and innerHTML\n{BROKEN[form]}\n")
    found = ui_csp_scan.scan([src])
    assert found and all("planted" in f for f in found), found
    # And the command test.sh runs fails on it.
    run = subprocess.run([sys.executable, str(REPO / "tests" / "ui_csp_scan.py"), str(src)], capture_output=True, text=True)
    assert run.returncode == 1, run.stdout


def test_the_source_scan_passes_the_real_ui():
    assert ui_csp_scan.scan(ui_csp_scan.DEFAULT) == []
    # Prose in comments may name what is forbidden.
    assert ui_csp_scan.scan_text("// never innerHTML, never style=\n/* dangerouslySetInnerHTML */\nconst a = 1;\n") == []


def test_the_window_check_finds_a_style_or_handler_attribute(driver):
    es.wait_testid(driver, "start-title")
    es.assert_no_inline_markup(driver, "the start screen")
    for attribute, value in (("style", "color: red"), ("onclick", "void 0"), ("onmouseover", "void 0")):
        driver.execute_script(
            "document.querySelector('[data-testid=\"start-intro\"]').setAttribute(arguments[0], arguments[1])",
            attribute,
            value,
        )
        with pytest.raises(AssertionError, match=attribute):
            es.assert_no_inline_markup(driver, "a planted attribute")
        driver.execute_script(
            "document.querySelector('[data-testid=\"start-intro\"]').removeAttribute(arguments[0])", attribute
        )
    es.assert_no_inline_markup(driver, "the start screen again")


def test_the_renderer_guard_refuses_style_markup_and_string_handlers(tmp_path):
    """ui/src/app/guard.ts, bundled with Preact by esbuild and run by node (renderer_guard_probe.ts)."""
    esbuild = REPO / "node_modules" / ".bin" / "esbuild"
    node = shutil.which("node")
    assert esbuild.exists() and node, "esbuild (npm install) and node are needed"
    probe = tmp_path / "probe.mjs"
    subprocess.run(
        [str(esbuild), str(Path(__file__).with_name("renderer_guard_probe.ts")), "--bundle", "--platform=node",
         "--format=esm", "--log-level=warning", f"--outfile={probe}"],
        check=True, cwd=REPO,
    )
    result = json.loads(subprocess.run([node, str(probe)], check=True, capture_output=True, text=True).stdout)
    assert result == {
        "style (object)": "thrown",
        "style (string)": "thrown",
        "dangerouslySetInnerHTML": "thrown",
        "onclick (string)": "thrown",
        "onClick (string)": "thrown",
        "onClick (function)": "allowed",
        "class and data-testid": "allowed",
    }, result
