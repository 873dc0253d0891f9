//! Alert channels through the real server against a real webhook receiver on 127.0.0.1 (an HTTP
//! server started here) that fails its first deliveries and checks every signature: "send test"
//! retried until delivered with each attempt recorded, a real alert (a camera that goes offline)
//! delivered as the events socket's `alert` message, a delivery pending at shutdown sent after the
//! restart (the outbox), and the routing rules saved and checked.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as HookStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::TestServer;
use support::accounts::eventually;

const SECRET: &str = "a-signing-key-for-tests";

/// The receiver: answers 500 while `failing` is above zero (counting down), else 204; keeps every
/// body whose signature was right, and counts those whose was not.
#[derive(Default)]
struct Hook {
    failing: AtomicUsize,
    bodies: Mutex<Vec<Value>>,
    bad_signatures: AtomicUsize,
    attempts: AtomicUsize,
}

async fn receive(State(h): State<Arc<Hook>>, headers: HeaderMap, body: String) -> HookStatus {
    h.attempts.fetch_add(1, Ordering::SeqCst);
    let sig = headers
        .get("x-vigil-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if sig != vigil_engine::channels::webhook::signature(SECRET, body.as_bytes()) {
        h.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return HookStatus::UNAUTHORIZED;
    }
    if h.failing
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return HookStatus::INTERNAL_SERVER_ERROR;
    }
    h.bodies
        .lock()
        .unwrap()
        .push(serde_json::from_str(&body).unwrap());
    HookStatus::NO_CONTENT
}

async fn start_hook(failing: usize) -> (String, Arc<Hook>) {
    let hook = Arc::new(Hook::default());
    hook.failing.store(failing, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(hook.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, hook)
}

async fn deliveries(s: &TestServer, ch: i64) -> Vec<Value> {
    let (st, b) = s
        .get(&format!("/api/v1/notifications/channels/{ch}/deliveries"))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    b["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn webhooks_are_signed_retried_recorded_and_survive_a_restart() {
    let (url, hook) = start_hook(2).await;
    let s = TestServer::start_with(|st| st.engine.offline_alert_seconds = 1).await;
    // Bad input names its fields.
    let (st, b) = s
        .post(
            "/api/v1/notifications/channels",
            json!({"kind": "webhook", "name": " ", "url": "ftp://x", "secret": "short"}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    for f in ["name", "url", "secret"] {
        assert!(b["error"]["details"]["fields"][f].is_string(), "{f}: {b}");
    }
    let (st, b) = s
        .post(
            "/api/v1/notifications/channels",
            json!({"kind": "webhook", "name": "Guard's phone", "url": url, "secret": SECRET}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let ch = b["data"]["channel"]["id"].as_i64().unwrap();
    assert_eq!(b["data"]["channel"]["has_secret"], true);
    assert!(
        b["data"]["secret"].is_null(),
        "a given secret is not echoed"
    );
    // Without a secret, Vigil makes one and shows it once.
    let (_, b) = s
        .post(
            "/api/v1/notifications/channels",
            json!({"kind": "webhook", "name": "spare", "url": url, "enabled": false}),
        )
        .await;
    assert_eq!(b["data"]["secret"].as_str().unwrap().len(), 48);
    let (_, b) = s.get("/api/v1/notifications/channels").await;
    assert!(!b.to_string().contains(SECRET), "secrets never listed");

    // "Send test": two failures, then delivered; every attempt recorded.
    let (st, b) = s
        .post(
            &format!("/api/v1/notifications/channels/{ch}/test"),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let d = eventually(30, "the test delivered after two failures", || async {
        let all = deliveries(&s, ch).await;
        (all[0]["state"] == "sent").then(|| all[0].clone())
    })
    .await;
    assert_eq!(d["attempts"], 3, "{d}");
    assert_eq!(d["test"], true);
    assert!(d["last_error"].as_str().unwrap().contains("500"), "{d}");
    assert_eq!(hook.bodies.lock().unwrap()[0]["type"], "test");

    // A real alert: a camera nobody answers for goes offline.
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Loading dock", "source": {"kind": "rtsp", "url": "rtsp://127.0.0.1:1/none"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let cam = b["data"]["id"].as_i64().unwrap();
    let alert = eventually(60, "the offline alert at the webhook", || async {
        let bodies = hook.bodies.lock().unwrap().clone();
        bodies.into_iter().find(|b| b["type"] == "alert")
    })
    .await;
    assert_eq!(alert["camera_id"], cam);
    assert_eq!(alert["alert"]["type"], "camera_offline", "{alert}");
    assert_eq!(alert["camera_name"], "Loading dock");
    let all = deliveries(&s, ch).await;
    assert!(
        all.iter()
            .any(|d| d["alert_id"] == alert["alert"]["id"] && d["state"] == "sent")
    );
    // Every request carried the right signature (the disabled channel, signing with its own
    // key, got nothing: a delivery from it would have counted here).
    assert_eq!(hook.bad_signatures.load(Ordering::SeqCst), 0);
    s.post(&format!("/api/v1/cameras/{cam}/stop"), json!({}))
        .await;

    // The receiver goes down: a test queued now is pending at shutdown, and sent after the
    // restart once the receiver answers again.
    hook.failing.store(usize::MAX, Ordering::SeqCst);
    let (_, b) = s
        .post(
            &format!("/api/v1/notifications/channels/{ch}/test"),
            json!({}),
        )
        .await;
    let pending = b["data"]["delivery_id"].as_i64().unwrap();
    eventually(10, "a failed attempt", || async {
        let all = deliveries(&s, ch).await;
        let d = all.iter().find(|d| d["id"] == pending)?;
        (d["attempts"].as_i64()? >= 1 && d["state"] == "pending").then_some(())
    })
    .await;
    let mut s = s;
    let data = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    s.stop().await;
    hook.failing.store(0, Ordering::SeqCst);
    let s = TestServer::start_in(data.path().to_path_buf(), |_| {}).await;
    eventually(
        30,
        "the pending delivery sent after the restart",
        || async {
            let all = deliveries(&s, ch).await;
            let d = all.iter().find(|d| d["id"] == pending)?;
            (d["state"] == "sent").then_some(())
        },
    )
    .await;

    // Rules: saved and read back; a bad one names its field.
    let rules = json!([{"channels": [ch], "types": ["detection"], "labels": ["person"],
        "min_severity": "info", "schedule": [{"days": ["sat", "sun"], "start": "22:00", "end": "06:00"}]}]);
    let (st, b) = body_put(&s, "/api/v1/notifications/rules", &rules).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (_, b) = s.get("/api/v1/notifications/rules").await;
    assert_eq!(b["data"][0]["schedule"][0]["start"], "22:00");
    let (st, b) = body_put(
        &s,
        "/api/v1/notifications/rules",
        &json!([{"channels": [ch], "schedule": [{"start": "7", "end": "08:00"}]}]),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        b["error"]["details"]["fields"]["rules[0].schedule[0].start"].is_string(),
        "{b}"
    );
    // A channel that does not exist is not found, like any id naming nothing.
    let (st, b) = body_put(
        &s,
        "/api/v1/notifications/rules",
        &json!([{"channels": [999]}]),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
    assert_eq!(
        s.delete(&format!("/api/v1/notifications/channels/{ch}"))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (st, _) = s
        .get(&format!("/api/v1/notifications/channels/{ch}/deliveries"))
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    s.stop().await;
    drop(data);
}

async fn body_put(s: &TestServer, path: &str, v: &Value) -> (StatusCode, Value) {
    support::body(
        s.req(reqwest::Method::PUT, path)
            .json(v)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// An email channel made through the API reaches a real SMTP server (aiosmtpd on 127.0.0.1),
/// authenticated with the password the credential store keeps (never shown again).
#[tokio::test]
async fn an_email_channel_sends_through_a_real_smtp_server() {
    use std::io::BufRead;
    let out = tempfile::tempdir().unwrap();
    let mut smtp = std::process::Command::new("/usr/bin/python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/support/smtp_server.py"
        ))
        .arg(out.path())
        .args(["desk", "smtp-pass-456"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd");
    let mut line = String::new();
    std::io::BufReader::new(smtp.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().strip_prefix("READY ").unwrap().parse().unwrap();

    let s = TestServer::start().await;
    let (st, b) = s
        .post(
            "/api/v1/notifications/channels",
            json!({"kind": "email", "name": "Night shift", "host": "127.0.0.1", "port": port,
                   "security": "none", "username": "desk", "password": "smtp-pass-456",
                   "from": "vigil@desk.example", "to": ["not an address"]}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(b["error"]["details"]["fields"]["to"].is_string(), "{b}");
    let (st, b) = s
        .post(
            "/api/v1/notifications/channels",
            json!({"kind": "email", "name": "Night shift", "host": "127.0.0.1", "port": port,
                   "security": "none", "username": "desk", "password": "smtp-pass-456",
                   "from": "vigil@desk.example", "to": ["guard@example.org"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let ch = &b["data"]["channel"];
    assert_eq!(ch["kind"], "email");
    assert_eq!(ch["email"]["port"], port);
    assert_eq!(ch["has_secret"], true);
    assert!(
        !b.to_string().contains("smtp-pass-456"),
        "the password is never answered"
    );
    let id = ch["id"].as_i64().unwrap();
    s.post(
        &format!("/api/v1/notifications/channels/{id}/test"),
        json!({}),
    )
    .await;
    eventually(20, "the test mail delivered", || async {
        let all = deliveries(&s, id).await;
        (all.first()?["state"] == "sent").then_some(())
    })
    .await;
    let eml = std::fs::read_to_string(out.path().join("0.eml")).unwrap();
    assert!(eml.contains("Subject: [Vigil] Test message"), "{eml}");
    let _ = smtp.kill();
    let _ = smtp.wait();
    s.stop().await;
}
