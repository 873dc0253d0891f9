//! The audit log: who did what, when, from where. Rows are queued on the database writer thread
//! (the request never waits for the disk, and the writer batches them with the recorder's rows),
//! only ever added, and aged out after the retention (90 days by default, pruned daily).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Clock, Result};
use vigil_db::Database;
use vigil_db::audit::{self as q, AuditQuery, AuditRow};

use crate::Principal;

/// What was done. The wire name is the snake_case variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Login,
    LoginFailed,
    Logout,
    /// A refresh token was presented twice: the session was revoked.
    RefreshReused,
    LiveOpen,
    LiveClose,
    /// Recorded video played (a VOD playlist or a segment range).
    Playback,
    Export,
    /// A recording or an export downloaded as a file.
    Download,
    RecordingDelete,
    CameraCreate,
    CameraUpdate,
    CameraDelete,
    FootageLock,
    FootageUnlock,
    SettingsChange,
    UserCreate,
    UserUpdate,
    UserDelete,
    TokenCreate,
    TokenRevoke,
    RtmpPublishAccepted,
    RtmpPublishRefused,
    /// The desk was locked (read-only live grid) or unlocked.
    DeskLock,
    DeskUnlock,
    /// Start-up found the database damaged, kept it aside and restored a snapshot (or
    /// `vigil restore` put one in place).
    DatabaseRestored,
    /// A PTZ camera steered: a move, a preset gone to or saved.
    Ptz,
}

impl AuditAction {
    pub const ALL: [AuditAction; 27] = {
        use AuditAction::*;
        [
            Login,
            LoginFailed,
            Logout,
            RefreshReused,
            LiveOpen,
            LiveClose,
            Playback,
            Export,
            Download,
            RecordingDelete,
            CameraCreate,
            CameraUpdate,
            CameraDelete,
            FootageLock,
            FootageUnlock,
            SettingsChange,
            UserCreate,
            UserUpdate,
            UserDelete,
            TokenCreate,
            TokenRevoke,
            RtmpPublishAccepted,
            RtmpPublishRefused,
            DeskLock,
            DeskUnlock,
            DatabaseRestored,
            Ptz,
        ]
    };

    pub fn as_str(self) -> &'static str {
        // The serde name, without a serializer round trip on the request path.
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::RefreshReused => "refresh_reused",
            AuditAction::LiveOpen => "live_open",
            AuditAction::LiveClose => "live_close",
            AuditAction::Playback => "playback",
            AuditAction::Export => "export",
            AuditAction::Download => "download",
            AuditAction::RecordingDelete => "recording_delete",
            AuditAction::CameraCreate => "camera_create",
            AuditAction::CameraUpdate => "camera_update",
            AuditAction::CameraDelete => "camera_delete",
            AuditAction::FootageLock => "footage_lock",
            AuditAction::FootageUnlock => "footage_unlock",
            AuditAction::SettingsChange => "settings_change",
            AuditAction::UserCreate => "user_create",
            AuditAction::UserUpdate => "user_update",
            AuditAction::UserDelete => "user_delete",
            AuditAction::TokenCreate => "token_create",
            AuditAction::TokenRevoke => "token_revoke",
            AuditAction::RtmpPublishAccepted => "rtmp_publish_accepted",
            AuditAction::RtmpPublishRefused => "rtmp_publish_refused",
            AuditAction::DeskLock => "desk_lock",
            AuditAction::DeskUnlock => "desk_unlock",
            AuditAction::DatabaseRestored => "database_restored",
            AuditAction::Ptz => "ptz",
        }
    }
}

/// How it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    /// Not allowed (a wrong password, a refused publisher).
    Refused,
    Failed,
}

impl AuditOutcome {
    fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Failed => "failed",
        }
    }
    fn parse(s: &str) -> AuditOutcome {
        match s {
            "refused" => AuditOutcome::Refused,
            "failed" => AuditOutcome::Failed,
            _ => AuditOutcome::Ok,
        }
    }
}

/// One entry, as recorded and as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    /// `user:alice`, `token:wall display`, `admin token`, `rtmp`, or the name tried at a failed
    /// sign-in (`user:mallory?`).
    pub actor: String,
    pub user_id: Option<i64>,
    pub action: AuditAction,
    pub camera_id: Option<i64>,
    pub target: Option<String>,
    pub outcome: AuditOutcome,
    pub client: Option<String>,
    pub details: serde_json::Value,
}

impl AuditEntry {
    /// An entry of `action` by `p`, now-less (the log stamps it).
    pub fn by(p: &Principal, action: AuditAction) -> AuditEntry {
        AuditEntry {
            id: 0,
            at_ms: 0,
            actor: p.actor(),
            user_id: p.user.as_ref().map(|u| u.id),
            action,
            camera_id: None,
            target: None,
            outcome: AuditOutcome::Ok,
            client: None,
            details: serde_json::Value::Null,
        }
    }
    /// An entry by something that is not a signed-in caller (a publisher, the system).
    pub fn by_actor(actor: impl Into<String>, action: AuditAction) -> AuditEntry {
        AuditEntry {
            actor: actor.into(),
            user_id: None,
            ..AuditEntry::by(&Principal::admin_token(), action)
        }
    }
    pub fn camera(mut self, id: i64) -> Self {
        self.camera_id = Some(id);
        self
    }
    pub fn target(mut self, t: impl Into<String>) -> Self {
        self.target = Some(t.into());
        self
    }
    pub fn outcome(mut self, o: AuditOutcome) -> Self {
        self.outcome = o;
        self
    }
    pub fn client(mut self, c: Option<String>) -> Self {
        self.client = c;
        self
    }
    pub fn details(mut self, d: serde_json::Value) -> Self {
        self.details = d;
        self
    }
}

/// Filters of [`AuditLog::list`].
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    pub actor: Option<String>,
    pub camera_id: Option<i64>,
    pub action: Option<AuditAction>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    /// Entries older than this id (paging, newest first).
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[derive(Clone)]
pub struct AuditLog {
    db: Database,
    clock: Arc<dyn Clock>,
}

impl AuditLog {
    pub fn new(db: Database, clock: Arc<dyn Clock>) -> Self {
        AuditLog { db, clock }
    }

    /// Queue `e` for the writer thread; never waits and never fails the caller's action (a
    /// closed database at shutdown drops it, with a warning).
    pub fn record(&self, e: AuditEntry) {
        let row = AuditRow {
            id: 0,
            at_ms: self.clock.now_ms(),
            actor: e.actor,
            user_id: e.user_id,
            action: e.action.as_str().into(),
            camera_id: e.camera_id,
            target: e.target,
            outcome: e.outcome.as_str().into(),
            client: e.client,
            details_json: if e.details.is_null() {
                "{}".into()
            } else {
                e.details.to_string()
            },
        };
        self.db.write_detached(move |c| {
            if let Err(err) = q::insert(c, std::slice::from_ref(&row)) {
                tracing::warn!(error = %err, action = %row.action, "audit row not written");
            }
        });
    }

    /// Newest first.
    pub async fn list(&self, f: AuditFilter) -> Result<Vec<AuditEntry>> {
        let q = AuditQuery {
            user_id: f.user_id,
            actor: f.actor,
            camera_id: f.camera_id,
            action: f.action.map(|a| a.as_str().to_string()),
            start_ms: f.start_ms,
            end_ms: f.end_ms,
            before_id: f.before_id,
            limit: i64::from(f.limit.clamp(1, 10_000)),
        };
        let rows = self.db.read(move |c| q::list(c, &q)).await?;
        Ok(rows.into_iter().filter_map(from_row).collect())
    }

    /// Delete entries older than `days`; returns how many.
    pub async fn prune(&self, days: u32) -> Result<usize> {
        let cutoff = self.clock.now_ms() - i64::from(days) * 86_400_000;
        self.db.write(move |c| q::prune(c, cutoff)).await
    }
}

fn from_row(r: AuditRow) -> Option<AuditEntry> {
    let action = serde_json::from_value(serde_json::Value::String(r.action)).ok()?;
    Some(AuditEntry {
        id: r.id,
        at_ms: r.at_ms,
        actor: r.actor,
        user_id: r.user_id,
        action,
        camera_id: r.camera_id,
        target: r.target,
        outcome: AuditOutcome::parse(&r.outcome),
        client: r.client,
        details: serde_json::from_str(&r.details_json).unwrap_or(serde_json::Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_base::SimulatedClock;

    #[test]
    fn every_action_names_itself_as_serde_does() {
        for a in AuditAction::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }

    #[tokio::test]
    async fn recorded_entries_list_and_age_out() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        let clock = SimulatedClock::new(100 * 86_400_000);
        let log = AuditLog::new(db.clone(), Arc::new(clock.clone()));
        log.record(
            AuditEntry::by(&Principal::admin_token(), AuditAction::CameraDelete)
                .camera(3)
                .target("camera 3")
                .client(Some("127.0.0.1".into())),
        );
        clock.advance_ms(91 * 86_400_000);
        log.record(
            AuditEntry::by_actor("rtmp", AuditAction::RtmpPublishRefused)
                .outcome(AuditOutcome::Refused)
                .details(serde_json::json!({"key": "wrong"})),
        );
        // The writer thread runs queued work in order: a write after them sees both.
        db.write(|_| Ok(())).await.unwrap();
        let all = log
            .list(AuditFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, AuditAction::RtmpPublishRefused);
        assert_eq!(all[0].outcome, AuditOutcome::Refused);
        assert_eq!(all[1].actor, "admin token");
        assert_eq!(all[1].camera_id, Some(3));
        assert_eq!(log.prune(90).await.unwrap(), 1);
    }
}
