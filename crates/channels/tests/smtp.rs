//! The email channel against a real SMTP server on 127.0.0.1 (aiosmtpd, started here): a message
//! with its snapshot attached and its timeline link arrives, authenticated with the password; a
//! wrong password and a server without STARTTLS (when it is required) fail with the reason.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use vigil_channels::email::{self, EmailConfig, Mail, SmtpSecurity};

struct Smtp {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn smtp(out: &Path, auth: Option<(&str, &str)>) -> Smtp {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/support/smtp_server.py");
    let mut c = Command::new("/usr/bin/python3");
    c.arg(script).arg(out);
    if let Some((u, p)) = auth {
        c.args([u, p]);
    }
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd (Debian's python3-aiosmtpd; scripts/dev.sh setup)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("smtp_server.py said {line:?}"))
        .parse()
        .unwrap();
    Smtp {
        child,
        port,
        out: out.to_path_buf(),
    }
}

fn config(port: u16, security: SmtpSecurity) -> EmailConfig {
    EmailConfig {
        host: "127.0.0.1".into(),
        port,
        security,
        username: Some("vigil".into()),
        from: "Vigil <vigil@desk.example>".into(),
        to: vec!["guard@example.org".into(), "boss@example.org".into()],
        link_base: Some("https://nvr.example:7878".into()),
    }
}

#[tokio::test]
async fn an_alert_mail_arrives_with_its_snapshot_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let s = smtp(dir.path(), Some(("vigil", "mail-pass-123")));
    let cfg = config(s.port, SmtpSecurity::None);
    let payload = serde_json::json!({
        "type": "alert", "camera_id": 3, "at": "2026-12-04T03:12:00.000Z", "camera_name": "Gate",
        "alert": {"type": "detection", "severity": "warning", "message": "A person at Gate",
                  "details": {"detection_id": 9}}
    });
    let jpeg: Vec<u8> = [0xff, 0xd8, 0xff, 0xe0]
        .iter()
        .copied()
        .cycle()
        .take(3000)
        .collect();
    let mail = email::render(&cfg, &payload, Some(jpeg.clone()));
    email::send(&cfg, Some("mail-pass-123"), mail)
        .await
        .unwrap();
    let eml = std::fs::read_to_string(s.out.join("0.eml")).unwrap();
    assert!(eml.contains("Subject: [Vigil] Gate: detection"), "{eml}");
    assert!(eml.contains("A person at Gate"));
    // The text part may be quoted-printable: soft line breaks and `=3D` for `=`.
    let text = eml
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(
        text.contains("https://nvr.example:7878/#/timeline?camera=3&at=1796353920000"),
        "{eml}"
    );
    assert!(eml.contains("filename=\"snapshot.jpg\""), "{eml}");
    assert!(eml.contains("Content-Type: image/jpeg"));
    let rcpt = std::fs::read_to_string(s.out.join("0.rcpt")).unwrap();
    assert_eq!(rcpt, "guard@example.org,boss@example.org");

    // A wrong password is refused, saying so.
    let m = Mail {
        subject: "x".into(),
        text: "x".into(),
        snapshot: None,
    };
    let e = email::send(&cfg, Some("wrong"), m).await.unwrap_err();
    assert!(e.contains("127.0.0.1"), "{e}");
    // STARTTLS required against a server that has none: refused before any password is sent.
    let m = Mail {
        subject: "x".into(),
        text: "x".into(),
        snapshot: None,
    };
    let e = email::send(
        &config(s.port, SmtpSecurity::Starttls),
        Some("mail-pass-123"),
        m,
    )
    .await
    .unwrap_err();
    assert!(e.to_lowercase().contains("tls"), "{e}");
    assert!(!s.out.join("1.eml").exists());
}
