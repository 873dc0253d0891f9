//! The archive tier: any S3-compatible object store, through `object_store`.
//!
//! Segments go up as one PUT (up to a part's size) or a multipart upload, are verified with a `HEAD` (size), and only then does the
//! index point at the object and the local copy go (the mover's journal, as for local tiers).
//! Playback and export read archived segments by byte range through Vigil, so a browser never
//! needs bucket credentials. Object keys: `<prefix>/<camera>/<yyyy>/<mm>/<dd>/<start_ms>.mp4`.
//!
//! The store is async; the mover is a plain thread. The archive owns a small Tokio runtime (its
//! own threads, so a slow or hung object store never stalls recording or the API's runtime) and
//! every call has a deadline. Blocking callers hand a future to it and wait on a channel, which
//! works from any thread, including one inside another runtime (where `block_on` would panic).
//!
//! Credentials come from the credential store (set through the API, never written to config or
//! logs) or the usual AWS environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`, `AWS_REGION`).

use std::future::Future;
use std::io::Read;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStoreExt, PutPayload, RetryConfig, WriteMultipart};
use vigil_base::{ErrorKind, Result, err};

use crate::config::ArchiveTier;
use crate::tier::{IDENTITY_FILE, Identity, Offline};

/// Bytes per multipart part: above S3's 5 MiB minimum; a segment of a few MB is one part.
const PART_BYTES: usize = 8 << 20;
/// Parts in flight at once during one upload.
const PARTS_IN_FLIGHT: usize = 4;
/// A request that has not finished by then fails (and is retried by the mover's next pass).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The identity check runs every ≤ 30 s: it must answer quickly or call the tier offline.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Access keys for the archive (from the credential store).
#[derive(Clone, PartialEq, Eq)]
pub struct ArchiveCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for ArchiveCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .finish()
    }
}

/// Shuts its runtime down without waiting, so dropping an archive (settings changed) from inside
/// an async task never panics or blocks.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// A connected archive tier (cheap to clone).
#[derive(Clone)]
pub struct Archive {
    store: Arc<AmazonS3>,
    tier: ArchiveTier,
    rt: Arc<Runtime>,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("url", &self.tier.url)
            .finish()
    }
}

fn store_err(what: String) -> impl FnOnce(object_store::Error) -> vigil_base::Error {
    move |e| {
        let kind = match e {
            object_store::Error::NotFound { .. } => ErrorKind::NotFound,
            _ => ErrorKind::Unavailable,
        };
        // object_store's messages name the URL, never the keys.
        vigil_base::Error::new(kind, format!("{what}: {e}"))
    }
}

impl Archive {
    /// A client for the tier (no request is made yet).
    pub fn connect(tier: &ArchiveTier, creds: Option<&ArchiveCredentials>) -> Result<Archive> {
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(&tier.bucket)
            .with_region(tier.region.clone().unwrap_or_else(|| "us-east-1".into()))
            .with_virtual_hosted_style_request(!tier.path_style)
            // Measured (scripts/bench.sh storage --parts upload): signing each payload's SHA-256
            // made uploads 0.54× `curl -T`. The payload hash adds nothing the TLS channel (or,
            // over plain HTTP to a NAS, nothing at all) does not, and the `HEAD` check after the
            // upload compares sizes; the request headers stay signed.
            .with_unsigned_payload(true)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(REQUEST_TIMEOUT)
                    .with_connect_timeout(CONNECT_TIMEOUT)
                    .with_allow_http(
                        tier.endpoint
                            .as_deref()
                            .is_some_and(|e| e.starts_with("http://")),
                    ),
            )
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(60),
                ..RetryConfig::default()
            });
        if let Some(e) = &tier.endpoint {
            b = b.with_endpoint(e);
        }
        if let Some(c) = creds {
            b = b
                .with_access_key_id(&c.access_key_id)
                .with_secret_access_key(&c.secret_access_key);
        }
        let store = b
            .build()
            .map_err(|e| err!(InvalidArgument, "archive {}: {e}", tier.url))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("vigil-archive")
            .enable_all()
            .build()
            .map_err(|e| err!(Internal, "archive runtime").with_source(e))?;
        Ok(Archive {
            store: Arc::new(store),
            tier: tier.clone(),
            rt: Arc::new(Runtime(Some(rt))),
        })
    }

    pub fn tier(&self) -> &ArchiveTier {
        &self.tier
    }

    /// The object key of a path relative to the prefix.
    pub fn key(&self, rel: &str) -> Path {
        let rel = rel.trim_start_matches('/');
        if self.tier.prefix.is_empty() {
            Path::from(rel)
        } else {
            Path::from(format!("{}/{rel}", self.tier.prefix))
        }
    }

    /// Run `fut` on the archive's runtime and wait for it from any thread.
    fn block<T: Send + 'static>(&self, fut: impl Future<Output = T> + Send + 'static) -> Result<T> {
        let rt = self
            .rt
            .0
            .as_ref()
            .ok_or_else(|| err!(Unavailable, "archive closed"))?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv()
            .map_err(|_| err!(Unavailable, "archive runtime stopped"))
    }

    /// Run `fut` on the archive's runtime and await it from another runtime.
    async fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> Result<T> {
        let rt = self
            .rt
            .0
            .as_ref()
            .ok_or_else(|| err!(Unavailable, "archive closed"))?;
        rt.spawn(fut)
            .await
            .map_err(|e| err!(Internal, "archive task: {e}"))
    }

    /// Is the tier there and ours? Its identity object names the tier and this database; a
    /// bucket without one is initialised once (`initialise`), never silently adopted later.
    pub fn check(&self, id: &Identity, initialise: bool) -> std::result::Result<(), Offline> {
        let (store, key) = (self.store.clone(), self.key(IDENTITY_FILE));
        let body = serde_json::to_vec(id).unwrap_or_default();
        let got = self.block(async move {
            tokio::time::timeout(CHECK_TIMEOUT, async {
                match store.get(&key).await {
                    Ok(r) => r.bytes().await.map(Some),
                    Err(object_store::Error::NotFound { .. }) if initialise => {
                        store.put(&key, PutPayload::from(body)).await.map(|_| None)
                    }
                    Err(e) => Err(e),
                }
            })
            .await
        });
        match got {
            Err(e) => Err(Offline::Io(e.message().to_string())),
            Ok(Err(_)) => Err(Offline::Io(format!(
                "no answer from {} within {}s",
                self.tier.url,
                CHECK_TIMEOUT.as_secs()
            ))),
            Ok(Ok(Err(object_store::Error::NotFound { .. }))) => Err(Offline::IdentityMissing),
            Ok(Ok(Err(e))) => Err(Offline::Io(e.to_string())),
            Ok(Ok(Ok(None))) => Ok(()),
            Ok(Ok(Ok(Some(b)))) => match serde_json::from_slice::<Identity>(&b) {
                Ok(found) if found == *id => Ok(()),
                Ok(found) => Err(Offline::IdentityMismatch { found }),
                Err(e) => Err(Offline::Io(format!("identity object unreadable: {e}"))),
            },
        }
    }

    /// Upload `src` to `rel` (multipart), then check with a `HEAD` that the object has every byte.
    /// Returns the size.
    pub fn upload(&self, src: &FsPath, rel: &str) -> Result<u64> {
        let len = std::fs::metadata(src)
            .map_err(|e| err!(Unavailable, "reading {}", src.display()).with_source(e))?
            .len();
        let mut file = std::fs::File::open(src)
            .map_err(|e| err!(Unavailable, "opening {}", src.display()).with_source(e))?;
        let (store, key) = (self.store.clone(), self.key(rel));
        let what = format!("uploading {} to {}/{rel}", src.display(), self.tier.url);
        let what2 = what.clone();
        // A segment that fits in one part goes up as one PUT (measured: the three requests of a
        // one-part multipart upload cost a third of the throughput against moto); larger ones as
        // a multipart upload, read on the archive runtime's blocking pool part by part so memory
        // stays at a few parts whatever the segment's size.
        let res = if len <= PART_BYTES as u64 {
            let mut body = Vec::with_capacity(len as usize);
            file.read_to_end(&mut body)
                .map_err(|e| err!(Unavailable, "reading {}", src.display()).with_source(e))?;
            self.block(async move {
                store
                    .put(&key, PutPayload::from(body))
                    .await
                    .map_err(store_err(what.clone()))?;
                let head = store.head(&key).await.map_err(store_err(what.clone()))?;
                Ok::<u64, vigil_base::Error>(head.size)
            })??
        } else {
            self.block(async move {
                let upload = store
                    .put_multipart(&key)
                    .await
                    .map_err(store_err(what.clone()))?;
                let mut w = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
                loop {
                    w.wait_for_capacity(PARTS_IN_FLIGHT)
                        .await
                        .map_err(store_err(what.clone()))?;
                    let (f, chunk) = tokio::task::spawn_blocking(move || {
                        let mut buf = vec![0u8; PART_BYTES];
                        let mut n = 0;
                        while n < buf.len() {
                            match file.read(&mut buf[n..]) {
                                Ok(0) => break,
                                Ok(k) => n += k,
                                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                                Err(e) => return Err(e),
                            }
                        }
                        buf.truncate(n);
                        Ok((file, buf))
                    })
                    .await
                    .map_err(|e| err!(Internal, "{what}: {e}"))?
                    .map_err(|e| err!(Unavailable, "{what}").with_source(e))?;
                    file = f;
                    if chunk.is_empty() {
                        break;
                    }
                    w.put(chunk.into());
                }
                w.finish().await.map_err(store_err(what.clone()))?;
                let head = store.head(&key).await.map_err(store_err(what.clone()))?;
                Ok::<u64, vigil_base::Error>(head.size)
            })??
        };
        if res != len {
            return Err(err!(
                Unavailable,
                "{what2}: the object has {res} bytes, the file {len}"
            ));
        }
        Ok(len)
    }

    /// The object's size, or `None` if there is none.
    pub fn size(&self, rel: &str) -> Result<Option<u64>> {
        let (store, key) = (self.store.clone(), self.key(rel));
        let what = format!("checking {}/{rel}", self.tier.url);
        self.block(async move {
            match store.head(&key).await {
                Ok(m) => Ok(Some(m.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(store_err(what)(e)),
            }
        })?
    }

    /// Delete the object (gone already is fine).
    pub fn delete(&self, rel: &str) -> Result<()> {
        let (store, key) = (self.store.clone(), self.key(rel));
        let what = format!("deleting {}/{rel}", self.tier.url);
        self.block(async move {
            match store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(store_err(what)(e)),
            }
        })?
    }

    /// Bytes `[offset, offset + len)` of the object.
    pub async fn read_range(&self, rel: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
        let (store, key) = (self.store.clone(), self.key(rel));
        let what = format!("reading {}/{rel}", self.tier.url);
        let b = self
            .run(async move { store.get_range(&key, offset..offset + len).await })
            .await?
            .map_err(store_err(what))?;
        Ok(b.to_vec())
    }

    /// Download the whole object to `dst` (for exports).
    pub fn download(&self, rel: &str, dst: &FsPath) -> Result<u64> {
        let (store, key) = (self.store.clone(), self.key(rel));
        let what = format!("downloading {}/{rel}", self.tier.url);
        let bytes = self.block(async move {
            let r = store.get(&key).await.map_err(store_err(what.clone()))?;
            r.bytes().await.map_err(store_err(what))
        })??;
        std::fs::write(dst, &bytes)
            .map_err(|e| err!(Unavailable, "writing {}", dst.display()).with_source(e))?;
        Ok(bytes.len() as u64)
    }
}

/// The archive key (relative to the prefix) of a segment: `<camera>/<yyyy>/<mm>/<dd>/<file>`,
/// the day in UTC from the segment's start.
pub fn segment_key(camera_id: i64, start_ms: i64, local_path: &str) -> String {
    let file = local_path.rsplit('/').next().unwrap_or(local_path);
    let (y, m, d) = civil_from_days(start_ms.div_euclid(86_400_000));
    format!("{camera_id}/{y:04}/{m:02}/{d:02}/{file}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_camera_and_utc_day() {
        assert_eq!(
            segment_key(7, 1_763_712_000_123, "7/2025-11-21/08/1763712000123.mp4"),
            "7/2025/11/21/1763712000123.mp4"
        );
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
