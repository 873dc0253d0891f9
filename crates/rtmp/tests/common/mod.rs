//! Shared pieces of the RTMP tests: a server on 127.0.0.1:0 with a recording handler, the real
//! `ffmpeg` CLI as publisher, and helpers to inspect FLV bytes with ffmpeg-next.
#![allow(clippy::unwrap_used, dead_code)]

use std::io::{Cursor, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Once};
use std::time::Duration;

use vigil_base::shutdown::Shutdown;
use vigil_rtmp::{Publish, PublishHandler, PublishRequest, RtmpOptions, RtmpServer};

pub const WAIT: Duration = Duration::from_secs(30);

/// Accepts the keys it was given and reports every decision and publish through channels.
struct RecordingHandler {
    keys: Vec<String>,
    refused: Sender<(PublishRequest, String)>,
    published: Sender<Publish>,
}

impl PublishHandler for RecordingHandler {
    fn authorize(&self, req: &PublishRequest) -> Result<(), String> {
        if self.keys.contains(&req.stream_key) {
            Ok(())
        } else {
            let reason = "unknown stream key".to_string();
            let _ = self.refused.send((req.clone(), reason.clone()));
            Err(reason)
        }
    }

    fn on_publish(&self, publish: Publish) {
        let _ = self.published.send(publish);
    }
}

pub struct Harness {
    pub rt: tokio::runtime::Runtime,
    pub shutdown: Shutdown,
    pub server: Option<RtmpServer>,
    pub addr: SocketAddr,
    pub refused: Receiver<(PublishRequest, String)>,
    pub published: Receiver<Publish>,
}

impl Harness {
    pub fn start(keys: &[&str]) -> Harness {
        Self::start_with(keys, RtmpOptions::default())
    }

    pub fn start_with(keys: &[&str], options: RtmpOptions) -> Harness {
        init_once();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (shutdown, waiter) = Shutdown::new();
        let (refused_tx, refused) = mpsc::channel();
        let (published_tx, published) = mpsc::channel();
        let handler = Arc::new(RecordingHandler {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            refused: refused_tx,
            published: published_tx,
        });
        let server = rt
            .block_on(RtmpServer::bind_with(
                "127.0.0.1:0".parse().unwrap(),
                handler,
                waiter,
                options,
            ))
            .unwrap();
        let addr = server.local_addr();
        Harness {
            rt,
            shutdown,
            server: Some(server),
            addr,
            refused,
            published,
        }
    }

    pub fn url(&self, app: &str, key: &str) -> String {
        format!("rtmp://{}/{app}/{key}", self.addr)
    }

    pub fn next_publish(&self) -> Publish {
        self.published
            .recv_timeout(WAIT)
            .expect("no publish reached the handler")
    }
}

fn init_once() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| "vigil_rtmp=debug".into()),
            )
            .with_test_writer()
            .try_init();
        ffmpeg_next::init().unwrap();
    });
}

/// What to publish.
#[derive(Clone, Copy)]
pub enum Media {
    Video,
    AudioVideo,
}

/// Starts `ffmpeg` publishing `secs` seconds of test pattern (and a sine tone) in real time.
pub fn ffmpeg_publish(url: &str, media: Media, secs: u32) -> Child {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-nostdin"]);
    cmd.args(["-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"]);
    if let Media::AudioVideo = media {
        cmd.args([
            "-re",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=44100",
        ]);
    }
    cmd.args([
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
    ]);
    cmd.args(["-g", "25", "-pix_fmt", "yuv420p"]);
    if let Media::AudioVideo = media {
        cmd.args(["-c:a", "aac", "-b:a", "64k"]);
    }
    cmd.args(["-t", &secs.to_string(), "-f", "flv", url]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd.spawn().expect("cannot run ffmpeg")
}

/// Waits for the publisher to exit (at most `limit`); returns its status and stderr.
pub fn wait_exit(child: Child, limit: Duration) -> (ExitStatus, String) {
    let (tx, rx) = mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let out = child.wait_with_output().unwrap();
        let _ = tx.send((
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    });
    match rx.recv_timeout(limit) {
        Ok(r) => r,
        Err(_) => {
            // Do not leave a publisher behind; the wait thread reaps it.
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("ffmpeg (pid {pid}) did not exit within {limit:?}");
        }
    }
}

/// Reads the reader to EOF on another thread; fails the test if that takes longer than `limit`.
pub fn read_all(mut reader: impl Read + Send + 'static, limit: Duration) -> Vec<u8> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let r = reader.read_to_end(&mut out).map(|_| out);
        let _ = tx.send(r);
    });
    rx.recv_timeout(limit)
        .expect("the FLV stream did not end")
        .expect("reading the FLV stream failed")
}

/// One FLV tag as found in the byte stream.
#[derive(Debug)]
pub struct Tag {
    pub tag_type: u8,
    pub timestamp_ms: u32,
    pub size: usize,
    /// The first two data bytes (for H.264 video: frame type/codec, then AVC packet type).
    pub head: [u8; 2],
}

/// Walks an FLV byte stream tag by tag, checking the header and every PreviousTagSize.
pub fn walk_tags(bytes: &[u8]) -> Vec<Tag> {
    assert_eq!(&bytes[..13], &vigil_rtmp::FLV_HEADER[..], "FLV header");
    let mut tags = Vec::new();
    let mut pos = 13;
    while pos < bytes.len() {
        let h = &bytes[pos..pos + 11];
        let size = u32::from_be_bytes([0, h[1], h[2], h[3]]) as usize;
        let timestamp_ms = u32::from_be_bytes([h[7], h[4], h[5], h[6]]);
        assert_eq!(&h[8..11], &[0, 0, 0], "stream id");
        let end = pos + 11 + size;
        let prev = u32::from_be_bytes(bytes[end..end + 4].try_into().unwrap()) as usize;
        assert_eq!(prev, size + 11, "PreviousTagSize of tag at {pos}");
        let data = &bytes[pos + 11..end];
        tags.push(Tag {
            tag_type: h[0],
            timestamp_ms,
            size,
            head: [
                data.first().copied().unwrap_or(0),
                data.get(1).copied().unwrap_or(0),
            ],
        });
        pos = end + 4;
    }
    assert_eq!(pos, bytes.len(), "stream ends on a tag boundary");
    tags
}

/// Opens FLV bytes the way Vigil opens a live reader: custom I/O, format probed from the magic.
pub fn open_flv_bytes(bytes: Vec<u8>) -> ffmpeg_next::format::context::Input {
    let io = ffmpeg_next::format::context::StreamIo::from_read(Cursor::new(bytes)).unwrap();
    ffmpeg_next::format::input_from_stream(io, None, None).unwrap()
}

pub struct VideoInfo {
    pub index: usize,
    pub codec: ffmpeg_next::codec::Id,
    pub width: u32,
    pub height: u32,
}

pub fn video_info(input: &ffmpeg_next::format::context::Input) -> VideoInfo {
    let stream = input
        .streams()
        .best(ffmpeg_next::media::Type::Video)
        .expect("a video stream");
    let ctx = ffmpeg_next::codec::context::Context::from_parameters(stream.parameters()).unwrap();
    let video = ctx.decoder().video().unwrap();
    VideoInfo {
        index: stream.index(),
        codec: stream.parameters().id(),
        width: video.width(),
        height: video.height(),
    }
}

pub fn count_streams(
    input: &ffmpeg_next::format::context::Input,
    kind: ffmpeg_next::media::Type,
) -> usize {
    input
        .streams()
        .filter(|s| s.parameters().medium() == kind)
        .count()
}
