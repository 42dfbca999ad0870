//! A keyring that could not be reached at first is tried again on the next call, in the same process:
//! "start your keyring, then try again" must work in the open window. Its own test binary, since it
//! changes the process's D-Bus address. Runs inside `scripts/with-keyring.sh` (a private session bus
//! with an unlocked gnome-keyring).

use secrecy::SecretString;
use tba_engine::keep::secrets::Field;
use tba_engine::keep::secrets::SecretSet;
use tba_engine::keep::vault::{Slot, Vault, VaultError};

#[test]
fn a_keyring_missing_at_first_is_used_once_it_is_there() {
    assert!(
        std::env::var_os("TBA_WIZARD_REAL_KEYRING").is_some(),
        "this test needs a real Secret Service: run `scripts/with-keyring.sh cargo test -p tba-engine --test keyring_retry`"
    );
    let real = std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("with-keyring.sh sets the session bus");
    let id = format!("retry-test-{}", std::process::id());
    let vault = Vault::keyring();

    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tba-wizard-test-bus");
    let first = vault.read::<SecretSet>(&id, Slot::Active).unwrap_err();
    assert!(
        matches!(first, VaultError::NoSessionBus | VaultError::NoSecretService),
        "{first:?}"
    );
    assert!(vault
        .store_value(&id, Slot::Active, Field::TokenId, SecretString::from("t"))
        .is_err());

    // The keyring is there now: the same vault, in the same process, uses it.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &real);
    vault
        .store_value(&id, Slot::Active, Field::TokenId, SecretString::from("t"))
        .expect("the keyring is used once it can be reached");
    assert!(!vault.read::<SecretSet>(&id, Slot::Active).unwrap().is_empty());
    vault.remove(&id).unwrap();
}
