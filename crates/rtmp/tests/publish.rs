//! End-to-end tests of the RTMP server with the real `ffmpeg` CLI publishing, and ffmpeg-next
//! (FFmpeg's flv demuxer) reading what comes out, live and buffered.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use ffmpeg_next::codec::Id;
use ffmpeg_next::format::context::StreamIo;
use ffmpeg_next::media::Type;

const KEY: &str = "cam1-0123456789abcdef";

/// Opens a live reader as Vigil does: custom I/O, flv probed from the magic, short analysis.
fn open_live(reader: vigil_rtmp::FlvReader) -> ffmpeg_next::format::context::Input {
    let mut opts = ffmpeg_next::Dictionary::new();
    opts.set("analyzeduration", "1000000");
    let io = StreamIo::from_read(reader).unwrap();
    ffmpeg_next::format::input_from_stream(io, None, Some(opts)).unwrap()
}

#[test]
fn video_only_publish_becomes_a_complete_flv_stream() {
    let h = Harness::start(&[KEY]);
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 3);
    let publish = h.next_publish();
    assert_eq!(publish.app, "live");
    assert_eq!(publish.stream_key, KEY);
    assert!(publish.peer.ip().is_loopback());

    let bytes = read_all(publish.reader, WAIT);
    let (status, stderr) = wait_exit(child, WAIT);
    assert!(status.success(), "ffmpeg failed: {stderr}");

    // The byte stream itself: header, well-formed tags, onMetaData first, media in order.
    let tags = walk_tags(&bytes);
    assert_eq!(tags[0].tag_type, 18, "onMetaData first");
    assert_eq!(tags[0].timestamp_ms, 0);
    let video: Vec<_> = tags.iter().filter(|t| t.tag_type == 9).collect();
    assert!(video.len() >= 60, "{} video tags", video.len());
    assert_eq!(video.iter().filter(|t| is_h264_frame(t)).count(), 75);
    assert_eq!(video[0].head, [0x17, 0], "AVC sequence header first");
    assert!(
        video
            .windows(2)
            .all(|w| w[0].timestamp_ms <= w[1].timestamp_ms)
    );
    assert!(tags.iter().all(|t| t.tag_type != 8), "no audio tags");

    // And what FFmpeg makes of it.
    let mut input = open_flv_bytes(bytes);
    let info = video_info(&input);
    assert_eq!(count_streams(&input, Type::Video), 1);
    assert_eq!(count_streams(&input, Type::Audio), 0);
    assert_eq!(info.codec, Id::H264);
    assert_eq!((info.width, info.height), (320, 240));
    let mut dts = Vec::new();
    let mut first_key = None;
    for (stream, packet) in input.packets() {
        if stream.index() == info.index {
            first_key.get_or_insert(packet.is_key());
            dts.push(packet.dts().unwrap());
        }
    }
    assert!(dts.len() >= 60, "{} video packets", dts.len());
    assert!(dts.windows(2).all(|w| w[0] < w[1]), "dts increase: {dts:?}");
    assert_eq!(first_key, Some(true), "first packet is a keyframe");
}

/// An H.264 frame (AVC NALU packet) rather than the sequence header.
fn is_h264_frame(t: &Tag) -> bool {
    t.tag_type == 9 && t.head[0] & 0x0F == 7 && t.head[1] == 1
}

#[test]
fn slow_reader_throttles_the_publisher_without_losing_tags() {
    let h = Harness::start_with(
        &[KEY],
        vigil_rtmp::RtmpOptions {
            queue_tags: 4,
            ..Default::default()
        },
    );
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 3);
    let publish = h.next_publish();
    // The consumer stalls (as a busy demux thread might) while the queue is far too small for
    // the stream; then it reads everything.
    std::thread::sleep(Duration::from_millis(1500));
    let bytes = read_all(publish.reader, WAIT);
    let (status, stderr) = wait_exit(child, WAIT);
    assert!(status.success(), "ffmpeg failed: {stderr}");
    let tags = walk_tags(&bytes);
    // 3 s at 25 fps: every one of the 75 frames arrived.
    assert_eq!(tags.iter().filter(|t| is_h264_frame(t)).count(), 75);
}

#[test]
fn live_reader_opens_and_streams_while_publishing() {
    let h = Harness::start(&[KEY]);
    let mut child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 8);
    let publish = h.next_publish();

    let started = Instant::now();
    let mut input = open_live(publish.reader);
    let opened_after = started.elapsed();
    assert!(
        child.try_wait().unwrap().is_none(),
        "open returned only after the publisher ended ({opened_after:?})"
    );
    let info = video_info(&input);
    assert_eq!(info.codec, Id::H264);
    assert_eq!((info.width, info.height), (320, 240));

    // About one second of media, live.
    let mut first = None;
    let mut packets = 0;
    for (stream, packet) in input.packets() {
        if stream.index() != info.index {
            continue;
        }
        let dts = packet.dts().unwrap();
        packets += 1;
        if dts - *first.get_or_insert(dts) >= 1000 {
            break;
        }
    }
    assert!(packets >= 25, "{packets} packets in 1 s of media");
    assert!(child.try_wait().unwrap().is_none(), "still publishing");

    // Dropping the demuxer drops the reader, which closes the publisher's connection.
    drop(input);
    let (status, _) = wait_exit(child, WAIT);
    assert!(
        !status.success(),
        "ffmpeg should fail once the server hangs up"
    );
}

/// Why the FLV header declares no streams: FFmpeg's default probing of a video-only stream stops at
/// analyzeduration (5 s) instead of waiting up to 90 s for a declared audio stream.
#[test]
fn video_only_open_with_default_options_does_not_wait_for_audio() {
    let h = Harness::start(&[KEY]);
    let mut child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 15);
    let publish = h.next_publish();
    let started = Instant::now();
    let io = StreamIo::from_read(publish.reader).unwrap();
    let input = ffmpeg_next::format::input_from_stream(io, None, None).unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "open took {took:?}");
    assert!(child.try_wait().unwrap().is_none(), "still publishing");
    assert_eq!(count_streams(&input, Type::Video), 1);
    drop(input);
    let _ = wait_exit(child, WAIT);
}

#[test]
fn audio_and_video_publish_has_both_streams() {
    let h = Harness::start(&[KEY]);
    let mut child = ffmpeg_publish(&h.url("live", KEY), Media::AudioVideo, 5);
    let publish = h.next_publish();

    // Opened live with default options: two streams end probing as soon as both are known.
    let io = StreamIo::from_read(publish.reader).unwrap();
    let mut input = ffmpeg_next::format::input_from_stream(io, None, None).unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "opened while publishing"
    );
    assert_eq!(count_streams(&input, Type::Video), 1);
    assert_eq!(count_streams(&input, Type::Audio), 1);
    assert_eq!(video_info(&input).codec, Id::H264);
    let audio = input.streams().best(Type::Audio).unwrap();
    let audio_index = audio.index();
    assert_eq!(audio.parameters().id(), Id::AAC);
    let ctx = ffmpeg_next::codec::context::Context::from_parameters(audio.parameters()).unwrap();
    assert_eq!(ctx.decoder().audio().unwrap().rate(), 44100);

    let mut audio_packets = 0;
    let mut video_packets = 0;
    for (stream, _) in input.packets() {
        if stream.index() == audio_index {
            audio_packets += 1;
        } else {
            video_packets += 1;
        }
    }
    let (status, stderr) = wait_exit(child, WAIT);
    assert!(status.success(), "ffmpeg failed: {stderr}");
    // 44100 Hz AAC is ~43 frames a second; 25 fps video.
    assert!(audio_packets >= 150, "{audio_packets} audio packets");
    assert!(video_packets >= 100, "{video_packets} video packets");
}

#[test]
fn unknown_key_and_app_are_refused_and_the_server_keeps_working() {
    let h = Harness::start(&[KEY]);

    let child = ffmpeg_publish(&h.url("live", "wrong-key-000"), Media::Video, 2);
    let (status, _) = wait_exit(child, WAIT);
    assert!(!status.success(), "a bad key must fail the publisher");
    let (req, reason) = h.refused.recv_timeout(WAIT).unwrap();
    assert_eq!(req.stream_key, "wrong-key-000");
    assert_eq!(reason, "unknown stream key");

    // Another app is refused before the handler is even asked.
    let child = ffmpeg_publish(&h.url("other", KEY), Media::Video, 2);
    let (status, _) = wait_exit(child, WAIT);
    assert!(!status.success(), "a wrong app must fail the publisher");

    assert!(matches!(
        h.published.try_recv(),
        Err(mpsc::TryRecvError::Empty)
    ));
    assert!(matches!(
        h.refused.try_recv(),
        Err(mpsc::TryRecvError::Empty)
    ));

    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 1);
    let publish = h.next_publish();
    let bytes = read_all(publish.reader, WAIT);
    assert!(wait_exit(child, WAIT).0.success());
    assert!(walk_tags(&bytes).len() > 10);
}

#[test]
fn second_publisher_on_a_busy_key_is_refused_while_the_first_continues() {
    let h = Harness::start(&[KEY]);
    let first = ffmpeg_publish(&h.url("live", KEY), Media::Video, 6);
    let mut publish = h.next_publish();

    // Read the first stream on a thread that reports each chunk's arrival.
    let (progress_tx, progress) = mpsc::channel::<usize>();
    let reading = std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0;
        loop {
            let n = publish.reader.read(&mut buf).unwrap();
            if n == 0 {
                return total;
            }
            total += n;
            let _ = progress_tx.send(total);
        }
    });
    progress.recv_timeout(WAIT).unwrap();

    let second = ffmpeg_publish(&h.url("live", KEY), Media::Video, 2);
    let (status, _) = wait_exit(second, WAIT);
    assert!(!status.success(), "the second publisher must be refused");
    assert!(matches!(
        h.published.try_recv(),
        Err(mpsc::TryRecvError::Empty)
    ));

    // The first one still streams after the refusal.
    while progress.try_recv().is_ok() {}
    let later = progress.recv_timeout(WAIT).unwrap();
    assert!(later > 0);

    let (status, stderr) = wait_exit(first, WAIT);
    assert!(status.success(), "first publisher failed: {stderr}");
    let total = reading.join().unwrap();
    assert!(total >= later);

    // Once the first publish ended, the key is free again.
    let third = ffmpeg_publish(&h.url("live", KEY), Media::Video, 1);
    let publish = h.next_publish();
    drop(read_all(publish.reader, WAIT));
    assert!(wait_exit(third, WAIT).0.success());
}

#[test]
fn cancel_ends_a_blocked_read_promptly() {
    let h = Harness::start(&[KEY]);
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 20);
    let mut publish = h.next_publish();
    let cancel = publish.reader.canceller();

    let (progress_tx, progress) = mpsc::channel::<Option<Instant>>();
    let reading = std::thread::spawn(move || {
        let mut buf = vec![0u8; 4096];
        loop {
            if publish.reader.read(&mut buf).unwrap() == 0 {
                let _ = progress_tx.send(Some(Instant::now()));
                return;
            }
            let _ = progress_tx.send(None);
        }
    });
    // Wait until media flows, then cancel mid-stream.
    let mut seen = 0;
    while seen < 20 {
        if progress.recv_timeout(WAIT).unwrap().is_none() {
            seen += 1;
        }
    }
    let cancelled_at = Instant::now();
    cancel.cancel();
    let eof_at = loop {
        if let Some(at) = progress.recv_timeout(WAIT).unwrap() {
            break at;
        }
    };
    assert!(
        eof_at.duration_since(cancelled_at) < Duration::from_millis(500),
        "EOF {:?} after cancel",
        eof_at.duration_since(cancelled_at)
    );
    reading.join().unwrap();
    // The connection is closed too: the publisher fails long before its 20 s.
    let (status, _) = wait_exit(child, Duration::from_secs(10));
    assert!(!status.success());
}

#[test]
fn shutdown_closes_publishing_connections() {
    let mut h = Harness::start(&[KEY]);
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 20);
    let mut publish = h.next_publish();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0;
        loop {
            let n = publish.reader.read(&mut buf).unwrap();
            total += n;
            let _ = tx.send((n, total));
            if n == 0 {
                return;
            }
        }
    });
    // Shut down mid-stream, once media (more than header and metadata) has arrived.
    while rx.recv_timeout(WAIT).unwrap().1 < 4096 {}
    h.shutdown.trigger();
    let server = h.server.take().unwrap();
    h.rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(5), server.join())
            .await
            .expect("server stops on shutdown")
    });
    // The reader ends (EOF) and the publisher is disconnected.
    while rx.recv_timeout(Duration::from_secs(5)).unwrap().0 != 0 {}
    let (status, _) = wait_exit(child, Duration::from_secs(10));
    assert!(!status.success());
}
