//! MQTT through a real broker on 127.0.0.1 (Debian's mosquitto, started here with a password
//! file): Home Assistant discovery as it expects it, availability, camera states, a command topic
//! switching recording off (applied and audited), discovery withdrawn when a camera goes, and the
//! last will `offline` when a `vigil serve` process is killed with SIGKILL. The broker password
//! goes through the credential store (`vigil mqtt-password`).

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use serde_json::{Value, json};
use support::TestServer;
use support::accounts::eventually;

struct Broker {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// mosquitto on a free port, with users `vigil` and `ha` (passwords below) and nobody else.
fn broker() -> Broker {
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("passwd");
    for (u, p) in [("vigil", "broker-pass-1"), ("ha", "broker-pass-2")] {
        let mut c = Command::new("mosquitto_passwd");
        if !pw.exists() {
            c.arg("-c");
        }
        let st = c
            .args(["-b"])
            .arg(&pw)
            .args([u, p])
            .status()
            .expect("mosquitto_passwd (Debian's mosquitto)");
        assert!(st.success());
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = dir.path().join("mosquitto.conf");
    std::fs::write(
        &conf,
        format!(
            "listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {}\npersistence false\n",
            pw.display()
        ),
    )
    .unwrap();
    let mut child = Command::new("mosquitto")
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mosquitto (Debian's mosquitto package; scripts/dev.sh setup)");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Broker {
                child,
                port,
                _dir: dir,
            };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("mosquitto did not listen");
}

type Seen = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A client (Home Assistant's side) that keeps the last message of every topic.
async fn watcher(port: u16) -> (AsyncClient, Seen) {
    let mut o = MqttOptions::new("ha-test", "127.0.0.1", port);
    o.set_credentials("ha", "broker-pass-2");
    let (client, mut ev) = AsyncClient::new(o, 100);
    client.subscribe("#", QoS::AtLeastOnce).await.unwrap();
    // Return only once the broker has the subscription: a message published before it would be
    // missed for good (CI once had the test's message out before this client had subscribed).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, ev.poll()).await {
            Ok(Ok(Event::Incoming(Packet::SubAck(_)))) => break,
            Ok(Ok(_)) => {}
            Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(_) => panic!("the watcher never subscribed at the broker"),
        }
    }
    let seen: Seen = Arc::default();
    let s = seen.clone();
    tokio::spawn(async move {
        loop {
            match ev.poll().await {
                Ok(Event::Incoming(Packet::Publish(p))) => {
                    s.lock()
                        .unwrap()
                        .insert(p.topic.clone(), p.payload.to_vec());
                }
                Ok(_) => {}
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    });
    (client, seen)
}

fn text(seen: &Seen, topic: &str) -> Option<String> {
    seen.lock()
        .unwrap()
        .get(topic)
        .map(|b| String::from_utf8_lossy(b).to_string())
}

fn mqtt_config(port: u16, prefix: &str) -> vigil_engine::mqtt::MqttConfig {
    vigil_engine::mqtt::MqttConfig {
        url: format!("mqtt://127.0.0.1:{port}"),
        topic_prefix: prefix.into(),
        username: Some("vigil".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn home_assistant_sees_cameras_and_switches_recording() {
    let b = broker();
    let (ha, seen) = watcher(b.port).await;
    let data = tempfile::tempdir().unwrap();
    vigil_engine::set_mqtt_password_offline(
        data.path(),
        vigil_engine::StoreChoice::File,
        Some("broker-pass-1"),
    )
    .unwrap();
    let port = b.port;
    let s = TestServer::start_in(data.path().to_path_buf(), move |st| {
        st.engine.mqtt = Some(mqtt_config(port, "vigil"));
    })
    .await;
    eventually(20, "vigil/available online", || async {
        (text(&seen, "vigil/available").as_deref() == Some("online")).then_some(())
    })
    .await;
    let (st, body) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Porch", "manufacturer": "Axis", "model": "P3245",
                   "enabled": false, "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["data"]["id"].as_i64().unwrap();
    let topic = format!("homeassistant/switch/vigil_{id}_recording/config");
    let cfg: Value = eventually(20, "the recording switch's discovery", || async {
        serde_json::from_str(&text(&seen, &topic)?).ok()
    })
    .await;
    assert_eq!(cfg["command_topic"], format!("vigil/{id}/recording/set"));
    assert_eq!(cfg["state_topic"], format!("vigil/{id}/recording"));
    assert_eq!(cfg["availability_topic"], "vigil/available");
    assert_eq!(cfg["unique_id"], format!("vigil_{id}_recording"));
    assert_eq!(cfg["device"]["name"], "Porch");
    assert_eq!(cfg["device"]["manufacturer"], "Axis");
    for (component, uid, key, value) in [
        ("binary_sensor", "online", "device_class", "connectivity"),
        (
            "binary_sensor",
            "person_occupancy",
            "device_class",
            "occupancy",
        ),
        (
            "sensor",
            "car_count",
            "state_topic",
            &*format!("vigil/{id}/car/count"),
        ),
        (
            "camera",
            "snapshot",
            "topic",
            &*format!("vigil/{id}/snapshot"),
        ),
        (
            "switch",
            "detection",
            "command_topic",
            &*format!("vigil/{id}/detection/set"),
        ),
    ] {
        let t = format!("homeassistant/{component}/vigil_{id}_{uid}/config");
        let v: Value = serde_json::from_str(&text(&seen, &t).unwrap_or_default())
            .unwrap_or_else(|_| panic!("no discovery at {t}"));
        assert_eq!(v[key], value, "{t}: {v}");
    }
    assert_eq!(
        text(&seen, &format!("vigil/{id}/recording")).as_deref(),
        Some("ON")
    );
    assert_eq!(
        text(&seen, &format!("vigil/{id}/online")).as_deref(),
        Some("OFF")
    );
    assert_eq!(
        text(&seen, &format!("vigil/{id}/person/count")).as_deref(),
        Some("0")
    );

    // Home Assistant switches recording off: applied, announced, audited.
    ha.publish(
        format!("vigil/{id}/recording/set"),
        QoS::AtLeastOnce,
        false,
        "OFF",
    )
    .await
    .unwrap();
    eventually(20, "recording off through MQTT", || async {
        let (_, c) = s.get(&format!("/api/v1/cameras/{id}")).await;
        (c["data"]["recording_enabled"] == false).then_some(())
    })
    .await;
    eventually(10, "the new state published", || async {
        (text(&seen, &format!("vigil/{id}/recording")).as_deref() == Some("OFF")).then_some(())
    })
    .await;
    let audit = eventually(10, "the change in the audit log", || async {
        let (_, a) = s.get("/api/v1/audit?action=camera_update").await;
        a["data"]["entries"]
            .as_array()?
            .iter()
            .find(|e| e["actor"] == "mqtt")
            .cloned()
    })
    .await;
    assert_eq!(audit["camera_id"], id);
    assert_eq!(audit["details"]["recording_enabled"], false);

    // A camera that goes takes its device with it (empty retained configs).
    assert_eq!(
        s.delete(&format!("/api/v1/cameras/{id}")).await.0,
        StatusCode::NO_CONTENT
    );
    eventually(10, "discovery withdrawn", || async {
        (text(&seen, &topic).as_deref() == Some("")).then_some(())
    })
    .await;
    s.stop().await;
    eventually(10, "offline after a clean stop", || async {
        (text(&seen, "vigil/available").as_deref() == Some("offline")).then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_broker_says_offline_when_vigil_is_killed() {
    let b = broker();
    let (_ha, seen) = watcher(b.port).await;
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("config.toml"),
        format!(
            "[mqtt]\nurl = \"mqtt://127.0.0.1:{}\"\ntopic_prefix = \"desk2\"\nusername = \"vigil\"\n",
            b.port
        ),
    )
    .unwrap();
    // The password through the command, into the credential store.
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["mqtt-password", "--password-stdin", "--data-dir"])
        .arg(data.path())
        .env("VIGIL_CREDENTIAL_STORE", "file")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"broker-pass-1\n")
        .unwrap();
    assert!(c.wait().unwrap().success());
    let config = std::fs::read_to_string(data.path().join("config.toml")).unwrap();
    assert!(!config.contains("broker-pass-1"), "never in config.toml");

    let mut vigil = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("VIGIL_CREDENTIAL_STORE", "file")
        .env("VIGIL_RTMP_LISTEN", "127.0.0.1:0")
        .env("VIGIL_DETECTION", "off")
        .env("VIGIL_NOTIFICATIONS", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(vigil.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    eventually(20, "desk2/available online", || async {
        (text(&seen, "desk2/available").as_deref() == Some("online")).then_some(())
    })
    .await;
    vigil.kill().unwrap(); // SIGKILL: no goodbye, only the broker's last will.
    vigil.wait().unwrap();
    eventually(20, "the last will: offline", || async {
        (text(&seen, "desk2/available").as_deref() == Some("offline")).then_some(())
    })
    .await;
}

async fn put(s: &TestServer, json: Value) -> (StatusCode, Value) {
    support::body(
        s.req(reqwest::Method::PUT, "/api/v1/notifications/mqtt")
            .json(&json)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_bridge_is_set_up_tested_and_changed_from_the_ui() {
    let b = broker();
    let (_ha, seen) = watcher(b.port).await;
    let s = TestServer::start().await;
    let url = format!("mqtt://127.0.0.1:{}", b.port);

    let (st, v) = s.get("/api/v1/notifications/mqtt").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["data"]["source"], "unset");
    assert_eq!(v["data"]["status"]["state"], "off");
    assert!(v["data"]["settings"].is_null());

    // Bad settings: every bad field named, nothing saved.
    let (st, v) = put(&s, json!({"url": "http://ha.local", "topic_prefix": "a/#"})).await;
    support::assert_error(st, &v, 400, "VALIDATION_FAILED");
    let fields = &v["error"]["details"]["fields"];
    assert!(
        fields["url"].is_string() && fields["topic_prefix"].is_string(),
        "{v}"
    );
    assert_eq!(
        s.get("/api/v1/notifications/mqtt").await.1["data"]["source"],
        "unset"
    );

    // "Send test" before saving: a wrong password, a closed port, then the right settings.
    let try_ = |body: Value| {
        let s = &s;
        async move {
            let (st, v) = s.post("/api/v1/notifications/mqtt/test", body).await;
            assert_eq!(st, StatusCode::OK, "{v}");
            v["data"].clone()
        }
    };
    let r =
        try_(json!({"url": url, "topic_prefix": "ui1", "username": "vigil", "password": "wrong"}))
            .await;
    assert_eq!(r["ok"], false, "{r}");
    assert!(r["message"].as_str().unwrap().contains("refused"), "{r}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = try_(json!({"url": format!("mqtt://127.0.0.1:{closed}")})).await;
    assert_eq!(r["ok"], false, "{r}");
    assert!(
        r["message"].as_str().unwrap().contains("nothing answers"),
        "{r}"
    );
    let r = try_(json!({"url": url, "topic_prefix": "ui1", "username": "vigil", "password": "broker-pass-1"})).await;
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["topic"], "ui1/test");
    let test_msg = eventually(10, "the test message at the broker", || async {
        text(&seen, "ui1/test")
    })
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&test_msg).unwrap()["type"],
        "test"
    );

    // Saved: the bridge connects and announces itself; the password went to the credential store.
    let (st, v) = put(
        &s,
        json!({"url": url, "topic_prefix": "ui1", "username": "vigil", "password": "broker-pass-1"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["data"]["source"], "ui");
    assert_eq!(v["data"]["password_set"], true);
    assert!(
        !v.to_string().contains("broker-pass-1"),
        "the password is write-only: {v}"
    );
    eventually(20, "ui1/available online", || async {
        (text(&seen, "ui1/available").as_deref() == Some("online")).then_some(())
    })
    .await;
    let v = eventually(20, "status connected", || async {
        let (_, v) = s.get("/api/v1/notifications/mqtt").await;
        (v["data"]["status"]["state"] == "connected").then_some(v)
    })
    .await;
    assert!(v["data"]["status"]["connected_since"].is_string(), "{v}");
    assert!(v["data"]["status"]["queued"].as_u64().unwrap() > 0, "{v}");

    // A new prefix without a password field keeps the stored password: the old bridge says
    // offline as it leaves, the new one online.
    let (st, v) = put(
        &s,
        json!({"url": url, "topic_prefix": "ui2", "username": "vigil"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    eventually(20, "ui1 offline, ui2 online", || async {
        (text(&seen, "ui1/available").as_deref() == Some("offline")
            && text(&seen, "ui2/available").as_deref() == Some("online"))
        .then_some(())
    })
    .await;

    // Turned off: offline, and the status says so.
    let (st, _) = put(
        &s,
        json!({"url": url, "topic_prefix": "ui2", "username": "vigil", "enabled": false}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    eventually(20, "ui2 offline and the bridge off", || async {
        let (_, v) = s.get("/api/v1/notifications/mqtt").await;
        (text(&seen, "ui2/available").as_deref() == Some("offline")
            && v["data"]["status"]["state"] == "off")
            .then_some(())
    })
    .await;

    // Audited without the password; the database never saw it.
    let a = eventually(10, "three MQTT changes in the audit log", || async {
        let (_, a) = s
            .get("/api/v1/audit?action=settings_change&limit=100")
            .await;
        let n = (a["data"]["entries"].as_array()?.iter())
            .filter(|e| e["target"] == "mqtt")
            .count();
        (n == 3).then_some(a)
    })
    .await;
    assert!(!a.to_string().contains("broker-pass-1"));
    let data_dir = s.running.as_ref().unwrap().engine.config().data_dir.clone();
    for f in ["vigil.db", "vigil.db-wal"] {
        if let Ok(bytes) = std::fs::read(data_dir.join(f)) {
            assert!(
                !bytes.windows(13).any(|w| w == b"broker-pass-1"),
                "{f} holds the broker password"
            );
        }
    }
    s.stop().await;

    // Set in config.toml: shown, not changed here.
    let port = b.port;
    let s = TestServer::start_with(|st| st.engine.mqtt = Some(mqtt_config(port, "file1"))).await;
    let (_, v) = s.get("/api/v1/notifications/mqtt").await;
    assert_eq!(v["data"]["source"], "config_file", "{v}");
    assert_eq!(v["data"]["settings"]["topic_prefix"], "file1");
    let (st, v) = put(&s, json!({"url": url})).await;
    support::assert_error(st, &v, 409, "SETTINGS_IN_CONFIG_FILE");
    s.stop().await;
}
