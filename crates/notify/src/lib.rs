//! Desktop notifications of alerts, so someone at the PC learns of a person at the door or a camera
//! gone offline without watching the UI. The engine [`Notifications::offer`]s every alert; a pure
//! [`policy`] decides what is worth showing (severity threshold, per-camera cooldown, grouping of
//! bursts), one background thread delivers it through a [`Backend`] — normally [`DesktopBackend`]
//! (D-Bus `org.freedesktop.Notifications` through notify-rust/zbus) — and copes with there being no
//! desktop at all (headless recorder, CI) by logging it once and carrying on.

mod desktop;
pub mod policy;
mod service;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use desktop::{ClickHandler, DesktopBackend};
pub use policy::{GroupKey, KindClass, Outcome, Policy, Show};
pub use service::{Notifications, NotifyStats, RETRY_INTERVAL};

/// Alert severity, ordered `Info < Warning < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = vigil_base::Error;
    fn from_str(s: &str) -> vigil_base::Result<Self> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "critical" => Ok(Severity::Critical),
            _ => Err(vigil_base::err!(
                InvalidArgument,
                "severity must be info, warning or critical, not {s:?}"
            )),
        }
    }
}

/// One alert to maybe show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertNotice {
    pub alert_id: i64,
    /// `None` for system-wide alerts (storage full); they share one cooldown.
    pub camera_id: Option<i64>,
    pub camera_name: Option<String>,
    /// The alert type: `camera_offline`, `recording_failed`, `storage_full`, `detection`,
    /// `detection_unavailable`. Only `detection` counts as a detection (see [`KindClass`]).
    pub kind: String,
    /// Detection label, e.g. `person`.
    pub label: Option<String>,
    pub severity: Severity,
    pub title: String,
    pub body: String,
    /// When the alert happened, UTC ms since the epoch.
    pub at_ms: i64,
}

/// What to show and how often.
#[derive(Clone, Debug, PartialEq)]
pub struct NotifyConfig {
    pub enabled: bool,
    /// Alerts below this are not shown. Default `Warning`.
    pub min_severity: Severity,
    /// Per camera and [`KindClass`]: after a notification, further alerts wait this long and are then
    /// shown as one group. Default 60 s.
    pub cooldown: Duration,
    /// The application name the desktop shows. Default `Vigil`.
    pub app_name: String,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            enabled: true,
            min_severity: Severity::Warning,
            cooldown: Duration::from_secs(60),
            app_name: "Vigil".to_string(),
        }
    }
}

/// A notification ready to show: one alert, or a group of them (`count > 1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub title: String,
    /// Plain text (the desktop backend escapes it where the server reads markup); may hold `\n`.
    pub body: String,
    /// The highest severity in the group.
    pub severity: Severity,
    /// The latest alert in the group.
    pub alert_id: i64,
    pub camera_id: Option<i64>,
    /// How many alerts this notification stands for.
    pub count: usize,
}

/// What actually talks to the desktop.
pub trait Backend: Send + Sync + 'static {
    /// Show `n`, replacing the notification `replaces` if the desktop still has it. Returns the id
    /// of the notification shown (to replace it later), or why it could not be shown.
    fn show(&self, n: &Rendered, replaces: Option<u32>) -> Result<u32, String>;
}
