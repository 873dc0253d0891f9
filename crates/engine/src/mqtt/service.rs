//! The MQTT bridge's settings, status and life. The settings in force come from `[mqtt]` in
//! `config.toml` when it is there (it wins, and the API refuses changes with
//! `SETTINGS_IN_CONFIG_FILE`), else from the UI (`PUT /api/v1/notifications/mqtt`, kept in
//! `mqtt_settings`); the broker's password is in the credential store either way, never in SQLite.
//! A change restarts the bridge at once: the running one says `offline` and disconnects, the new
//! one connects and announces. "Send test" connects a separate client with the settings given
//! (saved or not), publishes `<prefix>/test` at QoS 1 and waits for the broker's acknowledgement,
//! so a wrong host or password shows before anything is saved.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rumqttc::{AsyncClient, ConnectReturnCode, ConnectionError, Event, MqttOptions, Packet, QoS};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use utoipa::ToSchema;
use vigil_base::shutdown::{Shutdown, ShutdownWaiter};
use vigil_base::{Clock, Error, FieldErrors, Result, err};
use vigil_db::Database;
use vigil_secrets::CredentialStore;

use super::{MqttConfig, broker};
use crate::Engine;

/// Where the settings in force come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MqttSource {
    /// `[mqtt]` in `config.toml` (read-only here).
    ConfigFile,
    /// Saved from the UI or the API.
    Ui,
    /// Never configured: the bridge is off.
    Unset,
}

/// The bridge's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MqttState {
    /// Not configured, or turned off.
    Off,
    Connecting,
    Connected,
    /// The broker cannot be reached or refuses; retried every 2 s (`last_error` says why).
    Failing,
}

/// How the bridge is doing.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MqttStatus {
    pub state: MqttState,
    /// Why the broker is not reachable, while failing.
    pub last_error: Option<String>,
    /// When the current connection was made (RFC 3339), while connected.
    pub connected_since: Option<String>,
    /// Messages handed to the connection since Vigil started.
    pub queued: u64,
    /// Messages dropped since Vigil started because the broker was too slow or away.
    pub dropped: u64,
}

/// `GET /notifications/mqtt`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MqttView {
    pub source: MqttSource,
    /// The settings in force; `null` when never configured.
    pub settings: Option<MqttConfig>,
    /// Whether a broker password is in the credential store.
    pub password_set: bool,
    pub status: MqttStatus,
}

/// `PUT /notifications/mqtt`, and what "send test" tries.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MqttUpdate {
    /// Default true.
    pub enabled: Option<bool>,
    /// `mqtt://host:1883`.
    pub url: String,
    /// Default `vigil`.
    pub topic_prefix: Option<String>,
    /// Default `homeassistant`.
    pub discovery_prefix: Option<String>,
    pub username: Option<String>,
    pub client_id: Option<String>,
    /// Absent: keep the saved password; empty: none; else the new one (credential store).
    pub password: Option<String>,
}

/// The outcome of "send test".
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MqttTestResult {
    /// Whether the broker acknowledged the test message.
    pub ok: bool,
    /// What happened, in words for the operator.
    pub message: String,
    /// The topic the test message went to.
    pub topic: String,
    pub elapsed_ms: u64,
}

/// A topic prefix: MQTT levels without wildcards, no empty level.
fn check_prefix(errs: &mut FieldErrors, field: &str, v: Option<String>, default: &str) -> String {
    let v = vigil_base::fields::optional_text(errs, field, v, 100)
        .unwrap_or_else(|| default.to_string());
    if v.contains(['+', '#', '\0']) || v.split('/').any(str::is_empty) {
        errs.insert(
            field.into(),
            "must be topic levels like `vigil` or `site/vigil`: no `+`, `#` or empty level".into(),
        );
    }
    v
}

/// Validate an update into settings and the password change (`None`: keep).
pub fn validate(u: MqttUpdate) -> Result<(MqttConfig, Option<String>)> {
    let mut errs = FieldErrors::new();
    let url = vigil_base::fields::required_text(&mut errs, "url", &u.url, 300);
    if !errs.contains_key("url")
        && let Err(e) = broker(&url)
    {
        errs.insert("url".into(), e);
    }
    let topic_prefix = check_prefix(&mut errs, "topic_prefix", u.topic_prefix, "vigil");
    let discovery_prefix = check_prefix(
        &mut errs,
        "discovery_prefix",
        u.discovery_prefix,
        "homeassistant",
    );
    let username = vigil_base::fields::optional_text(&mut errs, "username", u.username, 200);
    let client_id = vigil_base::fields::optional_text(&mut errs, "client_id", u.client_id, 64);
    if let Some(p) = &u.password
        && (p.len() > 1000 || p.contains('\0'))
    {
        errs.insert(
            "password".into(),
            "must be at most 1000 bytes, no NUL".into(),
        );
    }
    if !errs.is_empty() {
        return Err(Error::validation(errs));
    }
    Ok((
        MqttConfig {
            enabled: u.enabled.unwrap_or(true),
            url,
            topic_prefix,
            discovery_prefix,
            username,
            client_id,
        },
        u.password,
    ))
}

/// What the bridge runs with: settings and password (`None`: off).
pub(crate) type Wanted = Option<(MqttConfig, Option<String>)>;

/// The live status, written by the bridge.
#[derive(Default)]
pub(crate) struct StatusCell {
    inner: Mutex<(Option<MqttState>, Option<String>, Option<i64>)>,
    pub(crate) queued: AtomicU64,
    pub(crate) dropped: AtomicU64,
}

impl StatusCell {
    pub(crate) fn set(&self, state: MqttState, error: Option<String>, since_ms: Option<i64>) {
        if let Ok(mut s) = self.inner.lock() {
            *s = (Some(state), error, since_ms);
        }
    }

    fn get(&self) -> MqttStatus {
        let (state, last_error, since) = self.inner.lock().map(|s| s.clone()).unwrap_or_default();
        MqttStatus {
            state: state.unwrap_or(MqttState::Off),
            last_error,
            connected_since: since.map(vigil_base::format_rfc3339_ms),
            queued: self.queued.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}

/// The MQTT settings and the bridge's status. Cheap to clone.
#[derive(Clone)]
pub struct MqttService {
    db: Database,
    creds: CredentialStore,
    clock: Arc<dyn Clock>,
    file: Option<MqttConfig>,
    wanted: Arc<watch::Sender<Wanted>>,
    pub(crate) status: Arc<StatusCell>,
}

impl MqttService {
    /// `file`: `[mqtt]` from `config.toml`, which wins over what the UI saved.
    pub fn load(
        db: Database,
        creds: CredentialStore,
        clock: Arc<dyn Clock>,
        file: Option<MqttConfig>,
    ) -> Result<Self> {
        let saved = match &file {
            Some(_) => None,
            None => db
                .read_blocking(vigil_db::channels::get_mqtt)?
                .and_then(|j| match serde_json::from_str::<MqttConfig>(&j) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        tracing::error!(error = %e, "the saved MQTT settings are unreadable; MQTT is off until they are saved again");
                        None
                    }
                }),
        };
        let settings = file.clone().or(saved);
        let password = match &settings {
            Some(_) => creds.mqtt_password().ok().flatten(),
            None => None,
        };
        let (tx, _) = watch::channel(settings.map(|s| (s, password)));
        Ok(MqttService {
            db,
            creds,
            clock,
            file,
            wanted: Arc::new(tx),
            status: Arc::new(StatusCell::default()),
        })
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<Wanted> {
        self.wanted.subscribe()
    }

    pub fn get(&self) -> MqttView {
        let settings = self.wanted.borrow().as_ref().map(|(s, _)| s.clone());
        let password_set = self
            .wanted
            .borrow()
            .as_ref()
            .is_some_and(|(_, p)| p.is_some());
        MqttView {
            source: match (&self.file, &settings) {
                (Some(_), _) => MqttSource::ConfigFile,
                (None, Some(_)) => MqttSource::Ui,
                (None, None) => MqttSource::Unset,
            },
            settings,
            password_set,
            status: self.status.get(),
        }
    }

    /// Save settings from the UI and restart the bridge with them.
    pub async fn set(&self, update: MqttUpdate) -> Result<MqttView> {
        if self.file.is_some() {
            return Err(err!(
                FailedPrecondition,
                code = SettingsInConfigFile,
                "MQTT is set in config.toml ([mqtt]), which wins: change it there"
            ));
        }
        let (cfg, password) = validate(update)?;
        let json = serde_json::to_string(&cfg)
            .map_err(|e| err!(Internal, "MQTT settings to JSON: {e}"))?;
        let password = match password {
            None => self.creds.mqtt_password()?,
            Some(p) if p.is_empty() => {
                self.creds.delete_mqtt_password()?;
                None
            }
            Some(p) => {
                self.creds.set_mqtt_password(&p)?;
                Some(p)
            }
        };
        let now = self.clock.now_ms();
        self.db
            .write(move |c| vigil_db::channels::set_mqtt(c, &json, now))
            .await?;
        self.wanted.send_replace(Some((cfg, password)));
        Ok(self.get())
    }

    /// Connect with `update` (its password, or the saved one when it has none), publish a test
    /// message at QoS 1 and wait for the broker's acknowledgement (10 s at most).
    pub async fn test(&self, update: MqttUpdate) -> Result<MqttTestResult> {
        let (cfg, password) = validate(update)?;
        let password = match password {
            Some(p) => Some(p).filter(|p| !p.is_empty()),
            None => self.creds.mqtt_password()?,
        };
        let topic = format!("{}/test", cfg.topic_prefix);
        let started = Instant::now();
        let outcome = tokio::time::timeout(
            Duration::from_secs(10),
            send_test(&cfg, password, &topic, self.clock.now_ms()),
        )
        .await
        .unwrap_or_else(|_| Err(format!("no answer from {} within 10 s", cfg.url)));
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(match outcome {
            Ok(()) => MqttTestResult {
                ok: true,
                message: format!("the broker at {} took the test message", cfg.url),
                topic,
                elapsed_ms,
            },
            Err(message) => MqttTestResult {
                ok: false,
                message,
                topic,
                elapsed_ms,
            },
        })
    }
}

/// Client options for `cfg` (the last will and keep-alive are the bridge's business).
pub(crate) fn options(
    cfg: &MqttConfig,
    password: Option<String>,
    suffix: &str,
) -> Option<MqttOptions> {
    let (host, port) = broker(&cfg.url).ok()?;
    let id = cfg
        .client_id
        .clone()
        .unwrap_or_else(|| format!("vigil-{}", cfg.topic_prefix.replace('/', "-")));
    let mut opts = MqttOptions::new(format!("{id}{suffix}"), host, port);
    opts.set_keep_alive(Duration::from_secs(15));
    if let Some(u) = &cfg.username {
        opts.set_credentials(u.clone(), password.unwrap_or_default());
    }
    Some(opts)
}

async fn send_test(
    cfg: &MqttConfig,
    password: Option<String>,
    topic: &str,
    now_ms: i64,
) -> std::result::Result<(), String> {
    let opts = options(cfg, password, "-test")
        .ok_or_else(|| format!("{}: not an mqtt:// URL", cfg.url))?;
    let (client, mut eventloop) = AsyncClient::new(opts, 10);
    let body = serde_json::json!({
        "type": "test",
        "message": "a test message from Vigil",
        "at": vigil_base::format_rfc3339_ms(now_ms),
    });
    client
        .publish(topic, QoS::AtLeastOnce, false, body.to_string())
        .await
        .map_err(|e| format!("the test message was not queued: {e}"))?;
    let result = loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::PubAck(_))) => break Ok(()),
            Ok(_) => {}
            Err(e) => break Err(describe(&cfg.url, &e)),
        }
    };
    let _ = client.try_disconnect();
    let _ = tokio::time::timeout(Duration::from_secs(1), eventloop.poll()).await;
    result
}

/// A connection error in the operator's words.
pub(crate) fn describe(url: &str, e: &ConnectionError) -> String {
    match e {
        ConnectionError::ConnectionRefused(code) => match code {
            ConnectReturnCode::BadUserNamePassword => {
                format!("the broker at {url} refused the username or password")
            }
            ConnectReturnCode::NotAuthorized => {
                format!(
                    "the broker at {url} refused: not authorised (check the username and password)"
                )
            }
            ConnectReturnCode::BadClientId => {
                format!("the broker at {url} refused the client id")
            }
            other => format!("the broker at {url} refused the connection ({other:?})"),
        },
        ConnectionError::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("nothing answers at {url} (connection refused)")
        }
        ConnectionError::Io(io) => format!("cannot reach {url}: {io}"),
        ConnectionError::NetworkTimeout => format!("no answer from {url}"),
        other => format!("MQTT with {url}: {other}"),
    }
}

/// Run the bridge with whatever the settings say, for as long as the engine runs: restarted
/// (cleanly: `offline`, disconnect) whenever the settings change, off while there are none.
pub(crate) async fn supervise(engine: Engine, stop: ShutdownWaiter) {
    let service = engine.mqtt().clone();
    let mut rx = service.subscribe();
    loop {
        let wanted = rx.borrow_and_update().clone();
        let run = match wanted {
            Some((cfg, password)) if cfg.enabled => {
                let (child, child_stop) = Shutdown::new();
                let fut = super::run(
                    engine.clone(),
                    cfg,
                    password,
                    child_stop,
                    service.status.clone(),
                );
                Some((child, fut))
            }
            _ => {
                service.status.set(MqttState::Off, None, None);
                None
            }
        };
        match run {
            Some((child, fut)) => {
                tokio::pin!(fut);
                tokio::select! {
                    _ = &mut fut => {
                        // Only an unusable URL ends it; wait for new settings.
                        tokio::select! {
                            _ = stop.clone().wait() => return,
                            r = rx.changed() => if r.is_err() { return },
                        }
                    }
                    _ = stop.clone().wait() => {
                        child.trigger();
                        fut.await;
                        return;
                    }
                    r = rx.changed() => {
                        child.trigger();
                        fut.await;
                        if r.is_err() {
                            return;
                        }
                        tracing::info!("MQTT settings changed; the bridge restarts with them");
                    }
                }
            }
            None => tokio::select! {
                _ = stop.clone().wait() => return,
                r = rx.changed() => if r.is_err() { return },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(url: &str) -> MqttUpdate {
        MqttUpdate {
            enabled: None,
            url: url.into(),
            topic_prefix: None,
            discovery_prefix: None,
            username: None,
            client_id: None,
            password: None,
        }
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let (cfg, pw) = validate(update(" mqtt://ha.local:1884 ")).unwrap();
        assert_eq!(cfg.url, "mqtt://ha.local:1884");
        assert_eq!(
            (cfg.topic_prefix.as_str(), cfg.discovery_prefix.as_str()),
            ("vigil", "homeassistant")
        );
        assert!(cfg.enabled && pw.is_none());

        let bad = MqttUpdate {
            topic_prefix: Some("vigil/#".into()),
            discovery_prefix: Some("ha//x".into()),
            client_id: Some("x".repeat(65)),
            ..update("http://ha.local")
        };
        let e = validate(bad).unwrap_err();
        let fields = &e.details().unwrap()["fields"];
        for f in ["url", "topic_prefix", "discovery_prefix", "client_id"] {
            assert!(fields[f].is_string(), "{f}: {fields}");
        }
        let e = validate(update("")).unwrap_err();
        assert!(e.details().unwrap()["fields"]["url"].is_string());
        let ok = MqttUpdate {
            topic_prefix: Some("site/vigil".into()),
            ..update("mqtt://10.0.0.2")
        };
        assert_eq!(validate(ok).unwrap().0.topic_prefix, "site/vigil");
    }

    #[test]
    fn connection_errors_read_as_sentences() {
        let url = "mqtt://ha.local:1883";
        let refused = ConnectionError::ConnectionRefused(ConnectReturnCode::BadUserNamePassword);
        assert!(describe(url, &refused).contains("username or password"));
        let io = ConnectionError::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(
            describe(url, &io),
            "nothing answers at mqtt://ha.local:1883 (connection refused)"
        );
    }
}
