//! Tiered storage through the real server: the Storage API (tiers, settings applied without a
//! restart, locks, the history of moves and deletions, permissions), and a recording tier on a
//! small tmpfs filled by a camera recording from a real RTSP server until free-space eviction runs
//! — recording never stops, the kept footage has no gap, every listed segment plays, a locked
//! segment survives, and a second tier takes what ages out of the first; and footage archived to
//! a real S3-compatible server (moto's, on 127.0.0.1) that plays, seeks and exports through Vigil.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::media::{Events, RtspServer, ffprobe_frames, make_clip};
use support::{TestServer, assert_error, body};
use vigil_engine::storage::config::{ArchiveConfig, TierConfig};
use vigil_engine::storage::{Size, Span, StorageConfig};
use vigil_testkit::moto::MotoServer;

async fn create_camera(s: &TestServer, name: &str, source: Value) -> i64 {
    let (st, b) = s
        .post("/api/v1/cameras", json!({"name": name, "source": source}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

async fn put(s: &TestServer, path: &str, json: Value, token: Option<&str>) -> (StatusCode, Value) {
    let r = s
        .anon(Method::PUT, path)
        .bearer_auth(token.unwrap_or(&s.token))
        .json(&json);
    body(r.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_api_shows_tiers_applies_settings_and_keeps_locks() {
    let s = TestServer::start().await;
    let (st, b) = s.get("/api/v1/storage").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let tiers = b["data"]["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 1, "{b}");
    assert_eq!(tiers[0]["name"], "hot");
    assert_eq!(tiers[0]["online"], true);
    assert!(tiers[0]["path"].as_str().unwrap().ends_with("recordings"));
    assert!(tiers[0]["reserve_free_bytes"].as_u64().unwrap() > 0, "{b}");
    assert!(s.dir.path().join("recordings/.vigil-tier.json").is_file());

    // Settings: refused field by field, then applied at once with a new tier.
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"tiers": [{"name": "hot"}, {"name": "Warm!", "path": "rel", "max_age": "7 days"}]}),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"tiers": [{"name": "hot"}, {"name": "Warm!", "path": "rel"}]}),
        None,
    )
    .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    for f in ["tiers[1].name", "tiers[1].path"] {
        assert!(b["error"]["details"]["fields"].get(f).is_some(), "{f}: {b}");
    }
    let warm = s.dir.path().join("warm");
    let cfg = json!({
        "check_interval": "1h",
        "tiers": [{"name": "hot", "max_age": "1d"}, {"name": "warm", "path": warm, "max_size": "10GB"}],
        "retention": {"continuous": "30d", "events": "90d"}
    });
    let (st, b) = put(&s, "/api/v1/storage", cfg.clone(), None).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["tiers"].as_array().unwrap().len(), 2, "{b}");
    assert_eq!(b["data"]["settings"]["tiers"][1]["max_size"], "10GB");
    assert!(warm.join(".vigil-tier.json").is_file());
    // The first tier cannot change under the recorder.
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"tiers": [{"name": "fast", "path": s.dir.path().join("x")}]}),
        None,
    )
    .await;
    assert_error(st, &b, 409, "STORAGE_CONFIG_CONFLICT");

    // Viewers read but do not configure.
    let viewer = s.token("viewer", None).await;
    // Storage is an admin's: a viewer watches and plays back, and does not see the tiers.
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/storage")
            .bearer_auth(&viewer)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let (st, b) = put(&s, "/api/v1/storage", cfg, Some(&viewer)).await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let (st, b) = body(
        s.anon(Method::POST, "/api/v1/locks")
            .bearer_auth(&viewer)
            .json(&json!({"camera_id": 1, "start": 0, "end": 1}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");

    // Locks.
    let cam = create_camera(
        &s,
        "Gate",
        json!({"kind": "rtsp", "url": "rtsp://127.0.0.1:9/x"}),
    )
    .await;
    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": cam, "start": "soon", "end": 5}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(
        b["error"]["details"]["fields"].get("start").is_some(),
        "{b}"
    );
    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": 999, "start": 1000, "end": 2000}),
        )
        .await;
    assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": cam, "start": "2026-12-03T10:00:00Z", "end": "2026-12-03T09:00:00Z", "reason": "break-in"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let lock = b["data"].clone();
    assert_eq!(lock["start"], "2026-12-03T09:00:00.000Z", "{b}");
    assert_eq!(lock["reason"], "break-in");
    let (st, b) = s.get(&format!("/api/v1/locks?camera_id={cam}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["data"].as_array().unwrap().len(), 1, "{b}");
    let (st, _) = s.delete(&format!("/api/v1/locks/{}", lock["id"])).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, b) = s.delete(&format!("/api/v1/locks/{}", lock["id"])).await;
    assert_error(st, &b, 404, "LOCK_NOT_FOUND");

    // A pass on demand, and the (empty) history.
    let (st, b) = s.post("/api/v1/storage/maintenance", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["deleted"], 0);
    let (st, b) = s.get("/api/v1/storage/ops?limit=0").await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let (st, b) = s.get("/api/v1/storage/ops").await;
    assert_eq!((st, b["data"].clone()), (StatusCode::OK, json!([])));
    s.stop().await;
}

/// Settings made through the API outlive a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_set_through_the_api_outlive_a_restart() {
    let s = TestServer::start().await;
    let cold = s.dir.path().join("cold");
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"tiers": [{"name": "hot"}, {"name": "cold", "path": cold}]}),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let mut s = s;
    let dir = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    s.stop().await;
    let s2 = TestServer::start_in(dir.path().to_path_buf(), |_| {}).await;
    let (_, b) = s2.get("/api/v1/storage").await;
    let names: Vec<_> = b["data"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["hot", "cold"], "{b}");
    s2.stop().await;
    drop(dir);
}

/// A tmpfs of `mib` MiB at `dir` (root, as the test machines run), unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, mib: u32) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test needs to mount a small tmpfs (run as root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn capacity(dir: &Path) -> u64 {
    df(dir, "size")
}

/// A `df` column of the filesystem holding `dir`, in bytes.
fn df(dir: &Path, column: &str) -> u64 {
    let out = Command::new("df")
        .arg(format!("--output={column}"))
        .arg("-B1")
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_disk_evicts_oldest_footage_and_recording_never_stops() {
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 300, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let hot_dir = work.path().join("hot");
    let hot = Tmpfs::mount(&hot_dir, 24);
    let cap = capacity(&hot_dir);
    let warm_dir = work.path().join("warm");
    // Room for ~5 MiB of footage above the reserve: eviction starts within seconds.
    let reserve = cap - (5 << 20);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.heartbeat_seconds = 1;
        st.engine.storage = StorageConfig {
            check_interval: Some(Span::from_secs(10)),
            tiers: vec![
                TierConfig {
                    name: "hot".into(),
                    path: Some(hot_dir.clone()),
                    reserve_free: Some(Size::bytes(reserve)),
                    ..Default::default()
                },
                TierConfig {
                    name: "warm".into(),
                    path: Some(warm_dir.clone()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        st.engine.storage.tiers[0].max_age = Some(Span::from_secs(3600));
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Yard", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for(
        "a first segment",
        Duration::from_secs(30),
        |e: &[Value]| e.iter().any(|x| x["type"] == "recording:segment"),
    )
    .await;
    // Keep the first segment whatever happens.
    let first = recordings(&s, cam).await[0].clone();
    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": cam, "start": first["start_ms"], "end": first["end_ms"], "reason": "keep"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    // Short of space, the hot tier moves its oldest footage on to warm.
    ev.wait_for(
        "moves to warm for free space",
        Duration::from_secs(120),
        |e: &[Value]| {
            e.iter()
                .filter(|x| x["type"] == "storage:moved" && x["reason"] == "free_space")
                .count()
                >= 3
        },
    )
    .await;
    // As a one-tier install (warm dropped from the settings; its footage stays readable), the
    // recording tier makes room by deleting its oldest footage.
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"check_interval": "10s", "tiers": [{"name": "hot", "path": hot_dir, "reserve_free": format!("{reserve}B")}]}),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let n = ev.snapshot().len();
    ev.wait_for(
        "deletions for free space",
        Duration::from_secs(120),
        move |e: &[Value]| {
            e[n..]
                .iter()
                .filter(|x| x["type"] == "storage:deleted" && x["reason"] == "free_space")
                .count()
                >= 2
        },
    )
    .await;
    let events = ev.snapshot();
    assert!(
        !events.iter().any(|x| x["type"] == "recording:failed"),
        "recording failed: {events:?}"
    );

    // Eviction stops here (no reserve), so every segment listed below stays to be played.
    let (st, b) = put(
        &s,
        "/api/v1/storage",
        json!({"tiers": [{"name": "hot", "path": hot_dir, "reserve_free": "0B"}]}),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let recs = recordings(&s, cam).await;
    // The locked first segment survived, on whichever tier.
    assert!(recs.iter().any(|r| r["id"] == first["id"]), "lock lost");
    // The footage left on the recording tier is contiguous: eviction takes the oldest, never
    // leaves a hole in the middle.
    let hot_recs: Vec<_> = recs.iter().filter(|r| r["tier"] == "hot").collect();
    assert!(hot_recs.len() >= 2, "{recs:?}");
    for w in hot_recs.windows(2) {
        let gap = w[1]["start_ms"].as_i64().unwrap() - w[0]["end_ms"].as_i64().unwrap();
        assert!(
            gap.abs() < 1_000,
            "gap of {gap} ms between {} and {}",
            w[0],
            w[1]
        );
    }
    // Recording goes on after the evictions.
    let newest = hot_recs.last().unwrap()["end_ms"].as_i64().unwrap();
    let now = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    assert!(
        now - newest < 10_000,
        "newest footage ends {} ms ago",
        now - newest
    );
    // Every listed segment plays, wherever it is.
    for r in recs.iter().filter(|r| r["state"] != "recording") {
        let out = work.path().join(format!("{}.mp4", r["id"]));
        let resp = s
            .req(Method::GET, &format!("/api/v1/recordings/{}/file", r["id"]))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{r}");
        std::fs::write(&out, resp.bytes().await.unwrap()).unwrap();
        assert!(ffprobe_frames(&out, &[]) > 0, "{r} does not play");
    }
    // The history says what went where and why.
    let (_, b) = s.get("/api/v1/storage/ops?limit=1000").await;
    let ops = b["data"].as_array().unwrap();
    assert!(
        ops.iter()
            .any(|o| o["kind"] == "move" && o["reason"] == "free_space" && o["to_tier"] == "warm"),
        "{b}"
    );
    assert!(
        ops.iter()
            .any(|o| o["kind"] == "delete" && o["reason"] == "free_space"),
        "{b}"
    );
    let (_, b) = s.get("/api/v1/storage").await;
    let t = &b["data"]["tiers"][0];
    assert!(
        t["free_bytes"].as_u64().unwrap() + (4 << 20) >= reserve,
        "free space was not kept: {b}"
    );
    assert!(
        b["data"]["cameras"][0]["bitrate_bps"].as_u64().unwrap() > 0,
        "{b}"
    );
    assert!(recs.iter().any(|r| r["tier"] == "warm"), "{recs:?}");
    // And /metrics: bytes and free space per tier, moves and deletions by reason.
    let text = s
        .req(Method::GET, "/api/v1/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for want in [
        "vigil_storage_tier_online{tier=\"hot\"} 1",
        "vigil_storage_ops_total{kind=\"move\",reason=\"free_space\"}",
        "vigil_storage_ops_total{kind=\"delete\",reason=\"free_space\"}",
        "vigil_storage_tier_free_bytes{tier=\"hot\"}",
        "vigil_storage_journal_ops 0",
    ] {
        assert!(text.contains(want), "{want} missing from /metrics");
    }
    s.stop().await;
    drop(hot);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archived_footage_plays_seeks_and_exports_through_vigil() {
    let s3 = MotoServer::start();
    s3.create_bucket("vigil-archive");
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 60, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let endpoint = s3.endpoint();
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.storage = StorageConfig {
            tiers: vec![TierConfig {
                name: "hot".into(),
                // Moves by hand below (POST /storage/maintenance), not by a timer.
                max_age: Some(Span::from_secs(3)),
                ..Default::default()
            }],
            archive: Some(ArchiveConfig {
                url: "s3://vigil-archive/site".into(),
                endpoint: Some(endpoint),
                ..Default::default()
            }),
            ..Default::default()
        };
    })
    .await;
    // Keys go to the credential store through the API, never into settings or the database.
    let secret = "archive-secret-d41d8cd98f00";
    let (st, b) = put(
        &s,
        "/api/v1/storage/archive/credentials",
        json!({"access_key_id": "vigil", "secret_access_key": secret}),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{b}");
    let (_, b) = s.get("/api/v1/storage").await;
    assert_eq!(b["data"]["archive_keys_stored"], true, "{b}");
    assert!(!b.to_string().contains(secret));
    let archive = b["data"]["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["archive"] == true)
        .cloned()
        .unwrap();
    assert_eq!(archive["online"], true, "{b}");
    assert_eq!(archive["path"], "s3://vigil-archive/site");

    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Gate", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for("four segments", Duration::from_secs(60), |e: &[Value]| {
        e.iter()
            .filter(|x| x["type"] == "recording:segment")
            .count()
            >= 4
    })
    .await;
    let done: Vec<Value> = recordings(&s, cam)
        .await
        .into_iter()
        .filter(|r| r["state"] == "complete")
        .collect();
    let (a, b2) = (done[0].clone(), done[1].clone());
    let fetch = |id: Value, range: Option<&'static str>| {
        let mut r = s.req(Method::GET, &format!("/api/v1/recordings/{id}/file"));
        if let Some(range) = range {
            r = r.header("Range", range);
        }
        async move {
            let resp = r.send().await.unwrap();
            (resp.status(), resp.bytes().await.unwrap().to_vec())
        }
    };
    let (_, original) = fetch(a["id"].clone(), None).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (st, b) = s.post("/api/v1/storage/maintenance", json!({})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert!(b["data"]["moved"].as_u64().unwrap() >= 2, "{b}");
    let recs = recordings(&s, cam).await;
    for id in [&a["id"], &b2["id"]] {
        let r = recs.iter().find(|r| &r["id"] == id).unwrap();
        assert_eq!(r["tier"], "archive", "{r}");
    }
    // Objects at <prefix>/<camera>/<yyyy>/<mm>/<dd>/<start>.mp4.
    let keys = s3.keys("vigil-archive", "site/");
    let day = vigil_base::format_rfc3339_ms(a["start_ms"].as_i64().unwrap());
    let want = format!(
        "site/{cam}/{}/{}/{}/{}.mp4",
        &day[0..4],
        &day[5..7],
        &day[8..10],
        a["start_ms"]
    );
    assert!(keys.contains(&want), "{want} not in {keys:?}");

    // The whole archived segment, through Vigil, is the bytes recorded; and it plays.
    let (st, whole) = fetch(a["id"].clone(), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(whole, original);
    let out = work.path().join("archived.mp4");
    std::fs::write(&out, &whole).unwrap();
    assert!(ffprobe_frames(&out, &[]) > 0);
    // A seek is a byte range read from the object store.
    let (st, part) = fetch(a["id"].clone(), Some("bytes=100-999")).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part, original[100..1000]);
    // The timeline's VOD playlist over archived footage plays in ffmpeg.
    let (start, end) = (
        a["start_ms"].as_i64().unwrap(),
        b2["end_ms"].as_i64().unwrap(),
    );
    let path = format!("/api/v1/cameras/{cam}/vod.m3u8?start={start}&end={end}");
    let hdr = format!("Authorization: Bearer {}\r\n", s.token);
    let frames = ffprobe_frames(Path::new(&format!("{}{path}", s.url)), &["-headers", &hdr]);
    assert!(frames > 50, "{frames} frames over two archived segments");
    // An export of archived footage.
    let (st, b) = s
        .post(
            "/api/v1/exports",
            json!({"camera_id": cam, "start": start, "end": end}),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let id = b["data"]["id"].as_u64().unwrap();
    ev.wait_for("the export", Duration::from_secs(60), |e: &[Value]| {
        e.iter()
            .any(|x| x["type"] == "export:done" && x["export_id"] == id)
    })
    .await;
    let r = s
        .req(Method::GET, &format!("/api/v1/exports/{id}/file"))
        .send()
        .await
        .unwrap();
    let out = work.path().join("export.mp4");
    std::fs::write(&out, r.bytes().await.unwrap()).unwrap();
    assert!(ffprobe_frames(&out, &[]) > 50);
    let data = s.dir.path().to_path_buf();
    // The secret is in neither the database nor the settings.
    for f in ["vigil.db", "vigil.db-wal", "config.toml"] {
        let p = data.join(f);
        if let Ok(bytes) = std::fs::read(&p) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(secret),
                "the archive secret is in {}",
                p.display()
            );
        }
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_closes_segments_whole_shows_on_the_camera_and_recording_resumes() {
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 300, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let hot_dir = work.path().join("hot");
    let hot = Tmpfs::mount(&hot_dir, 6);
    // No reserve and no timer: the disk fills, as when every byte of a disk is locked footage.
    let tiers = |reserve: &str| json!({"check_interval": "1d", "tiers": [{"name": "hot", "path": hot_dir, "reserve_free": reserve}]});
    let hd = hot_dir.clone();
    let s = TestServer::start_with(move |st| {
        st.engine.segment_seconds = 2;
        st.engine.storage = StorageConfig {
            check_interval: Some(Span::from_secs(86_400)),
            tiers: vec![TierConfig {
                name: "hot".into(),
                path: Some(hd),
                reserve_free: Some(Size::bytes(0)),
                ..Default::default()
            }],
            ..Default::default()
        };
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Dock", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for(
        "the disk to fill",
        Duration::from_secs(120),
        |e: &[Value]| {
            e.iter()
                .any(|x| x["type"] == "recording:failed" && x["storage_full"] == true)
        },
    )
    .await;
    // The camera says so (it still streams).
    let (_, b) = s.get(&format!("/api/v1/cameras/{cam}")).await;
    let err = &b["data"]["recording_error"];
    assert_eq!(err["storage_full"], true, "{b}");
    assert!(err["since"].is_string(), "{b}");
    // The segment the full disk cut is closed at its last complete fragment: nothing stays
    // "recording" for good, every segment plays and can be deleted.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let recs = recordings(&s, cam).await;
    assert!(!recs.is_empty());
    for r in &recs {
        if r["state"] == "recording" {
            continue; // a segment begun since (5 s pause, then a retry) may be open
        }
        let resp = s
            .req(Method::GET, &format!("/api/v1/recordings/{}/file", r["id"]))
            .send()
            .await
            .unwrap();
        let out = work.path().join(format!("{}.mp4", r["id"]));
        std::fs::write(&out, resp.bytes().await.unwrap()).unwrap();
        assert!(ffprobe_frames(&out, &[]) > 0, "{r} does not play");
    }
    let newest_done = recs
        .iter()
        .rev()
        .find(|r| r["state"] == "complete")
        .unwrap();
    let resp = s
        .req(
            Method::DELETE,
            &format!("/api/v1/recordings/{}", newest_done["id"]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    // With a reserve, eviction makes room and recording resumes; the error clears.
    let (st, b) = put(&s, "/api/v1/storage", tiers("2MiB"), None).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let n = ev.snapshot().len();
    ev.wait_for(
        "recording again",
        Duration::from_secs(90),
        move |e: &[Value]| {
            e[n..]
                .iter()
                .filter(|x| x["type"] == "recording:segment")
                .count()
                >= 2
        },
    )
    .await;
    let (_, b) = s.get(&format!("/api/v1/cameras/{cam}")).await;
    assert!(b["data"]["recording_error"].is_null(), "{b}");
    assert!(
        ev.snapshot()
            .iter()
            .any(|x| x["type"] == "storage:deleted" && x["reason"] == "free_space"),
        "room was made by deleting the oldest footage"
    );
    s.stop().await;
    drop(hot);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_dir_on_one_full_disk_keeps_room_for_the_database() {
    // The default install: the database and the one recording tier on the same (small) disk,
    // every byte of footage locked so eviction can free nothing.
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 300, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let data = work.path().join("data");
    let disk = Tmpfs::mount(&data, 80);
    let s = TestServer::start_in(data.clone(), |st| {
        st.engine.segment_seconds = 2;
        st.engine.storage = StorageConfig {
            check_interval: Some(Span::from_secs(86_400)),
            tiers: vec![TierConfig {
                name: "hot".into(),
                reserve_free: Some(Size::bytes(0)),
                ..Default::default()
            }],
            ..Default::default()
        };
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let cam = create_camera(&s, "Gate", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    let now = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": cam, "start": now - 60_000, "end": now + 3_600_000, "reason": "evidence"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    ev.wait_for(
        "the recorder to stop at the headroom",
        Duration::from_secs(180),
        |e: &[Value]| {
            e.iter()
                .any(|x| x["type"] == "recording:failed" && x["storage_full"] == true)
        },
    )
    .await;
    // The database still has room: the alert was stored, a bookmark can be written, the
    // camera says why it records nothing.
    let (st, b) = s.get("/api/v1/alerts?type=storage_full").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert!(
        !b["data"]["alerts"].as_array().unwrap().is_empty(),
        "the storage_full alert was not stored: {b}"
    );
    let (st, b) = s
        .post(
            &format!("/api/v1/cameras/{cam}/bookmarks"),
            json!({"at": now, "label": "still writable"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (_, b) = s.get(&format!("/api/v1/cameras/{cam}")).await;
    assert_eq!(b["data"]["recording_error"]["storage_full"], true, "{b}");
    assert!(capacity_free(&data) > 32 << 20, "the headroom was eaten");
    s.stop().await;
    drop(disk);
}

fn capacity_free(dir: &Path) -> u64 {
    df(dir, "avail")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_over_the_bitrate_ceiling_cannot_fill_the_disk() {
    let work = tempfile::tempdir().unwrap();
    // 1280×720 moving test pattern: several Mbit/s, well over a 1 Mbit/s ceiling.
    let clip = vigil_testkit::make_clip(
        work.path(),
        "hd.mp4",
        &vigil_testkit::ClipSpec {
            width: 1280,
            height: 720,
            secs: 20.0,
            ..Default::default()
        },
    );
    let clip_bps = std::fs::metadata(&clip).unwrap().len() * 8 / 20;
    assert!(clip_bps > 2_000_000, "the clip is only {clip_bps} bit/s");
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.max_camera_bitrate_mbps = 1;
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let t0 = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    let cam = create_camera(&s, "Noisy", json!({"kind": "rtsp", "url": rtsp.url("cam")})).await;
    ev.wait_for(
        "the ceiling alert",
        Duration::from_secs(60),
        |e: &[Value]| {
            e.iter().any(|x| {
                x["type"] == "recording:failed"
                    && x["message"].as_str().is_some_and(|m| m.contains("Mbit/s"))
            })
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let elapsed_s = (vigil_base::Clock::now_ms(&vigil_base::SystemClock) - t0) as f64 / 1000.0;
    // What reached the disk stays near the ceiling (5 s windows, a keyframe of slack each).
    let recorded: u64 = recordings(&s, cam)
        .await
        .iter()
        .map(|r| r["bytes"].as_u64().unwrap_or(0))
        .sum();
    let allowed = (1_000_000.0 / 8.0 * elapsed_s * 1.5) as u64 + (1 << 20);
    assert!(
        recorded <= allowed,
        "{recorded} bytes recorded in {elapsed_s:.0} s, ceiling allows about {allowed}"
    );
    assert!(recorded > 0, "nothing was recorded at all");
    // Counted, per camera.
    let text = s
        .req(Method::GET, "/api/v1/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let dropped: f64 = text
        .lines()
        .filter(|l| l.starts_with("vigil_recorder_over_ceiling_packets"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(dropped > 0.0, "no over-ceiling packets counted:\n{text}");
    s.stop().await;
}
