//! Live views in the audit log: `live_open` when a view starts and `live_close` with how long it
//! lasted when it ends. A socket view (MSE, MJPEG) is a [`LiveWatch`] held for the socket's life.
//! HLS has no socket, only requests, so [`HlsViews`] takes a caller that keeps fetching one
//! camera's playlist from one address as one view: opened at the first playlist request, closed
//! once none came for [`HLS_VIEW_IDLE`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use vigil_engine::{AuditAction, AuditEntry, AuditLog, Principal};

/// An HLS view with no playlist request for this long has ended. hls.js reloads a live playlist
/// about every target duration (~2 s here); a browser throttles a hidden tab's timers to once a
/// second, and a stalled player retries within ~10 s, so 30 s means the viewer has gone.
pub const HLS_VIEW_IDLE: Duration = Duration::from_secs(30);

/// A live view in the audit log, closed (with its length) when dropped, however it ends: the
/// viewer left, the stream stopped, the credential was revoked.
pub struct LiveWatch {
    audit: AuditLog,
    principal: Principal,
    camera_id: i64,
    client: Option<String>,
    via: &'static str,
    started: Instant,
}

impl LiveWatch {
    /// Record `live_open` for `p` watching `camera_id` over `via` (`mse`, `mjpeg`, `hls`).
    pub fn open(
        audit: &AuditLog,
        p: &Principal,
        camera_id: i64,
        via: &'static str,
        client: Option<String>,
    ) -> LiveWatch {
        audit.record(
            AuditEntry::by(p, AuditAction::LiveOpen)
                .camera(camera_id)
                .client(client.clone())
                .details(serde_json::json!({"via": via})),
        );
        LiveWatch {
            audit: audit.clone(),
            principal: p.clone(),
            camera_id,
            client,
            via,
            started: Instant::now(),
        }
    }
}

impl Drop for LiveWatch {
    fn drop(&mut self) {
        self.audit.record(
            AuditEntry::by(&self.principal, AuditAction::LiveClose)
                .camera(self.camera_id)
                .client(self.client.take())
                .details(serde_json::json!({
                    "via": self.via,
                    "seconds": self.started.elapsed().as_secs(),
                })),
        );
    }
}

/// Who is watching which camera from where: the token, the user's sign-in session (a new
/// sign-in is a new view) or the caller's name, the camera and the client address.
type ViewKey = (Option<i64>, Option<i64>, String, i64, Option<String>);

/// The HLS views in progress.
pub struct HlsViews {
    audit: AuditLog,
    idle: Duration,
    views: Mutex<HashMap<ViewKey, (LiveWatch, Instant)>>,
}

impl HlsViews {
    /// With a runtime, a task closes idle views every few seconds (ending with the last
    /// reference); without one, each playlist request closes them.
    pub fn new(audit: AuditLog, idle: Duration) -> Arc<HlsViews> {
        let views = Arc::new(HlsViews {
            audit,
            idle,
            views: Mutex::new(HashMap::new()),
        });
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            let weak: Weak<HlsViews> = Arc::downgrade(&views);
            let every = (idle / 4).max(Duration::from_millis(100));
            rt.spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    match weak.upgrade() {
                        Some(v) => v.close_idle(Instant::now()),
                        None => return,
                    }
                }
            });
        }
        views
    }

    /// A playlist request of `camera_id` by `p` from `client`: opens the view if it is new.
    pub fn seen(&self, p: &Principal, camera_id: i64, client: Option<String>) {
        let now = Instant::now();
        self.close_idle(now);
        let key = (
            p.token_id,
            p.user.as_ref().map(|u| u.session_id),
            p.name.clone(),
            camera_id,
            client.clone(),
        );
        let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
        match views.get_mut(&key) {
            Some((_, last)) => *last = now,
            None => {
                let watch = LiveWatch::open(&self.audit, p, camera_id, "hls", client);
                views.insert(key, (watch, now));
            }
        }
    }

    /// Close (and so audit) the views idle since before `now - idle`.
    pub fn close_idle(&self, now: Instant) {
        let closed: Vec<LiveWatch> = {
            let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
            let stale: Vec<ViewKey> = (views.iter())
                .filter(|(_, (_, last))| now.duration_since(*last) >= self.idle)
                .map(|(k, _)| k.clone())
                .collect();
            (stale.iter())
                .filter_map(|k| views.remove(k).map(|(w, _)| w))
                .collect()
        };
        // Dropped outside the lock: each records its `live_close`.
        drop(closed);
    }
}
