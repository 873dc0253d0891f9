//! Ingest and continuous recording end to end: the real server records real RTSP streams from
//! GStreamer's RTSP server (H.264 and H.265) and an RTMP push from the ffmpeg CLI; segments are
//! contiguous and ffprobe-valid; a camera that disappears is retried with backoff and leaves a gap
//! in the timeline; bad sources disturb nothing else; VOD playlists and exports play in ffmpeg
//! from the asked instant; files honour HTTP Range.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::media::{
    Events, RtspServer, ffprobe_codec, ffprobe_frames, make_clip, of, status_events,
};
use support::{TestServer, assert_error, body};

async fn create_camera(s: &TestServer, name: &str, source: Value) -> i64 {
    let (st, b) = s
        .post("/api/v1/cameras", json!({"name": name, "source": source}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

async fn recordings(s: &TestServer, camera: i64) -> Vec<Value> {
    let since = vigil_base::Clock::now_ms(&vigil_base::SystemClock) - 3_600_000;
    let (st, b) = s
        .get(&format!(
            "/api/v1/recordings?camera_id={camera}&start={since}&limit=1000"
        ))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    b["data"]["items"].as_array().unwrap().clone()
}

async fn download(s: &TestServer, path: &str, to: &Path) {
    let r = s.req(Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    std::fs::write(to, r.bytes().await.unwrap()).unwrap();
}

fn segments(n: usize) -> impl Fn(&[Value]) -> bool {
    move |e: &[Value]| {
        e.iter()
            .filter(|x| x["type"] == "recording:segment")
            .count()
            >= n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_rtsp_cameras_are_recorded_contiguously() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 60, false);
    // The second camera sends B-frames: Vigil derives their decode times and records it the same.
    let bclip = support::media::make_clip_with_b_frames(dir.path(), "b.mp4", 60);
    let rtsp = RtspServer::start(0, &[("cam1", "h264", &clip), ("cam2", "h264", &bclip)]);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.heartbeat_seconds = 1;
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let c1 = create_camera(
        &s,
        "North",
        json!({"kind": "rtsp", "url": rtsp.url("cam1")}),
    )
    .await;
    let c2 = create_camera(
        &s,
        "South",
        json!({"kind": "rtsp", "url": rtsp.url("cam2"), "transport": "tcp"}),
    )
    .await;
    ev.wait_for(
        "three segments from each camera",
        Duration::from_secs(60),
        |e| of(e, c1, "recording:segment").len() >= 3 && of(e, c2, "recording:segment").len() >= 3,
    )
    .await;
    for cam in [c1, c2] {
        assert_eq!(
            status_events(&ev.snapshot(), cam)[..2],
            ["starting", "running"]
        );
        let recs: Vec<Value> = recordings(&s, cam)
            .await
            .into_iter()
            .filter(|r| r["state"] == "complete")
            .collect();
        assert!(recs.len() >= 3);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r["codec"], "h264");
            assert_eq!(
                (r["width"].as_i64(), r["height"].as_i64()),
                (Some(640), Some(360))
            );
            if i > 0 {
                assert_eq!(
                    r["start_ms"],
                    recs[i - 1]["end_ms"],
                    "contiguous: {recs:#?}"
                );
            }
            let d = r["duration_ms"].as_i64().unwrap();
            assert!((1900..=3100).contains(&d), "segment of {d} ms");
            let f = dir.path().join(format!("{cam}-{i}.mp4"));
            download(&s, &format!("/api/v1/recordings/{}/file", r["id"]), &f).await;
            let frames = ffprobe_frames(&f, &[]);
            assert!(
                (frames as i64 - d / 40).abs() <= 2,
                "camera {cam} ({}): {frames} frames in {d} ms: {r}",
                if cam == c2 { "B-frames" } else { "no B-frames" }
            );
        }
        let (_, st) = s.get(&format!("/api/v1/cameras/{cam}/status")).await;
        let st = &st["data"];
        assert_eq!(st["status"], "running");
        assert_eq!(st["codec"], "h264");
        assert_eq!(st["recording"]["dropped_packets"], 0);
        assert_eq!(st["dropped"]["recorder"], 0);
    }
    // Heartbeats report rate, bitrate, drops, resolution and codec.
    let beats = of(&ev.snapshot(), c1, "stream:heartbeat");
    let b = beats.last().expect("heartbeats");
    assert_eq!(b["status"], "running");
    assert_eq!(b["codec"], "h264");
    assert_eq!(b["resolution"], "640x360");
    assert_eq!(b["dropped_frames"], 0);
    // A rate is reported while frames flow; its value under load is a bench figure (`drift`).
    let fps = b["fps"].as_f64().unwrap();
    assert!(fps > 0.0 && fps <= 30.0, "fps {fps} from a 25 fps camera");
    assert!(b["bitrate_kbps"].as_f64().unwrap() > 10.0, "{b}");
    let m = s
        .req(Method::GET, "/api/v1/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("vigil_streams_running 2"), "{m}");
    assert!(
        m.contains(&format!(
            "vigil_consumer_dropped_packets_total{{camera=\"{c1}\",consumer=\"recorder\"}} 0"
        )),
        "{m}"
    );
    assert!(m.contains(&format!("vigil_stream_packets_total{{camera=\"{c2}\"}}")));
    // Every recorded packet's arrival-to-write latency is in the recorder's histogram.
    let written: u64 = m
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!(
                "vigil_recorder_write_latency_seconds_count{{camera=\"{c1}\"}} "
            ))
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no write latency count for camera {c1}:\n{m}"));
    assert!(written > 0, "{m}");
    assert!(
        m.contains(&format!(
            "vigil_recorder_write_latency_seconds_bucket{{le=\"+Inf\",camera=\"{c1}\"}} {written}"
        )) || m.contains(&format!(
            "vigil_recorder_write_latency_seconds_bucket{{camera=\"{c1}\",le=\"+Inf\"}} {written}"
        )),
        "{m}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_camera_is_retried_with_backoff_and_leaves_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 60, false);
    let mut rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let port = rtsp.port;
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Gate", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for("a first segment", Duration::from_secs(30), segments(1))
        .await;

    let killed_at = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    rtsp.kill();
    let e = ev
        .wait_for("three reconnect attempts", Duration::from_secs(30), |e| {
            of(e, cam, "stream:status")
                .iter()
                .filter(|x| x["status"] == "reconnecting")
                .count()
                >= 3
        })
        .await;
    let errors: Vec<Value> = of(&e, cam, "stream:status")
        .into_iter()
        .filter(|x| x["status"] == "error")
        .collect();
    assert!(
        !errors.is_empty() && errors[0]["detail"].is_string(),
        "{errors:#?}"
    );
    // Delays between attempts grow: about 1 s, then about 2 s (each up to 25% shorter).
    let at: Vec<i64> = of(&e, cam, "stream:status")
        .iter()
        .filter(|x| x["status"] == "reconnecting")
        .map(|x| vigil_base::parse_instant_ms(x["at"].as_str().unwrap()).unwrap())
        .collect();
    let (d1, d2) = (at[1] - at[0], at[2] - at[1]);
    assert!(d2 > d1 && d2 >= 1400, "backoff {d1} ms then {d2} ms");

    let _rtsp = RtspServer::start(port, &[("cam", "h264", &clip)]);
    let back_at = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    let before = ev.snapshot().len();
    ev.wait_for(
        "running again and a new segment",
        Duration::from_secs(60),
        |e| {
            let new = &e[before.min(e.len())..];
            of(new, cam, "stream:status")
                .iter()
                .any(|x| x["status"] == "running")
                && !of(new, cam, "recording:segment").is_empty()
        },
    )
    .await;
    let (_, t) = s
        .get(&format!(
            "/api/v1/cameras/{cam}/timeline?start={}&end={}",
            killed_at - 60_000,
            back_at + 60_000
        ))
        .await;
    let gaps = t["data"]["gaps"].as_array().unwrap();
    assert!(
        gaps.iter()
            .any(|g| g["start_ms"].as_i64().unwrap() <= killed_at + 1500
                && g["end_ms"].as_i64().unwrap() >= back_at - 500),
        "a gap covers the outage ({killed_at}..{back_at}): {t:#}"
    );
    assert!(t["data"]["segments"].as_array().unwrap().len() >= 2);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h265_and_rtmp_push_are_recorded_and_bad_keys_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "h.mp4", 60, true);
    let rtsp = RtspServer::start(0, &[("hevc", "h265", &clip)]);
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let ev = Events::connect(s.port, &s.token).await;
    let hevc = create_camera(&s, "HEVC", json!({"kind": "rtsp", "url": rtsp.url("hevc")})).await;
    let (_, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Push", "source": {"kind": "rtmp_push"}}),
        )
        .await;
    let push = b["data"]["id"].as_i64().unwrap();
    let url = b["data"]["source"]["publish_url"]
        .as_str()
        .unwrap()
        .to_string();
    let key = b["data"]["source"]["stream_key"]
        .as_str()
        .unwrap()
        .to_string();
    let publish = |url: String, secs: u32| {
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
            .arg(format!("testsrc2=size=320x240:rate=25:duration={secs}"))
            .args([
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-g",
                "25",
                "-pix_fmt",
                "yuv420p",
                "-f",
                "flv",
            ])
            .arg(url)
            .spawn()
            .unwrap()
    };
    // A wrong key is refused and changes nothing.
    let bad = publish(url.replace(&key, "not-a-key"), 2).wait().unwrap();
    assert!(!bad.success(), "publishing with a wrong key must fail");
    let mut good = publish(url, 8);
    ev.wait_for("segments from both cameras", Duration::from_secs(60), |e| {
        of(e, hevc, "recording:segment").len() >= 2 && of(e, push, "recording:segment").len() >= 2
    })
    .await;
    let _ = good.wait();
    for (cam, codec, w) in [(hevc, "hevc", 640), (push, "h264", 320)] {
        let recs: Vec<Value> = recordings(&s, cam)
            .await
            .into_iter()
            .filter(|r| r["state"] == "complete")
            .collect();
        assert!(!recs.is_empty());
        assert_eq!(recs[0]["codec"], codec);
        assert_eq!(recs[0]["width"], w);
        let f = dir.path().join(format!("{cam}.mp4"));
        download(
            &s,
            &format!("/api/v1/recordings/{}/file", recs[0]["id"]),
            &f,
        )
        .await;
        assert_eq!(ffprobe_codec(&f), codec);
        assert!(ffprobe_frames(&f, &[]) >= 40);
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sources_fail_clearly_and_disturb_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = make_clip(dir.path(), "good.mp4", 30, false);
    let garbage = dir.path().join("garbage.mp4");
    std::fs::write(
        &garbage,
        (0..200_000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let truncated = dir.path().join("truncated.mp4");
    let full = std::fs::read(make_clip(dir.path(), "t.mp4", 10, false)).unwrap();
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let ev = Events::connect(s.port, &s.token).await;
    let g = create_camera(&s, "Garbage", json!({"kind": "file", "path": garbage})).await;
    let t = create_camera(&s, "Truncated", json!({"kind": "file", "path": truncated})).await;
    // Nothing listens on port 9 (discard): connection refused, retried.
    let r = create_camera(
        &s,
        "Nobody home",
        json!({"kind": "rtsp", "url": "rtsp://127.0.0.1:9/none"}),
    )
    .await;
    let ok = create_camera(&s, "Fine", json!({"kind": "file", "path": good})).await;
    ev.wait_for(
        "errors from the bad ones and segments from the good one",
        Duration::from_secs(60),
        |e| {
            [g, t, r]
                .iter()
                .all(|&c| status_events(e, c).iter().any(|x| x == "error"))
                && of(e, ok, "recording:segment").len() >= 2
        },
    )
    .await;
    for c in [g, t, r] {
        let (_, st) = s.get(&format!("/api/v1/cameras/{c}/status")).await;
        assert!(
            st["data"]["last_error"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{st}"
        );
        assert!(recordings(&s, c).await.is_empty());
    }
    let (st, _) = body(s.anon(Method::GET, "/api/v1/health").send().await.unwrap()).await;
    assert_eq!(st, StatusCode::OK);
    // Stopping a camera in its retry loop is prompt.
    let (st, _) = s
        .post(&format!("/api/v1/cameras/{r}/stop"), json!({}))
        .await;
    assert_eq!(st, StatusCode::OK);
    ev.wait_for(
        "the stopped camera reports stopped",
        Duration::from_secs(15),
        |e| status_events(e, r).last().map(String::as_str) == Some("stopped"),
    )
    .await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vod_export_range_and_delete_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 60, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Dock", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for("four segments", Duration::from_secs(60), segments(4))
        .await;
    let recs: Vec<Value> = recordings(&s, cam)
        .await
        .into_iter()
        .filter(|r| r["state"] == "complete")
        .collect();
    let first = recs[0]["start_ms"].as_i64().unwrap();
    let asked = first + 2_500;
    let until = recs[3]["end_ms"].as_i64().unwrap();

    // The playlist starts in the GOP holding the asked instant.
    let path = format!("/api/v1/cameras/{cam}/vod.m3u8?start={asked}&end={until}");
    let r = s.req(Method::GET, &path).send().await.unwrap();
    assert_eq!(
        r.headers()[header::CONTENT_TYPE],
        "application/vnd.apple.mpegurl"
    );
    let m = r.text().await.unwrap();
    let pdt = m
        .lines()
        .find_map(|l| l.strip_prefix("#EXT-X-PROGRAM-DATE-TIME:"))
        .unwrap();
    let pdt = vigil_base::parse_instant_ms(pdt).unwrap();
    assert!(
        pdt <= asked && asked - pdt < 1100,
        "first piece at {pdt}, asked {asked}\n{m}"
    );
    assert!(
        m.contains(&format!(
            "#EXT-X-START:TIME-OFFSET={:.3}",
            (asked - pdt) as f64 / 1000.0
        )),
        "{m}"
    );
    // ffmpeg plays it over HTTP with the token header: every frame from that GOP to the end.
    let url = format!("{}{path}", s.url);
    let hdr = format!("Authorization: Bearer {}\r\n", s.token);
    let frames = ffprobe_frames(Path::new(&url), &["-headers", &hdr]);
    let want = (until - pdt) / 40;
    assert!(
        (frames as i64 - want).abs() <= 3,
        "{frames} frames, want about {want}\n{m}"
    );
    // Without the token it is refused.
    let (st, b) = body(s.anon(Method::GET, &path).send().await.unwrap()).await;
    assert_error(st, &b, 401, "AUTH_TOKEN_MISSING");

    // Export four seconds; progress and completion arrive as events.
    let (st, b) = s
        .post(
            "/api/v1/exports",
            json!({"camera_id": cam, "start": asked, "end": asked + 4000}),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let id = b["data"]["id"].as_u64().unwrap();
    ev.wait_for("the export", Duration::from_secs(60), |e| {
        e.iter()
            .any(|x| x["type"] == "export:done" && x["export_id"] == id)
    })
    .await;
    assert!(
        ev.snapshot()
            .iter()
            .any(|x| x["type"] == "export:progress" && x["export_id"] == id)
    );
    // The job says what the file holds: from the keyframe at or before the asked start to the
    // last frame before the asked end.
    let (_, j) = s.get(&format!("/api/v1/exports/{id}")).await;
    let (cs, ce) = (
        j["data"]["clip_start_ms"].as_i64().unwrap(),
        j["data"]["clip_end_ms"].as_i64().unwrap(),
    );
    assert!(
        cs <= asked && asked - cs < 1100,
        "clip starts at {cs}, asked {asked}"
    );
    assert!(
        ce < asked + 4000 && ce > asked + 3800,
        "clip ends at {ce}, asked {}",
        asked + 4000
    );
    let out = dir.path().join("export.mp4");
    let r = s
        .req(Method::GET, &format!("/api/v1/exports/{id}/file"))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    std::fs::write(&out, r.bytes().await.unwrap()).unwrap();
    let n = ffprobe_frames(&out, &[]) as i64;
    // From the keyframe at or before the asked start (≤ 1 s earlier) to 4 s after it.
    assert!((100..=126).contains(&n), "{n} frames exported");
    let (st, b) = s
        .post(
            "/api/v1/exports",
            json!({"camera_id": cam, "start": "yesterday", "end": 5}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(b["error"]["details"]["fields"]["start"].is_string());

    // HTTP Range on a recording file.
    let rid = recs[0]["id"].as_i64().unwrap();
    let r = s
        .req(Method::GET, &format!("/api/v1/recordings/{rid}/file"))
        .header(header::RANGE, "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    let total = recs[0]["bytes"].as_i64().unwrap();
    assert_eq!(
        r.headers()[header::CONTENT_RANGE],
        format!("bytes 0-99/{total}").as_str()
    );
    assert_eq!(r.bytes().await.unwrap().len(), 100);
    let r = s
        .req(Method::GET, &format!("/api/v1/recordings/{rid}/file"))
        .header(header::RANGE, format!("bytes={total}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    // Deleting needs recording:delete.
    let viewer = s.token("viewer", None).await;
    let (st, b) = body(
        s.anon(Method::DELETE, &format!("/api/v1/recordings/{rid}"))
            .bearer_auth(&viewer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    assert_eq!(
        s.delete(&format!("/api/v1/recordings/{rid}")).await.0,
        StatusCode::NO_CONTENT
    );
    let (st, b) = s.get(&format!("/api/v1/recordings/{rid}")).await;
    assert_error(st, &b, 404, "RECORDING_NOT_FOUND");
    let (st, b) = s.get("/api/v1/recordings?start=tomorrow").await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    s.stop().await;
}

/// `vigil serve` as a process, printing its URL; killed or stopped by the test.
fn spawn_server(data: &Path, token: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--credential-store",
            "file",
            "--data-dir",
        ])
        .arg(data)
        .env("VIGIL_TOKEN", token)
        .env("VIGIL_RTMP_LISTEN", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_segment_loses_at_most_the_last_fragment() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 120, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("config.toml"), "segment_seconds = 8\n").unwrap();
    let token = "kill-nine-test-token-0123456789";
    let http = reqwest::Client::new();
    let (mut child, url) = spawn_server(&data, token);
    let r = http
        .post(format!("{url}/api/v1/cameras"))
        .bearer_auth(token)
        .json(&json!({"name": "Crash", "source": {"kind": "rtsp", "url": rtsp.url("cam")}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let since = vigil_base::Clock::now_ms(&vigil_base::SystemClock) - 60_000;
    let list = |url: String| {
        let http = http.clone();
        async move {
            let b: Value = http
                .get(format!("{url}/api/v1/recordings?camera_id=1&start={since}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            b["data"]["items"].as_array().unwrap().clone()
        }
    };
    // Wait until the first segment is being written and has at least 3 s indexed.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let seen = loop {
        let items = list(url.clone()).await;
        if let Some(r) = items
            .iter()
            .find(|r| r["state"] == "recording" && r["duration_ms"].as_i64().unwrap_or(0) >= 3000)
        {
            break r.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no segment in progress: {items:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let rel = vigil_record::segment_path(1, seen["start_ms"].as_i64().unwrap());
    let on_disk = std::fs::metadata(data.join("recordings").join(&rel))
        .unwrap()
        .len() as i64;

    let (mut child, url) = spawn_server(&data, token);
    let id = seen["id"].as_i64().unwrap();
    let r: Value = http
        .get(format!("{url}/api/v1/recordings/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = &r["data"];
    assert_eq!(r["state"], "repaired", "{r}");
    let kept = r["bytes"].as_i64().unwrap();
    assert!(
        kept >= seen["bytes"].as_i64().unwrap(),
        "nothing the index had seen is lost: {r} vs {seen}"
    );
    assert!(r["end_ms"].as_i64().unwrap() >= seen["end_ms"].as_i64().unwrap());
    // What was dropped is less than one fragment (about a second of video).
    let per_second = kept as f64 / (r["duration_ms"].as_f64().unwrap() / 1000.0);
    assert!(
        ((on_disk - kept) as f64) < per_second * 1.5,
        "dropped {} bytes, ~{per_second:.0} B/s",
        on_disk - kept
    );
    // Every listed segment plays.
    for item in list(url.clone())
        .await
        .iter()
        .filter(|x| x["state"] != "recording")
    {
        let f = dir.path().join(format!("r{}.mp4", item["id"]));
        let resp = http
            .get(format!("{url}/api/v1/recordings/{}/file", item["id"]))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.bytes().await.unwrap();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        std::fs::write(&f, bytes).unwrap();
        assert!(ffprobe_frames(&f, &[]) > 0);
    }
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(child.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrent_stream_limit_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 5, false);
    let s = TestServer::start_with(|st| st.engine.max_concurrent = 1).await;
    let src = json!({"kind": "file", "path": clip});
    create_camera(&s, "One", src.clone()).await;
    let (st, b) = s
        .post("/api/v1/cameras", json!({"name": "Two", "source": src}))
        .await;
    assert_error(st, &b, 429, "CONCURRENT_LIMIT_EXCEEDED");
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Two", "source": src, "enabled": false}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "a disabled camera may be added");
    let two = b["data"]["id"].as_i64().unwrap();
    let (st, b) = s
        .post(&format!("/api/v1/cameras/{two}/start"), json!({}))
        .await;
    assert_error(st, &b, 429, "CONCURRENT_LIMIT_EXCEEDED");
    let (st, b) = s
        .patch(&format!("/api/v1/cameras/{two}"), json!({"enabled": true}))
        .await;
    assert_error(st, &b, 429, "CONCURRENT_LIMIT_EXCEEDED");
    // Stopping the first frees the slot.
    let (st, _) = s.post("/api/v1/cameras/1/stop", json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, b) = s
        .post(&format!("/api/v1/cameras/{two}/start"), json!({}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    s.stop().await;
}
