//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
//! through the `keyring` crate. Entries are namespaced by the data dir's install id.

use vigil_base::{Error, ErrorKind, Result};

use crate::SecretBackend;

#[derive(Clone)]
pub struct KeyringBackend {
    service: String,
}

impl KeyringBackend {
    pub fn new(install_id: &str) -> Self {
        KeyringBackend {
            service: format!("vigil-nvr:{install_id}"),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, key).map_err(map_err)
    }
}

fn map_err(e: keyring::Error) -> Error {
    Error::new(ErrorKind::Unavailable, "OS keyring").with_source(e)
}

impl SecretBackend for KeyringBackend {
    fn name(&self) -> &'static str {
        "keyring"
    }

    fn set(&self, key: &str, secret: &str) -> Result<()> {
        self.entry(key)?.set_password(secret).map_err(map_err)
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        match self.entry(key)?.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    fn delete(&self, key: &str) -> Result<()> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}
