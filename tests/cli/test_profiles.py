"""`tba-wizard profiles [--json]`: support asks "which connectors does your version have?". The answer
is read from the profile files themselves here, so the command cannot drift from what is embedded."""
from __future__ import annotations

import json
from pathlib import Path

PROFILES = Path(__file__).resolve().parents[2] / "src-tauri" / "engine" / "profiles"
SECRETS = ["consumer_key", "consumer_secret", "token_id", "token_secret"]


def on_disk() -> dict[str, dict]:
    return {p["id"]: p for p in (json.loads(f.read_text()) for f in sorted(PROFILES.glob("*.json")))}


def test_profiles_json_lists_every_embedded_profile_with_its_steps(run_cli):
    run = run_cli("profiles", "--json")
    assert run.returncode == 0, run
    listed = {p["id"]: p for p in run.json()["profiles"]}
    files = on_disk()
    assert sorted(listed) == sorted(files)
    for pid, profile in files.items():
        got = listed[pid]
        assert got["name"] == profile["name"]
        assert [s["code"] for s in got["steps"]] == [s["code"] for s in profile["steps"]]
        assert [s["collects"] for s in got["steps"]] == [s.get("collects", []) for s in profile["steps"]]
        collected = {c for s in profile["steps"] for c in s.get("collects", [])}
        auth = profile.get("auth", "tba")
        assert got["auth"] == auth
        # An OAuth 2.0 connection keeps its private key and Client ID, whatever its steps are called.
        held = ["private_key", "client_id"] if auth == "m2m" else [f for f in SECRETS if f in collected]
        assert got["holds"] == held
    assert listed["celigo"]["holds"] == ["token_id", "token_secret"]
    assert listed["own_m2m"]["holds"] == ["private_key", "client_id"]
    assert listed["celigo"]["signed_test"] is False


def test_profiles_plain_names_each_profile_and_step(run_cli):
    run = run_cli("profiles")
    assert run.returncode == 0, run
    for profile in on_disk().values():
        assert f"{profile['name']} ({profile['id']})" in run.stdout
        for step in profile["steps"]:
            assert step["code"] in run.stdout
    assert "auth: OAuth 2.0 client credentials (M2M)" in run.stdout
    assert "auth: Token-Based Authentication (TBA)" in run.stdout


def test_connections_add_help_names_every_profile_and_what_it_holds(run_cli):
    run = run_cli("connections", "add", "--help")
    assert run.returncode == 0, run
    text = " ".join(run.stdout.split())
    for pid, profile in on_disk().items():
        collected = {c for s in profile["steps"] for c in s.get("collects", [])}
        holds = ", ".join(f for f in SECRETS if f in collected)
        assert pid in text and f"{pid}: {holds}" in text, (pid, text)
