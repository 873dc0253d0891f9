//! The decision of what to show, kept pure (no thread, no clock, no D-Bus) so every rule is tested
//! with plain numbers.
//!
//! Rules:
//! - Nothing is shown while `enabled` is false, nor anything below `min_severity`.
//! - Alerts are grouped by [`GroupKey`]: the camera (`None` = system-wide alerts) and the
//!   [`KindClass`] — `detection` alerts versus everything else ("health": camera offline, recording
//!   failed, storage full, detection unavailable). So a camera going offline during a burst of
//!   person detections is shown at once in its own notification, never folded into a detection
//!   count.
//! - The first alert of a key is shown at once and starts a cooldown (`NotifyConfig::cooldown`).
//!   Alerts of that key during the cooldown are only counted. When the cooldown ends and some were
//!   counted, ONE grouped notification summarises everything since the first alert of this chain
//!   (so it can replace the earlier notification without losing it), with the highest severity
//!   seen, and starts a new cooldown; the chain ends at the first cooldown that passes with
//!   nothing counted. 50 person detections in a minute therefore give two notifications: the first
//!   detection, then "Front door: 50 detections" replacing it.
//! - Grouped notifications are emitted by [`Policy::poll`], which the caller runs at
//!   [`Policy::next_deadline_ms`] even if no new alert arrives ([`Policy::offer`] polls too).

use std::collections::BTreeMap;

use crate::{AlertNotice, NotifyConfig, Rendered, Severity};

/// The two classes of alert that have separate cooldowns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KindClass {
    /// `detection`: an object was seen.
    Detection,
    /// Anything else: the camera or the recorder is in trouble.
    Health,
}

impl KindClass {
    pub fn of(kind: &str) -> KindClass {
        if kind == "detection" {
            KindClass::Detection
        } else {
            KindClass::Health
        }
    }
}

/// What shares a cooldown: one camera (or the system, `None`) and one class of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey {
    pub camera_id: Option<i64>,
    pub class: KindClass,
}

impl GroupKey {
    pub fn of(notice: &AlertNotice) -> GroupKey {
        GroupKey {
            camera_id: notice.camera_id,
            class: KindClass::of(&notice.kind),
        }
    }
}

/// What became of one offered alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Shown at once, in its own notification.
    Shown,
    /// Counted into the pending group of its key (shown later, summarised).
    Grouped,
    /// Below `min_severity`.
    BelowSeverity,
    /// Notifications are switched off.
    Disabled,
}

/// A notification to hand to the backend.
#[derive(Clone, Debug, PartialEq)]
pub struct Show {
    pub key: GroupKey,
    pub rendered: Rendered,
    /// The id of this key's earlier notification, to replace.
    pub replaces: Option<u32>,
    /// A summary of several alerts rather than one alert.
    pub grouped: bool,
}

/// Everything since the first shown alert of a key, until a cooldown passes quietly.
struct Chain {
    cooldown_until_ms: i64,
    /// The id the backend gave the latest notification of this chain.
    last_id: Option<u32>,
    /// Alerts counted but not yet shown.
    pending: usize,
    total: usize,
    /// Detection label or humanised alert kind → count.
    counts: BTreeMap<String, usize>,
    max_severity: Severity,
    first_at_ms: i64,
    latest: AlertNotice,
}

impl Chain {
    fn start(notice: AlertNotice, cooldown_until_ms: i64) -> Chain {
        let mut c = Chain {
            cooldown_until_ms,
            last_id: None,
            pending: 0,
            total: 0,
            counts: BTreeMap::new(),
            max_severity: notice.severity,
            first_at_ms: notice.at_ms,
            latest: notice.clone(),
        };
        c.add(notice);
        c
    }

    fn add(&mut self, notice: AlertNotice) {
        self.total += 1;
        *self.counts.entry(what(&notice)).or_insert(0) += 1;
        self.max_severity = self.max_severity.max(notice.severity);
        self.first_at_ms = self.first_at_ms.min(notice.at_ms);
        if notice.at_ms >= self.latest.at_ms {
            // Keep a camera name seen earlier if the latest alert lacks one.
            let name = notice
                .camera_name
                .clone()
                .or_else(|| self.latest.camera_name.take());
            self.latest = AlertNotice {
                camera_name: name,
                ..notice
            };
        }
    }

    fn render_group(&self, key: GroupKey) -> Rendered {
        let cam = camera_label(key.camera_id, self.latest.camera_name.as_deref());
        let n = self.total;
        let first = clock_time(self.first_at_ms);
        let latest = clock_time(self.latest.at_ms);
        let (title, body) = match key.class {
            KindClass::Detection => (
                format!("{cam}: {n} detections"),
                format!(
                    "{}\nFirst at {first}, latest at {latest}",
                    count_list(&self.counts, false)
                ),
            ),
            KindClass::Health => (
                format!("{cam}: {n} alerts"),
                format!(
                    "{}\nLatest at {latest}: {}",
                    count_list(&self.counts, true),
                    self.latest.title
                ),
            ),
        };
        Rendered {
            title,
            body,
            severity: self.max_severity,
            alert_id: self.latest.alert_id,
            camera_id: key.camera_id,
            count: n,
        }
    }
}

/// The notification policy: feed it alerts and the time, it says what to show.
pub struct Policy {
    config: NotifyConfig,
    chains: BTreeMap<GroupKey, Chain>,
}

impl Policy {
    pub fn new(config: NotifyConfig) -> Policy {
        Policy {
            config,
            chains: BTreeMap::new(),
        }
    }

    pub fn config(&self) -> &NotifyConfig {
        &self.config
    }

    /// Change the settings; chains under way keep their current cooldown.
    pub fn set_config(&mut self, config: NotifyConfig) {
        self.config = config;
    }

    fn cooldown_ms(&self) -> i64 {
        i64::try_from(self.config.cooldown.as_millis()).unwrap_or(i64::MAX)
    }

    /// One alert arrives at `now_ms`. Returns what became of it and what to show now: any groups
    /// that have fallen due (as [`Policy::poll`]) and, if it starts a new chain, the alert itself.
    pub fn offer(&mut self, notice: AlertNotice, now_ms: i64) -> (Outcome, Vec<Show>) {
        if !self.config.enabled {
            return (Outcome::Disabled, Vec::new());
        }
        let mut shows = self.poll(now_ms);
        if notice.severity < self.config.min_severity {
            return (Outcome::BelowSeverity, shows);
        }
        let key = GroupKey::of(&notice);
        if let Some(chain) = self.chains.get_mut(&key)
            && now_ms < chain.cooldown_until_ms
        {
            chain.add(notice);
            chain.pending += 1;
            return (Outcome::Grouped, shows);
        }
        let rendered = render_single(&notice);
        let until = now_ms.saturating_add(self.cooldown_ms());
        self.chains.insert(key, Chain::start(notice, until));
        shows.push(Show {
            key,
            rendered,
            replaces: None,
            grouped: false,
        });
        (Outcome::Shown, shows)
    }

    /// Emit the groups whose cooldown has ended by `now_ms` and forget chains that went quiet.
    pub fn poll(&mut self, now_ms: i64) -> Vec<Show> {
        let cooldown = self.cooldown_ms();
        let mut shows = Vec::new();
        self.chains.retain(|key, chain| {
            if now_ms < chain.cooldown_until_ms {
                return true;
            }
            if chain.pending == 0 {
                return false;
            }
            shows.push(Show {
                key: *key,
                rendered: chain.render_group(*key),
                replaces: chain.last_id,
                grouped: true,
            });
            chain.pending = 0;
            chain.cooldown_until_ms = now_ms.saturating_add(cooldown);
            true
        });
        shows
    }

    /// When the next pending group falls due, if any: the caller should [`Policy::poll`] then.
    pub fn next_deadline_ms(&self) -> Option<i64> {
        self.chains
            .values()
            .filter(|c| c.pending > 0)
            .map(|c| c.cooldown_until_ms)
            .min()
    }

    /// The backend showed `key`'s notification under `id`; the next group replaces it.
    pub fn record_shown(&mut self, key: GroupKey, id: u32) {
        if let Some(chain) = self.chains.get_mut(&key) {
            chain.last_id = Some(id);
        }
    }

    /// How many alerts are counted and waiting for their group.
    pub fn pending(&self) -> usize {
        self.chains.values().map(|c| c.pending).sum()
    }
}

fn render_single(n: &AlertNotice) -> Rendered {
    let title = if n.title.trim().is_empty() {
        let cam = camera_label(n.camera_id, n.camera_name.as_deref());
        format!("{cam}: {}", what(n))
    } else {
        n.title.clone()
    };
    Rendered {
        title,
        body: n.body.clone(),
        severity: n.severity,
        alert_id: n.alert_id,
        camera_id: n.camera_id,
        count: 1,
    }
}

/// What the alert is about, for counting: the detection label, else the humanised kind.
fn what(n: &AlertNotice) -> String {
    if KindClass::of(&n.kind) == KindClass::Detection {
        match n.label.as_deref().map(str::trim) {
            Some(l) if !l.is_empty() => l.to_string(),
            _ => "object".to_string(),
        }
    } else {
        n.kind.replace('_', " ")
    }
}

fn camera_label(camera_id: Option<i64>, name: Option<&str>) -> String {
    match (name.map(str::trim), camera_id) {
        (Some(name), _) if !name.is_empty() => name.to_string(),
        (_, Some(id)) => format!("Camera {id}"),
        (_, None) => "System".to_string(),
    }
}

/// Most frequent first: `9 person, 3 car` (detections) or `camera offline ×2, storage full`.
fn count_list(counts: &BTreeMap<String, usize>, kinds: bool) -> String {
    const SHOWN: usize = 4;
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(SHOWN)
        .map(|(what, n)| match (kinds, **n) {
            (true, 1) => what.to_string(),
            (true, n) => format!("{what} ×{n}"),
            (false, n) => format!("{n} {what}"),
        })
        .collect();
    if v.len() > SHOWN {
        let rest: usize = v.iter().skip(SHOWN).map(|(_, n)| **n).sum();
        parts.push(format!("{rest} other"));
    }
    parts.join(", ")
}

/// The local wall-clock time of `at_ms`, `14:03:12`, as shown in grouped notifications.
pub fn clock_time(at_ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(at_ms) {
        Some(utc) => utc
            .with_timezone(&chrono::Local)
            .format("%H:%M:%S")
            .to_string(),
        None => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use vigil_base::{Clock, SimulatedClock};

    const T0: i64 = 1_763_712_000_000;

    fn det(id: i64, cam: i64, label: &str, at_ms: i64) -> AlertNotice {
        AlertNotice {
            alert_id: id,
            camera_id: Some(cam),
            camera_name: Some(format!("Cam{cam}")),
            kind: "detection".into(),
            label: Some(label.into()),
            severity: Severity::Warning,
            title: format!("Cam{cam}: {label}"),
            body: format!("A {label} was seen"),
            at_ms,
        }
    }

    fn health(id: i64, cam: Option<i64>, kind: &str, sev: Severity, at_ms: i64) -> AlertNotice {
        AlertNotice {
            alert_id: id,
            camera_id: cam,
            camera_name: None,
            kind: kind.into(),
            label: None,
            severity: sev,
            title: format!("{kind} happened"),
            body: String::new(),
            at_ms,
        }
    }

    fn policy() -> Policy {
        Policy::new(NotifyConfig::default())
    }

    #[test]
    fn first_alert_is_shown_at_once() {
        let mut p = policy();
        let (o, shows) = p.offer(det(1, 1, "person", T0), T0);
        assert_eq!(o, Outcome::Shown);
        assert_eq!(shows.len(), 1);
        let s = &shows[0];
        assert!(!s.grouped);
        assert_eq!(s.replaces, None);
        assert_eq!(s.rendered.title, "Cam1: person");
        assert_eq!(s.rendered.body, "A person was seen");
        assert_eq!(s.rendered.count, 1);
        assert_eq!(s.rendered.alert_id, 1);
        assert_eq!(p.next_deadline_ms(), None, "nothing pending yet");
    }

    #[test]
    fn burst_of_fifty_gives_one_immediate_and_one_group() {
        let clock = SimulatedClock::new(T0);
        let mut p = policy();
        let mut all = Vec::new();
        for i in 0..50 {
            let label = if i % 5 == 4 { "car" } else { "person" };
            let (_, shows) = p.offer(det(i, 7, label, clock.now_ms()), clock.now_ms());
            all.extend(shows);
            all.extend(p.poll(clock.now_ms()));
            clock.advance_ms(1_000); // 50 alerts over 50 s
        }
        assert_eq!(all.len(), 1, "only the first is shown during the cooldown");
        p.record_shown(all[0].key, 41);
        assert_eq!(p.pending(), 49);
        assert_eq!(p.next_deadline_ms(), Some(T0 + 60_000));

        clock.set_ms(T0 + 59_999);
        assert!(p.poll(clock.now_ms()).is_empty());
        clock.set_ms(T0 + 60_000);
        let groups = p.poll(clock.now_ms());
        assert_eq!(groups.len(), 1);
        let g = &groups[0];
        assert!(g.grouped);
        assert_eq!(g.replaces, Some(41));
        assert_eq!(g.rendered.title, "Cam7: 50 detections");
        assert_eq!(g.rendered.count, 50);
        assert_eq!(g.rendered.alert_id, 49);
        assert_eq!(
            g.rendered.body,
            format!(
                "40 person, 10 car\nFirst at {}, latest at {}",
                clock_time(T0),
                clock_time(T0 + 49_000)
            )
        );
        // Quiet afterwards: no more notifications, and the chain ends after one more cooldown.
        assert_eq!(p.next_deadline_ms(), None);
        assert!(p.poll(T0 + 200_000).is_empty());
        let (o, shows) = p.offer(det(99, 7, "person", T0 + 200_000), T0 + 200_000);
        assert_eq!(o, Outcome::Shown);
        assert_eq!(
            shows[0].replaces, None,
            "a new chain starts a new notification"
        );
    }

    #[test]
    fn a_continuing_crowd_keeps_replacing_one_notification() {
        let mut p = policy();
        let (_, s) = p.offer(det(1, 1, "person", T0), T0);
        p.record_shown(s[0].key, 5);
        p.offer(det(2, 1, "person", T0 + 10_000), T0 + 10_000);
        let g1 = p.poll(T0 + 60_000);
        assert_eq!(g1.len(), 1);
        assert_eq!(g1[0].replaces, Some(5));
        p.record_shown(g1[0].key, 6);
        // During the new cooldown: counted again, the next group covers the whole chain.
        let (o, s) = p.offer(det(3, 1, "dog", T0 + 70_000), T0 + 70_000);
        assert_eq!(o, Outcome::Grouped);
        assert!(s.is_empty());
        assert_eq!(p.next_deadline_ms(), Some(T0 + 120_000));
        let g2 = p.poll(T0 + 120_000);
        assert_eq!(g2[0].replaces, Some(6));
        assert_eq!(g2[0].rendered.title, "Cam1: 3 detections");
        assert!(g2[0].rendered.body.starts_with("2 person, 1 dog\n"));
    }

    #[test]
    fn a_late_alert_after_the_cooldown_flushes_the_group_first() {
        let mut p = policy();
        p.offer(det(1, 1, "person", T0), T0);
        p.offer(det(2, 1, "person", T0 + 1_000), T0 + 1_000);
        // Nobody polled at T0+60 s; the next alert arrives at T0+90 s.
        let (o, shows) = p.offer(det(3, 1, "person", T0 + 90_000), T0 + 90_000);
        assert_eq!(shows.len(), 1);
        assert!(shows[0].grouped);
        assert_eq!(shows[0].rendered.count, 2);
        assert_eq!(o, Outcome::Grouped, "inside the cooldown the group started");
        assert_eq!(p.next_deadline_ms(), Some(T0 + 150_000));
    }

    #[test]
    fn cameras_are_independent() {
        let mut p = policy();
        let (o1, s1) = p.offer(det(1, 1, "person", T0), T0);
        let (o2, s2) = p.offer(det(2, 2, "person", T0 + 1), T0 + 1);
        let (o3, s3) = p.offer(det(3, 1, "person", T0 + 2), T0 + 2);
        assert_eq!(
            (o1, o2, o3),
            (Outcome::Shown, Outcome::Shown, Outcome::Grouped)
        );
        assert_eq!((s1.len(), s2.len(), s3.len()), (1, 1, 0));
        let g = p.poll(T0 + 60_000);
        assert_eq!(g.len(), 1, "only camera 1 has something pending");
        assert_eq!(g[0].key.camera_id, Some(1));
        assert_eq!(g[0].rendered.count, 2);
    }

    #[test]
    fn severity_threshold_and_disabled() {
        let mut p = policy();
        let mut info = det(1, 1, "person", T0);
        info.severity = Severity::Info;
        assert_eq!(p.offer(info.clone(), T0).0, Outcome::BelowSeverity);
        assert_eq!(p.pending(), 0);
        // A below-threshold alert neither shows nor starts a cooldown.
        assert_eq!(p.offer(det(2, 1, "person", T0), T0).0, Outcome::Shown);

        let mut p = Policy::new(NotifyConfig {
            min_severity: Severity::Info,
            ..NotifyConfig::default()
        });
        assert_eq!(p.offer(info.clone(), T0).0, Outcome::Shown);

        p.set_config(NotifyConfig {
            enabled: false,
            ..NotifyConfig::default()
        });
        let crit = health(3, Some(1), "camera_offline", Severity::Critical, T0);
        assert_eq!(p.offer(crit, T0).0, Outcome::Disabled);
    }

    #[test]
    fn health_alerts_are_not_folded_into_detections() {
        let mut p = policy();
        p.offer(det(1, 1, "person", T0), T0);
        p.offer(det(2, 1, "person", T0 + 1_000), T0 + 1_000);
        let off = health(3, Some(1), "camera_offline", Severity::Critical, T0 + 2_000);
        let (o, shows) = p.offer(off, T0 + 2_000);
        assert_eq!(o, Outcome::Shown, "a health alert has its own cooldown");
        assert_eq!(shows[0].rendered.severity, Severity::Critical);
        assert_eq!(shows[0].rendered.title, "camera_offline happened");
        assert_eq!(shows[0].key.class, KindClass::Health);

        // Health alerts group among themselves, with the highest severity and their kinds.
        let failed = health(
            4,
            Some(1),
            "recording_failed",
            Severity::Warning,
            T0 + 3_000,
        );
        let off2 = health(5, Some(1), "camera_offline", Severity::Critical, T0 + 4_000);
        assert_eq!(p.offer(failed, T0 + 3_000).0, Outcome::Grouped);
        assert_eq!(p.offer(off2, T0 + 4_000).0, Outcome::Grouped);
        let groups = p.poll(T0 + 62_000);
        assert_eq!(groups.len(), 2);
        let (d, h) = (&groups[0], &groups[1]); // BTreeMap order: Detection < Health
        assert_eq!(d.rendered.title, "Cam1: 2 detections");
        assert_eq!(h.rendered.title, "Camera 1: 3 alerts");
        assert_eq!(h.rendered.severity, Severity::Critical);
        assert_eq!(
            h.rendered.body,
            format!(
                "camera offline ×2, recording failed\nLatest at {}: camera_offline happened",
                clock_time(T0 + 4_000)
            )
        );
    }

    #[test]
    fn system_alerts_and_missing_labels() {
        let mut p = policy();
        let full = health(1, None, "storage_full", Severity::Critical, T0);
        let (_, s) = p.offer(full.clone(), T0);
        assert_eq!(s[0].key.camera_id, None);
        p.offer(full, T0 + 1);
        let g = p.poll(T0 + 60_000);
        assert_eq!(g[0].rendered.title, "System: 2 alerts");

        let mut d = det(5, 3, "x", T0);
        d.label = None;
        d.title = String::new();
        d.camera_name = None;
        let (_, s) = p.offer(d.clone(), T0);
        assert_eq!(s[0].rendered.title, "Camera 3: object");
        p.offer(d, T0 + 1);
        let g = p.poll(T0 + 60_000);
        assert!(g[0].rendered.body.starts_with("2 object\n"));
    }

    #[test]
    fn many_labels_are_summarised() {
        let mut counts = BTreeMap::new();
        for (l, n) in [
            ("person", 9),
            ("car", 3),
            ("dog", 3),
            ("cat", 1),
            ("bus", 1),
            ("bird", 1),
        ] {
            counts.insert(l.to_string(), n);
        }
        assert_eq!(
            count_list(&counts, false),
            "9 person, 3 car, 3 dog, 1 bird, 2 other"
        );
    }

    #[test]
    fn zero_cooldown_shows_everything() {
        let mut p = Policy::new(NotifyConfig {
            cooldown: Duration::ZERO,
            ..NotifyConfig::default()
        });
        for i in 0..3 {
            let (o, s) = p.offer(det(i, 1, "person", T0), T0);
            assert_eq!(o, Outcome::Shown);
            assert_eq!(s.len(), 1);
        }
    }
}
