//! Where camera passwords live. Never in SQLite: in the OS keyring (Secret Service) when one
//! answers, otherwise in an encrypted file whose key is kept apart from the database, so a copied
//! database or backup of it reveals nothing.

mod file;
mod keyring_backend;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use vigil_base::{ErrorKind, Result, ResultExt};

pub use file::EncryptedFileBackend;
pub use keyring_backend::KeyringBackend;

/// A place secrets can be kept.
pub trait SecretBackend: Send + Sync + 'static {
    /// Short name for logs and metrics: `keyring` or `encrypted_file`.
    fn name(&self) -> &'static str;
    fn set(&self, key: &str, secret: &str) -> Result<()>;
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Remove `key`; removing an absent key is not an error.
    fn delete(&self, key: &str) -> Result<()>;
}

/// Which backend to use; `Auto` prefers the keyring and falls back to the encrypted file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreChoice {
    Auto,
    Keyring,
    File,
}

impl std::str::FromStr for StoreChoice {
    type Err = vigil_base::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(StoreChoice::Auto),
            "keyring" => Ok(StoreChoice::Keyring),
            "file" | "encrypted_file" => Ok(StoreChoice::File),
            _ => Err(vigil_base::err!(
                InvalidArgument,
                "credential store must be auto, keyring or file, not {s:?}"
            )),
        }
    }
}

/// The credential store the engine uses: a backend plus a namespace unique to this data dir, so
/// two Vigil installs on one desktop never read each other's entries.
#[derive(Clone)]
pub struct CredentialStore {
    backend: Arc<dyn SecretBackend>,
    fallback_reason: Option<String>,
}

impl CredentialStore {
    /// Open the store for `data_dir`.
    pub fn open(data_dir: &Path, choice: StoreChoice) -> Result<CredentialStore> {
        let install_id = install_id(data_dir)?;
        let file = || EncryptedFileBackend::open(&data_dir.join("secrets"));
        match choice {
            StoreChoice::File => Ok(CredentialStore {
                backend: Arc::new(file()?),
                fallback_reason: None,
            }),
            StoreChoice::Keyring => {
                let kr = KeyringBackend::new(&install_id);
                probe(&kr, Duration::from_secs(5))?;
                Ok(CredentialStore {
                    backend: Arc::new(kr),
                    fallback_reason: None,
                })
            }
            StoreChoice::Auto => {
                let kr = KeyringBackend::new(&install_id);
                match probe(&kr, Duration::from_secs(3)) {
                    Ok(()) => Ok(CredentialStore {
                        backend: Arc::new(kr),
                        fallback_reason: None,
                    }),
                    Err(e) => {
                        let reason = e.to_string();
                        tracing::warn!(
                            reason = %reason,
                            "no usable Secret Service; camera passwords go to the encrypted file store"
                        );
                        Ok(CredentialStore {
                            backend: Arc::new(file()?),
                            fallback_reason: Some(reason),
                        })
                    }
                }
            }
        }
    }

    /// A store over an explicit backend (tests, embedding).
    pub fn with_backend(backend: Arc<dyn SecretBackend>) -> CredentialStore {
        CredentialStore {
            backend,
            fallback_reason: None,
        }
    }

    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// Why the keyring was not used, when `Auto` fell back to the file.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback_reason.as_deref()
    }

    pub fn set_camera_password(&self, camera_id: i64, password: &str) -> Result<()> {
        self.backend.set(&camera_key(camera_id), password)
    }

    pub fn camera_password(&self, camera_id: i64) -> Result<Option<String>> {
        self.backend.get(&camera_key(camera_id))
    }

    pub fn delete_camera_password(&self, camera_id: i64) -> Result<()> {
        self.backend.delete(&camera_key(camera_id))
    }

    /// The storage archive's S3 access key id and secret.
    pub fn set_archive_keys(&self, access_key_id: &str, secret_access_key: &str) -> Result<()> {
        self.backend.set(ARCHIVE_KEY_ID, access_key_id)?;
        self.backend.set(ARCHIVE_SECRET, secret_access_key)
    }

    /// `(access key id, secret)`, if both are set.
    pub fn archive_keys(&self) -> Result<Option<(String, String)>> {
        Ok(
            match (
                self.backend.get(ARCHIVE_KEY_ID)?,
                self.backend.get(ARCHIVE_SECRET)?,
            ) {
                (Some(id), Some(secret)) => Some((id, secret)),
                _ => None,
            },
        )
    }

    pub fn delete_archive_keys(&self) -> Result<()> {
        self.backend.delete(ARCHIVE_KEY_ID)?;
        self.backend.delete(ARCHIVE_SECRET)
    }

    /// An alert channel's secret (a webhook's signing key, an SMTP password).
    pub fn set_channel_secret(&self, channel_id: i64, secret: &str) -> Result<()> {
        self.backend.set(&channel_key(channel_id), secret)
    }

    pub fn channel_secret(&self, channel_id: i64) -> Result<Option<String>> {
        self.backend.get(&channel_key(channel_id))
    }

    pub fn delete_channel_secret(&self, channel_id: i64) -> Result<()> {
        self.backend.delete(&channel_key(channel_id))
    }
}

impl CredentialStore {
    /// The MQTT broker's password (`vigil mqtt-password`).
    pub fn set_mqtt_password(&self, password: &str) -> Result<()> {
        self.backend.set(MQTT_PASSWORD, password)
    }

    pub fn mqtt_password(&self) -> Result<Option<String>> {
        self.backend.get(MQTT_PASSWORD)
    }

    pub fn delete_mqtt_password(&self) -> Result<()> {
        self.backend.delete(MQTT_PASSWORD)
    }
}

const MQTT_PASSWORD: &str = "mqtt/password";

fn channel_key(channel_id: i64) -> String {
    format!("channel/{channel_id}/secret")
}

const ARCHIVE_KEY_ID: &str = "storage/archive/access_key_id";
const ARCHIVE_SECRET: &str = "storage/archive/secret_access_key";

fn camera_key(camera_id: i64) -> String {
    format!("camera/{camera_id}/password")
}

/// Write, read back and delete a random probe secret, on a thread with a deadline: a Secret Service
/// that is present but never answers (a locked keyring waiting for a prompt) must not hang start-up.
fn probe(backend: &KeyringBackend, deadline: Duration) -> Result<()> {
    let b = backend.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("keyring-probe".into())
        .spawn(move || {
            let value = hex::encode(random_bytes::<16>());
            let r = (|| {
                b.set("probe", &value)?;
                let got = b.get("probe")?;
                b.delete("probe")?;
                if got.as_deref() != Some(value.as_str()) {
                    vigil_base::bail!(Unavailable, "keyring returned a different probe value");
                }
                Ok(())
            })();
            let _ = tx.send(r);
        })
        .err_kind(ErrorKind::Internal, || "spawning keyring probe".into())?;
    rx.recv_timeout(deadline).unwrap_or_else(|_| {
        Err(vigil_base::err!(
            Unavailable,
            "Secret Service did not answer within {deadline:?}"
        ))
    })
}

/// A random id for this data dir, created on first use.
fn install_id(data_dir: &Path) -> Result<String> {
    let p: PathBuf = data_dir.join("install_id");
    if let Ok(s) = std::fs::read_to_string(&p) {
        let s = s.trim();
        if s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(s.to_string());
        }
    }
    let id = hex::encode(random_bytes::<16>());
    file::write_private(&p, id.as_bytes())?;
    Ok(id)
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // getrandom only fails where the OS has no entropy source at all; there is nothing safe to do.
    getrandom::fill(&mut b).expect("OS random number generator");
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_choice_round_trips_camera_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let s = CredentialStore::open(dir.path(), StoreChoice::File).unwrap();
        assert_eq!(s.backend_name(), "encrypted_file");
        s.set_camera_password(3, "hunter2").unwrap();
        assert_eq!(s.camera_password(3).unwrap().as_deref(), Some("hunter2"));
        assert_eq!(s.camera_password(4).unwrap(), None);
        s.delete_camera_password(3).unwrap();
        s.delete_camera_password(3).unwrap();
        assert_eq!(s.camera_password(3).unwrap(), None);
    }

    #[test]
    fn archive_keys_round_trip_and_go() {
        let dir = tempfile::tempdir().unwrap();
        let s = CredentialStore::open(dir.path(), StoreChoice::File).unwrap();
        assert_eq!(s.archive_keys().unwrap(), None);
        s.set_archive_keys("AKID", "shh").unwrap();
        assert_eq!(
            s.archive_keys().unwrap(),
            Some(("AKID".to_string(), "shh".to_string()))
        );
        s.delete_archive_keys().unwrap();
        assert_eq!(s.archive_keys().unwrap(), None);
    }

    #[test]
    fn install_id_is_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = install_id(dir.path()).unwrap();
        assert_eq!(a, install_id(dir.path()).unwrap());
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn choice_parses() {
        assert_eq!("file".parse::<StoreChoice>().unwrap(), StoreChoice::File);
        assert!("vault".parse::<StoreChoice>().is_err());
    }
}
