//! Recording never waits on the database's readers or on a slow write: four cameras from a real
//! RTSP server record while another connection holds a read transaction open, a slow query keeps
//! a reader of the API's pool busy, a long write keeps the database writer thread busy, and API
//! clients keep reading the index — and no recorder drops a packet, no camera stalls or
//! reconnects, and every camera's files keep growing all the while. Afterwards the index catches
//! up with what was recorded.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::TestServer;
use support::media::{Events, RtspServer, make_clip, of, status_events};

fn recorded_bytes(dir: &std::path::Path) -> u64 {
    fn walk(p: &std::path::Path) -> u64 {
        let Ok(rd) = std::fs::read_dir(p) else {
            return 0;
        };
        rd.flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    walk(&p)
                } else {
                    e.metadata().map(|m| m.len()).unwrap_or(0)
                }
            })
            .sum()
    }
    walk(dir)
}

async fn status(s: &TestServer, cam: i64) -> Value {
    let (st, b) = s.get(&format!("/api/v1/cameras/{cam}/status")).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    b["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_cameras_record_through_long_reads_and_a_slow_write() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 60, false);
    let mounts: Vec<(String, std::path::PathBuf)> =
        (1..=4).map(|i| (format!("cam{i}"), clip.clone())).collect();
    let specs: Vec<(&str, &str, &std::path::Path)> = mounts
        .iter()
        .map(|(n, p)| (n.as_str(), "h264", p.as_path()))
        .collect();
    let rtsp = RtspServer::start(0, &specs);
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let ev = Events::connect(s.port, &s.token).await;
    let mut cams = vec![];
    for (name, _) in &mounts {
        let (st, b) = s
            .post(
                "/api/v1/cameras",
                json!({"name": name, "source": {"kind": "rtsp", "url": rtsp.url(name)}}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        cams.push(b["data"]["id"].as_i64().unwrap());
    }
    ev.wait_for("a segment from each camera", Duration::from_secs(60), |e| {
        cams.iter()
            .all(|c| !of(e, *c, "recording:segment").is_empty())
    })
    .await;

    let engine = s.running.as_ref().unwrap().engine.clone();
    let db_path = s.dir.path().join("vigil.db");
    let recordings = s.dir.path().join("recordings");
    let hold = Duration::from_secs(8);

    // 1. Another connection holds a read transaction open for the whole window.
    let reader = std::thread::spawn(move || {
        let c = vigil_db::rusqlite::Connection::open(&db_path).unwrap();
        c.execute_batch("BEGIN; SELECT count(*) FROM recording;")
            .unwrap();
        std::thread::sleep(hold);
        c.execute_batch("COMMIT").unwrap();
    });
    // 2. A slow query holds one of the API's readers: a recursive count to twenty million.
    let slow_read = {
        let db = engine.db().clone();
        tokio::spawn(async move {
            db.read(|c| {
                c.query_row(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000000) \
                     SELECT count(*) FROM n",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| vigil_base::err!(Internal, "{e}"))
            })
            .await
        })
    };
    // 3. A long write (what a storage mover or a retention sweep could be) holds the writer.
    let slow_write = {
        let db = engine.db().clone();
        tokio::spawn(async move {
            db.write(move |c| {
                let tx = c
                    .transaction()
                    .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
                tx.execute("UPDATE camera SET updated_at_ms = updated_at_ms", [])
                    .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
                std::thread::sleep(hold);
                tx.commit().map_err(|e| vigil_base::err!(Internal, "{e}"))
            })
            .await
        })
    };
    // 4. API clients read the index all the while; every camera's files keep growing.
    let started = Instant::now();
    let mut before: Vec<Value> = vec![];
    for c in &cams {
        before.push(status(&s, *c).await);
    }
    let per_camera = |cams: &[i64]| -> Vec<u64> {
        cams.iter()
            .map(|c| recorded_bytes(&recordings.join(c.to_string())))
            .collect()
    };
    let mut samples = vec![per_camera(&cams)];
    let mut reads = 0;
    while started.elapsed() < hold {
        let since = vigil_base::Clock::now_ms(&vigil_base::SystemClock) - 3_600_000;
        let (st, b) = s
            .get(&format!(
                "/api/v1/cameras/{}/timeline?start={since}",
                cams[0]
            ))
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        reads += 1;
        tokio::time::sleep(Duration::from_millis(250)).await;
        if samples.len() == 1 && started.elapsed() >= hold / 2 {
            samples.push(per_camera(&cams));
        }
    }
    samples.push(per_camera(&cams));
    assert!(reads >= 4, "the API answered {reads} reads during the hold");
    for (i, c) in cams.iter().enumerate() {
        let grew: Vec<u64> = samples.iter().map(|s| s[i]).collect();
        assert!(
            grew.windows(2).all(|w| w[1] > w[0]),
            "camera {c}: recorded bytes at 0, {}s, {}s of the hold: {grew:?}",
            hold.as_secs() / 2,
            hold.as_secs()
        );
    }
    reader.join().unwrap();
    slow_read.await.unwrap().unwrap();
    slow_write.await.unwrap().unwrap();

    for (c, b) in cams.iter().zip(&before) {
        let a = status(&s, *c).await;
        assert_eq!(a["status"], "running", "camera {c}: {a}");
        assert_eq!(
            a["reconnects"], b["reconnects"],
            "camera {c} reconnected: {a}"
        );
        assert_eq!(a["recording"]["dropped_packets"], 0, "camera {c}: {a}");
        assert_eq!(a["dropped"]["recorder"], 0, "camera {c}: {a}");
        assert!(
            a["packets"].as_u64().unwrap() > b["packets"].as_u64().unwrap() + 100,
            "camera {c} read few packets during the hold: {b} → {a}"
        );
        assert_eq!(
            status_events(&ev.snapshot(), *c),
            ["starting", "running"],
            "camera {c} changed state"
        );
    }
    // The index caught up: segments finished during the hold are listed.
    let finished = ev.snapshot();
    ev.wait_for(
        "more segments after the hold",
        Duration::from_secs(30),
        |e| {
            e.len() > finished.len()
                && cams
                    .iter()
                    .all(|c| of(e, *c, "recording:segment").len() >= 3)
        },
    )
    .await;
    for c in &cams {
        let (st, b) = s
            .get(&format!(
                "/api/v1/recordings?camera_id={c}&start={}&limit=1000",
                vigil_base::Clock::now_ms(&vigil_base::SystemClock) - 3_600_000
            ))
            .await;
        assert_eq!(st, StatusCode::OK);
        let n = b["data"]["items"].as_array().unwrap().len();
        assert!(n >= 3, "camera {c}: {n} segments indexed");
    }
    s.stop().await;
}
