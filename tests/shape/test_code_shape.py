"""The code's shape, kept: no two files (engine, command line, app, UI) reach each other through their
imports. The finder is scripts/structure_numbers.py's, which also prints the other measures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("structure_numbers", ROOT / "scripts" / "structure_numbers.py")
shape = importlib.util.module_from_spec(_spec)
assert _spec.loader
_spec.loader.exec_module(shape)


def test_no_import_circles_between_files():
    found = {name: shape.circles(shape.rust_graph(src)) for name, src in shape.RUST_CRATES.items()}
    found["ui"] = shape.circles(shape.ui_graph(shape.UI))
    assert not any(found.values()), f"import circles: {found}"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_circle_through_rust_paths_is_found(tmp_path):
    src = write(
        tmp_path,
        {
            "lib.rs": "pub mod flow;\npub mod keep;\n",
            "flow/mod.rs": "pub mod home;\npub mod view;\n",
            # home -> view by a use tree, view -> home by an inline path: a circle.
            "flow/home.rs": "use crate::flow::{view::{Card, Line}};\n",
            "flow/view.rs": "pub struct V { pub c: Option<crate::flow::home::Card> }\n",
            # A submodule naming its parent by super:: is not a circle: Rust ties them by `mod`.
            "keep/mod.rs": "pub mod vault;\npub use vault::Vault;\n",
            "keep/vault.rs": "use super::Thing;\nuse crate::flow::home::X;\n",
        },
    )
    assert shape.circles(shape.rust_graph(src)) == [["flow/home", "flow/view"]]


def test_a_circle_through_ui_imports_is_found(tmp_path):
    src = write(
        tmp_path,
        {
            "app/actions/home.ts": 'import { enterWizard } from "./start";\n',
            "app/actions/start.ts": 'import { toHome } from "./wizard";\n',
            "app/actions/wizard.ts": 'import { loadHome } from "./home";\nimport type { X } from "../../types";\n',
            "types.ts": "export type X = 1;\n",
        },
    )
    assert shape.circles(shape.ui_graph(src)) == [["app/actions/home", "app/actions/start", "app/actions/wizard"]]


def test_test_code_is_not_counted(tmp_path):
    src = write(
        tmp_path,
        {
            "lib.rs": "pub mod a;\npub mod b;\n",
            "a.rs": "use crate::b::B;\n",
            "b.rs": "pub struct B;\n\n#[cfg(test)]\nmod tests {\n    use crate::a::*;\n}\n",
        },
    )
    assert shape.circles(shape.rust_graph(src)) == []
