"""The registry of test ids (ui/src/testids.ts) against the UI's sources and the tests' lookups: no
window needed, so a renamed id fails here in a second."""

from __future__ import annotations

import re

import pytest

from e2e_support import REPO, TEST_IDS, by_testid, known_testid

UI = REPO / "ui" / "src"


def ui_sources() -> str:
    files = sorted(p for ext in ("*.ts", "*.tsx") for p in UI.rglob(ext))
    return "\n".join(p.read_text() for p in files if p.name not in ("testids.ts", "bindings.ts"))


def test_every_registered_id_is_set_by_the_ui():
    text = ui_sources()
    stale = sorted(i for i in TEST_IDS if f'"{i}"' not in text)
    assert not stale, f"ui/src/testids.ts lists ids no UI module sets: {stale}"


def test_every_literal_id_the_ui_sets_is_registered():
    text = ui_sources()
    # data-testid="…" in JSX, testid="…" / testid: "…" handed to a component or an action.
    literal = {i for i in re.findall(r'(?:\btestid:\s*|\btestid=|data-testid=)"([^"]+)"', text) if "${" not in i}
    assert literal and literal <= TEST_IDS, sorted(literal - TEST_IDS)


@pytest.mark.parametrize("value", ["start-titel", "conector-celigo", "run_test"])
def test_an_id_the_ui_never_sets_fails_at_once(value):
    with pytest.raises(AssertionError, match="not in ui/src/testids.ts"):
        by_testid(value)


@pytest.mark.parametrize("value", ["start-title", "connector-aftership-input", "card-x1-rotate", "capture-token_id",
                                   "open-also-2", "rail-test"])
def test_ids_the_ui_sets_are_known(value):
    assert known_testid(value) == value
