//! Files on disk: what the app writes is the user's only (0600, folders 0700), a temporary file never
//! writes through something planted in the folder, and concurrent read-modify-writes of the connection
//! file lose nothing because they share one advisory lock.
#![cfg(unix)]

mod common;

use common::{dir, wizard, CK, CS, TK, TS};
use secrecy::SecretString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime};
use tba_engine::flow::view::Journey;
use tba_engine::keep::connections::Connections;
use tba_engine::keep::secrets::{Field, SecretSet};
use tba_engine::keep::store::{write_atomic, Connection, ConnectionStore};
use tba_engine::keep::vault::{MemoryStore, Vault};
use tba_engine::Account;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn assert_mode(path: &Path, want: u32) {
    assert_eq!(
        mode(path),
        want,
        "{} is {:o}, should be {want:o}",
        path.display(),
        mode(path)
    );
}

fn all_four() -> SecretSet {
    let mut set = SecretSet::default();
    for (f, v) in [
        (Field::ConsumerKey, CK),
        (Field::ConsumerSecret, CS),
        (Field::TokenId, TK),
        (Field::TokenSecret, TS),
    ] {
        set.set(f, SecretString::from(v));
    }
    set
}

fn account() -> Account {
    Account::parse("1234567_SB1").unwrap()
}

fn record(label: &str) -> Connection {
    Connection::new(label, &account(), common::profile("own"))
}

/// The folders and files of a fresh config folder, made by the app itself (nothing exists beforehand,
/// not even the folder's parent).
#[test]
fn the_config_folder_and_the_connection_file_are_the_users_only() {
    let root = dir("modes");
    let config = root.join("nested").join("config");
    let conns = Connections::new(ConnectionStore::new(&config), Vault::new(MemoryStore::default()));
    conns
        .add("AfterShip", &account(), common::profile("aftership"), None, &all_four())
        .unwrap();
    assert_mode(&root, 0o700);
    assert_mode(&root.join("nested"), 0o700);
    assert_mode(&config, 0o700);
    assert_mode(&config.join("connections.json"), 0o600);
    assert_mode(&config.join("connections.lock"), 0o600);
}

/// A file written by an older version (or anyone) with a looser mode is narrowed when it is rewritten.
#[test]
fn a_rewritten_file_becomes_the_users_only() {
    let d = dir("loose");
    std::fs::create_dir_all(&d).unwrap();
    let file = d.join("connections.json");
    std::fs::write(&file, r#"{"version":1,"connections":[]}"#).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = ConnectionStore::new(&d);
    store.update(|l| l.push(record("one"))).unwrap();
    assert_mode(&file, 0o600);
}

/// The wizard's progress file and the journey file go through the same write.
#[test]
fn progress_files_are_the_users_only() {
    let d = dir("progress");
    let store = MemoryStore::default();
    let mut w = wizard(&d, &store);
    w.start("aftership").unwrap();
    assert_mode(&d, 0o700);
    assert_mode(&d.join("wizard.json"), 0o600);

    let d = dir("journey");
    let mut w = wizard(&d, &store);
    let (c, _) = w
        .connections
        .add("AfterShip", &account(), common::profile("aftership"), None, &all_four())
        .unwrap();
    w.start_journey(&c.id, Journey::RotateToken).unwrap();
    assert_mode(&d.join("rotation.json"), 0o600);
}

#[test]
fn saved_diagnostics_are_the_users_only_and_never_replace_each_other() {
    let d = dir("diagnostics").join("Downloads");
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let first = tba_engine::support::report::save(&d, "first report", at).unwrap();
    let second = tba_engine::support::report::save(&d, "second report", at).unwrap();
    assert_ne!(first, second);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "first report");
    assert_mode(&d, 0o700);
    assert_mode(&first, 0o600);
    assert_mode(&second, 0o600);
}

/// Until now the temporary file was `.connections.json.<pid>.tmp`, opened with File::create: whoever
/// could guess the pid could plant a symlink there and have the app write through it (and then rename
/// the symlink into place). The temporary name is now random and created exclusively.
#[test]
fn a_symlink_planted_at_the_old_temporary_name_is_never_followed() {
    let d = dir("symlink");
    let elsewhere = dir("symlink-target");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let target = elsewhere.join("victim.txt");
    std::fs::write(&target, "not yours").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let planted = d.join(format!(".connections.json.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&target, &planted).unwrap();

    let store = ConnectionStore::new(&d);
    store.save(&[record("one")]).unwrap();
    write_atomic(&d.join("wizard.json"), b"{}").unwrap();

    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "not yours",
        "written through the symlink"
    );
    assert_mode(&target, 0o644);
    let file = d.join("connections.json");
    assert!(
        std::fs::symlink_metadata(&file).unwrap().file_type().is_file(),
        "connections.json must be a file of its own, not the planted symlink"
    );
    assert_eq!(store.load().unwrap().len(), 1);
    assert!(
        std::fs::symlink_metadata(&planted).unwrap().file_type().is_symlink(),
        "the planted link is left alone"
    );
    let left: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && !planted.ends_with(n))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

/// Many writers at once (threads here, processes in tests/vault/test_concurrency.py): every change
/// survives, because each read-modify-write holds the folder's lock.
#[test]
fn concurrent_updates_lose_nothing() {
    let d = dir("concurrent");
    let (threads, each) = (8, 10);
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (d, start) = (d.clone(), start.clone());
            std::thread::spawn(move || {
                // A store of its own per thread, as a separate process would have.
                let store = ConnectionStore::new(&d);
                start.wait();
                for i in 0..each {
                    store.update(|l| l.push(record(&format!("t{t}-{i}")))).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(ConnectionStore::new(&d).load().unwrap().len(), threads * each);
}

/// Two adds of one name at once: the name check and the save share the lock, so exactly one wins.
#[test]
fn concurrent_adds_of_one_name_keep_one() {
    let d = dir("same-name");
    let vault = MemoryStore::default();
    let threads = 6;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (d, start, vault) = (d.clone(), start.clone(), vault.clone());
            std::thread::spawn(move || {
                let conns = Connections::new(ConnectionStore::new(&d), Vault::new(vault));
                start.wait();
                conns
                    .add(
                        "Shared name",
                        &account(),
                        common::profile("aftership"),
                        None,
                        &all_four(),
                    )
                    .is_ok()
            })
        })
        .collect();
    let won = handles.into_iter().map(|h| h.join().unwrap()).filter(|ok| *ok).count();
    assert_eq!(won, 1);
    assert_eq!(ConnectionStore::new(&d).load().unwrap().len(), 1);
}

/// A guard held by a caller (the journey code) must not make `update` inside it wait for itself, even
/// through another store on the same folder spelled differently; other threads do wait for it.
#[test]
fn the_lock_nests_on_its_thread_and_excludes_others() {
    let d = dir("nesting");
    let store = ConnectionStore::new(&d);
    let guard = store.lock().unwrap();
    let t0 = Instant::now();
    store.update(|l| l.push(record("inner"))).unwrap();
    let other_spelling = ConnectionStore::new(PathBuf::from(&d).join("."));
    other_spelling
        .locked(|| other_spelling.update(|l| l.push(record("deeper"))))
        .unwrap();
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "nested locking waited for itself"
    );

    let released = Arc::new(AtomicBool::new(false));
    let waiter = {
        let (d, released) = (d.clone(), released.clone());
        std::thread::spawn(move || {
            let store = ConnectionStore::new(&d);
            store.update(|l| l.push(record("waiter"))).unwrap();
            released.load(Ordering::SeqCst)
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        store.load().unwrap().len(),
        2,
        "another thread changed the file under the lock"
    );
    released.store(true, Ordering::SeqCst);
    drop(guard);
    assert!(waiter.join().unwrap(), "the other thread did not wait for the lock");
    assert_eq!(store.load().unwrap().len(), 3);
}
