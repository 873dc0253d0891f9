//! Every camera on Vigil's own RTSP client (issue 16, point 4), against GStreamer's RTSP server.
//!
//! Cameras that send B-frames: RTP carries presentation times only, and Vigil derives decode
//! times from the stream's reorder depth. Against GStreamer's
//! RTSP server serving x264 and x265 clips with B-frames (pyramids of 3), through Vigil's own
//! RTSP client — no switch to FFmpeg's: every frame arrives with a decode time that increases and
//! is never after its presentation time, the presentation times are the clip's own, and the
//! frames written by both fMP4 writers (ours, used by the recorder and live view, and FFmpeg's)
//! decode whole in ffprobe with every frame in presentation order.
//!
//! Through the real server, an H.265 camera with B-frames records segments that decode whole, its
//! MSE live stream (the same composition offsets) decodes whole in presentation order, and its
//! snapshot decodes.
//!
//! `rtsps://` cameras: RTSP and its interleaved RTP over TLS (the server only speaks TLS), with a
//! self-signed certificate as cameras have; recorded end to end through the real server, while a
//! camera given `rtsp://` for that server fails with an error instead of recording.
#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::TestServer;
use support::media::{Events, RtspServer, ffprobe_frames, make_clip, of, status_events};
use tokio_tungstenite::tungstenite::Message;
use vigil_ingest::{Interrupt, RetinaOpener, SourceOpener};
use vigil_media::{Chunk, Fmp4Muxer, MediaPacket, MuxEngine, MuxOptions, Transport};
use vigil_testkit::{ClipSpec, VideoCodec};

/// Video frames read from the camera: 3 s at 25 fps, three GOPs.
const FRAMES: usize = 75;

/// Presentation times of the clip's video packets in decode order, relative to the first.
fn clip_pts(path: &Path) -> Vec<i64> {
    let o = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args(["packet=pts", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    let pts: Vec<i64> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    pts.iter().map(|p| p - pts[0]).collect()
}

/// What ffprobe decodes from `path`: presentation times of the frames in output order, and
/// anything it complained about.
fn decoded(path: &Path) -> (Vec<f64>, String) {
    let o = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args(["frame=pts_time", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    // A frame's line may carry side data after its time (`7200,…`); blank lines close sections.
    let times = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split(',').next()?.trim().parse().ok())
        .collect();
    (times, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn check(codec: VideoCodec, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let spec = ClipSpec {
        width: 640,
        height: 360,
        secs: 8.0,
        codec,
        b_frames: true,
        ..Default::default()
    };
    let clip = vigil_testkit::make_clip(dir.path(), "b.mp4", &spec);
    let codec_name = if codec == VideoCodec::H265 {
        "h265"
    } else {
        "h264"
    };
    let rtsp = RtspServer::start(0, &[("cam", codec_name, &clip)]);
    let opener = RetinaOpener {
        url: rtsp.url("cam"),
        transport: Transport::Tcp,
        username: None,
        password: Box::new(|| None),
        learned_reorder: Default::default(),
        stage_timeout: vigil_ingest::STAGE_TIMEOUT,
    };
    let interrupt = Interrupt::with_timeout(Duration::from_secs(20));
    let mut src = opener.open(&interrupt).unwrap();
    let session = src.session();
    let video = session.video.unwrap();
    let mut frames: Vec<MediaPacket> = vec![];
    while frames.len() < FRAMES {
        let p = src.next().unwrap().expect("the stream ended");
        interrupt.touch();
        if p.stream == video {
            frames.push(p);
        }
    }
    assert!(frames[0].keyframe, "{name}: the first frame is a keyframe");
    let pts: Vec<i64> = frames.iter().map(|p| p.pts.unwrap()).collect();
    let dts: Vec<i64> = frames.iter().map(|p| p.dts.unwrap()).collect();
    // B-frames really are there: presentation order differs from decode order.
    assert!(
        pts.windows(2).any(|w| w[1] < w[0]),
        "{name}: no B-frames came: {pts:?}"
    );
    for i in 0..FRAMES {
        assert!(
            dts[i] <= pts[i],
            "{name}: frame {i}: dts after pts: {pts:?} {dts:?}"
        );
        if i > 0 {
            assert!(
                dts[i] > dts[i - 1],
                "{name}: frame {i}: dts not increasing: {dts:?}"
            );
        }
    }
    // The presentation times are the clip's (90 kHz on RTP, 1/12800 in the clip at 25 fps).
    let theirs = clip_pts(&clip);
    let ours: Vec<i64> = pts.iter().map(|p| (p - pts[0]) * 12_800 / 90_000).collect();
    assert_eq!(ours, theirs[..FRAMES], "{name}: presentation times");
    // Written as the recorder and live view write them (and by FFmpeg's muxer), every frame
    // decodes and comes out in presentation order.
    for engine in [MuxEngine::Auto, MuxEngine::Ffmpeg] {
        let mut mux = Fmp4Muxer::new(
            &session,
            MuxOptions {
                fragment_ms: 1000,
                engine,
            },
        )
        .unwrap();
        for p in &frames {
            mux.write(p).unwrap();
        }
        let mut bytes = vec![];
        for c in mux.finish().unwrap() {
            match c {
                Chunk::Init { data, .. } | Chunk::Fragment { data, .. } => {
                    bytes.extend_from_slice(&data)
                }
            }
        }
        let out = dir.path().join(format!("{engine:?}.mp4"));
        std::fs::write(&out, bytes).unwrap();
        let (times, complaints) = decoded(&out);
        assert_eq!(complaints, "", "{name} ({engine:?}): ffprobe complained");
        assert_eq!(times.len(), FRAMES, "{name} ({engine:?}): frames decoded");
        assert!(
            times.windows(2).all(|w| w[1] > w[0]),
            "{name} ({engine:?}): frames out of order: {times:?}"
        );
        let span = times[FRAMES - 1] - times[0];
        assert!(
            (span - (FRAMES - 1) as f64 / 25.0).abs() < 0.002,
            "{name} ({engine:?}): {span} s between the first and last frame"
        );
    }
}

#[test]
fn h264_b_frames_through_retina() {
    check(VideoCodec::H264, "H.264");
}

#[test]
fn h265_b_frames_through_retina() {
    check(VideoCodec::H265, "H.265");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rtsps_cameras_record_through_retina() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let pem = dir.path().join("camera.pem");
    std::fs::write(
        &pem,
        format!("{}{}", cert.cert.pem(), cert.key_pair.serialize_pem()),
    )
    .unwrap();
    let clip = make_clip(dir.path(), "a.mp4", 30, false);
    let rtsp = RtspServer::start_tls(&[("cam", "h264", &clip)], &pem);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.heartbeat_seconds = 1;
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let create = |name: &str, url: String| {
        let body =
            json!({"name": name, "source": {"kind": "rtsp", "url": url, "transport": "udp"}});
        let s = &s;
        async move {
            let (st, b) = s.post("/api/v1/cameras", body).await;
            assert_eq!(st, StatusCode::CREATED, "{b}");
            b["data"]["id"].as_i64().unwrap()
        }
    };
    // Asked for UDP: rtsps carries RTP inside its TLS connection, so TCP is used regardless.
    let tls = create("TLS", format!("rtsps://127.0.0.1:{}/cam", rtsp.port)).await;
    let plain = create("Plain", rtsp.url("cam")).await;
    ev.wait_for(
        "two segments from the rtsps camera, an error from the plain one",
        Duration::from_secs(60),
        |e| {
            of(e, tls, "recording:segment").len() >= 2
                && status_events(e, plain).iter().any(|x| x == "error")
        },
    )
    .await;
    let (_, st) = s.get(&format!("/api/v1/cameras/{tls}/status")).await;
    assert_eq!(st["data"]["status"], "running", "{st}");
    assert_eq!(st["data"]["codec"], "h264", "{st}");
    assert_eq!(st["data"]["dropped"]["recorder"], 0, "{st}");
    // The same server without TLS: an error, never a recording.
    let events = ev.snapshot();
    assert!(
        !status_events(&events, plain).iter().any(|s| s == "running"),
        "{:?}",
        status_events(&events, plain)
    );
    assert!(of(&events, plain, "recording:segment").is_empty());
    let (_, st) = s.get(&format!("/api/v1/cameras/{plain}/status")).await;
    assert_ne!(st["data"]["status"], "running", "{st}");
    assert!(
        st["data"]["last_error"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{st}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_h265_b_frame_camera_records_and_plays_live() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ClipSpec {
        width: 640,
        height: 360,
        secs: 30.0,
        codec: VideoCodec::H265,
        b_frames: true,
        ..Default::default()
    };
    let clip = vigil_testkit::make_clip(dir.path(), "b.mp4", &spec);
    let rtsp = RtspServer::start(0, &[("cam", "h265", &clip)]);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.engine.heartbeat_seconds = 1;
    })
    .await;
    let ev = Events::connect(s.port, &s.token).await;
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "B", "source": {"kind": "rtsp", "url": rtsp.url("cam")}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let id = b["data"]["id"].as_i64().unwrap();
    ev.wait_for("the camera running", Duration::from_secs(30), |e| {
        status_events(e, id).iter().any(|x| x == "running")
    })
    .await;

    // Live: the init segment and 60 fragments, written out as a browser's buffer gets them.
    let url = format!(
        "ws://127.0.0.1:{}/api/v1/cameras/{id}/stream/mse?token={}",
        s.port, s.token
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let mut mse = vec![];
    let mut fragments = 0;
    while fragments < 61 {
        let m = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .expect("MSE data")
            .unwrap()
            .unwrap();
        if let Message::Binary(b) = m {
            mse.extend_from_slice(&b);
            fragments += 1; // the first is the init segment
        }
    }
    let live = dir.path().join("live.mp4");
    std::fs::write(&live, &mse).unwrap();
    let (times, complaints) = decoded(&live);
    assert_eq!(complaints, "", "live: ffprobe complained");
    assert_eq!(times.len(), 60, "live: frames decoded");
    assert!(
        times.windows(2).all(|w| w[1] > w[0]),
        "live: frames out of order: {times:?}"
    );

    // A snapshot decodes the stream too.
    let r = s
        .req(
            Method::GET,
            &format!("/api/v1/cameras/{id}/stream/snapshot"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let jpeg = r.bytes().await.unwrap();
    assert_eq!(&jpeg[..2], [0xff, 0xd8], "a JPEG");

    // Recorded: complete segments whose frames all decode.
    ev.wait_for("three segments", Duration::from_secs(60), |e| {
        of(e, id, "recording:segment").len() >= 3
    })
    .await;
    let since = vigil_base::Clock::now_ms(&vigil_base::SystemClock) - 3_600_000;
    let (_, list) = s
        .get(&format!(
            "/api/v1/recordings?camera_id={id}&start={since}&limit=100"
        ))
        .await;
    let recs: Vec<serde_json::Value> = list["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] == "complete")
        .cloned()
        .collect();
    assert!(recs.len() >= 2, "{list}");
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["codec"], "hevc");
        let f = dir.path().join(format!("rec-{i}.mp4"));
        let resp = s
            .req(Method::GET, &format!("/api/v1/recordings/{}/file", r["id"]))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        std::fs::write(&f, resp.bytes().await.unwrap()).unwrap();
        let d = r["duration_ms"].as_i64().unwrap();
        let frames = ffprobe_frames(&f, &[]);
        assert!(
            (frames as i64 - d / 40).abs() <= 2,
            "{frames} frames in {d} ms: {r}"
        );
        let (times, complaints) = decoded(&f);
        assert_eq!(complaints, "", "segment {i}: ffprobe complained");
        assert!(
            times.windows(2).all(|w| w[1] > w[0]),
            "segment {i}: {times:?}"
        );
    }
    let (_, st) = s.get(&format!("/api/v1/cameras/{id}/status")).await;
    assert_eq!(st["data"]["status"], "running", "{st}");
    assert_eq!(st["data"]["recording"]["dropped_packets"], 0, "{st}");
}
