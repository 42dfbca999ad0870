//! The vault against the real Secret Service. `npm test` runs this inside `scripts/with-keyring.sh`
//! (a private D-Bus session with an unlocked gnome-keyring); run alone, it says how to run it and fails.

use secrecy::{ExposeSecret, SecretString};
use tba_engine::keep::secrets::{Field, M2mSecrets, SecretSet};
use tba_engine::keep::vault::{Slot, Vault, VaultError};

fn require_real_keyring() {
    assert!(
        std::env::var_os("TBA_WIZARD_REAL_KEYRING").is_some(),
        "these tests need a real Secret Service: run `scripts/with-keyring.sh cargo test -p tba-engine --test vault_keyring`"
    );
}

#[test]
fn store_partial_stage_promote_discard_remove() {
    require_real_keyring();
    let vault = Vault::keyring();
    let id = format!("rust-test-{}", std::process::id());
    let s = |v: &str| SecretString::from(v);

    vault
        .store_value(&id, Slot::Active, Field::ConsumerKey, s("ck"))
        .unwrap();
    vault
        .store_value(&id, Slot::Active, Field::ConsumerSecret, s("cs"))
        .unwrap();
    assert!(matches!(vault.credentials(&id), Err(VaultError::Incomplete(_))));
    vault.store_value(&id, Slot::Active, Field::TokenId, s("t1")).unwrap();
    vault
        .store_value(&id, Slot::Active, Field::TokenSecret, s("s1"))
        .unwrap();
    // A second vault reads what the first wrote: it is in the keyring, not in memory.
    let again = Vault::keyring();
    assert_eq!(again.credentials(&id).unwrap().token_secret.expose_secret(), "s1");

    vault.store_value(&id, Slot::Pending, Field::TokenId, s("t2")).unwrap();
    vault
        .store_value(&id, Slot::Pending, Field::TokenSecret, s("s2"))
        .unwrap();
    assert_eq!(
        vault.credentials(&id).unwrap().token_id.expose_secret(),
        "t1",
        "staging leaves the active set"
    );
    vault.promote_tested::<SecretSet>(&id, &Field::ALL, None).unwrap();
    assert_eq!(again.credentials(&id).unwrap().token_id.expose_secret(), "t2");
    assert!(vault.read::<SecretSet>(&id, Slot::Pending).unwrap().is_empty());

    vault.store_value(&id, Slot::Pending, Field::TokenId, s("t3")).unwrap();
    vault.discard(&id).unwrap();
    assert!(vault.read::<SecretSet>(&id, Slot::Pending).unwrap().is_empty());
    assert_eq!(vault.credentials(&id).unwrap().token_id.expose_secret(), "t2");

    vault.remove(&id).unwrap();
    assert_eq!(again.credentials(&id).unwrap_err(), VaultError::Missing);
}

#[test]
fn an_m2m_private_key_lives_in_the_keyring_through_a_replacement() {
    use tba_engine::netsuite::oauth2::{KeyKind, PrivateKey};
    require_real_keyring();
    let vault = Vault::keyring();
    let id = format!("rust-m2m-test-{}", std::process::id());
    // The largest key NetSuite takes (RSA 4096: about 3 KiB in the item), then a P-521 one.
    let old = PrivateKey::generate(KeyKind::Rsa4096).unwrap();
    let mut first = M2mSecrets::default();
    first.set_private_key(&old).unwrap();
    first.set_client_id(SecretString::from("client-id-1"));
    vault.store::<M2mSecrets>(&id, Slot::Active, &first).unwrap();
    // A second vault reads what the first wrote: it is in the keyring, not in memory.
    let again = Vault::keyring();
    let active = again.signing::<M2mSecrets>(&id, Slot::Active).unwrap();
    let key = active.private_key().unwrap().unwrap();
    assert_eq!(key.kind(), KeyKind::Rsa4096);
    assert_eq!(key.public_key_der(), old.public_key_der());
    assert_eq!(active.client_id().unwrap().expose_secret(), "client-id-1");

    let new = PrivateKey::generate(KeyKind::P521).unwrap();
    let mut staged = M2mSecrets::default();
    staged.set_private_key(&new).unwrap();
    let tested = vault.store::<M2mSecrets>(&id, Slot::Pending, &staged).unwrap();
    assert_eq!(
        again.signing::<M2mSecrets>(&id, Slot::Active).unwrap().fingerprints(),
        active.fingerprints(),
        "staging leaves the active key"
    );
    vault.retire_active::<M2mSecrets>(&id).unwrap();
    vault.promote_tested::<M2mSecrets>(&id, &(), Some(&tested)).unwrap();
    let promoted = again.signing::<M2mSecrets>(&id, Slot::Active).unwrap();
    assert_eq!(
        promoted.private_key().unwrap().unwrap().public_key_der(),
        new.public_key_der()
    );
    assert_eq!(promoted.client_id().unwrap().expose_secret(), "client-id-1");
    assert!(again.read::<M2mSecrets>(&id, Slot::Pending).unwrap().is_empty());
    let retired = again.signing::<M2mSecrets>(&id, Slot::Retired).unwrap();
    assert_eq!(
        retired.private_key().unwrap().unwrap().public_key_der(),
        old.public_key_der()
    );

    vault.remove(&id).unwrap();
    assert_eq!(
        again.signing::<M2mSecrets>(&id, Slot::Active).unwrap_err(),
        VaultError::Missing
    );
    assert_eq!(
        again.signing::<M2mSecrets>(&id, Slot::Retired).unwrap_err(),
        VaultError::Missing
    );
}

/// Listing hundreds of connections reads the keyring by one search: what the search finds must be what
/// reading each item finds, and an item of another application under the same user name is not taken.
#[test]
fn a_batch_reads_what_single_reads_read() {
    use tba_engine::netsuite::oauth2::{KeyKind, PrivateKey};
    require_real_keyring();
    let vault = Vault::keyring();
    let tba = format!("rust-batch-tba-{}", std::process::id());
    let m2m = format!("rust-batch-m2m-{}", std::process::id());
    let s = |v: &str| SecretString::from(v);
    vault.store_value(&tba, Slot::Active, Field::TokenId, s("t1")).unwrap();
    vault.store_value(&tba, Slot::Pending, Field::TokenId, s("t2")).unwrap();
    let key = PrivateKey::generate(KeyKind::P256).unwrap();
    let mut secrets = M2mSecrets::default();
    secrets.set_private_key(&key).unwrap();
    secrets.set_client_id(s("client-1"));
    vault.store::<M2mSecrets>(&m2m, Slot::Active, &secrets).unwrap();
    vault.store::<M2mSecrets>(&m2m, Slot::Retired, &secrets).unwrap();
    // Another application's item under the same user name as a connection's pending slot.
    let stored = std::process::Command::new("secret-tool")
        .args(["store", "--label", "other", "service", "another-app", "username"])
        .arg(format!("connection:{m2m}:pending"))
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("piped").write_all(b"not ours")?;
            child.wait()
        })
        .expect("secret-tool runs (libsecret-tools)");
    assert!(stored.success());

    let seen = || {
        (
            vault.read::<SecretSet>(&tba, Slot::Active).unwrap().fingerprints(),
            vault.read::<SecretSet>(&tba, Slot::Pending).unwrap().fingerprints(),
            vault.read::<M2mSecrets>(&m2m, Slot::Active).unwrap().fingerprints(),
            vault.read::<M2mSecrets>(&m2m, Slot::Pending).unwrap().fingerprints(),
            vault.holds_retired(&m2m),
            vault.holds_retired(&tba),
        )
    };
    let single = seen();
    let batch = vault.batch().unwrap();
    let batched = seen();
    drop(batch);
    assert_eq!(batched, single);
    assert!(batched.2.private_key.is_some() && batched.3.private_key.is_none() && batched.4 && !batched.5);

    vault.remove(&tba).unwrap();
    vault.remove(&m2m).unwrap();
    let _ = std::process::Command::new("secret-tool")
        .args(["clear", "service", "another-app"])
        .status();
}
