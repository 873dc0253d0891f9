//! The live fMP4 hub (MSE and HLS) against real media: a clip made by ffmpeg, demuxed and offered
//! through real feed queues; what comes out is parsed as MP4 and read back by ffprobe.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::Camera;
use vigil_live::{Fmp4Hub, Fmp4Options, MseEvent, MseViewer};
use vigil_media::mp4;
use vigil_testkit::{ClipSpec, ffprobe_frames};

const WAIT: Duration = Duration::from_secs(30);

fn camera(dir: &std::path::Path, secs: f32, audio: bool) -> Arc<Camera> {
    Camera::clip(
        dir,
        "cam.mp4",
        &ClipSpec {
            width: 320,
            height: 240,
            secs,
            gop: 25,
            audio,
            ..Default::default()
        },
    )
}

fn hub(cam: &Arc<Camera>) -> Fmp4Hub {
    Fmp4Hub::new(
        cam.subscriber(),
        Fmp4Options {
            name: "test".into(),
            hls_max_segments: 3,
            ..Default::default()
        },
    )
}

async fn next(v: &mut MseViewer) -> MseEvent {
    tokio::time::timeout(WAIT, v.next())
        .await
        .expect("an event in time")
        .expect("the hub is alive")
}

async fn until_queues(cam: &Camera, n: usize) {
    tokio::time::timeout(WAIT, async {
        while cam.open_queues() != n {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("feed queues");
}

/// Init, then fragments of one frame each with increasing decode times, the first a keyframe.
async fn read_stream(v: &mut MseViewer, frames: usize) -> (Bytes, Vec<mp4::FragmentInfo>, Vec<u8>) {
    let MseEvent::Init(init) = next(v).await else {
        panic!("the stream starts with its init segment")
    };
    assert!(
        init.mime.starts_with("video/mp4; codecs=\"avc1.4"),
        "{}",
        init.mime
    );
    assert_eq!((init.width, init.height), (320, 240));
    let scan = mp4::scan(&init.data).unwrap();
    let mut file = init.data.to_vec();
    let mut infos = vec![];
    while infos.len() < frames {
        match next(v).await {
            MseEvent::Fragment(f) => {
                let h = mp4::read_header(&f).unwrap().unwrap();
                assert_eq!(&h.kind, b"moof");
                let info = mp4::parse_moof(&f[h.header_len..h.size as usize], &scan.init).unwrap();
                file.extend_from_slice(&f);
                infos.push(info);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    (init.data.clone(), infos, file)
}

#[tokio::test]
async fn mse_viewers_get_init_then_frame_fragments_from_a_keyframe() {
    let dir = tempfile::tempdir().unwrap();
    let cam = camera(dir.path(), 3.0, true);
    let hub = hub(&cam);
    let mut first = hub.watch();
    until_queues(&cam, 1).await;
    // Half the clip: the second viewer must start at the latest keyframe, from the GOP cache.
    let half = cam.packets.len() / 2;
    for i in 0..half {
        cam.send_packet(i, i as u64);
    }
    let (_, infos, file) = read_stream(&mut first, 30).await;
    assert!(infos[0].keyframe, "starts at a keyframe");
    assert!(infos.iter().all(|f| f.samples == 1), "a fragment per frame");
    for w in infos.windows(2) {
        assert!(w[1].decode_time > w[0].decode_time, "decode times increase");
    }
    let path = dir.path().join("mse.mp4");
    std::fs::write(&path, &file).unwrap();
    assert_eq!(ffprobe_frames(&path, &[]), 30, "every fragment decodes");

    let mut second = hub.watch();
    let (_, late, _) = read_stream(&mut second, 1).await;
    assert!(late[0].keyframe, "a new viewer starts at a keyframe");
    assert!(late[0].decode_time > 0, "…the latest one, not the first");
    assert_eq!(hub.stats().starts, 1, "one muxer for every viewer");
    assert_eq!(cam.subscriptions(), 1, "one feed subscription");

    drop(first);
    drop(second);
    tokio::time::timeout(WAIT, hub.wait_stopped())
        .await
        .unwrap();
    until_queues(&cam, 0).await;
    assert!(!hub.is_running());
}

#[tokio::test]
async fn hls_serves_keyframe_segments_ffprobe_reads() {
    let dir = tempfile::tempdir().unwrap();
    let cam = camera(dir.path(), 12.0, false);
    let hub = hub(&cam);
    // The first playlist request starts HLS and waits for a segment.
    let h2 = hub.clone();
    let first = tokio::spawn(async move { h2.hls_playlist().await });
    until_queues(&cam, 1).await;
    cam.send_all();
    let m = first.await.unwrap().unwrap();
    assert!(m.starts_with("#EXTM3U\n#EXT-X-VERSION:7\n"), "{m}");
    assert!(m.contains("#EXT-X-MAP:URI=\"init/1.mp4\""), "{m}");
    assert!(m.contains("#EXT-X-TARGETDURATION:2\n"), "{m}");
    // Wait until pruning shows (12 s of 2 s segments, 3 kept).
    let m = tokio::time::timeout(WAIT, async {
        loop {
            let m = hub.hls_playlist().await.unwrap();
            if m.contains("#EXT-X-MEDIA-SEQUENCE:2") {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("old segments pruned");
    let segs: Vec<u64> = m
        .lines()
        .filter_map(|l| {
            l.strip_prefix("segment/")?
                .strip_suffix(".m4s")?
                .parse()
                .ok()
        })
        .collect();
    assert_eq!(segs, vec![2, 3, 4], "{m}");
    for l in m.lines().filter_map(|l| l.strip_prefix("#EXTINF:")) {
        let d: f64 = l.trim_end_matches(',').parse().unwrap();
        assert!((1.9..=2.1).contains(&d), "~2 s segments at 1 s GOPs: {d}");
    }
    assert!(hub.hls_segment(0).is_none(), "pruned");
    let mut file = hub.hls_init(1).unwrap().to_vec();
    for s in &segs {
        let data = hub.hls_segment(*s).unwrap();
        let scan = mp4::scan(&[&file[..], &data[..]].concat()).unwrap();
        assert!(scan.fragments.last().unwrap().info.samples > 0);
        file.extend_from_slice(&data);
    }
    let path = dir.path().join("hls.mp4");
    std::fs::write(&path, &file).unwrap();
    assert_eq!(
        ffprobe_frames(&path, &[]),
        150,
        "three 2 s segments at 25 fps"
    );

    hub.end_hls();
    tokio::time::timeout(WAIT, hub.wait_stopped())
        .await
        .unwrap();
    until_queues(&cam, 0).await;
}

#[tokio::test]
async fn a_viewer_that_falls_behind_skips_to_a_keyframe() {
    let dir = tempfile::tempdir().unwrap();
    let cam = camera(dir.path(), 12.0, false);
    let hub = Fmp4Hub::new(
        cam.subscriber(),
        Fmp4Options {
            viewer_queue: 16,
            ..Default::default()
        },
    );
    let mut slow = hub.watch();
    until_queues(&cam, 1).await;
    cam.send_all(); // 300 frames into a 16-fragment queue that nobody reads
    let MseEvent::Init(init) = next(&mut slow).await else {
        panic!("init first")
    };
    let scan = mp4::scan(&init.data).unwrap();
    let mut skipped = false;
    loop {
        match next(&mut slow).await {
            MseEvent::Skip => skipped = true,
            MseEvent::Fragment(f) if skipped => {
                let h = mp4::read_header(&f).unwrap().unwrap();
                let info = mp4::parse_moof(&f[h.header_len..h.size as usize], &scan.init).unwrap();
                assert!(
                    info.keyframe,
                    "after a skip the next fragment is a keyframe's"
                );
                break;
            }
            MseEvent::Fragment(_) => {}
            MseEvent::Init(_) => panic!("no new session"),
        }
    }
    assert!(hub.stats().skips >= 1);
}
