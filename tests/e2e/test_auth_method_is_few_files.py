"""An auth method is asked in few places: in a scratch copy of the repository, an imaginary third method
(an `AuthKind` variant, its names and profile rules beside `method::of`, its `Method` in a file of its own,
its `AuthRecord` variant in the record's file, its arm in the home card's and the command line's output)
and a connector that uses it (one profile file) build, and the command line lists that connector with the
method's name and what it holds. Seven files, where
ARCHITECTURE.md's "Add an auth method" allows twelve; a real method adds its NetSuite signing, its secrets
and its commands to these.

The scratch copy builds the command line (beside the window, as the main build does, so that the
dependencies seeded from the repository's debug build fit; see `test_profile_is_one_file.py`).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from e2e_support import REPO
from test_profile_is_one_file import cargo_build, seed_target, tracked_and_new_files

IMAGINARY = "imaginary_method"

METHOD_FILE = """//! An imaginary auth method, made by a test to show how few places a method is asked in.

use super::{Describe, Method};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::secrets::{CaptureField, Fingerprints};
use crate::keep::store::{Connection, Profile};
use crate::keep::vault::{SecretStore, Slot};
use crate::netsuite::account::Account;
use crate::netsuite::outcome::RefreshClears;
use crate::netsuite::signer::Signer;

pub(super) struct Imaginary;

fn not_yet() -> ConnectionError {
    ConnectionError::BadInput("The imaginary method keeps nothing yet.".into())
}

impl<S: SecretStore> Method<S> for Imaginary {
    fn begin(&self, _: &Connections<S>, _: &str, _: &Account, _: Profile) -> Result<Connection, ConnectionError> {
        Err(not_yet())
    }
    fn sync(&self, _: &Connections<S>, c: Connection) -> Result<Connection, ConnectionError> {
        Ok(c)
    }
    fn promote(&self, _: &Connections<S>, _: Connection, _: Option<&Fingerprints>) -> Result<Connection, ConnectionError> {
        Err(not_yet())
    }
    fn signer(&self, _: &Connections<S>, _: &Connection, _: Slot) -> Result<Signer, ConnectionError> {
        Err(not_yet())
    }
    fn capture(
        &self,
        _: &Connections<S>,
        _: &[Connection],
        _: &Connection,
        _: Slot,
        _: CaptureField,
        _: &str,
    ) -> Result<(Connection, String, Vec<String>), ConnectionError> {
        Err(not_yet())
    }
    fn takes_tba_values(&self) -> bool {
        false
    }
    fn forget_staged(&self, _: &mut Connection) {}
    fn passed(&self, _: &mut Connection, _: &str) {}
}

impl Describe for Imaginary {
    fn missing(&self, _: &Connection) -> Vec<&'static str> {
        vec![]
    }
    fn report_lines(&self, _: &Connection) -> Vec<String> {
        vec!["Auth: imaginary".into()]
    }
    fn refresh_clears(&self) -> RefreshClears {
        RefreshClears::AccessTokens
    }
}
"""

# The arm each of AuthKind's names and profile rules gets, after the OAuth 2.0 one (the compiler refuses
# the build until every one is there); `of` and `describe` share the first.
ARMS = {
    "        AuthKind::M2m => &m2m::M2m,": "        AuthKind::Imaginary => &imaginary::Imaginary,",
    '            AuthKind::M2m => "m2m",': '            AuthKind::Imaginary => "imaginary",',
    '            AuthKind::M2m => "OAuth 2.0 client credentials (M2M)",': '            AuthKind::Imaginary => "An imaginary method",',
    '            AuthKind::M2m => "OAuth 2.0",': '            AuthKind::Imaginary => "Imaginary",',
    "            AuthKind::M2m => (&[], &Collect::M2M),": "            AuthKind::Imaginary => (&[], &[]),",
    '            AuthKind::M2m => "uses OAuth 2.0",': '            AuthKind::Imaginary => "uses an imaginary method",',
    "            AuthKind::M2m => REST_ESSENTIALS_M2M,": "            AuthKind::Imaginary => REST_ESSENTIALS,",
    '            AuthKind::M2m => vec!["private_key", "client_id"],': "            AuthKind::Imaginary => vec![],",
}

# How the window's home card and the command line's output show a connection of the method: one arm each,
# in their one dispatch point, before the first (a real method gives its card a variant of its own, and the window a
# component for it).
SHOWN_ARMS = {
    "engine/src/flow/cards.rs": {
        "        AuthRecord::Tba(t) => {":
            "        AuthRecord::Imaginary => (AuthCard::M2m { certificate }, None),",
    },
    "cli/src/describe.rs": {
        "        AuthRecord::M2m(Some(m)) => {":
            '        AuthRecord::Imaginary => ByMethod {\n'
            '            column: Cow::Borrowed("imaginary"),\n'
            '            lines: vec![],\n'
            '            json: None,\n'
            '        },',
    },
}

# What a connection of the method keeps in its record, and how the record meets the file: one variant and
# its arms in `keep/record.rs`, the record's one dispatch point.
RECORD_ARMS = {
    "    M2m(Option<M2mRecord>),": "    /// Made up by a test.\n    Imaginary,",
    "            AuthRecord::M2m(_) => AuthKind::M2m,": "            AuthRecord::Imaginary => AuthKind::Imaginary,",
    "            AuthKind::M2m => AuthRecord::M2m(f.m2m),": "            AuthKind::Imaginary => AuthRecord::Imaginary,",
    "            AuthRecord::M2m(m) => (TbaRecord::default(), m),":
        "            AuthRecord::Imaginary => (TbaRecord::default(), None),",
    "            (AuthRecord::Tba(t), _) => SignedWith::Tba(t.fingerprints.clone()),":
        "            (AuthRecord::Imaginary, _) => SignedWith::Tba(Fingerprints::default()),",
}


def imaginary_profile() -> dict:
    """The own-integration profile, signing with the imaginary method: it collects no TBA value."""
    profile = json.loads((REPO / "src-tauri" / "engine" / "profiles" / "own.json").read_text())
    profile = json.loads(json.dumps(profile).replace("OI-", "IX-"))
    for step in profile["steps"]:
        step["collects"] = [c for c in step.get("collects", []) if c == "account_id"]
    profile["hand_off"]["fields"] = [f for f in profile["hand_off"]["fields"] if f["value"]["source"] != "secret"]
    profile.update(id=IMAGINARY, order=97, auth="imaginary", name="Imaginary Method Connector",
                   short_name="Imaginary Method", code_prefix="IX",
                   summary="A connector of an auth method that exists only in this test's scratch copy.")
    return profile


@pytest.fixture(scope="module")
def scratch_cli(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("scratch-method")
    for rel in tracked_and_new_files():
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, scratch / rel)
    engine = scratch / "src-tauri" / "engine"
    changed = []

    kinds = engine / "src" / "profiles" / "mod.rs"
    text = kinds.read_text()
    enum = text.index("pub enum AuthKind {")
    end = text.index("\n}", enum)
    kinds.write_text(text[:end] + "\n    /// Made up by a test.\n    Imaginary," + text[end:])
    changed.append(kinds)

    dispatch = engine / "src" / "keep" / "connections" / "method" / "mod.rs"
    text = dispatch.read_text().replace("mod m2m;\n", "mod imaginary;\nmod m2m;\n", 1)
    for after, arm in ARMS.items():
        assert after in text, f"ARCHITECTURE.md's dispatch point lost its arm {after!r}"
        text = text.replace(after, f"{after}\n{arm}")
    dispatch.write_text(text)
    changed.append(dispatch)

    record = engine / "src" / "keep" / "record.rs"
    text = record.read_text()
    for after, arm in RECORD_ARMS.items():
        assert after in text, f"the record's dispatch point lost its arm {after!r}"
        text = text.replace(after, f"{after}\n{arm}", 1)
    record.write_text(text)
    changed.append(record)

    for rel, arms in SHOWN_ARMS.items():
        shown = scratch / "src-tauri" / rel
        text = shown.read_text()
        for after, arm in arms.items():
            assert after in text, f"{rel}'s dispatch point lost its arm {after!r}"
            text = text.replace(after, f"{arm}\n{after}", 1)
        shown.write_text(text)
        changed.append(shown)

    (dispatch.parent / "imaginary.rs").write_text(METHOD_FILE)
    changed.append(dispatch.parent / "imaginary.rs")
    (engine / "profiles" / f"{IMAGINARY}.json").write_text(json.dumps(imaginary_profile(), indent=2))
    changed.append(engine / "profiles" / f"{IMAGINARY}.json")
    try:
        seed_target(REPO / "target", scratch / "target")
        # The window embeds the UI, which this change leaves alone: the repository's build of it serves.
        shutil.copytree(REPO / "ui" / "dist", scratch / "ui" / "dist")
        # Beside the window, as the main build makes them, so that the seeded dependencies fit: built
        # alone, the command line unifies their features differently and half the tree compiled again
        # (four minutes of a fresh run).
        built = cargo_build(scratch, scratch / "target", "tba-wizard", "tba-wizard-cli")
        cli = [p for p in built if p.name == "tba-wizard-cli"]
        assert cli, built
        yield cli[0], changed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_third_auth_method_is_seven_files_and_its_connector_is_listed(scratch_cli, tmp_path):
    cli, changed = scratch_cli
    assert len(changed) <= 12, changed
    env = {**os.environ, "TBA_WIZARD_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run([str(cli), "profiles", "--json"], capture_output=True, text=True, timeout=60,
                          check=True, env=env)
    listed = json.loads(done.stdout)
    listed = listed["profiles"] if isinstance(listed, dict) else listed
    imaginary = next(p for p in listed if p["id"] == IMAGINARY)
    assert imaginary["auth"] == "imaginary" and imaginary["holds"] == [], imaginary
    # The methods already there are untouched by the new one.
    own = next(p for p in listed if p["id"] == "own")
    assert own["auth"] == "tba" and own["holds"] == ["consumer_key", "consumer_secret", "token_id", "token_secret"]
