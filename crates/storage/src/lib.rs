//! Tiered storage, engine-independent like `record`: tiers and their identity files (`tier`),
//! settings with units (`config`, `units`), planning a maintenance pass (`plan`), and the journaled
//! mover (`mover`). [`Storage`] ties them together: it opens the tiers (initialising new ones,
//! finishing or rolling back the journal), answers where a segment's file is, deletes through the
//! journal, keeps footage locks, and runs maintenance on its own thread — a free-space check every
//! [`SPACE_CHECK`] and a full pass every `check_interval` or when poked — so a slow or hung tier
//! never stalls recording. The recorder writes only to the first tier; everything else is here.
//!
//! Dependencies: base and db only. What it does is told through a [`StorageEmitter`]. The
//! cameras' bitrate (for the default reserve) is measured from the index: bytes recorded on the
//! first tier over the last hour.

pub mod archive;
pub mod config;
pub mod fsx;
pub mod mover;
mod pass;
pub mod plan;
pub mod tier;
pub mod units;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use vigil_base::sync::lock;
use vigil_base::{Clock, Result, bail, err};
use vigil_db::Database;
use vigil_db::recordings::RecordingRow;
use vigil_db::storage as sq;

pub use archive::{Archive, ArchiveCredentials};
pub use config::{ArchiveConfig, ArchiveTier, Resolved, StorageConfig, Tier};
pub use mover::{Moved, Roots, Step};
pub use plan::{Action, Plan, PlannedOp};
pub use tier::{Identity, Offline};
pub use units::{Size, Span};
pub use vigil_db::storage::{CameraUsage, HistoryRow, LockRow, Reason, TierUsage, UsageSample};

/// Every tier the planner sees, in order: the local tiers, then the archive.
fn tier_names(r: &Resolved) -> Vec<String> {
    r.tiers
        .iter()
        .map(|t| t.name.clone())
        .chain(r.archive.iter().map(|a| a.name.clone()))
        .collect()
}

/// How often free space is checked, whatever `check_interval` says.
pub const SPACE_CHECK: Duration = Duration::from_secs(30);

/// What storage did, for the engine's event bus and alerts.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageEvent {
    Moved {
        recording_id: i64,
        camera_id: i64,
        from_tier: String,
        to_tier: String,
        reason: Reason,
        bytes: u64,
    },
    Deleted {
        recording_id: i64,
        camera_id: i64,
        tier: String,
        reason: Reason,
        bytes: u64,
    },
    TierOffline {
        tier: String,
        reason: String,
    },
    TierOnline {
        tier: String,
    },
    /// A tier needs room but holds only locked footage.
    LockedOnly {
        tier: String,
    },
    /// A move or deletion failed (the pass goes on with the next).
    Failed {
        tier: String,
        error: String,
    },
}

pub type StorageEmitter = Arc<dyn Fn(StorageEvent) + Send + Sync>;

/// One tier now.
#[derive(Clone, Debug, PartialEq)]
pub struct TierStatus {
    pub name: String,
    pub path: PathBuf,
    pub online: bool,
    /// Why it is offline.
    pub offline_reason: Option<String>,
    pub free_bytes: u64,
    pub capacity_bytes: u64,
    /// The reserve in effect (configured or default).
    pub reserve_free_bytes: u64,
    pub max_age: Option<Span>,
    pub max_size: Option<Size>,
    /// The S3 archive (its `path` is the `s3://` URL; no free space or capacity).
    pub archive: bool,
}

/// Where a segment's bytes are.
#[derive(Clone, Debug)]
pub enum Location {
    File(PathBuf),
    /// In the archive, at this key relative to its prefix.
    Object {
        archive: Archive,
        key: String,
    },
}

impl Location {
    /// Bytes `[offset, offset + len)`.
    pub async fn read_range(&self, offset: u64, len: u64) -> Result<Vec<u8>> {
        match self {
            Location::File(p) => {
                let p = p.clone();
                tokio::task::spawn_blocking(move || fsx::read_range(&p, offset, len))
                    .await
                    .map_err(|e| err!(Internal, "read task: {e}"))?
            }
            Location::Object { archive, key } => archive.read_range(key, offset, len).await,
        }
    }

    /// A local file with the segment: the file itself, or the object downloaded into
    /// `scratch` (blocking; for exports).
    pub fn local_file(&self, scratch: &Path) -> Result<PathBuf> {
        match self {
            Location::File(p) => Ok(p.clone()),
            Location::Object { archive, key } => {
                std::fs::create_dir_all(scratch).map_err(|e| {
                    err!(Unavailable, "creating {}", scratch.display()).with_source(e)
                })?;
                let dst = scratch.join(key.replace('/', "_"));
                archive.download(key, &dst)?;
                Ok(dst)
            }
        }
    }
}

/// What the index holds, for the Storage page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UsageReport {
    pub tiers: Vec<TierUsage>,
    /// Per camera and tier.
    pub cameras: Vec<CameraUsage>,
    /// (camera, bytes) recorded on the first tier over the last hour.
    pub last_hour: Vec<(i64, i64)>,
    /// (camera, oldest start, newest end) over every tier.
    pub spans: Vec<(i64, i64, i64)>,
}

/// What `/metrics` shows of storage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StorageMetrics {
    pub tiers: Vec<TierStatus>,
    pub usage: Vec<TierUsage>,
    /// (moved, reason, count, bytes) since the database began.
    pub done: Vec<(bool, Reason, i64, i64)>,
    /// Ops in the journal now (moves or deletions under way or waiting for a tier).
    pub journal: usize,
    /// Wall time of the last finished pass.
    pub last_pass_ms: Option<i64>,
}

/// What one maintenance pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    pub moved: usize,
    pub deleted: usize,
    pub failed: usize,
    pub bytes_moved: u64,
    pub bytes_deleted: u64,
    /// Ops the plan still held when the pass stopped (shutdown).
    pub left: usize,
    pub plan_ms: u64,
}

struct State {
    config: StorageConfig,
    resolved: Resolved,
    /// The archive's client, built for these settings and credentials.
    archive: Option<Archive>,
    archive_credentials: Option<ArchiveCredentials>,
    tiers: Vec<TierStatus>,
    last_pass: Option<(i64, PassReport)>,
    /// Tiers already told to be locked-only (told once per episode).
    locked_only: Vec<String>,
}

struct Inner {
    db: Database,
    clock: Arc<dyn Clock>,
    recordings_dir: PathBuf,
    database_id: String,
    emit: StorageEmitter,
    state: Mutex<State>,
    /// Serialises passes and manual deletions with each other.
    pass: Mutex<()>,
    wake: (Mutex<bool>, Condvar),
    stop: AtomicBool,
    crash_after: Mutex<Option<Step>>,
}

/// The storage service (cheap to clone).
#[derive(Clone)]
pub struct Storage {
    inner: Arc<Inner>,
}

impl Storage {
    /// Open storage: resolve the settings, initialise new tiers, check known ones, and finish or
    /// roll back the journal. Run before the recorders start and before reconciliation.
    pub fn open(
        db: Database,
        clock: Arc<dyn Clock>,
        recordings_dir: &Path,
        config: StorageConfig,
        archive_credentials: Option<ArchiveCredentials>,
        emit: StorageEmitter,
    ) -> Result<Storage> {
        // Settings saved through the API win over the file's (they were made later, on purpose).
        let saved = db.read_blocking(|c| sq::meta(c, "config_json"))?;
        let config = match saved.map(|j| serde_json::from_str::<StorageConfig>(&j)) {
            Some(Ok(c)) => {
                tracing::info!("storage settings from the database (set through the API)");
                c
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e, "saved storage settings unreadable; using config.toml's");
                config
            }
            None => config,
        };
        let resolved = config.resolve(recordings_dir)?;
        let fresh = uuid::Uuid::new_v4().to_string();
        let database_id = db.write_blocking(move |c| sq::ensure_database_id(c, &fresh))?;
        let s = Storage {
            inner: Arc::new(Inner {
                db,
                clock,
                recordings_dir: recordings_dir.to_path_buf(),
                database_id,
                emit,
                state: Mutex::new(State {
                    config,
                    resolved,
                    archive: None,
                    archive_credentials,
                    tiers: vec![],
                    last_pass: None,
                    locked_only: vec![],
                }),
                pass: Mutex::new(()),
                wake: (Mutex::new(false), Condvar::new()),
                stop: AtomicBool::new(false),
                crash_after: Mutex::new(None),
            }),
        };
        s.refresh()?;
        let first = s.first_tier();
        if !first.online {
            // The recorder's own tier must be usable; refusing to start says why.
            bail!(
                Unavailable,
                code = StorageTierOffline,
                "the recording tier {:?} at {} is offline: {}",
                first.name,
                first.path.display(),
                first.offline_reason.unwrap_or_default()
            );
        }
        let rec = mover::recover(&s.inner.db, &s.roots())?;
        if rec != mover::Recovered::default() {
            tracing::info!(?rec, "finished the storage journal");
        }
        Ok(s)
    }

    pub fn database_id(&self) -> &str {
        &self.inner.database_id
    }

    /// The tier the recorder writes to.
    pub fn first_tier(&self) -> TierStatus {
        lock(&self.inner.state).tiers[0].clone()
    }

    pub fn tiers(&self) -> Vec<TierStatus> {
        lock(&self.inner.state).tiers.clone()
    }

    pub fn config(&self) -> StorageConfig {
        lock(&self.inner.state).config.clone()
    }

    pub fn resolved(&self) -> Resolved {
        lock(&self.inner.state).resolved.clone()
    }

    pub fn last_pass(&self) -> Option<(i64, PassReport)> {
        lock(&self.inner.state).last_pass.clone()
    }

    /// Where each tier is and whether it is online. Every tier a row may name is here, including
    /// tiers no longer configured but initialised before (their footage stays readable).
    pub fn roots(&self) -> Roots {
        let st = lock(&self.inner.state);
        Roots {
            dirs: st
                .tiers
                .iter()
                .filter(|t| !t.archive)
                .map(|t| (t.name.clone(), (t.path.clone(), t.online)))
                .collect(),
            objects: st
                .tiers
                .iter()
                .filter(|t| t.archive && t.online)
                .filter_map(|t| Some((t.name.clone(), st.archive.clone()?)))
                .collect(),
        }
    }

    /// Set the archive's access keys (from the credential store); the client is rebuilt.
    pub fn set_archive_credentials(&self, creds: Option<ArchiveCredentials>) -> Result<()> {
        {
            let mut st = lock(&self.inner.state);
            st.archive_credentials = creds;
            st.archive = None;
        }
        self.refresh()
    }

    /// Copy a file that is not footage (a database snapshot) to the archive tier under `rel`
    /// (relative to its prefix), when an archive is configured and online; `Ok(None)` when there
    /// is none. Blocking.
    pub fn archive_copy(&self, src: &Path, rel: &str) -> Result<Option<u64>> {
        let Some(archive) = self.online_archive() else {
            return Ok(None);
        };
        archive.upload(src, rel).map(Some)
    }

    /// Delete what [`Storage::archive_copy`] put at `rel` (nothing to do without an archive).
    pub fn archive_remove(&self, rel: &str) -> Result<()> {
        match self.online_archive() {
            Some(a) => a.delete(rel),
            None => Ok(()),
        }
    }

    fn online_archive(&self) -> Option<Archive> {
        let st = lock(&self.inner.state);
        if !st.tiers.iter().any(|t| t.archive && t.online) {
            return None;
        }
        st.archive.clone()
    }

    /// Where a segment on `root` is: `STORAGE_TIER_OFFLINE` if its tier is not there now.
    pub fn locate(&self, root: &str, path: &str) -> Result<Location> {
        let st = lock(&self.inner.state);
        match st.tiers.iter().find(|t| t.name == root) {
            Some(t) if t.online && t.archive => match &st.archive {
                Some(a) => Ok(Location::Object {
                    archive: a.clone(),
                    key: path.to_string(),
                }),
                None => Err(err!(
                    Unavailable,
                    code = StorageTierOffline,
                    "the footage is on the archive {:?}, which is not connected",
                    t.name
                )),
            },
            Some(t) if t.online => Ok(Location::File(t.path.join(path))),
            Some(t) => Err(err!(
                Unavailable,
                code = StorageTierOffline,
                "the footage is on tier {:?}, which is offline: {}",
                t.name,
                t.offline_reason.clone().unwrap_or_default()
            )),
            None => Err(err!(
                Unavailable,
                code = StorageTierOffline,
                "the footage is on tier {root:?}, which is not configured"
            )),
        }
    }

    /// Re-check every tier (identity, free space); tell what changed.
    pub fn refresh(&self) -> Result<()> {
        let i = &self.inner;
        let resolved = lock(&i.state).resolved.clone();
        let known: HashMap<String, String> = i.db.read_blocking(sq::tiers)?.into_iter().collect();
        let since = i.clock.now_ms() - 3_600_000;
        let first = resolved.tiers[0].name.clone();
        let recent =
            i.db.read_blocking(move |c| sq::recent_bytes(c, &first, since))?;
        let bitrate = recent.max(0) as u64 * 8 / 3_600;
        let mut tiers = vec![];
        for t in &resolved.tiers {
            let id = Identity {
                tier: t.name.clone(),
                database_id: i.database_id.clone(),
            };
            let mut probed = None;
            let check = if known.contains_key(&t.name) {
                let (check, space) = tier::probe(&t.dir, &id);
                probed = Some(space);
                check
            } else {
                match tier::initialise(&t.dir, &id) {
                    Ok(()) => {
                        let (name, loc, now) = (
                            t.name.clone(),
                            t.dir.display().to_string(),
                            i.clock.now_ms(),
                        );
                        i.db.write_blocking(move |c| sq::add_tier(c, &name, &loc, now))?;
                        tracing::info!(tier = %t.name, path = %t.dir.display(), "storage tier initialised");
                        Ok(())
                    }
                    Err(e) => Err(Offline::Io(e.message().to_string())),
                }
            };
            let space = match probed {
                Some(s) => s,
                None => tier::space(&t.dir).unwrap_or_default(),
            };
            let reserve = t
                .reserve_free
                .map(|s| s.get())
                .unwrap_or_else(|| config::default_reserve(space.capacity, bitrate));
            tiers.push(TierStatus {
                name: t.name.clone(),
                path: t.dir.clone(),
                online: check.is_ok(),
                offline_reason: check.err().map(|e| e.to_string()),
                free_bytes: space.free,
                capacity_bytes: space.capacity,
                reserve_free_bytes: reserve,
                max_age: t.max_age,
                max_size: t.max_size,
                archive: false,
            });
        }
        if let Some(a) = &resolved.archive {
            tiers.push(self.refresh_archive(a, known.contains_key(&a.name))?);
        }
        // Tiers initialised before but no longer configured keep their footage readable.
        for (name, loc) in known {
            if tiers.iter().any(|t| t.name == name) {
                continue;
            }
            if loc.starts_with("s3://") {
                tiers.push(TierStatus {
                    name,
                    path: PathBuf::from(loc),
                    online: false,
                    offline_reason: Some("this archive is no longer configured".into()),
                    free_bytes: 0,
                    capacity_bytes: 0,
                    reserve_free_bytes: 0,
                    max_age: None,
                    max_size: None,
                    archive: true,
                });
                continue;
            }
            let dir = PathBuf::from(loc);
            let id = Identity {
                tier: name.clone(),
                database_id: i.database_id.clone(),
            };
            let check = tier::check(&dir, &id);
            let space = tier::space(&dir).unwrap_or_default();
            tiers.push(TierStatus {
                name,
                path: dir,
                online: check.is_ok(),
                offline_reason: check.err().map(|e| e.to_string()),
                free_bytes: space.free,
                capacity_bytes: space.capacity,
                reserve_free_bytes: 0,
                max_age: None,
                max_size: None,
                archive: false,
            });
        }
        let old = std::mem::replace(&mut lock(&i.state).tiers, tiers.clone());
        for t in &tiers {
            let was = old.iter().find(|o| o.name == t.name).map(|o| o.online);
            match (was, t.online) {
                (Some(true) | None, false) => {
                    tracing::warn!(tier = %t.name, path = %t.path.display(),
                        reason = t.offline_reason.as_deref().unwrap_or(""), "storage tier offline");
                    (i.emit)(StorageEvent::TierOffline {
                        tier: t.name.clone(),
                        reason: t.offline_reason.clone().unwrap_or_default(),
                    });
                }
                (Some(false), true) => {
                    tracing::info!(tier = %t.name, "storage tier back online");
                    (i.emit)(StorageEvent::TierOnline {
                        tier: t.name.clone(),
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Connect to (once per settings) and check the archive tier; initialise it the first time.
    fn refresh_archive(&self, a: &ArchiveTier, known: bool) -> Result<TierStatus> {
        let i = &self.inner;
        let client = {
            let mut st = lock(&i.state);
            match &st.archive {
                Some(c) if c.tier() == a => Ok(c.clone()),
                _ => match Archive::connect(a, st.archive_credentials.as_ref()) {
                    Ok(c) => {
                        st.archive = Some(c.clone());
                        Ok(c)
                    }
                    Err(e) => Err(e),
                },
            }
        };
        let id = Identity {
            tier: a.name.clone(),
            database_id: i.database_id.clone(),
        };
        let check = match &client {
            Ok(c) => c.check(&id, !known),
            Err(e) => Err(Offline::Io(e.message().to_string())),
        };
        if check.is_ok() && !known {
            let (name, loc, now) = (a.name.clone(), a.url.clone(), i.clock.now_ms());
            i.db.write_blocking(move |c| sq::add_tier(c, &name, &loc, now))?;
            tracing::info!(tier = %a.name, url = %a.url, "archive tier initialised");
        }
        Ok(TierStatus {
            name: a.name.clone(),
            path: PathBuf::from(&a.url),
            online: check.is_ok(),
            offline_reason: check.err().map(|e| e.to_string()),
            free_bytes: 0,
            capacity_bytes: 0,
            reserve_free_bytes: 0,
            max_age: a.max_age,
            max_size: None,
            archive: true,
        })
    }

    /// Does a configured, online tier have less free space than its reserve?
    pub fn short_of_space(&self) -> bool {
        let resolved_names: Vec<String> = lock(&self.inner.state)
            .resolved
            .tiers
            .iter()
            .map(|t| t.name.clone())
            .collect();
        self.tiers().iter().any(|t| {
            t.online && resolved_names.contains(&t.name) && t.free_bytes < t.reserve_free_bytes
        })
    }

    /// Usage samples from `since_ms` on, oldest first.
    pub fn usage_samples(&self, since_ms: i64) -> Result<Vec<sq::UsageSample>> {
        self.inner
            .db
            .read_blocking(move |c| sq::usage_samples(c, since_ms, 100_000))
    }

    /// Delete one recording by hand (`reason` manual): row first, then the file.
    pub fn delete_recording(&self, id: i64, reason: Reason) -> Result<Option<RecordingRow>> {
        let i = &self.inner;
        let _pass = lock(&i.pass);
        mover::delete_recording(&i.db, i.clock.as_ref(), &self.roots(), id, reason)
    }

    /// Apply new settings without a restart. Tiers holding footage may not be removed.
    pub fn set_config(&self, config: StorageConfig) -> Result<()> {
        let i = &self.inner;
        // After this returns no pass planned under the old settings is still running.
        let _pass = lock(&i.pass);
        let resolved = config.resolve(&i.recordings_dir)?;
        let usage = i.db.read_blocking(sq::usage)?;
        let current = self.resolved();
        if resolved.tiers[0].name != current.tiers[0].name
            || resolved.tiers[0].dir != current.tiers[0].dir
        {
            bail!(
                FailedPrecondition,
                code = StorageConfigConflict,
                "the first tier (where recording writes) cannot change while Vigil runs; \
                 change it in config.toml and restart"
            );
        }
        if let Some(old) = &current.archive
            && resolved.archive.as_ref().is_none_or(|new| {
                new.name != old.name || new.bucket != old.bucket || new.prefix != old.prefix
            })
            && let Some(u) = usage.iter().find(|u| u.tier == old.name && u.segments > 0)
        {
            bail!(
                FailedPrecondition,
                code = StorageConfigConflict,
                "the archive {:?} holds {} segments at {}; it cannot be removed or pointed \
                 elsewhere",
                old.name,
                u.segments,
                old.url
            );
        }
        for u in usage.iter().filter(|u| u.segments > 0) {
            let old = current.tiers.iter().find(|t| t.name == u.tier);
            let new = resolved.tiers.iter().find(|t| t.name == u.tier);
            if let (Some(old), Some(new)) = (old, new)
                && old.dir != new.dir
            {
                bail!(
                    FailedPrecondition,
                    code = StorageConfigConflict,
                    "tier {:?} holds {} segments at {}; its path cannot change",
                    u.tier,
                    u.segments,
                    old.dir.display()
                );
            }
        }
        // A tier without footage given a new path starts afresh there (initialised, not
        // reported offline for lacking the identity file it never had).
        let moved: Vec<String> = resolved
            .tiers
            .iter()
            .filter(|n| {
                current
                    .tiers
                    .iter()
                    .any(|o| o.name == n.name && o.dir != n.dir)
                    && !usage.iter().any(|u| u.tier == n.name && u.segments > 0)
            })
            .map(|t| t.name.clone())
            .collect();
        let json = serde_json::to_string(&config)
            .map_err(|e| err!(Internal, "encoding storage settings: {e}"))?;
        i.db.write_blocking(move |c| {
            for name in &moved {
                sq::forget_tier(c, name)?;
            }
            sq::set_meta(c, "config_json", &json)
        })?;
        {
            let mut st = lock(&i.state);
            st.config = config;
            st.resolved = resolved;
        }
        self.refresh()?;
        self.poke();
        Ok(())
    }

    pub fn add_lock(
        &self,
        camera_id: i64,
        start_ms: i64,
        end_ms: i64,
        reason: String,
    ) -> Result<LockRow> {
        let now = self.inner.clock.now_ms();
        self.inner
            .db
            .write_blocking(move |c| sq::insert_lock(c, camera_id, start_ms, end_ms, &reason, now))
    }

    pub fn remove_lock(&self, id: i64) -> Result<bool> {
        self.inner
            .db
            .write_blocking(move |c| sq::delete_lock(c, id))
    }

    pub fn locks(&self, camera_id: Option<i64>) -> Result<Vec<LockRow>> {
        self.inner
            .db
            .read_blocking(move |c| sq::locks(c, camera_id))
    }

    /// Usage by tier and camera, and the last hour's bytes per camera (blocking: reads).
    pub fn usage(&self) -> Result<UsageReport> {
        let first = self.first_tier().name;
        let since = self.inner.clock.now_ms() - 3_600_000;
        self.inner.db.read_blocking(move |c| {
            Ok(UsageReport {
                tiers: sq::usage(c)?,
                cameras: sq::camera_usage(c)?,
                last_hour: sq::recent_bytes_by_camera(c, &first, since)?,
                spans: sq::camera_spans(c)?,
            })
        })
    }

    /// Figures for `/metrics` (blocking: reads).
    pub fn metrics(&self) -> Result<StorageMetrics> {
        let (usage, done, journal) = self
            .inner
            .db
            .read_blocking(|c| Ok((sq::usage(c)?, sq::history_counts(c)?, sq::ops(c)?.len())))?;
        Ok(StorageMetrics {
            tiers: self.tiers(),
            usage,
            done,
            journal,
            last_pass_ms: self.last_pass().map(|(at, _)| at),
        })
    }

    pub fn history(&self, before_id: Option<i64>, limit: i64) -> Result<Vec<HistoryRow>> {
        self.inner
            .db
            .read_blocking(move |c| sq::history(c, before_id, limit))
    }

    /// Ask for a pass soon (a segment closed on a tier over budget, settings changed).
    pub fn poke(&self) {
        let (m, cv) = &self.inner.wake;
        *lock(m) = true;
        cv.notify_all();
    }

    /// Tests: make the mover stop dead after `step`, as a crash would.
    pub fn crash_after(&self, step: Option<Step>) {
        *lock(&self.inner.crash_after) = step;
    }

    /// Run maintenance on its own thread until [`Storage::stop`]: free space every
    /// [`SPACE_CHECK`] (a pass at once when a tier is short), a full pass every
    /// `check_interval` and whenever poked.
    pub fn spawn(&self) -> std::io::Result<JoinHandle<()>> {
        let s = self.clone();
        std::thread::Builder::new()
            .name("storage".into())
            .spawn(move || s.run_until_stopped())
    }

    /// The maintenance loop on the calling thread (see [`Storage::spawn`]).
    pub fn run_until_stopped(&self) {
        let i = &self.inner;
        let mut last_pass = std::time::Instant::now();
        let mut first = true;
        while !i.stop.load(Ordering::Relaxed) {
            let interval = lock(&i.state).resolved.check_interval.as_duration();
            let due = first || last_pass.elapsed() >= interval;
            let poked = std::mem::take(&mut *lock(&i.wake.0));
            if let Err(e) = self.refresh() {
                tracing::warn!(error = %e, "checking storage tiers failed");
            }
            if due || poked || self.short_of_space() {
                if let Err(e) = self.run_pass() {
                    tracing::warn!(error = %e, "storage maintenance failed");
                }
                last_pass = std::time::Instant::now();
                first = false;
            }
            let wait = SPACE_CHECK.min(interval);
            let (m, cv) = &i.wake;
            let g = lock(m);
            if !*g && !i.stop.load(Ordering::Relaxed) {
                let _ = cv.wait_timeout(g, wait);
            }
        }
    }

    /// Stop the maintenance thread (a pass in progress stops after its current op).
    pub fn stop(&self) {
        self.inner.stop.store(true, Ordering::Relaxed);
        self.poke();
    }
}
