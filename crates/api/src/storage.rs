//! Storage over HTTP: the tiers and what each holds (`GET /storage`), their settings (`PUT`,
//! applied without a restart), a maintenance pass on demand, the history of moves and deletions
//! with their reasons, and footage locks. Reads need `recording:read`; settings and passes
//! `storage:admin`; locks `recording:delete` (who may delete footage may also keep it).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::fields::{instant_value, limit_field};
use vigil_base::{FieldErrors, format_rfc3339_ms as rfc3339};
use vigil_engine::storage::{PassReport, Reason, StorageConfig, TierStatus, TierUsage};
use vigil_engine::{AuditAction, AuditEntry, Engine, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path, Query};
use crate::security::{ClientAddr, require, require_camera};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status, update))
        .routes(routes!(maintenance))
        .routes(routes!(ops))
        .routes(routes!(list_locks, create_lock))
        .routes(routes!(remove_lock))
        .routes(routes!(usage))
        .routes(routes!(set_archive_keys, delete_archive_keys))
}

/// Why footage was moved or deleted.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StorageReason {
    /// Older than the tier's `max_age`.
    Age,
    /// The tier held more than its `max_size`.
    Size,
    /// The filesystem had less free space than the tier's reserve.
    FreeSpace,
    /// Older than the camera's retention.
    Retention,
    /// Deleted by a person.
    Manual,
}

impl From<Reason> for StorageReason {
    fn from(r: Reason) -> Self {
        use Reason as R;
        match r {
            R::Age => StorageReason::Age,
            R::Size => StorageReason::Size,
            R::FreeSpace => StorageReason::FreeSpace,
            R::Retention => StorageReason::Retention,
            R::Manual => StorageReason::Manual,
        }
    }
}

/// A storage tier now.
#[derive(Clone, Serialize, ToSchema)]
pub struct TierView {
    pub name: String,
    pub path: String,
    /// Whether Vigil can use it: its identity file is there and names this database.
    pub online: bool,
    pub offline_reason: Option<String>,
    /// Bytes of footage the index holds on it.
    pub used_bytes: i64,
    pub segments: i64,
    /// Free and total bytes of its filesystem.
    pub free_bytes: u64,
    pub capacity_bytes: u64,
    /// Free space never given up (configured, or the default).
    pub reserve_free_bytes: u64,
    pub oldest: Option<String>,
    pub newest: Option<String>,
    /// Days until its filesystem reaches the reserve at the cameras' current rate (the tier
    /// recording writes to only).
    pub days_until_full: Option<f64>,
    /// Whether the settings still name it (a tier dropped from them keeps its footage readable).
    pub configured: bool,
    /// The S3 archive: `path` is its `s3://` URL, and it has no free space or capacity.
    pub archive: bool,
}

/// A camera's footage.
#[derive(Clone, Serialize, ToSchema)]
pub struct CameraStorage {
    pub camera_id: i64,
    /// Bytes on every tier.
    pub bytes: i64,
    /// Bytes per tier, by tier name.
    #[schema(value_type = Object)]
    pub by_tier: serde_json::Map<String, serde_json::Value>,
    /// Measured over the last hour, bits a second.
    pub bitrate_bps: u64,
    /// From its oldest footage to its newest.
    pub days_held: f64,
}

/// The last maintenance pass.
#[derive(Clone, Serialize, ToSchema)]
pub struct PassView {
    pub at: Option<String>,
    pub moved: usize,
    pub deleted: usize,
    pub failed: usize,
    pub bytes_moved: u64,
    pub bytes_deleted: u64,
    /// Milliseconds spent planning.
    pub plan_ms: u64,
}

fn pass_view(at_ms: Option<i64>, r: &PassReport) -> PassView {
    PassView {
        at: at_ms.map(rfc3339),
        moved: r.moved,
        deleted: r.deleted,
        failed: r.failed,
        bytes_moved: r.bytes_moved,
        bytes_deleted: r.bytes_deleted,
        plan_ms: r.plan_ms,
    }
}

/// Storage as it is now.
#[derive(Clone, Serialize, ToSchema)]
pub struct StorageView {
    pub tiers: Vec<TierView>,
    pub cameras: Vec<CameraStorage>,
    pub settings: StorageConfig,
    pub last_pass: Option<PassView>,
    /// Whether archive access keys are kept in the credential store (they are never shown).
    pub archive_keys_stored: bool,
}

fn tier_view(t: &TierStatus, usage: &[TierUsage], configured: bool) -> TierView {
    let u = usage.iter().find(|u| u.tier == t.name);
    TierView {
        name: t.name.clone(),
        path: t.path.display().to_string(),
        online: t.online,
        offline_reason: t.offline_reason.clone(),
        used_bytes: u.map_or(0, |u| u.bytes),
        segments: u.map_or(0, |u| u.segments),
        free_bytes: t.free_bytes,
        capacity_bytes: t.capacity_bytes,
        reserve_free_bytes: t.reserve_free_bytes,
        oldest: u.and_then(|u| u.oldest_ms).map(rfc3339),
        newest: u.and_then(|u| u.newest_ms).map(rfc3339),
        days_until_full: None,
        configured,
        archive: t.archive,
    }
}

const DAY_MS: f64 = 86_400_000.0;

fn storage_view(e: &Engine) -> vigil_base::Result<StorageView> {
    let s = e.storage();
    let first = s.first_tier().name;
    let report = s.usage()?;
    let (usage, cams, recent) = (&report.tiers, &report.cameras, &report.last_hour);
    let resolved = s.resolved();
    let mut tiers: Vec<TierView> = s
        .tiers()
        .iter()
        .map(|t| tier_view(t, usage, resolved.tiers.iter().any(|r| r.name == t.name)))
        .collect();
    let rate_bytes_per_s: f64 = recent.iter().map(|(_, b)| *b as f64).sum::<f64>() / 3_600.0;
    if let Some(t) = tiers.iter_mut().find(|t| t.name == first)
        && rate_bytes_per_s > 0.0
    {
        let room = t.free_bytes.saturating_sub(t.reserve_free_bytes) as f64;
        t.days_until_full = Some(room / rate_bytes_per_s / 86_400.0);
    }
    let mut cameras: Vec<CameraStorage> = vec![];
    for u in cams {
        let u = u.clone();
        let i = match cameras.iter().position(|c| c.camera_id == u.camera_id) {
            Some(i) => i,
            None => {
                cameras.push(CameraStorage {
                    camera_id: u.camera_id,
                    bytes: 0,
                    by_tier: Default::default(),
                    bitrate_bps: recent
                        .iter()
                        .find(|(c, _)| *c == u.camera_id)
                        .map_or(0, |(_, b)| (*b).max(0) as u64 * 8 / 3_600),
                    days_held: 0.0,
                });
                cameras.len() - 1
            }
        };
        let c = &mut cameras[i];
        c.bytes += u.bytes;
        c.by_tier.insert(u.tier.clone(), u.bytes.into());
    }
    // Over every tier: from the camera's oldest footage anywhere to its newest.
    for &(cam, lo, hi) in &report.spans {
        if let Some(c) = cameras.iter_mut().find(|c| c.camera_id == cam) {
            c.days_held = (hi - lo).max(0) as f64 / DAY_MS;
        }
    }
    Ok(StorageView {
        tiers,
        cameras,
        settings: s.config(),
        last_pass: s.last_pass().map(|(at, r)| pass_view(Some(at), &r)),
        archive_keys_stored: e.credentials().archive_keys().ok().flatten().is_some(),
    })
}

/// The tiers (usage, free space, online), each camera's footage, the settings and the last pass.
#[utoipa::path(get, path = "/storage", tag = "storage",
    responses((status = 200, body = Envelope<StorageView>)), security(("bearer" = ["storage:admin"])))]
pub async fn status(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<StorageView>, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let e = st.engine.clone();
    let v = tokio::task::spawn_blocking(move || storage_view(&e))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    Ok(Data(v))
}

/// Replace the storage settings (validated field by field; applied at once, kept across restarts).
/// The first tier cannot change while Vigil runs, nor the path of a tier holding footage.
#[utoipa::path(put, path = "/storage", tag = "storage", request_body = StorageConfig,
    responses((status = 200, body = Envelope<StorageView>),
        (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 409, description = "STORAGE_CONFIG_CONFLICT", body = ErrorBody),
        (status = 503, description = "STORAGE_TIER_OFFLINE: a new tier cannot be initialised", body = ErrorBody)),
    security(("bearer" = ["storage:admin"])))]
pub async fn update(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(cfg): Body<StorageConfig>,
) -> Result<Data<StorageView>, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let e = st.engine.clone();
    let details = serde_json::to_value(&cfg).unwrap_or_default();
    let v = tokio::task::spawn_blocking(move || {
        e.storage().set_config(cfg)?;
        storage_view(&e)
    })
    .await
    .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::SettingsChange)
            .target("storage")
            .client(client)
            .details(details),
    );
    Ok(Data(v))
}

/// Run a maintenance pass now and say what it did.
#[utoipa::path(post, path = "/storage/maintenance", tag = "storage",
    responses((status = 200, body = Envelope<PassView>)), security(("bearer" = ["storage:admin"])))]
pub async fn maintenance(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<PassView>, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let e = st.engine.clone();
    let now = e.now_ms();
    let r = tokio::task::spawn_blocking(move || e.storage().run_pass())
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    Ok(Data(pass_view(Some(now), &r)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpsQuery {
    /// Entries older than this id (the `id` of the last entry of the previous page).
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// A completed move or deletion.
#[derive(Clone, Serialize, ToSchema)]
pub struct StorageOp {
    pub id: i64,
    pub at: String,
    /// `move` or `delete`.
    pub kind: StorageOpKind,
    pub reason: StorageReason,
    pub recording_id: i64,
    pub camera_id: i64,
    pub from_tier: String,
    pub to_tier: Option<String>,
    pub bytes: i64,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StorageOpKind {
    Move,
    Delete,
}

/// Moves and deletions, newest first, with their reasons.
#[utoipa::path(get, path = "/storage/ops", tag = "storage", params(OpsQuery),
    responses((status = 200, body = Envelope<Vec<StorageOp>>),
        (status = 400, description = "VALIDATION_FAILED", body = ErrorBody)),
    security(("bearer" = ["storage:admin"])))]
pub async fn ops(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<OpsQuery>,
) -> Result<Data<Vec<StorageOp>>, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let mut f = FieldErrors::new();
    let limit = limit_field(&mut f, q.limit);
    if q.before.is_some_and(|b| b < 1) {
        f.insert("before".into(), "must be at least 1".into());
    }
    if !f.is_empty() {
        return Err(vigil_base::Error::validation(f).into());
    }
    let e = st.engine.clone();
    let rows = tokio::task::spawn_blocking(move || e.storage().history(q.before, limit))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    Ok(Data(
        rows.into_iter()
            .map(|h| StorageOp {
                id: h.id,
                at: rfc3339(h.at_ms),
                kind: if h.moved {
                    StorageOpKind::Move
                } else {
                    StorageOpKind::Delete
                },
                reason: h.reason.into(),
                recording_id: h.recording_id,
                camera_id: h.camera_id,
                from_tier: h.from_tier,
                to_tier: h.to_tier,
                bytes: h.bytes,
                start: rfc3339(h.start_ms),
                end: rfc3339(h.end_ms),
            })
            .collect(),
    ))
}

/// Footage kept whatever retention and free space say.
#[derive(Clone, Serialize, ToSchema)]
pub struct Lock {
    pub id: i64,
    pub camera_id: i64,
    pub start: String,
    pub start_ms: i64,
    pub end: String,
    pub end_ms: i64,
    pub reason: String,
    pub created_at: String,
}

impl From<vigil_engine::storage::LockRow> for Lock {
    fn from(l: vigil_engine::storage::LockRow) -> Self {
        Lock {
            id: l.id,
            camera_id: l.camera_id,
            start: rfc3339(l.start_ms),
            start_ms: l.start_ms,
            end: rfc3339(l.end_ms),
            end_ms: l.end_ms,
            reason: l.reason,
            created_at: rfc3339(l.created_at_ms),
        }
    }
}

/// A lock to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockInput {
    pub camera_id: i64,
    /// Epoch ms (an RFC 3339 string is accepted too).
    #[schema(value_type = vigil_base::fields::InstantParam)]
    pub start: serde_json::Value,
    /// Epoch ms (or RFC 3339); a span given the wrong way round is swapped.
    #[schema(value_type = vigil_base::fields::InstantParam)]
    pub end: serde_json::Value,
    /// Why it is kept (shown in the Storage page).
    #[serde(default)]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LocksQuery {
    pub camera_id: Option<i64>,
}

/// Locks, by camera and start.
#[utoipa::path(get, path = "/locks", tag = "storage", params(LocksQuery),
    responses((status = 200, body = Envelope<Vec<Lock>>)), security(("bearer" = ["recording:read"])))]
pub async fn list_locks(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<LocksQuery>,
) -> Result<Data<Vec<Lock>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let e = st.engine.clone();
    let mut rows = tokio::task::spawn_blocking(move || e.storage().locks(q.camera_id))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    rows.retain(|l| p.can_see(l.camera_id));
    Ok(Data(rows.into_iter().map(Lock::from).collect()))
}

/// Keep a camera's footage over a span: never deleted by retention or free-space eviction.
#[utoipa::path(post, path = "/locks", tag = "storage", request_body = LockInput,
    responses((status = 201, body = Envelope<Lock>),
        (status = 400, description = "VALIDATION_FAILED", body = ErrorBody),
        (status = 404, description = "CAMERA_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["footage:lock"])))]
pub async fn create_lock(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    ClientAddr(client): ClientAddr,
    Body(input): Body<LockInput>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::FootageLock)?;
    require_camera(&p, input.camera_id)?;
    let mut f = FieldErrors::new();
    let start = instant_value(&input.start);
    let end = instant_value(&input.end);
    if start.is_none() {
        f.insert(
            "start".into(),
            "must be epoch milliseconds or an RFC 3339 time".into(),
        );
    }
    if end.is_none() {
        f.insert(
            "end".into(),
            "must be epoch milliseconds or an RFC 3339 time".into(),
        );
    }
    let reason = if input.reason.trim().is_empty() {
        "Kept".to_string()
    } else {
        vigil_base::fields::required_text(&mut f, "reason", &input.reason, 200)
    };
    let (Some(a), Some(b)) = (start, end) else {
        return Err(vigil_base::Error::validation(f).into());
    };
    if !f.is_empty() {
        return Err(vigil_base::Error::validation(f).into());
    }
    // A moment is kept as the second around it; a reversed span is what a person meant.
    let (lo, hi) = (a.min(b), a.max(b).max(a.min(b) + 1));
    let cam = input.camera_id;
    let e = st.engine.clone();
    st.engine.cameras().get(cam).await?;
    let lock = tokio::task::spawn_blocking(move || e.storage().add_lock(cam, lo, hi, reason))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::FootageLock)
            .camera(cam)
            .target(format!("lock {}", lock.id))
            .client(client)
            .details(serde_json::json!({"start": rfc3339(lo), "end": rfc3339(hi)})),
    );
    Ok((StatusCode::CREATED, Data(Lock::from(lock))))
}

/// Unlock: the footage follows retention and free space again.
#[utoipa::path(delete, path = "/locks/{id}", tag = "storage", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "LOCK_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["footage:lock"])))]
pub async fn remove_lock(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::FootageLock)?;
    let e = st.engine.clone();
    let scope = p.cameras.clone();
    let gone = tokio::task::spawn_blocking(move || {
        let lock = e.storage().locks(None)?.into_iter().find(|l| l.id == id);
        match lock {
            Some(l) if scope.as_ref().is_none_or(|s| s.contains(&l.camera_id)) => e
                .storage()
                .remove_lock(id)
                .map(|gone| gone.then_some(l.camera_id)),
            _ => Ok(None),
        }
    })
    .await
    .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    let Some(camera) = gone else {
        return Err(vigil_base::err!(NotFound, code = LockNotFound, "lock {id} not found").into());
    };
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::FootageUnlock)
            .camera(camera)
            .target(format!("lock {id}"))
            .client(client),
    );
    e_poke(&st);
    Ok(StatusCode::NO_CONTENT)
}

/// An unlock may free space at once: ask for a pass.
fn e_poke(st: &AppState) {
    st.engine.storage().poke();
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// From this time (epoch milliseconds or RFC 3339); default: 7 days ago.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub since: Option<String>,
}

/// One tier's usage at one time.
#[derive(Clone, Serialize, ToSchema)]
pub struct UsagePoint {
    pub at: String,
    pub tier: String,
    /// Bytes of footage the index held on it.
    pub used_bytes: i64,
    /// Free and total bytes of its filesystem (0 for the archive).
    pub free_bytes: i64,
    pub capacity_bytes: i64,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct UsageHistory {
    /// Oldest first; one per tier per maintenance pass (at most a minute apart), kept 90 days.
    pub samples: Vec<UsagePoint>,
}

/// Storage usage over time, for the Storage page's chart.
#[utoipa::path(get, path = "/storage/usage", tag = "storage", params(UsageQuery),
    responses((status = 200, body = Envelope<UsageHistory>),
        (status = 400, description = "VALIDATION_FAILED", body = ErrorBody)),
    security(("bearer" = ["storage:admin"])))]
pub async fn usage(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<UsageQuery>,
) -> Result<Data<UsageHistory>, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let mut f = FieldErrors::new();
    let since = vigil_base::fields::instant_field(&mut f, "since", &q.since)
        .unwrap_or_else(|| st.engine.now_ms() - 7 * 86_400_000);
    if !f.is_empty() {
        return Err(vigil_base::Error::validation(f).into());
    }
    let e = st.engine.clone();
    let rows = tokio::task::spawn_blocking(move || e.storage().usage_samples(since))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    Ok(Data(UsageHistory {
        samples: rows
            .into_iter()
            .map(|s| UsagePoint {
                at: rfc3339(s.at_ms),
                tier: s.tier,
                used_bytes: s.used_bytes,
                free_bytes: s.free_bytes,
                capacity_bytes: s.capacity_bytes,
            })
            .collect(),
    }))
}

/// The archive's S3 access keys (write-only: kept in the credential store, never shown or
/// logged).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveKeys {
    /// 1–128 characters, not only spaces, no control characters.
    #[schema(
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        min_length = 1,
        max_length = 128
    )]
    pub access_key_id: String,
    /// 1–256 characters.
    #[schema(min_length = 1, max_length = 256)]
    pub secret_access_key: String,
}

/// Keep the archive's access keys in the credential store and reconnect the archive.
#[utoipa::path(put, path = "/storage/archive/credentials", tag = "storage", request_body = ArchiveKeys,
    responses((status = 204), (status = 400, description = "VALIDATION_FAILED", body = ErrorBody)),
    security(("bearer" = ["storage:admin"])))]
pub async fn set_archive_keys(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(k): Body<ArchiveKeys>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let mut f = FieldErrors::new();
    let id = vigil_base::fields::required_text(&mut f, "access_key_id", &k.access_key_id, 128);
    if k.secret_access_key.is_empty() || k.secret_access_key.chars().count() > 256 {
        f.insert(
            "secret_access_key".into(),
            "must be 1–256 characters".into(),
        );
    }
    if !f.is_empty() {
        return Err(vigil_base::Error::validation(f).into());
    }
    let e = st.engine.clone();
    tokio::task::spawn_blocking(move || e.set_archive_keys(Some((&id, &k.secret_access_key))))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    // Never the keys themselves.
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::SettingsChange)
            .target("archive credentials")
            .client(client)
            .details(serde_json::json!({"stored": true})),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Forget the archive's access keys (the AWS environment variables apply, if any).
#[utoipa::path(delete, path = "/storage/archive/credentials", tag = "storage",
    responses((status = 204)), security(("bearer" = ["storage:admin"])))]
pub async fn delete_archive_keys(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::StorageAdmin)?;
    let e = st.engine.clone();
    tokio::task::spawn_blocking(move || e.set_archive_keys(None))
        .await
        .map_err(|e| vigil_base::err!(Internal, "storage task: {e}"))??;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::SettingsChange)
            .target("archive credentials")
            .client(client)
            .details(serde_json::json!({"stored": false})),
    );
    Ok(StatusCode::NO_CONTENT)
}
