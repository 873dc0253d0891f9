//! The real backend: the freedesktop notification service (`org.freedesktop.Notifications` on the
//! D-Bus session bus) through notify-rust's pure-Rust zbus stack, so no libdbus is needed. Works
//! with GNOME, KDE, XFCE, dunst, mako… Each call opens its own bus connection (a few per minute at
//! most), so a desktop that logs in or a daemon that restarts later is picked up by the next call.

use std::sync::{Arc, Mutex};

use notify_rust::{Notification, Timeout, Urgency};

use crate::{Backend, Rendered, Severity};

/// How long non-critical notifications stay up. Critical ones use the server's default (most keep
/// them until dismissed).
const TIMEOUT_MS: u32 = 10_000;
/// The themed icon shown with every notification.
const ICON: &str = "camera-video";

/// Shows notifications on the desktop session this process belongs to (`DBUS_SESSION_BUS_ADDRESS`,
/// else `$XDG_RUNTIME_DIR/bus`). Call from a plain thread, not from inside an async runtime: it
/// blocks for the round trip to the bus.
pub struct DesktopBackend {
    app_name: String,
    /// Whether the server reads markup in bodies (then `<` and `&` must be escaped); asked once.
    body_markup: Mutex<Option<bool>>,
    /// Told the alert id when someone clicks a notification ("Open Vigil").
    on_click: Option<ClickHandler>,
}

/// What to do when a notification is clicked: given the alert it stands for.
pub type ClickHandler = Arc<dyn Fn(i64) + Send + Sync>;

impl DesktopBackend {
    pub fn new(app_name: impl Into<String>) -> DesktopBackend {
        DesktopBackend {
            app_name: app_name.into(),
            body_markup: Mutex::new(None),
            on_click: None,
        }
    }

    /// Call `f` with the alert id when a notification's default action is invoked (a click).
    /// Each shown notification gets a small thread that waits for its action or its closing.
    pub fn on_click(mut self, f: ClickHandler) -> DesktopBackend {
        self.on_click = Some(f);
        self
    }

    fn body_markup(&self) -> Result<bool, String> {
        let mut known = self.body_markup.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = *known {
            return Ok(m);
        }
        let caps = notify_rust::get_capabilities().map_err(|e| describe(&e))?;
        let m = caps.iter().any(|c| c == "body-markup");
        *known = Some(m);
        Ok(m)
    }
}

impl Backend for DesktopBackend {
    fn show(&self, n: &Rendered, replaces: Option<u32>) -> Result<u32, String> {
        let body = if self.body_markup()? {
            escape_markup(&n.body)
        } else {
            n.body.clone()
        };
        let mut note = Notification::new();
        note.appname(&self.app_name)
            .summary(&n.title)
            .body(&body)
            .icon(ICON)
            .urgency(urgency(n.severity))
            .timeout(match n.severity {
                Severity::Critical => Timeout::Default,
                _ => Timeout::Milliseconds(TIMEOUT_MS),
            })
            .action("default", "Open Vigil");
        if let Some(id) = replaces {
            note.id(id);
        }
        let handle = note.show().map_err(|e| describe(&e))?;
        let id = handle.id();
        if let Some(f) = self.on_click.clone() {
            let alert_id = n.alert_id;
            // Ends when the notification is clicked, dismissed, expires or is replaced.
            let _ = std::thread::Builder::new()
                .name("notify-click".into())
                .spawn(move || {
                    handle.wait_for_action(|action| {
                        if action == "default" {
                            f(alert_id);
                        }
                    })
                });
        }
        Ok(id)
    }
}

fn urgency(s: Severity) -> Urgency {
    match s {
        Severity::Info => Urgency::Low,
        Severity::Warning => Urgency::Normal,
        Severity::Critical => Urgency::Critical,
    }
}

/// notify-rust's error, with a hint when it is not the service's own answer (no bus at all).
fn describe(e: &notify_rust::error::Error) -> String {
    let msg = e.to_string();
    if msg.contains("org.freedesktop") {
        msg
    } else {
        let addr = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .unwrap_or_else(|_| "unset, so $XDG_RUNTIME_DIR/bus".to_string());
        format!(
            "cannot reach org.freedesktop.Notifications on the D-Bus session bus \
             (DBUS_SESSION_BUS_ADDRESS: {addr}): {msg}"
        )
    }
}

/// Escape what the notification markup (a subset of HTML) would interpret.
fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape_markup("a<b> & c"), "a&lt;b&gt; &amp; c");
    }

    #[test]
    fn severities_map_to_urgencies() {
        assert!(matches!(urgency(Severity::Info), Urgency::Low));
        assert!(matches!(urgency(Severity::Critical), Urgency::Critical));
    }
}
