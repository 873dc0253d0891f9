//! The fallback store: secrets encrypted with XChaCha20-Poly1305 under a 256-bit key. The key is in
//! `secrets/master.key` (mode 0600) or given by `VIGIL_SECRETS_KEY` (64 hex digits) so it can live
//! off the disk; each entry has its own random nonce and is bound to its name as associated data.
//! This keeps passwords out of the database and its backups; it cannot protect them from someone
//! who can read every file of the user, which no store without an OS keyring can.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use vigil_base::{ErrorKind, Result, ResultExt, bail, err};

use crate::{SecretBackend, random_bytes};

pub struct EncryptedFileBackend {
    path: PathBuf,
    cipher: XChaCha20Poly1305,
    lock: Mutex<()>,
}

impl EncryptedFileBackend {
    /// Open the store in `dir`, creating its key on first use.
    pub fn open(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating {}", dir.display())
        })?;
        set_mode(dir, 0o700)?;
        let key = match std::env::var("VIGIL_SECRETS_KEY") {
            Ok(hexkey) => {
                let k = hex::decode(hexkey.trim())
                    .ok()
                    .filter(|k| k.len() == 32)
                    .ok_or_else(|| {
                        err!(InvalidArgument, "VIGIL_SECRETS_KEY must be 64 hex digits")
                    })?;
                let mut a = [0u8; 32];
                a.copy_from_slice(&k);
                a
            }
            Err(_) => load_or_create_key(&dir.join("master.key"))?,
        };
        Ok(EncryptedFileBackend {
            path: dir.join("credentials.json"),
            cipher: XChaCha20Poly1305::new(&key.into()),
            lock: Mutex::new(()),
        })
    }

    fn read_all(&self) -> Result<BTreeMap<String, String>> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                err!(
                    Internal,
                    "credential file {} is corrupt",
                    self.path.display()
                )
                .with_source(e)
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(err!(Unavailable, "reading {}", self.path.display()).with_source(e)),
        }
    }

    fn write_all(&self, map: &BTreeMap<String, String>) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(map)
            .err_kind(ErrorKind::Internal, || "encoding credential file".into())?;
        write_private(&self.path, &bytes)
    }
}

impl SecretBackend for EncryptedFileBackend {
    fn name(&self) -> &'static str {
        "encrypted_file"
    }

    fn set(&self, key: &str, secret: &str) -> Result<()> {
        let _g = self.lock.lock().map_err(|_| err!(Internal, "poisoned"))?;
        let nonce_bytes = random_bytes::<24>();
        let nonce = XNonce::from_slice(&nonce_bytes);
        let ct = self
            .cipher
            .encrypt(
                nonce,
                Payload {
                    msg: secret.as_bytes(),
                    aad: key.as_bytes(),
                },
            )
            .map_err(|_| err!(Internal, "encrypting secret"))?;
        let mut blob = nonce_bytes.to_vec();
        blob.extend_from_slice(&ct);
        let mut map = self.read_all()?;
        map.insert(key.to_string(), B64.encode(blob));
        self.write_all(&map)
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        let _g = self.lock.lock().map_err(|_| err!(Internal, "poisoned"))?;
        let map = self.read_all()?;
        let Some(b64) = map.get(key) else {
            return Ok(None);
        };
        let blob = B64
            .decode(b64)
            .map_err(|_| err!(Internal, "credential entry {key} is corrupt"))?;
        if blob.len() < 24 {
            bail!(Internal, "credential entry {key} is truncated");
        }
        let (nonce, ct) = blob.split_at(24);
        let pt = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: key.as_bytes(),
                },
            )
            .map_err(|_| {
                err!(
                    Unavailable,
                    "cannot decrypt credential {key}: wrong key (master.key or VIGIL_SECRETS_KEY changed?)"
                )
            })?;
        String::from_utf8(pt)
            .map(Some)
            .map_err(|_| err!(Internal, "credential {key} is not UTF-8"))
    }

    fn delete(&self, key: &str) -> Result<()> {
        let _g = self.lock.lock().map_err(|_| err!(Internal, "poisoned"))?;
        let mut map = self.read_all()?;
        if map.remove(key).is_some() {
            self.write_all(&map)?;
        }
        Ok(())
    }
}

fn load_or_create_key(path: &Path) -> Result<[u8; 32]> {
    match fs::read(path) {
        Ok(k) if k.len() == 32 => {
            let mut a = [0u8; 32];
            a.copy_from_slice(&k);
            Ok(a)
        }
        Ok(_) => bail!(
            Internal,
            "{} is not a 32-byte key; refusing to replace it (secrets encrypted with it would be lost)",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let k = random_bytes::<32>();
            write_private(path, &k)?;
            Ok(k)
        }
        Err(e) => Err(err!(Unavailable, "reading {}", path.display()).with_source(e)),
    }
}

pub(crate) use vigil_base::fs::write_private;

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .err_kind(ErrorKind::Unavailable, || {
                format!("chmod {}", path.display())
            })?;
    }
    let _ = (path, mode);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_bytes_under(dir: &Path) -> Vec<u8> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(all_bytes_under(&p));
            } else {
                out.extend(fs::read(&p).unwrap());
            }
        }
        out
    }

    #[test]
    fn secret_never_on_disk_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let s = EncryptedFileBackend::open(dir.path()).unwrap();
        s.set("camera/1/password", "Sup3r-Secret-Passw0rd").unwrap();
        let raw = all_bytes_under(dir.path());
        assert!(!raw.windows(21).any(|w| w == b"Sup3r-Secret-Passw0rd"));
        assert_eq!(
            s.get("camera/1/password").unwrap().as_deref(),
            Some("Sup3r-Secret-Passw0rd")
        );
        // A fresh handle (a restart) reads it with the stored key.
        let s2 = EncryptedFileBackend::open(dir.path()).unwrap();
        assert_eq!(
            s2.get("camera/1/password").unwrap().as_deref(),
            Some("Sup3r-Secret-Passw0rd")
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let s = EncryptedFileBackend::open(dir.path()).unwrap();
        s.set("k", "v").unwrap();
        for f in ["master.key", "credentials.json"] {
            let m = fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(m & 0o777, 0o600, "{f}");
        }
    }

    #[test]
    fn wrong_key_and_swapped_entries_fail_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let s = EncryptedFileBackend::open(dir.path()).unwrap();
        s.set("a", "alpha").unwrap();
        s.set("b", "beta").unwrap();
        // Swapping two ciphertexts is detected: each is bound to its own name.
        let p = dir.path().join("credentials.json");
        let mut m: BTreeMap<String, String> =
            serde_json::from_slice(&fs::read(&p).unwrap()).unwrap();
        let a = m["a"].clone();
        m.insert("b".into(), a);
        fs::write(&p, serde_json::to_vec(&m).unwrap()).unwrap();
        assert!(s.get("b").is_err());
        // A different key cannot read anything.
        fs::write(dir.path().join("master.key"), [9u8; 32]).unwrap();
        let other = EncryptedFileBackend::open(dir.path()).unwrap();
        let e = other.get("a").unwrap_err();
        assert!(e.to_string().contains("wrong key"), "{e}");
    }

    #[test]
    fn short_key_file_is_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("master.key"), b"short").unwrap();
        assert!(EncryptedFileBackend::open(dir.path()).is_err());
        assert_eq!(fs::read(dir.path().join("master.key")).unwrap(), b"short");
    }
}
