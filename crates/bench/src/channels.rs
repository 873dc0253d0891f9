//! `channels`: the time from an alert to its delivery through each alert channel, against real
//! receivers on 127.0.0.1 — a webhook server (axum, in this process), an SMTP server (aiosmtpd,
//! `tests/support/smtp_server.py`) and an MQTT broker (mosquitto) with a subscriber (rumqttc) on
//! `vigil/events`. N cameras (default 40) point at a port nobody listens on; each raises
//! `camera_offline` (after `offline_alert_seconds = 1`), which the default rules send everywhere.
//! The latency of a delivery is the receiver's clock at arrival minus the alert's `created_at`
//! (one machine, one clock). Target: p95 ≤ 1 s per channel.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::{Vigil, root};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Arrival times (epoch ms) by a key (alert id, or camera name for mail).
type Arrivals = Arc<Mutex<HashMap<String, i64>>>;

async fn webhook_server(arrivals: Arrivals) -> Result<String> {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let a = arrivals.clone();
            async move {
                let at = now_ms();
                if let Ok(v) = serde_json::from_str::<Value>(&body)
                    && let Some(id) = v["alert"]["id"].as_i64()
                {
                    a.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(id.to_string(), at);
                }
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", l.local_addr()?);
    tokio::spawn(async move { axum::serve(l, app).await });
    Ok(url)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn percentile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return -1;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

pub async fn run(cameras: usize) -> Result<()> {
    // MQTT broker.
    let mqtt_port = free_port()?;
    let conf = tempfile::NamedTempFile::new()?;
    std::fs::write(
        conf.path(),
        format!("listener {mqtt_port} 127.0.0.1\nallow_anonymous true\npersistence false\n"),
    )?;
    let mut broker = Command::new("mosquitto")
        .arg("-c")
        .arg(conf.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("mosquitto (scripts/dev.sh setup installs it)")?;
    // SMTP server: mails land in a directory; a thread notes when each appears.
    let mail_dir = tempfile::tempdir()?;
    let mut smtp = Command::new("/usr/bin/python3")
        .arg(root().join("tests/support/smtp_server.py"))
        .arg(mail_dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("python3 with aiosmtpd")?;
    let mut line = String::new();
    BufReader::new(smtp.stdout.take().context("stdout")?).read_line(&mut line)?;
    let smtp_port: u16 = line
        .trim()
        .strip_prefix("READY ")
        .context("smtp ready")?
        .parse()?;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", mqtt_port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    let (hooks, mails, mqtts): (Arrivals, Arrivals, Arrivals) = Default::default();
    let hook_url = webhook_server(hooks.clone()).await?;
    {
        let mails = mails.clone();
        let dir = mail_dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut seen = std::collections::HashSet::new();
            loop {
                for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.extension().is_some_and(|x| x == "eml") && seen.insert(p.clone()) {
                        let at = now_ms();
                        let text = std::fs::read_to_string(&p).unwrap_or_default();
                        if let Some(s) = text
                            .lines()
                            .find_map(|l| l.strip_prefix("Subject: [Vigil] "))
                        {
                            let cam = s.split(':').next().unwrap_or_default().to_string();
                            mails
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .insert(cam, at);
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
    }
    {
        let mut o = rumqttc::MqttOptions::new("bench-sub", "127.0.0.1", mqtt_port);
        o.set_keep_alive(Duration::from_secs(30));
        let (client, mut ev) = rumqttc::AsyncClient::new(o, 100);
        client
            .subscribe("vigil/events", rumqttc::QoS::AtLeastOnce)
            .await?;
        let mqtts = mqtts.clone();
        tokio::spawn(async move {
            let _keep = client;
            loop {
                match ev.poll().await {
                    Ok(rumqttc::Event::Incoming(rumqttc::Packet::Publish(p))) => {
                        let at = now_ms();
                        if let Ok(v) = serde_json::from_slice::<Value>(&p.payload)
                            && let Some(id) = v["alert_id"].as_i64()
                        {
                            mqtts
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .insert(id.to_string(), at);
                        }
                    }
                    Ok(_) => {}
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
    }

    let v = Vigil::start_env(
        &format!(
            "offline_alert_seconds = 1\nnotify_cooldown_seconds = 0\n[mqtt]\nurl = \"mqtt://127.0.0.1:{mqtt_port}\"\n"
        ),
        &[
            ("VIGIL_DETECTION", "off"),
            ("VIGIL_NOTIFICATIONS", "off"),
            ("VIGIL_MAX_CONCURRENT", "256"),
        ],
    )?;
    v.call(
        reqwest::Method::POST,
        "/api/v1/notifications/channels",
        Some(json!({"kind": "webhook", "name": "bench hook", "url": hook_url, "secret": "bench-secret-1"})),
    )
    .await?;
    v.call(
        reqwest::Method::POST,
        "/api/v1/notifications/channels",
        Some(json!({"kind": "email", "name": "bench mail", "host": "127.0.0.1", "port": smtp_port,
                    "security": "none", "from": "vigil@bench.example", "to": ["desk@bench.example"]})),
    )
    .await?;
    eprintln!(
        "== {cameras} cameras going offline: one alert each through the webhook, email and MQTT"
    );
    let dead = free_port()?;
    for i in 0..cameras {
        v.call(
            reqwest::Method::POST,
            "/api/v1/cameras",
            Some(json!({"name": format!("cam{i}"), "source": {"kind": "rtsp", "url": format!("rtsp://127.0.0.1:{dead}/x{i}")}})),
        )
        .await?;
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    let alerts: Vec<Value> = loop {
        let a = v
            .call(
                reqwest::Method::GET,
                "/api/v1/alerts?type=camera_offline&limit=1000",
                None,
            )
            .await?;
        let items = a["data"]["alerts"].as_array().cloned().unwrap_or_default();
        let n = |m: &Arrivals| m.lock().unwrap_or_else(|p| p.into_inner()).len();
        if items.len() >= cameras
            && n(&hooks) >= cameras
            && n(&mails) >= cameras
            && n(&mqtts) >= cameras
        {
            break items;
        }
        if Instant::now() > deadline {
            bail!(
                "after 90 s: {} alerts, {} webhooks, {} mails, {} MQTT messages",
                items.len(),
                n(&hooks),
                n(&mails),
                n(&mqtts)
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let cams = v
        .call(reqwest::Method::GET, "/api/v1/cameras", None)
        .await?;
    let names: HashMap<i64, String> = (cams["data"].as_array().cloned().unwrap_or_default().iter())
        .filter_map(|c| Some((c["id"].as_i64()?, c["name"].as_str()?.to_string())))
        .collect();
    let mut lat: HashMap<&str, Vec<i64>> = HashMap::new();
    for a in &alerts {
        let (Some(id), Some(created)) = (
            a["id"].as_i64(),
            a["created_at"]
                .as_str()
                .and_then(vigil_base::parse_instant_ms),
        ) else {
            continue;
        };
        let cam = (a["camera_id"].as_i64())
            .and_then(|c| names.get(&c).cloned())
            .unwrap_or_default();
        let get =
            |m: &Arrivals, k: &str| m.lock().unwrap_or_else(|p| p.into_inner()).get(k).copied();
        for (name, at) in [
            ("webhook", get(&hooks, &id.to_string())),
            ("email (SMTP accepted)", get(&mails, &cam)),
            ("MQTT", get(&mqtts, &id.to_string())),
        ] {
            if let Some(t) = at {
                lat.entry(name).or_default().push(t - created);
            }
        }
    }
    println!();
    println!(
        "alert → delivered, {} camera_offline alerts, receivers on 127.0.0.1",
        alerts.len()
    );
    println!("  | channel | deliveries | p50 | p95 | max |");
    println!("  |---|---|---|---|---|");
    for name in ["webhook", "email (SMTP accepted)", "MQTT"] {
        let mut v = lat.remove(name).unwrap_or_default();
        v.sort_unstable();
        println!(
            "  | {name} | {} | {} ms | {} ms | {} ms |",
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.95),
            v.last().copied().unwrap_or(-1)
        );
    }
    let _ = broker.kill();
    let _ = broker.wait();
    let _ = smtp.kill();
    let _ = smtp.wait();
    Ok(())
}
