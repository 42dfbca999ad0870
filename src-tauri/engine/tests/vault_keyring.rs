//! The vault against the real Secret Service. `npm test` runs this inside `scripts/with-keyring.sh`
//! (a private D-Bus session with an unlocked gnome-keyring); run alone, it says how to run it and fails.

use secrecy::{ExposeSecret, SecretString};
use tba_engine::keep::secrets::Field;
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
    vault.promote(&id, &Field::ALL).unwrap();
    assert_eq!(again.credentials(&id).unwrap().token_id.expose_secret(), "t2");
    assert!(vault.read(&id, Slot::Pending).unwrap().is_empty());

    vault.store_value(&id, Slot::Pending, Field::TokenId, s("t3")).unwrap();
    vault.discard(&id).unwrap();
    assert!(vault.read(&id, Slot::Pending).unwrap().is_empty());
    assert_eq!(vault.credentials(&id).unwrap().token_id.expose_secret(), "t2");

    vault.remove(&id).unwrap();
    assert_eq!(again.credentials(&id).unwrap_err(), VaultError::Missing);
}
