//! A store in memory, for unit tests of the code above the vault.

use super::*;

/// An in-memory store for unit tests of code above the vault.
#[derive(Default, Clone)]
pub struct MemoryStore {
    items: Arc<Mutex<std::collections::HashMap<String, Zeroizing<String>>>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        Ok(self.items.lock().expect("not poisoned").get(name).cloned())
    }
    fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        self.items
            .lock()
            .expect("not poisoned")
            .insert(name.to_string(), Zeroizing::new(value.to_string()));
        Ok(())
    }
    fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.items.lock().expect("not poisoned").remove(name);
        Ok(())
    }
    fn get_all(&self) -> Result<Option<Items>, VaultError> {
        Ok(Some(self.items.lock().expect("not poisoned").clone()))
    }
}
