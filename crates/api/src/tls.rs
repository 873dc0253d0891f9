//! HTTPS for the LAN with rustls (no OpenSSL): the user's own certificate and key (PEM), or a
//! self-signed certificate made once for the configured host names and kept in the data dir
//! (`tls/cert.pem`, `tls/key.pem`, mode 0600). Its SHA-256 fingerprint (of the DER certificate,
//! as browsers show it) goes to the log, `/health` and the System page, so the person at another
//! PC can check that the certificate their browser warns about is this server's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use vigil_base::{Result, ResultExt, err};

/// Where the certificate comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsSource {
    /// Generated once for these names (DNS names or IP addresses) and kept in `dir`.
    SelfSigned { dir: PathBuf, names: Vec<String> },
    /// The user's PEM files.
    Files { cert: PathBuf, key: PathBuf },
}

/// A loaded certificate: the rustls configuration and the fingerprint to show.
#[derive(Clone)]
pub struct Tls {
    pub config: Arc<ServerConfig>,
    /// Upper-case hex pairs separated by colons, as browsers show it.
    pub fingerprint_sha256: String,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("fingerprint_sha256", &self.fingerprint_sha256)
            .finish()
    }
}

/// `AB:CD:…` of the SHA-256 of `der`.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl Tls {
    pub fn load(source: &TlsSource) -> Result<Tls> {
        let (cert_path, key_path) = match source {
            TlsSource::Files { cert, key } => (cert.clone(), key.clone()),
            TlsSource::SelfSigned { dir, names } => {
                let cert = dir.join("cert.pem");
                let key = dir.join("key.pem");
                if !cert.exists() || !key.exists() {
                    make_self_signed(dir, names, &cert, &key)?;
                }
                (cert, key)
            }
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
            .and_then(|it| it.collect::<std::result::Result<_, _>>())
            .map_err(|e| {
                err!(
                    InvalidArgument,
                    "tls_cert {}: not a PEM certificate ({e})",
                    cert_path.display()
                )
            })?;
        let Some(first) = certs.first() else {
            return Err(err!(
                InvalidArgument,
                "tls_cert {} holds no certificate",
                cert_path.display()
            ));
        };
        let fingerprint_sha256 = fingerprint(first.as_ref());
        let key = PrivateKeyDer::from_pem_file(&key_path).map_err(|e| {
            err!(
                InvalidArgument,
                "tls_key {}: not a PEM private key ({e})",
                key_path.display()
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| err!(Internal, "TLS versions: {e}"))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| {
                err!(
                    InvalidArgument,
                    "the certificate and key do not go together: {e}"
                )
            })?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
            fingerprint_sha256,
        })
    }
}

fn make_self_signed(dir: &Path, names: &[String], cert: &Path, key: &Path) -> Result<()> {
    let mut names: Vec<String> = names.iter().filter(|n| !n.is_empty()).cloned().collect();
    for n in ["localhost", "127.0.0.1"] {
        if !names.iter().any(|x| x == n) {
            names.push(n.into());
        }
    }
    let mut params = rcgen::CertificateParams::new(names.clone())
        .map_err(|e| err!(InvalidArgument, "certificate names {names:?}: {e}"))?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Vigil NVR");
    // Valid from 2020 to 2100: a recorder box must not stop being reachable because a date
    // passed (the browser trusts it by the user's exception, not by its dates).
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    let key_pair =
        rcgen::KeyPair::generate().map_err(|e| err!(Internal, "generating a TLS key: {e}"))?;
    let c = params
        .self_signed(&key_pair)
        .map_err(|e| err!(Internal, "signing the certificate: {e}"))?;
    std::fs::create_dir_all(dir).err_kind(vigil_base::ErrorKind::Unavailable, || {
        format!("creating {}", dir.display())
    })?;
    vigil_base::fs::write_private(key, key_pair.serialize_pem().as_bytes())?;
    vigil_base::fs::write_private(cert, c.pem().as_bytes())?;
    tracing::info!(names = ?names, dir = %dir.display(), "made a self-signed TLS certificate");
    Ok(())
}
