//! Email deliveries over SMTP (lettre): STARTTLS (port 587, the default), implicit TLS (465) or
//! plain (a relay on the LAN), with a user name and the password from the credential store. Each
//! alert is one message: a subject naming the camera and what happened, the alert's words, a link
//! to that moment on the timeline (when Vigil's address is set), and the detection's snapshot
//! attached when there is one.

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Upgrade a plain connection (port 587); refused if the server cannot.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption (a relay on the LAN or on this machine).
    None,
}

/// An email channel's settings (the password is in the credential store).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub from: String,
    pub to: Vec<String>,
    /// Vigil's address as people reach it (`https://nvr.example:7878`), for links to the timeline.
    pub link_base: Option<String>,
}

/// What one message says.
pub struct Mail {
    pub subject: String,
    pub text: String,
    /// A JPEG to attach.
    pub snapshot: Option<Vec<u8>>,
}

/// Render an alert's events-socket message as a mail.
pub fn render(cfg: &EmailConfig, payload: &serde_json::Value, snapshot: Option<Vec<u8>>) -> Mail {
    if payload["type"] == "alert_group" {
        return Mail {
            subject: format!("[Vigil] {}", payload["title"].as_str().unwrap_or("alerts")),
            text: format!("{}\n", payload["message"].as_str().unwrap_or_default()),
            snapshot: None,
        };
    }
    if payload["type"] == "test" {
        return Mail {
            subject: "[Vigil] Test message".into(),
            text: "A test from Vigil: this email channel works.\n".into(),
            snapshot: None,
        };
    }
    let alert = &payload["alert"];
    let camera = payload["camera_name"].as_str();
    let message = alert["message"].as_str().unwrap_or("An alert");
    let kind = alert["type"].as_str().unwrap_or("alert").replace('_', " ");
    let severity = alert["severity"].as_str().unwrap_or("warning");
    let at = payload["at"].as_str().unwrap_or_default();
    let subject = match camera {
        Some(c) => format!("[Vigil] {c}: {kind}"),
        None => format!("[Vigil] {kind}"),
    };
    let mut text = format!("{message}\n\nSeverity: {severity}\nWhen: {at} (UTC)\n");
    if let Some(c) = camera {
        text.push_str(&format!("Camera: {c}\n"));
    }
    if let (Some(base), Some(cam), Some(ms)) = (
        cfg.link_base.as_deref(),
        payload["camera_id"].as_i64(),
        vigil_base::parse_instant_ms(at),
    ) {
        text.push_str(&format!(
            "\nSee it on the timeline: {}/#/timeline?camera={cam}&at={ms}\n",
            base.trim_end_matches('/')
        ));
    }
    Mail {
        subject,
        text,
        snapshot,
    }
}

fn mailbox(s: &str) -> Result<Mailbox, String> {
    s.parse()
        .map_err(|e| format!("{s:?} is not an email address: {e}"))
}

/// Send `mail` through the channel's server. `Err` says why (for the delivery's record).
pub async fn send(cfg: &EmailConfig, password: Option<&str>, mail: Mail) -> Result<(), String> {
    let mut b = Message::builder()
        .from(mailbox(&cfg.from)?)
        .subject(mail.subject);
    for to in &cfg.to {
        b = b.to(mailbox(to)?);
    }
    let text = SinglePart::plain(mail.text);
    let msg = match mail.snapshot {
        Some(jpeg) => b.multipart(MultiPart::mixed().singlepart(text).singlepart(
            Attachment::new("snapshot.jpg".into()).body(
                jpeg,
                ContentType::parse("image/jpeg").map_err(|e| e.to_string())?,
            ),
        )),
        None => b.singlepart(text),
    }
    .map_err(|e| format!("building the message: {e}"))?;
    let tls = || TlsParameters::new(cfg.host.clone()).map_err(|e| format!("TLS settings: {e}"));
    let mut t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
        .port(cfg.port)
        .timeout(Some(std::time::Duration::from_secs(15)));
    t = match cfg.security {
        SmtpSecurity::Starttls => t.tls(Tls::Required(tls()?)),
        SmtpSecurity::Tls => t.tls(Tls::Wrapper(tls()?)),
        SmtpSecurity::None => t.tls(Tls::None),
    };
    if let (Some(u), Some(p)) = (&cfg.username, password) {
        t = t.credentials(Credentials::new(u.clone(), p.to_string()));
    }
    t.build()
        .send(msg)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP {}:{}: {e}", cfg.host, cfg.port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_mail_names_the_camera_and_links_to_the_moment() {
        let cfg = EmailConfig {
            link_base: Some("https://nvr.example:7878/".into()),
            ..Default::default()
        };
        let payload = serde_json::json!({
            "type": "alert", "camera_id": 3, "at": "2026-12-04T03:12:00.000Z",
            "camera_name": "Gate",
            "alert": {"type": "detection", "severity": "warning", "message": "person in Gate"}
        });
        let m = render(&cfg, &payload, Some(vec![0xff, 0xd8]));
        assert_eq!(m.subject, "[Vigil] Gate: detection");
        assert!(m.text.starts_with("person in Gate\n"), "{}", m.text);
        assert!(
            m.text
                .contains("https://nvr.example:7878/#/timeline?camera=3&at=1796353920000"),
            "{}",
            m.text
        );
        assert!(m.snapshot.is_some());
    }
}
