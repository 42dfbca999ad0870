//! The files the product writes keep their shape byte for byte while the code behind them is reshaped:
//! `connections.json` (TBA with a staged set, TBA tested, OAuth 2.0 mid-setup, OAuth 2.0 with a staged
//! key) and the window's `rotation.json` mid-journey for every journey kind, each written by today's
//! tests (`tests/golden/`), read and written back unchanged.

use std::path::Path;
use tba_engine::flow::journey::RotationState;
use tba_engine::keep::store::ConnectionStore;

fn golden(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn same(name: &str, written: &[u8]) {
    let want = golden(name);
    assert!(
        written == want.as_slice(),
        "{name} changed shape:\n--- golden\n{}\n--- written\n{}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(written)
    );
}

#[test]
fn connection_files_are_written_back_unchanged() {
    for name in [
        "connections-tba-staged.json",
        "connections-tba-tested.json",
        "connections-m2m-setup.json",
        "connections-m2m-pending.json",
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("connections.json"), golden(name)).unwrap();
        let store = ConnectionStore::new(dir.path());
        let list = store.load().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!list.is_empty(), "{name} read as empty");
        store.save(&list).unwrap();
        same(name, &std::fs::read(store.path()).unwrap());
    }
}

#[test]
fn journey_progress_files_are_written_back_unchanged() {
    for kind in ["rotate_token", "rotate_consumer", "handoff", "replace_certificate"] {
        let name = format!("rotation-{kind}.json");
        let state: RotationState = serde_json::from_slice(&golden(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        same(&name, &serde_json::to_vec_pretty(&state).unwrap());
    }
}

/// The check can fail: a file missing a field today's code writes (as code that stopped writing it
/// would leave) is not written back the same.
#[test]
fn a_changed_shape_is_caught() {
    let text = String::from_utf8(golden("rotation-handoff.json")).unwrap();
    let changed = text.replacen("  \"old_check\": null,\n", "", 1);
    assert_ne!(changed, text);
    let state: RotationState = serde_json::from_str(&changed).unwrap();
    assert_ne!(serde_json::to_vec_pretty(&state).unwrap(), changed.as_bytes());
}
