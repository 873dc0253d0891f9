//! Which alerts go to which channels: rules by alert type, severity, camera, label and armed hours
//! per weekday (local time; "only at night", "away mode" as a schedule). An alert goes to a
//! channel when any rule naming that channel (or naming none: every channel) matches it. With no
//! rules at all, every warning-or-worse alert goes to every channel.

use chrono::{Datelike, Local, TimeZone, Timelike};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{FieldErrors, Result};
use vigil_notify::Severity;

/// What a rule looks at in an alert.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertMeta {
    pub alert_id: i64,
    /// The alert type (`camera_offline`, `detection`, ...).
    pub kind: String,
    pub severity: Severity,
    pub camera_id: Option<i64>,
    /// A detection's label (`person`).
    pub label: Option<String>,
    pub at_ms: i64,
    pub camera_name: Option<String>,
    /// The alert's words.
    pub message: String,
}

/// A window of armed hours on some weekdays, local time. `end` before `start` crosses midnight
/// (`22:00`–`06:00`: the night from each listed day into the next).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// `mon` … `sun`; empty: every day.
    #[serde(default)]
    #[schema(value_type = Vec<Weekday>)]
    pub days: Vec<String>,
    /// `HH:MM`.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// `HH:MM`.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Channel ids; empty: every channel.
    #[serde(default)]
    pub channels: Vec<i64>,
    /// Alert types; empty: every type.
    #[serde(default)]
    pub types: Vec<String>,
    /// The lowest severity sent (default `warning`).
    #[serde(default = "warning")]
    #[schema(value_type = String, pattern = "^(info|warning|critical)$")]
    pub min_severity: Severity,
    /// Camera ids; null: every camera, and alerts about no camera (storage, sign-ins).
    #[serde(default)]
    pub cameras: Option<Vec<i64>>,
    /// Detection labels; empty: any (and alerts without one).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Armed hours; empty: always.
    #[serde(default)]
    pub schedule: Vec<Window>,
}

/// A weekday, as rules name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

fn warning() -> Severity {
    Severity::Warning
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && hhmm.len() == 5).then_some(h * 60 + m)
}

/// Check rules before they are saved: one message per bad field (`rules[1].schedule[0].start`);
/// a channel that does not exist is `NOT_FOUND`, like any id that names nothing.
pub fn validate(rules: &[Rule], channel_ids: &[i64]) -> Result<()> {
    let mut errs = FieldErrors::new();
    for r in rules {
        if let Some(c) = r.channels.iter().find(|c| !channel_ids.contains(c)) {
            return Err(vigil_base::err!(NotFound, "no notification channel {c}"));
        }
    }
    for (i, r) in rules.iter().enumerate() {
        for (j, w) in r.schedule.iter().enumerate() {
            for (name, v) in [("start", &w.start), ("end", &w.end)] {
                if minutes(v).is_none() {
                    errs.insert(
                        format!("rules[{i}].schedule[{j}].{name}"),
                        "must be HH:MM".into(),
                    );
                }
            }
            if let Some(d) = w.days.iter().find(|d| !DAYS.contains(&d.as_str())) {
                errs.insert(
                    format!("rules[{i}].schedule[{j}].days"),
                    format!("{d:?} is not one of mon, tue, wed, thu, fri, sat, sun"),
                );
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(vigil_base::Error::validation(errs))
    }
}

/// Weekday (0 = Monday) and minute of the day of `at_ms` in local time.
fn local(at_ms: i64) -> (usize, u32) {
    match Local.timestamp_millis_opt(at_ms).single() {
        Some(t) => (
            t.weekday().num_days_from_monday() as usize,
            t.hour() * 60 + t.minute(),
        ),
        None => (0, 0),
    }
}

impl Window {
    /// Whether local `(weekday, minute)` falls in the window.
    fn contains(&self, day: usize, minute: u32) -> bool {
        let (Some(s), Some(e)) = (minutes(&self.start), minutes(&self.end)) else {
            return false;
        };
        let listed = |d: usize| self.days.is_empty() || self.days.iter().any(|x| x == DAYS[d]);
        if s <= e {
            listed(day) && minute >= s && minute < e
        } else {
            // Across midnight: the evening of a listed day, or the morning after one.
            (listed(day) && minute >= s) || (listed((day + 6) % 7) && minute < e)
        }
    }
}

impl Rule {
    fn matches_at(&self, a: &AlertMeta, day: usize, minute: u32) -> bool {
        a.severity >= self.min_severity
            && (self.types.is_empty() || self.types.contains(&a.kind))
            && self
                .cameras
                .as_ref()
                .is_none_or(|cs| a.camera_id.is_some_and(|c| cs.contains(&c)))
            && (self.labels.is_empty() || a.label.as_ref().is_some_and(|l| self.labels.contains(l)))
            && (self.schedule.is_empty() || self.schedule.iter().any(|w| w.contains(day, minute)))
    }
}

/// The channels (of `enabled`) an alert goes to.
pub fn route(rules: &[Rule], enabled: &[i64], a: &AlertMeta) -> Vec<i64> {
    let (day, minute) = local(a.at_ms);
    route_at(rules, enabled, a, day, minute)
}

fn route_at(rules: &[Rule], enabled: &[i64], a: &AlertMeta, day: usize, minute: u32) -> Vec<i64> {
    if rules.is_empty() {
        return if a.severity >= Severity::Warning {
            enabled.to_vec()
        } else {
            vec![]
        };
    }
    enabled
        .iter()
        .copied()
        .filter(|c| {
            rules.iter().any(|r| {
                (r.channels.is_empty() || r.channels.contains(c)) && r.matches_at(a, day, minute)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(kind: &str, sev: Severity, cam: Option<i64>, label: Option<&str>) -> AlertMeta {
        AlertMeta {
            alert_id: 1,
            kind: kind.into(),
            severity: sev,
            camera_id: cam,
            label: label.map(String::from),
            at_ms: 0,
            camera_name: None,
            message: String::new(),
        }
    }

    #[test]
    fn without_rules_warnings_and_worse_go_everywhere() {
        let a = alert("camera_offline", Severity::Warning, Some(1), None);
        assert_eq!(route_at(&[], &[1, 2], &a, 0, 0), vec![1, 2]);
        let info = alert("detection", Severity::Info, Some(1), Some("car"));
        assert!(route_at(&[], &[1, 2], &info, 0, 0).is_empty());
    }

    #[test]
    fn rules_pick_channels_by_type_camera_label_and_night_hours() {
        let night: Rule = serde_json::from_value(serde_json::json!({
            "channels": [2], "types": ["detection"], "min_severity": "info", "cameras": [5],
            "labels": ["person"],
            "schedule": [{"days": ["fri"], "start": "22:00", "end": "06:00"}]
        }))
        .unwrap();
        let everything: Rule = serde_json::from_value(serde_json::json!({
            "channels": [1], "min_severity": "critical"
        }))
        .unwrap();
        let rules = [night, everything];
        let person = alert("detection", Severity::Info, Some(5), Some("person"));
        let (fri, sat) = (4, 5);
        // Friday 23:00 and Saturday 05:59 are in Friday night; Saturday 06:00 and Friday 21:59 not.
        assert_eq!(route_at(&rules, &[1, 2], &person, fri, 23 * 60), vec![2]);
        assert_eq!(
            route_at(&rules, &[1, 2], &person, sat, 5 * 60 + 59),
            vec![2]
        );
        assert!(route_at(&rules, &[1, 2], &person, sat, 6 * 60).is_empty());
        assert!(route_at(&rules, &[1, 2], &person, fri, 21 * 60 + 59).is_empty());
        // Another camera, another label, or a disabled channel: nothing.
        let other = alert("detection", Severity::Info, Some(6), Some("person"));
        assert!(route_at(&rules, &[1, 2], &other, fri, 23 * 60).is_empty());
        let car = alert("detection", Severity::Info, Some(5), Some("car"));
        assert!(route_at(&rules, &[1, 2], &car, fri, 23 * 60).is_empty());
        assert!(route_at(&rules, &[1], &person, fri, 23 * 60).is_empty());
        // Critical alerts go to channel 1 at any hour, system-wide ones included.
        let full = alert("storage_full", Severity::Critical, None, None);
        assert_eq!(route_at(&rules, &[1, 2], &full, 2, 12 * 60), vec![1]);
    }

    #[test]
    fn bad_rules_name_their_fields() {
        let r: Rule = serde_json::from_value(serde_json::json!({
            "channels": [1], "schedule": [{"days": ["someday"], "start": "25:00", "end": "6:00"}]
        }))
        .unwrap();
        let unknown = Rule {
            channels: vec![9],
            ..r.clone()
        };
        let e = validate(&[unknown], &[1]).unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::NotFound);
        let e = validate(&[r], &[1]).unwrap_err();
        let f = &e.details().unwrap()["fields"];
        for k in ["rules[0].schedule[0].end", "rules[0].schedule[0].days"] {
            assert!(f[k].is_string(), "{k}: {f}");
        }
    }
}
