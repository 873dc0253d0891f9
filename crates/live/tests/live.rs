//! The live-view hub against real media: clips encoded by ffmpeg, demuxed by vigil-media, fed
//! through real feed queues, decoded and encoded by the hub, and the JPEGs read back by `image`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::Camera;
use vigil_live::{Frame, HubOptions, HubStats, MjpegHub, Quality};
use vigil_media::{FeedItem, SessionInfo};
use vigil_testkit::{ClipSpec, VideoCodec};

fn spec(codec: VideoCodec, width: u32, height: u32, secs: f32) -> ClipSpec {
    ClipSpec {
        width,
        height,
        secs,
        codec,
        gop: 25,
        ..Default::default()
    }
}

fn hub_for(cam: &Arc<Camera>) -> MjpegHub {
    MjpegHub::with_options(
        cam.subscriber(),
        HubOptions {
            name: "test".into(),
            // Generous for slow machines: "warm" must not expire between two lines of a test.
            warm_age: Duration::from_secs(30),
            snapshot_timeout: Duration::from_secs(20),
            ..Default::default()
        },
    )
}

/// Poll `cond` on the hub's counters until it holds, failing after 60 s.
async fn until(hub: &MjpegHub, what: &str, cond: impl Fn(&HubStats) -> bool) -> HubStats {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = hub.stats();
        if cond(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s:#?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Poll until the camera has `n` open queues.
async fn until_queues(cam: &Camera, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while cam.open_queues() != n {
        assert!(Instant::now() < deadline, "camera queues never reached {n}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn stopped(hub: &MjpegHub) {
    tokio::time::timeout(Duration::from_secs(30), hub.wait_stopped())
        .await
        .expect("the worker did not stop");
    assert_eq!(hub.stats().workers_running, 0);
}

/// Decode a JPEG and return its size.
fn jpeg_size(jpeg: &Bytes) -> (u32, u32) {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "not a JPEG");
    let img = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap();
    (img.width(), img.height())
}

async fn next(viewer: &mut vigil_live::Viewer) -> Frame {
    tokio::time::timeout(Duration::from_secs(30), viewer.next_frame())
        .await
        .expect("no frame within 30 s")
        .expect("hub output closed")
}

/// Encoded frames of `q` over `secs` of media are close to the quality's rate.
fn assert_rate(stats: &HubStats, q: Quality, secs: f32) {
    let want = q.fps() as f32 * secs;
    let got = stats.quality(q).frames_encoded as f32;
    assert!(
        (got - want).abs() <= 2.0,
        "{q}: {got} frames for {secs} s of media, expected about {want}"
    );
}

#[tokio::test]
async fn each_quality_gets_its_size_and_rate_from_h264() {
    let dir = tempfile::tempdir().unwrap();
    // 640x360: Low's box exactly; Medium and High must not upscale it.
    let cam = Camera::clip(dir.path(), "a.mp4", &spec(VideoCodec::H264, 640, 360, 4.0));
    let hub = hub_for(&cam);
    let mut viewers: Vec<_> = Quality::ALL
        .iter()
        .map(|&q| hub.subscribe(q).unwrap())
        .collect();
    until_queues(&cam, 1).await;
    cam.send_all();
    let s = until(&hub, "the clip", |s| s.packets == 100).await;
    assert_eq!(s.frames_decoded, 100);
    for v in &mut viewers {
        // Nobody read while the clip was decoded: each viewer gets only the newest frame.
        let f = next(v).await;
        assert!(f.pts_us.unwrap() >= 3_500_000, "{:?}", f.pts_us);
        assert_eq!(jpeg_size(&f.jpeg), (640, 360), "{}", v.quality());
        assert_eq!((f.width, f.height), (640, 360));
        assert_eq!(s.quality(v.quality()).viewers, 1);
    }
    for q in Quality::ALL {
        assert_rate(&s, q, 4.0);
    }
    assert_eq!(
        (s.decoder_starts, s.decode_errors, s.packets_lost),
        (1, 0, 0)
    );
    drop(viewers);
    stopped(&hub).await;
    assert_eq!(
        cam.open_queues(),
        0,
        "the feed subscription outlived the viewers"
    );
}

#[tokio::test]
async fn a_large_source_is_scaled_into_the_box() {
    let dir = tempfile::tempdir().unwrap();
    // 4:3 and larger than Low's box: limited by height, 480x360.
    let cam = Camera::clip(dir.path(), "b.mp4", &spec(VideoCodec::H264, 960, 720, 1.0));
    let hub = hub_for(&cam);
    let mut low = hub.subscribe(Quality::Low).unwrap();
    until_queues(&cam, 1).await;
    cam.send_all();
    let f = next(&mut low).await;
    assert_eq!(jpeg_size(&f.jpeg), (480, 360));
    let s = until(&hub, "the clip", |s| s.packets == 25).await;
    assert_eq!(s.frames_decoded, 25);
    // Nobody watches the others: nothing is encoded for them.
    assert_eq!(s.quality(Quality::Medium).frames_encoded, 0);
    assert_eq!(s.quality(Quality::High).frames_encoded, 0);
    assert_rate(&s, Quality::Low, 1.0);
}

#[tokio::test]
async fn h265_after_h264_in_a_new_session() {
    let dir = tempfile::tempdir().unwrap();
    let cam = Camera::clip(dir.path(), "c.mp4", &spec(VideoCodec::H264, 320, 240, 1.0));
    let hevc = Camera::clip(dir.path(), "c2.mp4", &spec(VideoCodec::H265, 640, 360, 2.0));
    let hub = hub_for(&cam);
    let mut v = hub.subscribe(Quality::Medium).unwrap();
    until_queues(&cam, 1).await;
    cam.send_all();
    let s = until(&hub, "the H.264 clip", |s| s.packets == 25).await;
    assert_eq!(s.frames_decoded, 25);
    assert_eq!(jpeg_size(&next(&mut v).await.jpeg), (320, 240));

    // The camera reconnects with other parameters: a new session, sequence numbers go on.
    cam.send(FeedItem::End {
        reason: "reconnect".into(),
    });
    cam.send(FeedItem::Session(hevc.session.clone()));
    let first = cam.packets.len() as u64;
    for (i, p) in hevc.packets.iter().enumerate() {
        cam.send(FeedItem::Packet {
            seq: first + i as u64,
            arrival_ms: 0,
            packet: p.clone(),
        });
    }
    let s = until(&hub, "the H.265 clip", |s| {
        s.packets == first + hevc.packets.len() as u64
    })
    .await;
    assert_eq!(jpeg_size(&next(&mut v).await.jpeg), (640, 360));
    assert_eq!(
        (s.decoder_starts, s.decode_errors, s.packets_lost),
        (2, 0, 0)
    );
    // libx265 may keep a few frames in flight at the end of the clip; the pacing is what counts.
    assert!(s.frames_decoded >= 25 + 45, "{s:#?}");
    let enc = s.quality(Quality::Medium).frames_encoded;
    assert!(
        (28..=31).contains(&enc),
        "{enc} frames at 10 fps over 1 s + 2 s"
    );
}

#[tokio::test]
async fn b_frames_are_paced_by_presentation_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = spec(VideoCodec::H264, 320, 240, 2.0);
    spec.b_frames = true;
    let cam = Camera::clip(dir.path(), "bf.mp4", &spec);
    assert!(
        cam.packets.iter().any(|p| p.pts != p.dts),
        "no reordering in the clip"
    );
    let hub = hub_for(&cam);
    let mut v = hub.subscribe(Quality::High).unwrap();
    until_queues(&cam, 1).await;
    cam.send_all();
    let s = until(&hub, "the clip's packets", |s| {
        s.packets == cam.packets.len() as u64
    })
    .await;
    // The decoder holds the last reordered frames back (no end-of-stream flush on a live feed).
    assert!(s.frames_decoded >= 46, "{s:#?}");
    let enc = s.quality(Quality::High).frames_encoded;
    assert!((26..=31).contains(&enc), "{enc} frames at 15 fps over 2 s");
    assert_eq!(s.decode_errors, 0);
    assert_eq!(jpeg_size(&next(&mut v).await.jpeg), (320, 240));
}

#[tokio::test]
async fn twenty_viewers_share_one_decoder_and_decoding_stops_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let cam = Camera::clip(dir.path(), "d.mp4", &spec(VideoCodec::H264, 320, 240, 2.0));
    let hub = hub_for(&cam);
    let mut viewers: Vec<_> = (0..20)
        .map(|i| hub.subscribe(Quality::ALL[i % 3]).unwrap())
        .collect();
    until_queues(&cam, 1).await;
    cam.send_all();
    let s = until(&hub, "the clip", |s| s.packets == 50).await;
    assert_eq!(s.frames_decoded, 50);
    for v in &mut viewers {
        assert_eq!(jpeg_size(&next(v).await.jpeg), (320, 240));
    }
    assert_eq!(s.worker_starts, 1);
    assert_eq!(s.decoder_starts, 1);
    assert_eq!(s.workers_running, 1);
    assert_eq!(cam.subscriptions(), 1);
    let viewers_now: Vec<usize> = s.qualities.iter().map(|q| q.viewers).collect();
    assert_eq!(viewers_now, [7, 7, 6]);
    // One encode per quality however many watch it.
    assert_rate(&s, Quality::Low, 2.0);
    assert_rate(&s, Quality::High, 2.0);

    // Leaving one by one: the worker stays until the last is gone.
    let last = viewers.pop().unwrap();
    drop(viewers);
    assert_eq!(hub.stats().workers_running, 1);
    assert_eq!(cam.open_queues(), 1);
    drop(last);
    stopped(&hub).await;
    assert_eq!(cam.open_queues(), 0);
    let s = hub.stats();
    assert!(s.qualities.iter().all(|q| q.viewers == 0));

    // Nothing is decoded without viewers.
    cam.send_all();
    assert_eq!(hub.stats().frames_decoded, 50);

    // A new viewer starts a new worker and subscription.
    let mut v = hub.subscribe(Quality::Low).unwrap();
    until_queues(&cam, 1).await;
    cam.send_all();
    assert_eq!(jpeg_size(&next(&mut v).await.jpeg), (320, 240));
    let s = until(&hub, "the second pass", |s| s.packets == 100).await;
    assert_eq!(s.frames_decoded, 100);
    assert_eq!((s.worker_starts, s.decoder_starts), (2, 2));
    drop(v);
    stopped(&hub).await;
}

#[tokio::test]
async fn lost_packets_resume_at_the_next_keyframe() {
    let dir = tempfile::tempdir().unwrap();
    // Keyframes at frames 0, 25, 50, 75; no B-frames: one frame out per packet in.
    let cam = Camera::clip(dir.path(), "e.mp4", &spec(VideoCodec::H264, 320, 240, 4.0));
    assert_eq!(cam.packets.len(), 100);
    assert!(cam.packets[25].keyframe && !cam.packets[15].keyframe);
    let hub = hub_for(&cam);
    let mut v = hub.subscribe(Quality::High).unwrap();
    until_queues(&cam, 1).await;
    // Packets 10..15 never arrive: their sequence numbers are skipped.
    for i in (0..10).chain(15..100) {
        cam.send_packet(i, i as u64);
    }
    let s = until(&hub, "the clip's packets", |s| s.packets == 95).await;
    assert_eq!(s.packets_lost, 5);
    // 15..25 are thrown away: they depend on what was lost.
    assert_eq!(s.packets_skipped, 10);
    assert_eq!(s.frames_decoded, 85);
    assert_eq!(s.decode_errors, 0);
    let f = next(&mut v).await;
    assert!(f.pts_us.unwrap() >= 3_000_000, "{:?}", f.pts_us);
}

#[tokio::test]
async fn garbage_packets_are_survived() {
    let dir = tempfile::tempdir().unwrap();
    let cam = Camera::clip(dir.path(), "f.mp4", &spec(VideoCodec::H264, 320, 240, 2.0));
    let hub = hub_for(&cam);
    let mut v = hub.subscribe(Quality::Low).unwrap();
    until_queues(&cam, 1).await;
    let mut seq = 0;
    let mut junk = |keyframe: bool, data: Vec<u8>| {
        let mut p = cam.packets[0].clone();
        p.keyframe = keyframe;
        p.data = Bytes::from(data);
        seq += 1;
        FeedItem::Packet {
            seq,
            arrival_ms: 0,
            packet: p,
        }
    };
    let mut items = vec![
        junk(true, vec![0xFF; 64]),
        junk(true, vec![0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00]),
        junk(false, vec![0x00; 3]),
        junk(true, (0..4000u32).map(|i| (i * 7919 % 251) as u8).collect()),
        junk(true, vec![0, 0, 0, 200, 1, 2, 3]),
    ];
    // Then the real clip, and a session without video in the middle of nowhere.
    for (i, p) in cam.packets.iter().enumerate() {
        items.push(FeedItem::Packet {
            seq: seq + 1 + i as u64,
            arrival_ms: 0,
            packet: p.clone(),
        });
    }
    for item in items {
        cam.send(item);
    }
    let f = next(&mut v).await;
    assert_eq!(jpeg_size(&f.jpeg), (320, 240));
    let s = until(&hub, "every packet", |s| s.packets == 55).await;
    assert!(s.decode_errors >= 1, "{s:#?}");
    assert_eq!(s.frames_decoded, 50, "{s:#?}");

    cam.send(FeedItem::Session(Arc::new(SessionInfo::new(vec![]))));
    cam.send(FeedItem::End {
        reason: "test".into(),
    });
    cam.send_packet(0, 1000);
    let s = until(&hub, "the packet after a session without video", |s| {
        s.packets == 56
    })
    .await;
    assert_eq!(s.workers_running, 1);
    drop(v);
    stopped(&hub).await;
}

#[tokio::test]
async fn a_closed_feed_is_subscribed_again_while_viewers_remain() {
    let dir = tempfile::tempdir().unwrap();
    let cam = Camera::clip(dir.path(), "r.mp4", &spec(VideoCodec::H264, 320, 240, 1.0));
    let hub = MjpegHub::with_options(
        cam.subscriber(),
        HubOptions {
            resubscribe_delay: Duration::from_millis(20),
            ..Default::default()
        },
    );
    let mut v = hub.subscribe(Quality::Low).unwrap();
    until_queues(&cam, 1).await;
    cam.close_all();
    // The worker notices, waits a little and subscribes again; the new queue works.
    until_queues(&cam, 1).await;
    assert_eq!(cam.subscriptions(), 2);
    cam.send_all();
    assert_eq!(jpeg_size(&next(&mut v).await.jpeg), (320, 240));
    let s = hub.stats();
    assert_eq!((s.worker_starts, s.workers_running), (1, 1));
    drop(v);
    stopped(&hub).await;
}

#[tokio::test]
async fn snapshot_cold_then_warm() {
    let dir = tempfile::tempdir().unwrap();
    // Larger than Low's box: the snapshot is full size, the Low frames are not.
    let cam = Camera::clip(dir.path(), "g.mp4", &spec(VideoCodec::H264, 800, 600, 1.0));
    let hub = hub_for(&cam);

    // Cold: nobody watches, so the snapshot starts decoding and waits for a frame.
    let pending = tokio::spawn({
        let hub = hub.clone();
        async move { hub.snapshot().await }
    });
    until_queues(&cam, 1).await;
    cam.send_all();
    let snap = pending.await.unwrap().unwrap();
    assert_eq!(jpeg_size(&snap.jpeg), (800, 600));
    assert_eq!(snap.pts_us, Some(0));
    // Decoding is released with the snapshot.
    stopped(&hub).await;
    assert_eq!(cam.open_queues(), 0);
    assert_eq!(hub.stats().snapshots_encoded, 1);

    // Warm from the snapshot cache: no new decode.
    let again = hub.snapshot().await.unwrap();
    assert_eq!(again.seq, snap.seq);
    assert_eq!(hub.stats().worker_starts, 1);

    // Warm from a viewer's frames (once the snapshot cache has gone cold).
    let hub = MjpegHub::with_options(
        cam.subscriber(),
        HubOptions {
            warm_age: Duration::from_secs(30),
            ..Default::default()
        },
    );
    let mut low = hub.subscribe(Quality::Low).unwrap();
    until_queues(&cam, 1).await;
    cam.send_all();
    let f = next(&mut low).await;
    let s = hub.snapshot().await.unwrap();
    assert!(s.seq >= f.seq);
    assert_eq!(jpeg_size(&s.jpeg), (480, 360));
    assert_eq!(hub.stats().snapshots_encoded, 0);
}

#[tokio::test]
async fn snapshot_without_pictures_times_out_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let cam = Camera::clip(dir.path(), "h.mp4", &spec(VideoCodec::H264, 320, 240, 1.0));
    let hub = MjpegHub::with_options(
        cam.subscriber(),
        HubOptions {
            snapshot_timeout: Duration::from_millis(300),
            ..Default::default()
        },
    );
    let e = hub.snapshot().await.unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::SnapshotUnavailable);
    assert_eq!(e.kind(), vigil_base::ErrorKind::Unavailable);
    stopped(&hub).await;
    assert_eq!(cam.open_queues(), 0);

    // A caller that gives up (its future dropped) releases the worker too.
    let gave_up = tokio::time::timeout(Duration::from_millis(50), hub.snapshot()).await;
    assert!(gave_up.is_err());
    stopped(&hub).await;
    assert_eq!(cam.open_queues(), 0);
    assert_eq!(hub.stats().worker_starts, 2);
}
