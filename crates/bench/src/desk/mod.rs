//! `desk`: how calm the operator's desk is (issue 13's "Measure" point) — alerts created, sounds
//! played and notifications sent with the demo camera, after issue 13 (incidents) against before
//! (one alert per tracked object).
//!
//! The real `vigil serve` (release) on a fresh data dir with the demo camera `scripts/dev.sh run`
//! registers (`--demo .cache/footage/vtest.mp4`: OpenCV's vtest looping at its native rate, people
//! walking through it all the time, detection on) and default settings (`incident_quiet_seconds`
//! 60, notifications on from warning, 60 s cooldown). Its desktop notifications go to a private
//! desktop (desktop.rs: session bus, Xvfb, dunst), so they are really shown. The bench connects to
//! `/api/v1/events` before the detector is ready and then counts, minute by minute:
//!
//! - objects tracked: `detection_event:start`;
//! - incidents: `alert` messages of type `detection`; alert updates: `alert:updated` (an incident
//!   grew or ended);
//! - beeps: the UI's rule replicated (ui/src/features/alerts/alertState.ts `shouldSound`, sound.ts
//!   `beep`): each new `alert` at or above warning and not acknowledged, at most one a second;
//! - notifications: `vigil_notifications_shown` (and `_failed`) from `/metrics`, read at each
//!   minute's end; dbus-monitor's count of `Notify` calls on the bus as a cross-check.
//!
//! "Before" cannot be run any more (the per-object alert code is gone), so it is derived from the
//! same run: before issue 13 every tracked object raised its own warning alert when it started
//! (`detection_event:start`), so alerts = objects tracked, beeps = those alerts through the same
//! UI rule, and notifications offered = objects tracked, of which the notifier (its policy is
//! unchanged since issue 5) showed what its 60 s per-camera grouping lets through — computed by
//! replaying `vigil_notify::Policy` on them.

mod desktop;

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use vigil_notify::{AlertNotice, NotifyConfig, Policy, Severity};

use crate::live::{Ws, now_ms, ws_connect};
use crate::{Vigil, procstat};
use desktop::Desktop;

/// What to run (the `desk` subcommand's options).
pub struct Options {
    pub minutes: u64,
}

/// The demo camera is the only one.
const CAMERAS: f64 = 1.0;
/// Issue 13's target: at most one incident a minute per camera with continuous activity.
const TARGET_PER_MINUTE: f64 = 1.0;
/// The UI plays at most one beep a second however many alerts come (sound.ts `beep`).
const BEEP_GAP_MS: f64 = 1000.0;

/// One message of the events socket the bench counts, stamped with its arrival (wall ms).
#[derive(Clone, Debug)]
struct Rec {
    at_ms: f64,
    seen: Seen,
}

#[derive(Clone, Debug)]
enum Seen {
    /// `detection_event:start`: a tracked object (an event confirmed after two sightings).
    Object {
        id: i64,
        label: String,
        camera_id: Option<i64>,
    },
    /// `alert`: a new alert (for `detection`, a new incident).
    Alert {
        id: i64,
        kind: String,
        severity: String,
        acknowledged: bool,
        camera_id: Option<i64>,
    },
    /// `alert:updated`: an incident grew or ended, or a condition cleared.
    Updated { id: i64, kind: String, ended: bool },
    /// `events:lagged`: the socket missed this many messages.
    Lagged(u64),
}

fn parse(v: &Value, at_ms: f64) -> Option<Rec> {
    let seen = match v["type"].as_str()? {
        "detection_event:start" => Seen::Object {
            id: v["event"]["id"].as_i64()?,
            label: v["event"]["label"].as_str().unwrap_or("object").to_string(),
            camera_id: v["camera_id"]
                .as_i64()
                .or_else(|| v["event"]["camera_id"].as_i64()),
        },
        "alert" => {
            let a = &v["alert"];
            Seen::Alert {
                id: a["id"].as_i64()?,
                kind: a["type"].as_str().unwrap_or("").to_string(),
                severity: a["severity"].as_str().unwrap_or("").to_string(),
                acknowledged: a["acknowledged"].as_bool().unwrap_or(false),
                camera_id: a["camera_id"].as_i64(),
            }
        }
        "alert:updated" => {
            let a = &v["alert"];
            Seen::Updated {
                id: a["id"].as_i64()?,
                kind: a["type"].as_str().unwrap_or("").to_string(),
                ended: !a["ended_at"].is_null() || !a["resolved_at"].is_null(),
            }
        }
        "events:lagged" => Seen::Lagged(v["missed"].as_u64().unwrap_or(1)),
        _ => return None,
    };
    Some(Rec { at_ms, seen })
}

async fn collect(mut ws: Ws, log: Arc<Mutex<Vec<Rec>>>) {
    while let Some(Ok(m)) = ws.next().await {
        let Message::Text(t) = m else { continue };
        let at = now_ms();
        let Ok(v) = serde_json::from_str::<Value>(t.as_str()) else {
            continue;
        };
        if let Some(r) = parse(&v, at)
            && let Ok(mut l) = log.lock()
        {
            l.push(r);
        }
    }
}

/// Wait for the socket's `hello`: from then on every event reaches the bench.
async fn hello(ws: &mut Ws) -> Result<()> {
    let wait = async {
        while let Some(m) = ws.next().await {
            if let Message::Text(t) = m.context("events socket")? {
                let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
                if v["type"] == "hello" {
                    return Ok(());
                }
            }
        }
        bail!("the events socket closed before its hello")
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .context("no hello on the events socket within 10 s")?
}

/// The UI's `shouldSound`: at or above warning, not acknowledged (an unknown severity never).
fn should_sound(severity: &str, acknowledged: bool) -> bool {
    !acknowledged && matches!(severity, "warning" | "critical")
}

/// The UI's `beep` rate limit applied to candidate beeps (arrival ms, sorted): when each plays.
fn beeps(candidates: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut last = f64::NEG_INFINITY;
    let mut out = vec![];
    for t in candidates {
        if t - last >= BEEP_GAP_MS {
            last = t;
            out.push(t);
        }
    }
    out
}

/// Replay the notifier's policy (default settings: from warning, 60 s cooldown per camera and
/// class) on `notices` in time order; the time of each notification it shows, up to `end_ms`.
/// The notify thread polls when a group falls due, so due groups are shown at their deadline.
fn replay_notifier(notices: Vec<AlertNotice>, end_ms: i64) -> Vec<i64> {
    let mut policy = Policy::new(NotifyConfig::default());
    let mut shown = vec![];
    let drain = |p: &mut Policy, until: i64, shown: &mut Vec<i64>| {
        while let Some(due) = p.next_deadline_ms().filter(|&d| d <= until) {
            let n = p.poll(due).len();
            shown.extend(std::iter::repeat_n(due, n));
            if n == 0 {
                break;
            }
        }
    };
    for n in notices {
        let at = n.at_ms;
        drain(&mut policy, at, &mut shown);
        let (_, shows) = policy.offer(n, at);
        shown.extend(std::iter::repeat_n(at, shows.len()));
    }
    drain(&mut policy, end_ms, &mut shown);
    shown
}

fn notice(
    id: i64,
    camera_id: Option<i64>,
    kind: &str,
    label: Option<&str>,
    severity: Severity,
    at_ms: f64,
) -> AlertNotice {
    AlertNotice {
        alert_id: id,
        camera_id,
        camera_name: Some("Demo camera".into()),
        kind: kind.into(),
        label: label.map(String::from),
        severity,
        title: String::new(),
        body: String::new(),
        at_ms: at_ms as i64,
    }
}

fn severity(s: &str) -> Severity {
    s.parse().unwrap_or(Severity::Info)
}

/// The value of an unlabelled counter in Prometheus text (`name` or `name_total`).
fn counter(text: &str, name: &str) -> Option<u64> {
    let total = format!("{name}_total");
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == name || k == total)
            .then(|| v.trim().parse::<f64>().ok())
            .flatten()
            .map(|f| f as u64)
    })
}

/// Notifications shown and failed so far.
async fn notification_counts(v: &Vigil) -> Result<(u64, u64)> {
    let text = v
        .http
        .get(format!("{}/api/v1/metrics", v.url))
        .bearer_auth(&v.token)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    Ok((
        counter(&text, "vigil_notifications_shown")
            .context("/metrics has no notifications_shown")?,
        counter(&text, "vigil_notifications_failed").unwrap_or(0),
    ))
}

async fn detection_status(v: &Vigil) -> Result<Value> {
    let s = v
        .call(reqwest::Method::GET, "/api/v1/detection/status", None)
        .await?;
    Ok(s["data"].clone())
}

/// Detection events the detectors counted so far, over the cameras.
fn detector_events(status: &Value) -> u64 {
    status["cameras"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["events"].as_u64().unwrap_or(0))
        .sum()
}

async fn wait_ready(v: &Vigil) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = detection_status(v).await?;
        let running = s["cameras"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["running"] == true));
        match s["state"].as_str() {
            Some("ready") if running => return Ok(()),
            Some("unavailable") | Some("disabled") => {
                bail!("detection is {}: {}", s["state"], s["message"])
            }
            _ if Instant::now() > deadline => bail!("detection did not get ready: {s}"),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

/// Ids of what exists already: detection alerts and detection events.
async fn existing(v: &Vigil) -> Result<(HashSet<i64>, HashSet<i64>)> {
    let a = v
        .call(
            reqwest::Method::GET,
            "/api/v1/alerts?type=detection&limit=100",
            None,
        )
        .await?;
    let e = v
        .call(
            reqwest::Method::GET,
            "/api/v1/detection-events?limit=1000",
            None,
        )
        .await?;
    let ids = |list: &Value| -> HashSet<i64> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["id"].as_i64())
            .collect()
    };
    Ok((ids(&a["data"]["alerts"]), ids(&e["data"])))
}

/// One minute's counts.
#[derive(Clone, Copy, Default)]
struct Minute {
    objects: u64,
    incidents: u64,
    updates: u64,
    ended: u64,
    beeps: u64,
    notifications: u64,
    before_beeps: u64,
    before_notifications: u64,
}

/// `a / b` as "N×", or "—" when b is 0.
fn times(a: u64, b: u64) -> String {
    if b == 0 {
        "—".into()
    } else {
        format!("{:.1}×", a as f64 / b as f64)
    }
}

pub async fn run(o: &Options) -> Result<()> {
    let footage = crate::root().join(".cache/footage/vtest.mp4");
    let footage = footage.canonicalize().with_context(|| {
        format!(
            "{} is missing: run scripts/dev.sh setup (it re-encodes OpenCV's vtest.avi)",
            footage.display()
        )
    })?;
    let missing = desktop::missing_tools();
    let desk = if missing.is_empty() {
        eprintln!("== a private desktop: session bus, Xvfb, dunst");
        Some(Desktop::start()?)
    } else {
        eprintln!(
            "== no desktop: {missing:?} missing (Debian packages dbus, dbus-bin, xvfb, dunst); \
             notifications will fail and only the attempts are counted"
        );
        None
    };
    // Without a desktop, a bus that is not there (never the caller's own session).
    let nowhere = tempfile::tempdir()?;
    let bus = match &desk {
        Some(d) => d.addr.clone(),
        None => format!("unix:path={}", nowhere.path().join("no-bus").display()),
    };
    eprintln!("== vigil serve --demo {}", footage.display());
    let v = Vigil::start_args(
        "",
        &[
            ("VIGIL_DETECTION", "on"),
            ("VIGIL_NOTIFICATIONS", "on"),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
        ],
        &[OsStr::new("--demo"), footage.as_os_str()],
    )?;
    let mut ws = ws_connect(&v, "/api/v1/events").await?;
    hello(&mut ws).await?;
    let (t0, w0) = (Instant::now(), now_ms());
    let log: Arc<Mutex<Vec<Rec>>> = Arc::default();
    let reader = tokio::spawn(collect(ws, log.clone()));
    let (pre_alerts, pre_objects) = existing(&v).await?;
    let mut shown = vec![notification_counts(&v).await?];
    let events0 = detector_events(&detection_status(&v).await?);
    wait_ready(&v).await?;
    eprintln!(
        "== detection ready {:.1} s after the events socket connected; counting for {} min",
        t0.elapsed().as_secs_f64(),
        o.minutes
    );

    for m in 1..=o.minutes {
        tokio::time::sleep_until((t0 + Duration::from_secs(60 * m)).into()).await;
        shown.push(notification_counts(&v).await?);
        let (objects, incidents) = log
            .lock()
            .map(|l| {
                let objects = l
                    .iter()
                    .filter(|r| matches!(r.seen, Seen::Object { .. }))
                    .count();
                let incidents = l
                    .iter()
                    .filter(|r| matches!(&r.seen, Seen::Alert { kind, .. } if kind == "detection"))
                    .count();
                (objects, incidents)
            })
            .unwrap_or_default();
        eprintln!(
            "   minute {m}: {objects} objects tracked, {incidents} incidents, {} notifications so far",
            shown[shown.len() - 1].0 - shown[0].0
        );
    }
    let w1 = w0 + (o.minutes * 60_000) as f64;
    let status = detection_status(&v).await?;
    let detector_count = detector_events(&status).saturating_sub(events0);
    let camera_running = {
        let cams = v
            .call(reqwest::Method::GET, "/api/v1/cameras", None)
            .await?;
        let ids: Vec<i64> = cams["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["id"].as_i64())
            .collect();
        let mut all = !ids.is_empty();
        for id in ids {
            let s = v
                .call(
                    reqwest::Method::GET,
                    &format!("/api/v1/cameras/{id}/status"),
                    None,
                )
                .await?;
            all &= s["data"]["status"] == "running";
        }
        all
    };
    reader.abort();
    let recs: Vec<Rec> = log
        .lock()
        .map(|l| l.clone())
        .map_err(|_| anyhow::anyhow!("the event log's lock is poisoned"))?;
    let notify_calls = desk.as_ref().map(|d| d.notify_calls(w0, w1));
    drop(v);
    drop(desk);

    // Per minute.
    let n = o.minutes as usize;
    let mut mins = vec![Minute::default(); n];
    let slot = |at: f64| -> Option<usize> {
        (at >= w0 && at < w1).then(|| (((at - w0) / 60_000.0) as usize).min(n - 1))
    };
    let in_window: Vec<&Rec> = recs.iter().filter(|r| slot(r.at_ms).is_some()).collect();
    let (mut seen_alerts, mut seen_objects) = (HashSet::new(), HashSet::new());
    let (mut after_sound, mut before_sound) = (vec![], vec![]);
    let (mut after_notices, mut before_notices) = (vec![], vec![]);
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    let mut ended_ids = HashSet::new();
    let (mut lagged, mut updates_other) = (0u64, 0u64);
    for r in &in_window {
        let Some(i) = slot(r.at_ms) else { continue };
        match &r.seen {
            Seen::Object {
                id,
                label,
                camera_id,
            } => {
                seen_objects.insert(*id);
                mins[i].objects += 1;
                // Before issue 13: a warning alert of its own, beeped and offered.
                before_sound.push(r.at_ms);
                before_notices.push(notice(
                    *id,
                    *camera_id,
                    "detection",
                    Some(label),
                    Severity::Warning,
                    r.at_ms,
                ));
            }
            Seen::Alert {
                id,
                kind,
                severity: sev,
                acknowledged,
                camera_id,
            } => {
                seen_alerts.insert(*id);
                if kind == "detection" {
                    mins[i].incidents += 1;
                } else {
                    // Not a detection: it beeped and was offered before issue 13 as well.
                    *other.entry(format!("{kind} ({sev})")).or_default() += 1;
                    if should_sound(sev, *acknowledged) {
                        before_sound.push(r.at_ms);
                    }
                    before_notices.push(notice(
                        *id,
                        *camera_id,
                        kind,
                        None,
                        severity(sev),
                        r.at_ms,
                    ));
                }
                if should_sound(sev, *acknowledged) {
                    after_sound.push(r.at_ms);
                }
                after_notices.push(notice(*id, *camera_id, kind, None, severity(sev), r.at_ms));
            }
            Seen::Updated { id, kind, ended } => {
                if kind == "detection" {
                    mins[i].updates += 1;
                    if *ended && ended_ids.insert(*id) {
                        mins[i].ended += 1;
                    }
                } else {
                    updates_other += 1;
                }
            }
            Seen::Lagged(k) => lagged += k,
        }
    }
    let before_notices_n = before_notices.len() as u64;
    for t in beeps(after_sound) {
        if let Some(i) = slot(t) {
            mins[i].beeps += 1;
        }
    }
    for t in beeps(before_sound) {
        if let Some(i) = slot(t) {
            mins[i].before_beeps += 1;
        }
    }
    for t in replay_notifier(before_notices, w1 as i64 - 1) {
        if let Some(i) = slot(t as f64) {
            mins[i].before_notifications += 1;
        }
    }
    let replayed_after = replay_notifier(after_notices, w1 as i64 - 1).len();
    for (i, m) in mins.iter_mut().enumerate() {
        m.notifications = shown[i + 1].0.saturating_sub(shown[i].0);
    }
    let failed = shown[n].1.saturating_sub(shown[0].1);
    let pre_a = pre_alerts.difference(&seen_alerts).count();
    let pre_o = pre_objects.difference(&seen_objects).count();

    let mut tot = Minute::default();
    for m in &mins {
        tot.objects += m.objects;
        tot.incidents += m.incidents;
        tot.updates += m.updates;
        tot.ended += m.ended;
        tot.beeps += m.beeps;
        tot.notifications += m.notifications;
        tot.before_beeps += m.before_beeps;
        tot.before_notifications += m.before_notifications;
    }
    let other_n: u64 = other.values().sum();
    let before_alerts = tot.objects + other_n;
    let after_alerts = tot.incidents + other_n;

    println!(
        "\nThe operator's desk: the demo camera (OpenCV's vtest looping at its native rate, people \
         walking through it; detection on), default settings (incident_quiet_seconds 60, \
         notifications from warning, 60 s cooldown), {} min, {} cores",
        o.minutes,
        procstat::cores()
    );
    println!(
        "| minute | objects tracked | incidents (`alert`) | alert updates (of which ended) | beeps | notifications | before: beeps | before: notifications shown |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let row = |name: &str, m: &Minute| {
        println!(
            "| {name} | {} | {} | {} ({}) | {} | {} | {} | {} |",
            m.objects,
            m.incidents,
            m.updates,
            m.ended,
            m.beeps,
            m.notifications,
            m.before_beeps,
            m.before_notifications
        );
    };
    for (i, m) in mins.iter().enumerate() {
        row(&(i + 1).to_string(), m);
    }
    row("**total**", &tot);

    println!(
        "\nbefore (one alert per tracked object — derived from the {} objects tracked in this run, \
         since the per-object code is gone): {before_alerts} alerts, {} beeps, {before_notices_n} \
         notifications offered to the notifier, of which it shows {} (its 60 s per-camera grouping, \
         unchanged since issue 5, replayed on them)",
        tot.objects, tot.before_beeps, tot.before_notifications
    );
    println!(
        "after (incidents): {after_alerts} alerts, {} beeps, {} notifications shown{} \
         (the notifier's policy replayed on these alerts: {replayed_after})",
        tot.beeps,
        tot.notifications,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    );
    println!(
        "fewer: alerts {}, beeps {}, notifications offered {}, notifications shown {}",
        times(before_alerts, after_alerts),
        times(tot.before_beeps, tot.beeps),
        times(before_notices_n, after_alerts),
        times(tot.before_notifications, tot.notifications)
    );
    let per_min = tot.incidents as f64 / o.minutes as f64 / CAMERAS;
    let max_min = mins.iter().map(|m| m.incidents).max().unwrap_or(0);
    let busy = mins.iter().filter(|m| m.objects > 0).count();
    let fewest = mins.iter().map(|m| m.objects).min().unwrap_or(0);
    println!(
        "incidents per minute per camera: {per_min:.2} (most in one minute: {max_min}) — target ≤ \
         {TARGET_PER_MINUTE} with continuous activity: {}",
        if per_min <= TARGET_PER_MINUTE {
            "met"
        } else {
            "not met"
        }
    );
    println!(
        "activity: objects tracked in {busy} of {n} minutes (fewest in a minute: {fewest}){}",
        if busy == n {
            " — continuous"
        } else {
            " — NOT continuous: the target's condition does not hold"
        }
    );
    match notify_calls {
        Some(calls) => println!(
            "notifications: shown by dunst on a private Xvfb display and session bus; the bus \
             carried {calls} Notify calls in the window (dbus-monitor), vigil_notifications_shown \
             rose by {}",
            tot.notifications
        ),
        None => println!(
            "notifications: NO desktop here (missing {missing:?}): the notifier failed ({failed}) \
             and skips further attempts for 5 minutes after a failure, so the figure above is not \
             what a desktop would show; the replayed policy ({replayed_after}) is"
        ),
    }
    println!(
        "cross-checks: the detector counted {detector_count} events to the end of the window; \
         events:lagged {lagged}; camera running at the end: {camera_running}; alerts other than \
         detection: {}; other alert:updated: {updates_other}; before the socket connected: \
         {pre_a} incidents, {pre_o} objects (not counted)",
        if other.is_empty() {
            "none".to_string()
        } else {
            other
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    if lagged > 0 {
        eprintln!("warning: the events socket lagged; the counts are short by up to {lagged}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beeps_at_most_one_a_second() {
        assert_eq!(
            beeps([0.0, 500.0, 999.0, 1000.0, 1500.0, 2100.0]),
            vec![0.0, 1000.0, 2100.0]
        );
    }

    #[test]
    fn sound_rule_matches_the_ui() {
        assert!(should_sound("warning", false));
        assert!(should_sound("critical", false));
        assert!(!should_sound("info", false));
        assert!(!should_sound("critical", true));
        assert!(!should_sound("loud", false));
    }

    #[test]
    fn notifier_replay_groups_a_burst() {
        // 50 objects in a minute: the first at once, the rest as one group when the cooldown ends.
        let t0 = 1_763_712_000_000.0;
        let burst: Vec<AlertNotice> = (0..50)
            .map(|i| {
                notice(
                    i,
                    Some(1),
                    "detection",
                    Some("person"),
                    Severity::Warning,
                    t0 + i as f64 * 1000.0,
                )
            })
            .collect();
        let shown = replay_notifier(burst, t0 as i64 + 600_000);
        assert_eq!(shown, vec![t0 as i64, t0 as i64 + 60_000]);
    }

    #[test]
    fn counters_with_and_without_total() {
        let text = "# HELP x\nvigil_notifications_shown_total 7\nvigil_notifications_failed 2\n";
        assert_eq!(counter(text, "vigil_notifications_shown"), Some(7));
        assert_eq!(counter(text, "vigil_notifications_failed"), Some(2));
        assert_eq!(counter(text, "vigil_other"), None);
    }
}
