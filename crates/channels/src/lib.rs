//! Alert channels beyond the desktop notification: webhooks (signed JSON, the same payload as the
//! events socket's `alert` messages) and email over SMTP (with the detection's snapshot and a link
//! to the moment). Each channel has the desktop notifier's cooldown and grouping
//! ([`vigil_notify::Policy`]): per camera and class of alert, the first goes at once and what
//! follows within the cooldown goes as one `alert_group` message when it ends. Each alert the
//! rules ([`rules`]) route to a channel
//! becomes a row in the outbox (`notify_delivery`) before anything is sent, so nothing is lost
//! across a restart; one worker sends what is due, retrying failures with doubling delays (1 s,
//! 2 s, 4 s … at most 5 min, [`MAX_ATTEMPTS`] tries) and recording every attempt (sent, retried,
//! failed with the reason), which `GET /notifications/channels/{id}/deliveries` shows. Secrets
//! (a webhook's signing key) live in the credential store, never in SQLite or the logs.

pub mod email;
pub mod rules;
pub mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Clock, FieldErrors, Result, err, format_rfc3339_ms as rfc3339};
use vigil_db::Database;
use vigil_db::channels::{self as q, ChannelRow, DeliveryRow};
use vigil_secrets::CredentialStore;

pub use email::{EmailConfig, SmtpSecurity};
pub use rules::{AlertMeta, Rule, Window};

/// Where an email's snapshot comes from: the JPEG of a detection, by id (the engine's detection
/// store). Blocking.
pub type SnapshotSource = Arc<dyn Fn(i64) -> Option<Vec<u8>> + Send + Sync>;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between attempts.
pub const MAX_BACKOFF_MS: i64 = 300_000;

/// What a channel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Webhook,
    Email,
}

/// Body of `POST /notifications/channels`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChannelCreate {
    Webhook {
        #[schema(max_length = 100)]
        name: String,
        /// `http://` or `https://`.
        #[schema(max_length = 2000)]
        url: String,
        /// The signing key (8–256 characters); absent: one is made and shown once.
        #[schema(min_length = 8, max_length = 256)]
        secret: Option<String>,
        #[serde(default)]
        enabled: Option<bool>,
    },
    Email {
        #[schema(max_length = 100)]
        name: String,
        /// The SMTP server.
        #[schema(max_length = 253)]
        host: String,
        /// Default: 587 (STARTTLS), 465 (TLS), 25 (none).
        port: Option<u16>,
        #[serde(default)]
        security: SmtpSecurity,
        #[schema(max_length = 200)]
        username: Option<String>,
        /// Kept in the credential store.
        #[schema(max_length = 256)]
        password: Option<String>,
        #[schema(max_length = 254)]
        from: String,
        /// 1 to 20 addresses.
        #[schema(max_items = 20)]
        to: Vec<String>,
        /// Vigil's address as people reach it (`https://nvr.example:7878`): mails link to the
        /// moment on the timeline.
        #[schema(max_length = 2000)]
        link_base: Option<String>,
        #[serde(default)]
        enabled: Option<bool>,
    },
}

/// Body of `PATCH /notifications/channels/{id}`: absent fields are kept.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelPatch {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 2000)]
    pub url: Option<String>,
    /// A new signing key.
    #[schema(min_length = 8, max_length = 256)]
    pub secret: Option<String>,
    pub enabled: Option<bool>,
    /// Email: the SMTP server, port, security, user name (empty: none), password, sender,
    /// recipients and link base (empty: none).
    #[schema(max_length = 253)]
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<SmtpSecurity>,
    #[schema(max_length = 200)]
    pub username: Option<String>,
    #[schema(max_length = 256)]
    pub password: Option<String>,
    #[schema(max_length = 254)]
    pub from: Option<String>,
    #[schema(max_items = 20)]
    pub to: Option<Vec<String>>,
    #[schema(max_length = 2000)]
    pub link_base: Option<String>,
}

/// An email channel's settings as the API shows them (never the password).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct EmailView {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub from: String,
    pub to: Vec<String>,
    pub link_base: Option<String>,
}

/// A channel as the API shows it (never its secret).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Channel {
    pub id: i64,
    pub kind: ChannelKind,
    pub name: String,
    pub enabled: bool,
    /// A webhook's URL.
    pub url: Option<String>,
    /// An email channel's settings.
    pub email: Option<EmailView>,
    /// Whether a secret is set (a webhook's signing key, an SMTP password).
    pub has_secret: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// One delivery of a channel.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub channel_id: i64,
    pub alert_id: Option<i64>,
    /// A "send test" delivery.
    pub test: bool,
    /// `pending` (waiting for its next attempt), `sent`, or `failed` (given up).
    pub state: String,
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<String>,
    /// When it was sent or given up.
    pub done_at: Option<String>,
}

impl From<DeliveryRow> for Delivery {
    fn from(d: DeliveryRow) -> Self {
        Delivery {
            id: d.id,
            channel_id: d.channel_id,
            alert_id: d.alert_id,
            test: d.test,
            next_attempt_at: (d.state == "pending").then(|| rfc3339(d.next_at_ms)),
            state: d.state,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: rfc3339(d.created_at_ms),
            done_at: d.done_at_ms.map(rfc3339),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct WebhookConfig {
    url: String,
}

/// The channels, their outbox and rules.
#[derive(Clone)]
pub struct ChannelService {
    inner: Arc<Inner>,
}

struct Inner {
    db: Database,
    creds: CredentialStore,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    wake: tokio::sync::Notify,
    snapshots: std::sync::RwLock<Option<SnapshotSource>>,
    /// The cooldown and grouping of each channel.
    policies: std::sync::Mutex<HashMap<i64, vigil_notify::Policy>>,
    cooldown: Duration,
}

fn not_found(id: i64) -> vigil_base::Error {
    err!(NotFound, code = NotFound, "no notification channel {id}")
}

fn check_name(errs: &mut FieldErrors, name: &str) -> String {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        errs.insert(
            "name".into(),
            "1 to 100 characters, no control characters".into(),
        );
    }
    n.to_string()
}

fn check_url(errs: &mut FieldErrors, url: &str) {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        _ => {
            errs.insert("url".into(), "must be an http:// or https:// URL".into());
        }
    }
}

fn check_secret(errs: &mut FieldErrors, s: &Option<String>) {
    if let Some(s) = s
        && !(8..=256).contains(&s.chars().count())
    {
        errs.insert("secret".into(), "8 to 256 characters".into());
    }
}

fn check_email(errs: &mut FieldErrors, cfg: &EmailConfig) {
    let host_ok = !cfg.host.is_empty()
        && cfg.host.len() <= 253
        && (cfg.host.chars())
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        errs.insert("host".into(), "a host name or address".into());
    }
    if cfg.port == 0 {
        errs.insert("port".into(), "1 to 65535".into());
    }
    let addr = |s: &str| s.parse::<lettre::message::Mailbox>().is_ok();
    if !addr(&cfg.from) {
        errs.insert("from".into(), "an email address".into());
    }
    if cfg.to.is_empty() || cfg.to.len() > 20 {
        errs.insert("to".into(), "1 to 20 addresses".into());
    } else if let Some(bad) = cfg.to.iter().find(|t| !addr(t)) {
        errs.insert("to".into(), format!("{bad:?} is not an email address"));
    }
    if let Some(l) = &cfg.link_base {
        let mut e = FieldErrors::new();
        check_url(&mut e, l);
        if e.contains_key("url") {
            errs.insert(
                "link_base".into(),
                "must be an http:// or https:// URL".into(),
            );
        }
    }
}

/// The message for alerts grouped during a cooldown: `{"type": "alert_group", "camera_id", "at",
/// "alert_id" (the latest), "count", "severity" (the highest), "title", "message"}`.
fn group_payload(s: &vigil_notify::Show, now: i64) -> String {
    serde_json::json!({
        "type": "alert_group",
        "camera_id": s.key.camera_id,
        "at": rfc3339(now),
        "alert_id": s.rendered.alert_id,
        "count": s.rendered.count,
        "severity": s.rendered.severity,
        "title": s.rendered.title,
        "message": s.rendered.body,
    })
    .to_string()
}

fn new_secret() -> Result<String> {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).map_err(|e| err!(Internal, "no randomness for a secret: {e}"))?;
    Ok(hex::encode(b))
}

impl ChannelService {
    /// `cooldown`: per channel, camera and class of alert, what follows the first alert within it
    /// is sent as one group when it ends (the desktop notifications' setting).
    pub fn new(
        db: Database,
        creds: CredentialStore,
        clock: Arc<dyn Clock>,
        cooldown: Duration,
    ) -> Result<ChannelService> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| err!(Internal, "making the HTTP client: {e}"))?;
        Ok(ChannelService {
            inner: Arc::new(Inner {
                db,
                creds,
                clock,
                http,
                wake: tokio::sync::Notify::new(),
                snapshots: std::sync::RwLock::new(None),
                policies: std::sync::Mutex::new(HashMap::new()),
                cooldown,
            }),
        })
    }

    /// Where email channels find a detection's snapshot.
    pub fn set_snapshot_source(&self, source: SnapshotSource) {
        *self
            .inner
            .snapshots
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(source);
    }

    fn view(&self, r: ChannelRow) -> Channel {
        let has_secret = matches!(self.inner.creds.channel_secret(r.id), Ok(Some(_)));
        let (kind, url, email) = if r.kind == "email" {
            let c: EmailConfig = serde_json::from_str(&r.config_json).unwrap_or_default();
            let view = EmailView {
                host: c.host,
                port: c.port,
                security: c.security,
                username: c.username,
                from: c.from,
                to: c.to,
                link_base: c.link_base,
            };
            (ChannelKind::Email, None, Some(view))
        } else {
            let c: WebhookConfig = serde_json::from_str(&r.config_json).unwrap_or_default();
            (ChannelKind::Webhook, Some(c.url), None)
        };
        Channel {
            id: r.id,
            kind,
            name: r.name,
            enabled: r.enabled,
            url,
            email,
            has_secret,
            created_at: rfc3339(r.created_at_ms),
            updated_at: rfc3339(r.updated_at_ms),
        }
    }

    pub async fn list(&self) -> Result<Vec<Channel>> {
        let rows = self.inner.db.read(q::list_channels).await?;
        Ok(rows.into_iter().map(|r| self.view(r)).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Channel> {
        let row = self.inner.db.read(move |c| q::get_channel(c, id)).await?;
        Ok(self.view(row.ok_or_else(|| not_found(id))?))
    }

    /// Create a channel; returns it and, when Vigil made its signing key, the key (shown once).
    pub async fn create(&self, input: ChannelCreate) -> Result<(Channel, Option<String>)> {
        let mut errs = FieldErrors::new();
        let (kind, name, config_json, secret, made, enabled) = match input {
            ChannelCreate::Webhook {
                name,
                url,
                secret,
                enabled,
            } => {
                let name = check_name(&mut errs, &name);
                check_url(&mut errs, &url);
                check_secret(&mut errs, &secret);
                let (secret, made) = match secret {
                    Some(s) => (Some(s), None),
                    None => {
                        let s = new_secret()?;
                        (Some(s.clone()), Some(s))
                    }
                };
                let cfg = serde_json::to_string(&WebhookConfig { url });
                ("webhook", name, cfg, secret, made, enabled)
            }
            ChannelCreate::Email {
                name,
                host,
                port,
                security,
                username,
                password,
                from,
                to,
                link_base,
                enabled,
            } => {
                let name = check_name(&mut errs, &name);
                let cfg = EmailConfig {
                    host: host.trim().to_string(),
                    port: port.unwrap_or(match security {
                        SmtpSecurity::Starttls => 587,
                        SmtpSecurity::Tls => 465,
                        SmtpSecurity::None => 25,
                    }),
                    security,
                    username: username.filter(|u| !u.is_empty()),
                    from,
                    to,
                    link_base: link_base.filter(|l| !l.is_empty()),
                };
                check_email(&mut errs, &cfg);
                if password.as_ref().is_some_and(|p| p.chars().count() > 256) {
                    errs.insert("password".into(), "at most 256 characters".into());
                }
                let cfg = serde_json::to_string(&cfg);
                ("email", name, cfg, password, None, enabled)
            }
        };
        if !errs.is_empty() {
            return Err(vigil_base::Error::validation(errs));
        }
        let now = self.inner.clock.now_ms();
        let row = ChannelRow {
            id: 0,
            kind: kind.into(),
            name,
            config_json: config_json.map_err(|e| err!(Internal, "{e}"))?,
            enabled: enabled.unwrap_or(true),
            created_at_ms: now,
            updated_at_ms: now,
        };
        let id = (self.inner.db)
            .write(move |c| q::insert_channel(c, &row))
            .await?;
        if let Some(secret) = secret
            && let Err(e) = self.inner.creds.set_channel_secret(id, &secret)
        {
            let _ = self.inner.db.write(move |c| q::delete_channel(c, id)).await;
            return Err(e);
        }
        tracing::info!(channel_id = id, kind, "notification channel created");
        Ok((self.get(id).await?, made))
    }

    pub async fn update(&self, id: i64, patch: ChannelPatch) -> Result<Channel> {
        let mut row = (self.inner.db.read(move |c| q::get_channel(c, id)).await?)
            .ok_or_else(|| not_found(id))?;
        let mut errs = FieldErrors::new();
        if let Some(n) = &patch.name {
            row.name = check_name(&mut errs, n);
        }
        let secret = if row.kind == "email" {
            let mut cfg: EmailConfig = serde_json::from_str(&row.config_json).unwrap_or_default();
            if let Some(v) = patch.host {
                cfg.host = v.trim().to_string();
            }
            if let Some(v) = patch.port {
                cfg.port = v;
            }
            if let Some(v) = patch.security {
                cfg.security = v;
            }
            if let Some(v) = patch.username {
                cfg.username = Some(v).filter(|u| !u.is_empty());
            }
            if let Some(v) = patch.from {
                cfg.from = v;
            }
            if let Some(v) = patch.to {
                cfg.to = v;
            }
            if let Some(v) = patch.link_base {
                cfg.link_base = Some(v).filter(|l| !l.is_empty());
            }
            check_email(&mut errs, &cfg);
            row.config_json = serde_json::to_string(&cfg).map_err(|e| err!(Internal, "{e}"))?;
            patch.password
        } else {
            let mut cfg: WebhookConfig = serde_json::from_str(&row.config_json).unwrap_or_default();
            if let Some(u) = patch.url {
                check_url(&mut errs, &u);
                cfg.url = u;
            }
            check_secret(&mut errs, &patch.secret);
            row.config_json = serde_json::to_string(&cfg).map_err(|e| err!(Internal, "{e}"))?;
            patch.secret
        };
        if !errs.is_empty() {
            return Err(vigil_base::Error::validation(errs));
        }
        if let Some(e) = patch.enabled {
            row.enabled = e;
        }
        row.updated_at_ms = self.inner.clock.now_ms();
        if let Some(s) = &secret {
            self.inner.creds.set_channel_secret(id, s)?;
        }
        (self.inner.db)
            .write(move |c| q::update_channel(c, &row))
            .await?;
        self.get(id).await
    }

    /// Delete a channel, its deliveries (pending ones are dropped) and its secret.
    pub async fn delete(&self, id: i64) -> Result<()> {
        if !self
            .inner
            .db
            .write(move |c| q::delete_channel(c, id))
            .await?
        {
            return Err(not_found(id));
        }
        if self.inner.creds.delete_channel_secret(id).is_err() {
            tracing::warn!(
                channel_id = id,
                "channel deleted but its secret could not be removed"
            );
        }
        Ok(())
    }

    pub async fn rules(&self) -> Result<Vec<Rule>> {
        let json = self.inner.db.read(q::get_rules).await?;
        match json {
            None => Ok(vec![]),
            Some(j) => serde_json::from_str(&j).map_err(|e| err!(Internal, "stored rules: {e}")),
        }
    }

    pub async fn set_rules(&self, rules: Vec<Rule>) -> Result<Vec<Rule>> {
        let ids: Vec<i64> = self.list().await?.iter().map(|c| c.id).collect();
        rules::validate(&rules, &ids)?;
        let json = serde_json::to_string(&rules).map_err(|e| err!(Internal, "{e}"))?;
        let now = self.inner.clock.now_ms();
        self.inner
            .db
            .write(move |c| q::set_rules(c, &json, now))
            .await?;
        Ok(rules)
    }

    /// An alert was raised: queue `payload` (its events-socket message) for every channel the
    /// rules route it to. Returns the channels.
    pub async fn offer(&self, alert: AlertMeta, payload: &serde_json::Value) -> Result<Vec<i64>> {
        let rules = self.rules().await?;
        let enabled: Vec<i64> = (self.inner.db.read(q::list_channels).await?.into_iter())
            .filter(|c| c.enabled)
            .map(|c| c.id)
            .collect();
        let to = rules::route(&rules, &enabled, &alert);
        if to.is_empty() {
            return Ok(to);
        }
        let now = self.inner.clock.now_ms();
        let notice = vigil_notify::AlertNotice {
            alert_id: alert.alert_id,
            camera_id: alert.camera_id,
            camera_name: alert.camera_name.clone(),
            kind: alert.kind.clone(),
            label: alert.label.clone(),
            severity: alert.severity,
            title: match &alert.camera_name {
                Some(n) => format!("{n}: {}", alert.kind.replace('_', " ")),
                None => alert.kind.replace('_', " "),
            },
            body: alert.message.clone(),
            at_ms: alert.at_ms,
        };
        let mut rows: Vec<(i64, Option<i64>, String)> = vec![];
        {
            let mut policies = self.policies();
            for id in &to {
                let p = policies.entry(*id).or_insert_with(|| self.new_policy());
                let (_, shows) = p.offer(notice.clone(), now);
                for s in shows {
                    rows.push(if !s.grouped && s.rendered.alert_id == alert.alert_id {
                        (*id, Some(alert.alert_id), payload.to_string())
                    } else {
                        (*id, Some(s.rendered.alert_id), group_payload(&s, now))
                    });
                }
            }
        }
        self.enqueue_all(rows, now).await?;
        Ok(to)
    }

    fn policies(&self) -> std::sync::MutexGuard<'_, HashMap<i64, vigil_notify::Policy>> {
        self.inner
            .policies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn new_policy(&self) -> vigil_notify::Policy {
        vigil_notify::Policy::new(vigil_notify::NotifyConfig {
            enabled: true,
            // The rules chose the severities already.
            min_severity: vigil_notify::Severity::Info,
            cooldown: self.inner.cooldown,
            app_name: "Vigil".into(),
        })
    }

    async fn enqueue_all(&self, rows: Vec<(i64, Option<i64>, String)>, now: i64) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.inner
            .db
            .write(move |c| {
                for (ch, alert, body) in &rows {
                    q::enqueue(c, *ch, *alert, false, body, now)?;
                }
                Ok(())
            })
            .await?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// Queue the groups whose cooldown has ended.
    async fn send_groups(&self) -> Result<()> {
        let now = self.inner.clock.now_ms();
        let rows: Vec<(i64, Option<i64>, String)> = {
            let mut policies = self.policies();
            policies
                .iter_mut()
                .flat_map(|(ch, p)| {
                    p.poll(now)
                        .into_iter()
                        .map(|s| (*ch, Some(s.rendered.alert_id), group_payload(&s, now)))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        self.enqueue_all(rows, now).await
    }

    /// Queue a test message for channel `id`; returns the delivery's id.
    pub async fn test(&self, id: i64) -> Result<i64> {
        let ch = self.get(id).await?;
        let now = self.inner.clock.now_ms();
        let body = serde_json::json!({
            "type": "test",
            "at": rfc3339(now),
            "camera_id": null,
            "channel": ch.name,
            "message": "A test from Vigil: this channel works.",
        })
        .to_string();
        let d = self
            .inner
            .db
            .write(move |c| q::enqueue(c, id, None, true, &body, now))
            .await?;
        self.inner.wake.notify_one();
        Ok(d)
    }

    /// A channel's deliveries, newest first.
    pub async fn deliveries(
        &self,
        id: i64,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        self.get(id).await?;
        let limit = i64::from(limit.clamp(1, 500));
        let rows = (self.inner.db)
            .read(move |c| q::list_deliveries(c, id, before, limit))
            .await?;
        Ok(rows.into_iter().map(Delivery::from).collect())
    }

    /// Delete finished deliveries older than `days`.
    pub async fn prune(&self, days: u32) -> Result<usize> {
        let before = self.inner.clock.now_ms() - i64::from(days) * 86_400_000;
        self.inner
            .db
            .write(move |c| q::prune_deliveries(c, before))
            .await
    }

    /// Send what is due until `stop` resolves: the outbox worker.
    pub async fn run(&self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let wait = match self.send_due().await {
                Ok(w) => w,
                Err(e) => {
                    tracing::warn!(error = %e, "alert deliveries not sent; trying again");
                    Duration::from_secs(5)
                }
            };
            tokio::select! {
                _ = &mut stop => return,
                _ = self.inner.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Send every due delivery; returns how long to sleep before the next is due (at most 1 s,
    /// so a clock that moves is followed).
    async fn send_due(&self) -> Result<Duration> {
        self.send_groups().await?;
        let now = self.inner.clock.now_ms();
        // Due deliveries go out together (at most 64 at a time): a burst of alerts (a switch taking
        // a row of cameras offline) must not wait in line behind each other's round trips —
        // measured one at a time, 40 alerts to a webhook and a mail server took p95 1.7 s.
        let due = self.inner.db.read(move |c| q::due(c, now, 64)).await?;
        let mut sending = tokio::task::JoinSet::new();
        for d in due {
            let me = self.clone();
            sending.spawn(async move { me.attempt(d).await });
        }
        while let Some(r) = sending.join_next().await {
            r.map_err(|e| err!(Internal, "a delivery task failed: {e}"))??;
        }
        let next = self.inner.db.read(q::next_due_ms).await?;
        let now = self.inner.clock.now_ms();
        Ok(match next {
            Some(t) if t <= now => Duration::ZERO,
            Some(t) => Duration::from_millis(((t - now) as u64).min(1_000)),
            None => Duration::from_secs(1),
        })
    }

    async fn send_email(&self, ch: &ChannelRow, body: &str) -> std::result::Result<(), String> {
        let cfg: EmailConfig = serde_json::from_str(&ch.config_json).unwrap_or_default();
        let password = self.inner.creds.channel_secret(ch.id).ok().flatten();
        let payload: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let detection = payload["alert"]["details"]["detection_id"].as_i64();
        let source = match self.inner.snapshots.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let snapshot = match (detection, source) {
            (Some(id), Some(src)) => tokio::task::spawn_blocking(move || src(id))
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        let mail = email::render(&cfg, &payload, snapshot);
        email::send(&cfg, password.as_deref(), mail).await
    }

    async fn attempt(&self, d: DeliveryRow) -> Result<()> {
        let id = d.id;
        let ch = self
            .inner
            .db
            .read(move |c| q::get_channel(c, d.channel_id))
            .await?;
        let outcome = match &ch {
            None => Err("the channel was deleted".to_string()),
            Some(ch) if ch.kind == "email" => self.send_email(ch, &d.body).await,
            Some(ch) => {
                let cfg: WebhookConfig = serde_json::from_str(&ch.config_json).unwrap_or_default();
                let secret = self.inner.creds.channel_secret(ch.id).ok().flatten();
                webhook::send(&self.inner.http, &cfg.url, secret.as_deref(), id, &d.body).await
            }
        };
        let now = self.inner.clock.now_ms();
        let attempts = d.attempts + 1;
        let (state, next, error) = match &outcome {
            Ok(()) => ("sent", now, None),
            Err(e) if attempts >= MAX_ATTEMPTS => (
                "failed",
                now,
                Some(format!("gave up after {attempts} attempts: {e}")),
            ),
            Err(e) => {
                let backoff = (1_000i64 << (attempts - 1).min(20)).min(MAX_BACKOFF_MS);
                ("pending", now + backoff, Some(e.clone()))
            }
        };
        match (&outcome, state) {
            (Ok(()), _) => {
                tracing::info!(delivery = id, channel_id = d.channel_id, "alert delivered")
            }
            (Err(e), "failed") => {
                tracing::warn!(delivery = id, error = %e, "alert delivery given up")
            }
            (Err(e), _) => {
                tracing::info!(delivery = id, error = %e, attempts, "alert delivery failed; retrying")
            }
        }
        self.inner
            .db
            .write(move |c| q::record_attempt(c, id, state, next, error.as_deref(), now))
            .await
    }
}

#[cfg(test)]
mod tests;
