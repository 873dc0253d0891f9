//! MQTT for Home Assistant and the rest of the smart-home world (rumqttc): Vigil's availability
//! (`<prefix>/available`: `online`, and `offline` as the broker's last will when Vigil dies),
//! each camera's state (online, recording, detection, person/car occupancy and counts, the latest
//! detection's picture), alerts on `<prefix>/events`, Home Assistant discovery so each camera
//! appears as a device with its sensors, switches and picture by itself, and commands on
//! `<prefix>/<camera>/recording/set` and `…/detection/set` (`ON`/`OFF`), applied like an API
//! change and written to the audit log as the `mqtt` actor.
//!
//! One task owns the connection: it polls rumqttc's event loop (which reconnects by itself) and
//! the engine's event bus; messages go out with `try_publish`, so a slow broker drops them (logged)
//! instead of stalling anything.

pub mod service;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, LastWill, Packet, QoS};
use serde::{Deserialize, Serialize};
use serde_json::json;
use vigil_base::shutdown::ShutdownWaiter;

use service::StatusCell;
pub use service::{
    MqttService, MqttSource, MqttState, MqttStatus, MqttTestResult, MqttUpdate, MqttView,
};

use crate::cameras::{Camera, CameraPatch, CameraStatus};
use crate::{AuditAction, AuditEntry, Engine, EventBody};

/// `[mqtt]` in `config.toml`, or the settings saved from the UI. The password, if the broker
/// wants one, is in the credential store (`vigil mqtt-password`, or the UI).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MqttConfig {
    /// Whether the bridge runs (default true).
    pub enabled: bool,
    /// `mqtt://host:1883`.
    pub url: String,
    pub topic_prefix: String,
    pub discovery_prefix: String,
    pub username: Option<String>,
    /// Default: `vigil-<topic prefix>`.
    pub client_id: Option<String>,
}

impl Default for MqttConfig {
    fn default() -> Self {
        MqttConfig {
            enabled: true,
            url: String::new(),
            topic_prefix: "vigil".into(),
            discovery_prefix: "homeassistant".into(),
            username: None,
            client_id: None,
        }
    }
}

/// The labels whose occupancy (ongoing detection events) is published per camera.
pub const OCCUPANCY_LABELS: [&str; 2] = ["person", "car"];

/// Host and port of an `mqtt://` URL (`mqtt://host`, `mqtt://host:port`, `mqtt://[v6]:port`).
pub fn broker(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("mqtt://")
        .ok_or_else(|| "only mqtt://host:port URLs are supported".to_string())?;
    let rest = rest.trim_end_matches('/');
    if rest.contains('@') {
        // Never echoed: it may hold a password.
        return Err("put the username and password in their own fields, not in the URL".into());
    }
    if rest.contains(['/', '?', '#', ' ']) {
        return Err(format!("{url:?}: must be mqtt://host or mqtt://host:port"));
    }
    if let Some(v6) = rest.strip_prefix('[') {
        let (h, tail) = v6
            .split_once(']')
            .ok_or_else(|| format!("{url:?}: unclosed ["))?;
        let port = match tail.strip_prefix(':') {
            Some(p) => p.parse().map_err(|_| format!("{url:?}: bad port"))?,
            None if tail.is_empty() => 1883,
            None => return Err(format!("{url:?}: bad port")),
        };
        return Ok((h.to_string(), port));
    }
    match rest.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() => p
            .parse()
            .map(|p| (h.trim_matches(['[', ']']).to_string(), p))
            .map_err(|_| format!("{url:?}: bad port")),
        _ if !rest.is_empty() => Ok((rest.to_string(), 1883)),
        _ => Err(format!("{url:?}: no host")),
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "ON" } else { "OFF" }
}

/// What a command topic asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    Recording,
    Detection,
}

/// `<prefix>/<camera>/<recording|detection>/set` with `ON`/`OFF`.
pub fn parse_command(prefix: &str, topic: &str, payload: &[u8]) -> Option<(i64, Switch, bool)> {
    let rest = topic.strip_prefix(prefix)?.strip_prefix('/')?;
    let mut parts = rest.split('/');
    let cam: i64 = parts.next()?.parse().ok()?;
    let switch = match parts.next()? {
        "recording" => Switch::Recording,
        "detection" => Switch::Detection,
        _ => return None,
    };
    if parts.next()? != "set" || parts.next().is_some() {
        return None;
    }
    let on = match std::str::from_utf8(payload).ok()?.trim() {
        p if p.eq_ignore_ascii_case("on") || p == "1" || p.eq_ignore_ascii_case("true") => true,
        p if p.eq_ignore_ascii_case("off") || p == "0" || p.eq_ignore_ascii_case("false") => false,
        _ => return None,
    };
    Some((cam, switch, on))
}

/// Home Assistant discovery messages for a camera (retained `config` topics).
pub fn discovery(cfg: &MqttConfig, cam: &Camera) -> Vec<(String, String)> {
    let (p, d, id) = (&cfg.topic_prefix, &cfg.discovery_prefix, cam.id);
    let device = json!({
        "identifiers": [format!("{p}_camera_{id}")],
        "name": cam.name,
        "manufacturer": cam.manufacturer.clone().unwrap_or_else(|| "Vigil".into()),
        "model": cam.model.clone().unwrap_or_else(|| "camera".into()),
    });
    let base = |name: &str, uid: &str| {
        json!({
            "name": name,
            "unique_id": format!("{p}_{id}_{uid}"),
            "object_id": format!("{p}_{id}_{uid}"),
            "availability_topic": format!("{p}/available"),
            "device": device,
        })
    };
    let mut out = vec![];
    let mut add =
        |component: &str, uid: &str, mut v: serde_json::Value, extra: serde_json::Value| {
            if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
                for (k, x) in e {
                    o.insert(k.clone(), x.clone());
                }
            }
            out.push((
                format!("{d}/{component}/{p}_{id}_{uid}/config"),
                v.to_string(),
            ));
        };
    add(
        "binary_sensor",
        "online",
        base("Online", "online"),
        json!({"state_topic": format!("{p}/{id}/online"), "device_class": "connectivity"}),
    );
    for (sw, name, icon) in [
        ("recording", "Recording", "mdi:record-rec"),
        ("detection", "Detection", "mdi:motion-sensor"),
    ] {
        add(
            "switch",
            sw,
            base(name, sw),
            json!({"state_topic": format!("{p}/{id}/{sw}"), "command_topic": format!("{p}/{id}/{sw}/set"),
                   "payload_on": "ON", "payload_off": "OFF", "icon": icon}),
        );
    }
    for label in OCCUPANCY_LABELS {
        let title = format!("{}{}", label[..1].to_uppercase(), &label[1..]);
        add(
            "binary_sensor",
            &format!("{label}_occupancy"),
            base(&format!("{title} occupancy"), &format!("{label}_occupancy")),
            json!({"state_topic": format!("{p}/{id}/{label}"), "device_class": "occupancy"}),
        );
        add(
            "sensor",
            &format!("{label}_count"),
            base(&format!("{title} count"), &format!("{label}_count")),
            json!({"state_topic": format!("{p}/{id}/{label}/count"), "state_class": "measurement"}),
        );
    }
    add(
        "camera",
        "snapshot",
        base("Last detection", "snapshot"),
        json!({"topic": format!("{p}/{id}/snapshot")}),
    );
    out
}

/// The topics a camera's discovery uses (emptied when the camera goes).
fn discovery_topics(cfg: &MqttConfig, cam_id: i64) -> Vec<String> {
    let (p, d) = (&cfg.topic_prefix, &cfg.discovery_prefix);
    let mut t = vec![
        format!("{d}/binary_sensor/{p}_{cam_id}_online/config"),
        format!("{d}/switch/{p}_{cam_id}_recording/config"),
        format!("{d}/switch/{p}_{cam_id}_detection/config"),
        format!("{d}/camera/{p}_{cam_id}_snapshot/config"),
    ];
    for l in OCCUPANCY_LABELS {
        t.push(format!(
            "{d}/binary_sensor/{p}_{cam_id}_{l}_occupancy/config"
        ));
        t.push(format!("{d}/sensor/{p}_{cam_id}_{l}_count/config"));
    }
    t
}

/// A camera's switch states (retained).
fn switch_states(cfg: &MqttConfig, cam: &Camera) -> Vec<(String, String)> {
    let p = &cfg.topic_prefix;
    vec![
        (
            format!("{p}/{}/recording", cam.id),
            on_off(cam.recording_enabled).into(),
        ),
        (
            format!("{p}/{}/detection", cam.id),
            on_off(cam.detection_enabled).into(),
        ),
    ]
}

struct Bridge {
    engine: Engine,
    cfg: MqttConfig,
    client: AsyncClient,
    status: Arc<StatusCell>,
    /// Ongoing detection events per camera and label.
    occupancy: HashMap<(i64, String), u32>,
}

impl Bridge {
    fn publish(&self, topic: String, payload: impl Into<Vec<u8>>, retain: bool) {
        match self
            .client
            .try_publish(topic, QoS::AtLeastOnce, retain, payload)
        {
            Ok(()) => {
                self.status.queued.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.status.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, "MQTT message dropped (the broker is slow or away)");
            }
        }
    }

    fn announce(&self, cam: &Camera) {
        for (t, m) in discovery(&self.cfg, cam) {
            self.publish(t, m, true);
        }
        for (t, m) in switch_states(&self.cfg, cam) {
            self.publish(t, m, true);
        }
        let online = matches!(cam.status, CameraStatus::Running);
        self.publish(
            format!("{}/{}/online", self.cfg.topic_prefix, cam.id),
            on_off(online),
            true,
        );
        for l in OCCUPANCY_LABELS {
            let n = self
                .occupancy
                .get(&(cam.id, l.to_string()))
                .copied()
                .unwrap_or(0);
            self.publish_occupancy(cam.id, l, n);
        }
    }

    fn publish_occupancy(&self, cam: i64, label: &str, n: u32) {
        let p = &self.cfg.topic_prefix;
        self.publish(format!("{p}/{cam}/{label}/count"), n.to_string(), true);
        self.publish(format!("{p}/{cam}/{label}"), on_off(n > 0), true);
    }

    async fn on_connect(&self) {
        let p = &self.cfg.topic_prefix;
        self.publish(format!("{p}/available"), "online", true);
        if let Err(e) = self
            .client
            .try_subscribe(format!("{p}/+/+/set"), QoS::AtLeastOnce)
        {
            tracing::warn!(error = %e, "MQTT commands not subscribed");
        }
        match self.engine.cameras().list().await {
            Ok(cams) => cams.iter().for_each(|c| self.announce(c)),
            Err(e) => tracing::warn!(error = %e, "cameras not announced over MQTT"),
        }
    }

    async fn on_command(&self, topic: &str, payload: &[u8]) {
        let Some((id, switch, on)) = parse_command(&self.cfg.topic_prefix, topic, payload) else {
            tracing::debug!(topic, "MQTT message on a command topic ignored");
            return;
        };
        let patch = match switch {
            Switch::Recording => CameraPatch {
                recording_enabled: Some(on),
                ..Default::default()
            },
            Switch::Detection => CameraPatch {
                detection_enabled: Some(on),
                ..Default::default()
            },
        };
        let field = match switch {
            Switch::Recording => "recording_enabled",
            Switch::Detection => "detection_enabled",
        };
        match self.engine.cameras().update(id, patch).await {
            Ok(cam) => {
                self.engine.audit().record(
                    AuditEntry::by_actor("mqtt", AuditAction::CameraUpdate)
                        .camera(id)
                        .target(cam.name.clone())
                        .details(json!({"changed": [field], field: on, "via": "mqtt"})),
                );
                tracing::info!(camera_id = id, field, on, "camera changed over MQTT");
            }
            Err(e) => tracing::warn!(camera_id = id, error = %e, "MQTT command refused"),
        }
    }

    async fn on_event(&mut self, camera_id: Option<i64>, body: &EventBody, at_ms: i64) {
        let p = self.cfg.topic_prefix.clone();
        match body {
            EventBody::CameraCreated { camera } | EventBody::CameraUpdated { camera } => {
                self.announce(camera)
            }
            EventBody::CameraDeleted => {
                if let Some(id) = camera_id {
                    for t in discovery_topics(&self.cfg, id) {
                        self.publish(t, Vec::new(), true);
                    }
                    self.occupancy.retain(|(c, _), _| *c != id);
                }
            }
            EventBody::StreamStatus { status, .. } => {
                if let Some(id) = camera_id {
                    let online = matches!(status, CameraStatus::Running);
                    self.publish(format!("{p}/{id}/online"), on_off(online), true);
                }
            }
            EventBody::DetectionEventStart { event } | EventBody::DetectionEventEnd { event } => {
                let start = matches!(body, EventBody::DetectionEventStart { .. });
                let key = (event.camera_id, event.label.clone());
                let n = self.occupancy.entry(key).or_default();
                *n = if start { *n + 1 } else { n.saturating_sub(1) };
                let n = *n;
                if OCCUPANCY_LABELS.contains(&event.label.as_str()) {
                    self.publish_occupancy(event.camera_id, &event.label, n);
                }
                if start && let Some(det) = event.best_detection_id {
                    let jpeg = self.engine.detection().snapshot(det, |_| true).await;
                    if let Ok(jpeg) = jpeg {
                        self.publish(format!("{p}/{}/snapshot", event.camera_id), jpeg, true);
                    }
                }
            }
            EventBody::Alert { alert, camera_name } => {
                let msg = json!({
                    "type": "alert", "alert_id": alert.id, "camera_id": alert.camera_id,
                    "camera_name": camera_name, "kind": alert.kind, "severity": alert.severity,
                    "message": alert.message, "label": alert.details["label"],
                    "at": vigil_base::format_rfc3339_ms(at_ms),
                });
                self.publish(format!("{p}/events"), msg.to_string(), false);
            }
            _ => {}
        }
    }
}

/// Run the bridge until `stop`: connect (again and again), announce, publish, obey commands.
/// Ends by itself only when the URL is unusable.
pub(crate) async fn run(
    engine: Engine,
    cfg: MqttConfig,
    password: Option<String>,
    stop: ShutdownWaiter,
    status: Arc<StatusCell>,
) {
    let Some(mut opts) = service::options(&cfg, password, "") else {
        let e = format!("{:?}: only mqtt:// URLs are supported", cfg.url);
        tracing::error!(error = %e, "MQTT not started");
        status.set(MqttState::Failing, Some(e), None);
        return;
    };
    status.set(MqttState::Connecting, None, None);
    opts.set_last_will(LastWill::new(
        format!("{}/available", cfg.topic_prefix),
        "offline",
        QoS::AtLeastOnce,
        true,
    ));
    let (client, mut eventloop) = AsyncClient::new(opts, 1024);
    let mut bridge = Bridge {
        engine: engine.clone(),
        cfg,
        client,
        status: status.clone(),
        occupancy: HashMap::new(),
    };
    let mut bus = engine.events().subscribe();
    let stop = stop.wait();
    tokio::pin!(stop);
    let mut failing = false;
    loop {
        tokio::select! {
            _ = &mut stop => break,
            ev = eventloop.poll() => match ev {
                Ok(Event::Incoming(Packet::ConnAck(_))) => {
                    tracing::info!(url = %bridge.cfg.url, "MQTT connected");
                    failing = false;
                    status.set(MqttState::Connected, None, Some(engine.clock().now_ms()));
                    bridge.on_connect().await;
                }
                Ok(Event::Incoming(Packet::Publish(p))) => bridge.on_command(&p.topic, &p.payload).await,
                Ok(_) => {}
                Err(e) => {
                    let why = service::describe(&bridge.cfg.url, &e);
                    if !failing {
                        tracing::warn!(error = %why, "MQTT broker unreachable; retrying every 2 s");
                    }
                    status.set(MqttState::Failing, Some(why), None);
                    failing = true;
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            },
            ev = bus.recv() => match ev {
                Ok(ev) => bridge.on_event(ev.camera_id, &ev.body, ev.at_ms).await,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "the MQTT bridge fell behind the event bus");
                }
                Err(_) => break,
            },
        }
    }
    // A clean stop says so itself (the last will is for a crash), then leaves.
    bridge.publish(
        format!("{}/available", bridge.cfg.topic_prefix),
        "offline",
        true,
    );
    let _ = bridge.client.try_disconnect();
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while eventloop.poll().await.is_ok() {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_urls_and_commands() {
        assert_eq!(
            broker("mqtt://ha.local:1884").unwrap(),
            ("ha.local".into(), 1884)
        );
        assert_eq!(
            broker("mqtt://10.0.0.2").unwrap(),
            ("10.0.0.2".into(), 1883)
        );
        assert!(broker("mqtts://x").is_err() && broker("mqtt://").is_err());
        assert_eq!(broker("mqtt://[::1]:1884").unwrap(), ("::1".into(), 1884));
        assert_eq!(
            broker("mqtt://[fd00::2]").unwrap(),
            ("fd00::2".into(), 1883)
        );
        let e = broker("mqtt://user:secret@ha.local").unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        assert!(broker("mqtt://ha.local:1883/path").is_err());
        assert_eq!(
            parse_command("vigil", "vigil/3/recording/set", b"OFF"),
            Some((3, Switch::Recording, false))
        );
        assert_eq!(
            parse_command("vigil", "vigil/3/detection/set", b"on"),
            Some((3, Switch::Detection, true))
        );
        for (t, p) in [
            ("vigil/3/recording/set", &b"maybe"[..]),
            ("vigil/x/recording/set", b"ON"),
            ("vigil/3/siren/set", b"ON"),
            ("other/3/recording/set", b"ON"),
            ("vigil/3/recording/set/x", b"ON"),
        ] {
            assert_eq!(parse_command("vigil", t, p), None, "{t}");
        }
    }
}
