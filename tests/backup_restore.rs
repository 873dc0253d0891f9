//! Backups of the database through the `vigil` process: `vigil backup` while a server runs (its
//! snapshot checked), `vigil restore` refused while it runs and working once it stopped (the
//! database before kept aside, the server starting on the snapshot's content), and a database
//! damaged on disk set aside at start-up with the newest nightly snapshot restored in its place
//! and announced: a `database_restored` alert, delivered to a webhook receiver started here.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

/// A webhook receiver on 127.0.0.1 keeping every body (signatures are api_channels.rs's test).
async fn start_hook() -> (String, Arc<Mutex<Vec<Value>>>) {
    let bodies: Arc<Mutex<Vec<Value>>> = Arc::default();
    let keep = bodies.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let keep = keep.clone();
            async move {
                keep.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap());
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, bodies)
}

const TOKEN: &str = "backup-test-token-0123456789abcdef";

struct Server {
    child: Child,
    url: String,
}

fn serve(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("VIGIL_TOKEN", TOKEN)
        .env("VIGIL_CREDENTIAL_STORE", "file")
        .env("VIGIL_RTMP_LISTEN", "127.0.0.1:0")
        .env("VIGIL_DETECTION", "off")
        .env("VIGIL_NOTIFICATIONS", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn vigil");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    Server { child, url }
}

fn stop(mut s: Server) {
    Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    for _ in 0..80 {
        if s.child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("vigil did not stop within 20 s");
}

fn vigil(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .output()
        .unwrap()
}

async fn cameras(url: &str) -> Vec<String> {
    let b: Value = reqwest::Client::new()
        .get(format!("{url}/api/v1/cameras"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut names: Vec<String> = (b["data"].as_array().unwrap().iter())
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

async fn add_camera(url: &str, name: &str) {
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/cameras"))
        .bearer_auth(TOKEN)
        .json(&json!({"name": name, "enabled": false, "source": {"kind": "rtmp_push"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn backup_while_running_restore_when_stopped_and_a_damaged_database_recovered() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let s = serve(&dir);
    add_camera(&s.url, "Gate").await;

    // A backup while the server runs.
    let snap = tmp.path().join("gate-only.db");
    let out = vigil(&["backup", snap.to_str().unwrap()], &dir);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("backed up 1 cameras"), "{said}");
    let again = vigil(&["backup", snap.to_str().unwrap()], &dir);
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );

    add_camera(&s.url, "Yard").await;
    // Restoring under a running server is refused, and changes nothing.
    let out = vigil(&["restore", snap.to_str().unwrap()], &dir);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("stop it first"),
        "{out:?}"
    );
    assert_eq!(cameras(&s.url).await, ["Gate", "Yard"]);
    stop(s);

    // A file that is not a database is refused before anything is touched.
    let junk = tmp.path().join("junk.db");
    std::fs::write(&junk, vec![3u8; 8192]).unwrap();
    let out = vigil(&["restore", junk.to_str().unwrap()], &dir);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("damaged or not a database"),
        "{out:?}"
    );

    let out = vigil(&["restore", snap.to_str().unwrap()], &dir);
    assert!(out.status.success(), "{out:?}");
    let kept = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("vigil.db.before-restore-")
        })
        .count();
    assert_eq!(kept, 1, "the database before is kept aside");
    let s = serve(&dir);
    assert_eq!(cameras(&s.url).await, ["Gate"]);
    add_camera(&s.url, "Dock").await;
    let (hook_url, hook) = start_hook().await;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/notifications/channels", s.url))
        .bearer_auth(TOKEN)
        .json(&json!({"kind": "webhook", "name": "Guard phone", "url": hook_url, "secret": "a-signing-key-for-tests"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    stop(s);

    // A nightly snapshot in DATA_DIR/backups, then the database is damaged on disk: start-up
    // keeps it aside and restores the snapshot.
    let nightly = dir.join("backups").join("vigil-20261201-030000.db");
    let out = vigil(&["backup", nightly.to_str().unwrap()], &dir);
    assert!(out.status.success(), "{out:?}");
    let db = dir.join("vigil.db");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..16].copy_from_slice(b"\0damaged header\0");
    std::fs::write(&db, bytes).unwrap();
    let s = serve(&dir);
    assert_eq!(cameras(&s.url).await, ["Dock", "Gate"]);
    let audit: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/audit?action=database_restored", s.url))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = audit["data"]["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["actor"] == "system"
            && e["target"]
                .as_str()
                .unwrap()
                .ends_with("vigil-20261201-030000.db")),
        "{audit}"
    );
    // Announced: an alert on the desk, and through the channels the snapshot knew.
    let alerts: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/alerts", s.url))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let restored: Vec<&Value> = alerts["data"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "database_restored")
        .collect();
    assert_eq!(restored.len(), 1, "{alerts}");
    assert_eq!(restored[0]["severity"], "critical");
    let message = restored[0]["message"].as_str().unwrap();
    assert!(
        message.contains("vigil-20261201-030000.db") && message.contains("vigil.db.corrupt-"),
        "{message}"
    );
    let mut delivered = None;
    for _ in 0..100 {
        delivered = hook
            .lock()
            .unwrap()
            .iter()
            .find(|b| b["alert"]["type"] == "database_restored")
            .cloned();
        if delivered.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = delivered.expect("the alert reaches the webhook");
    assert_eq!(delivered["type"], "alert", "{delivered}");
    stop(s);
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("vigil.db.corrupt-")
        })
        .count();
    assert_eq!(aside, 1, "the damaged database is kept aside");
}
