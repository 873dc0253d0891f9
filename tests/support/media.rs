//! Test media: clips made with the ffmpeg CLI, a real GStreamer RTSP server serving them, ffprobe,
//! and a watcher of the events WebSocket that tests await instead of sleeping.
#![allow(dead_code, unused_imports, clippy::unwrap_used)] // shared by several test binaries; each uses a part

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::Notify;

use vigil_testkit::{ClipSpec, VideoCodec};
pub use vigil_testkit::{ffprobe_codec, ffprobe_frames};

/// A 640x360 H.264 clip with B-frames (x264's defaults), as some cameras send.
pub fn make_clip_with_b_frames(dir: &Path, name: &str, secs: u32) -> PathBuf {
    let spec = ClipSpec {
        width: 640,
        height: 360,
        secs: secs as f32,
        b_frames: true,
        ..Default::default()
    };
    vigil_testkit::make_clip(dir, name, &spec)
}

/// A 640x360 H.264 (or H.265 with `hevc`) clip with a keyframe every second, no B-frames.
pub fn make_clip(dir: &Path, name: &str, secs: u32, hevc: bool) -> PathBuf {
    let codec = if hevc {
        VideoCodec::H265
    } else {
        VideoCodec::H264
    };
    let spec = ClipSpec {
        width: 640,
        height: 360,
        secs: secs as f32,
        codec,
        ..Default::default()
    };
    vigil_testkit::make_clip(dir, name, &spec)
}

pub struct RtspServer {
    pub port: u16,
    child: Child,
    mounts: Vec<String>,
}

impl RtspServer {
    /// Serve `(mount, codec, file)` triples; port 0 picks a free one.
    pub fn start(port: u16, mounts: &[(&str, &str, &Path)]) -> RtspServer {
        Self::start_with_tls(port, mounts, None)
    }

    /// The same over TLS only (`rtsps://`), with the certificate and key in the PEM file `tls`.
    pub fn start_tls(mounts: &[(&str, &str, &Path)], tls: &Path) -> RtspServer {
        Self::start_with_tls(0, mounts, Some(tls))
    }

    fn start_with_tls(port: u16, mounts: &[(&str, &str, &Path)], tls: Option<&Path>) -> RtspServer {
        let specs: Vec<String> = mounts
            .iter()
            .map(|(n, c, p)| format!("{n}={c}:{}", p.display()))
            .collect();
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/support/rtsp_server.py"
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut cmd = Command::new("/usr/bin/python3");
            if let Some(pem) = tls {
                cmd.env("RTSP_TLS", pem);
            }
            let mut child = cmd
                .arg(script)
                .arg(port.to_string())
                .args(&specs)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3 with gi (apt python3-gi gir1.2-gst-rtsp-server-1.0)");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            if let Some(p) = line.trim().strip_prefix("READY ") {
                return RtspServer {
                    port: p.parse().unwrap(),
                    child,
                    mounts: specs,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            // The port of a server we just killed may take a moment to free.
            assert!(
                Instant::now() < deadline,
                "RTSP server did not start: {line}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn url(&self, mount: &str) -> String {
        format!("rtsp://127.0.0.1:{}/{mount}", self.port)
    }

    /// Kill it, as if the camera lost power.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RtspServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Collects every event from `/api/v1/events`; tests wait on conditions over them.
#[derive(Clone)]
pub struct Events {
    all: Arc<Mutex<Vec<Value>>>,
    notify: Arc<Notify>,
}

impl Events {
    pub async fn connect(port: u16, token: &str) -> Events {
        let url = format!("ws://127.0.0.1:{port}/api/v1/events?token={token}");
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let all = Arc::new(Mutex::new(vec![]));
        let notify = Arc::new(Notify::new());
        let (a, n) = (all.clone(), notify.clone());
        tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                if let tokio_tungstenite::tungstenite::Message::Text(t) = msg
                    && let Ok(v) = serde_json::from_str::<Value>(&t)
                {
                    a.lock().unwrap().push(v);
                    n.notify_waiters();
                }
            }
        });
        let e = Events { all, notify };
        e.wait_for("hello", Duration::from_secs(10), |v| {
            v.iter().any(|e| e["type"] == "hello")
        })
        .await;
        e
    }

    pub fn snapshot(&self) -> Vec<Value> {
        self.all.lock().unwrap().clone()
    }

    /// Wait until `pred` holds over all events so far.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.notify.notified();
            {
                let all = self.all.lock().unwrap();
                if pred(&all) {
                    return all.clone();
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let all = self.snapshot();
                let tail: Vec<_> = all.iter().rev().take(15).collect();
                panic!("timed out waiting for {what}; last events: {tail:#?}");
            }
        }
    }

    /// Events of `kind` for `camera`.
    pub fn count(&self, camera: i64, kind: &str) -> usize {
        self.snapshot()
            .iter()
            .filter(|e| e["camera_id"] == camera && e["type"] == kind)
            .count()
    }
}

pub fn of(events: &[Value], camera: i64, kind: &str) -> Vec<Value> {
    events
        .iter()
        .filter(|e| e["camera_id"] == camera && e["type"] == kind)
        .cloned()
        .collect()
}

pub fn status_events(events: &[Value], camera: i64) -> Vec<String> {
    of(events, camera, "stream:status")
        .iter()
        .map(|e| e["status"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Push `seconds` of test video to `url` with ffmpeg; whether ffmpeg finished cleanly.
pub fn ffmpeg_push(url: &str, seconds: u32) -> bool {
    Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
        ])
        .arg(format!("testsrc=size=320x240:rate=10:duration={seconds}"))
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "10",
            "-f",
            "flv",
        ])
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}
