//! How a supervisor opens its camera. `SourceOpener` is the seam tests use to simulate cameras;
//! the real openers are RTSP (credentials fetched at open time only), a file looped at its native
//! rate (demo camera, tests), and RTMP push (waits for the camera to publish).

use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vigil_base::{Result, err};
use vigil_media::{Demuxer, MediaPacket, SessionInfo, SourceSpec, Transport};

use crate::supervisor::Interrupt;

/// An open connection to a camera.
pub trait PacketSource: Send {
    fn session(&self) -> Arc<SessionInfo>;
    /// The next packet; `Ok(None)` when the source ended cleanly.
    fn next(&mut self) -> Result<Option<MediaPacket>>;
    /// After `next`: the source changed its parameters, and the packet just returned is the first
    /// of this new session.
    fn take_new_session(&mut self) -> Option<Arc<SessionInfo>> {
        None
    }
}

/// Opens connections to one camera.
pub trait SourceOpener: Send + Sync + 'static {
    /// Open a connection; `interrupt` aborts blocking I/O when it says so.
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>>;
    /// Safe to log: never includes credentials.
    fn describe(&self) -> String;
}

struct DemuxSource(Demuxer);

impl PacketSource for DemuxSource {
    fn session(&self) -> Arc<SessionInfo> {
        self.0.session().clone()
    }
    fn next(&mut self) -> Result<Option<MediaPacket>> {
        self.0.next_packet()
    }
}

/// RTSP pull.
pub struct RtspOpener {
    pub url: String,
    pub transport: Transport,
    pub username: Option<String>,
    /// Fetches the password from the credential store at open time.
    pub password: Box<dyn Fn() -> Option<String> + Send + Sync>,
}

impl SourceOpener for RtspOpener {
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>> {
        let i = interrupt.clone();
        let d = Demuxer::open(
            SourceSpec::Rtsp {
                url: self.url.clone(),
                transport: self.transport,
                username: self.username.clone(),
                password: (self.password)(),
            },
            move || i.should_abort(),
        )?;
        Ok(Box::new(DemuxSource(d)))
    }
    fn describe(&self) -> String {
        format!("rtsp {}", vigil_base::mask_url(&self.url))
    }
}

/// A video file played in a loop at its native rate, as a camera would send it.
pub struct FileOpener {
    pub path: PathBuf,
}

impl SourceOpener for FileOpener {
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>> {
        let i = interrupt.clone();
        let d = Demuxer::open(
            SourceSpec::File {
                path: self.path.clone(),
            },
            move || i.should_abort(),
        )?;
        Ok(Box::new(LoopingFile::new(d, interrupt.clone())))
    }
    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }
}

/// Paces a file's packets to real time and loops it forever, keeping timestamps increasing.
struct LoopingFile {
    d: Demuxer,
    interrupt: Interrupt,
    started: Instant,
    /// Added to every timestamp, per stream, in that stream's time base.
    offset: Vec<i64>,
    /// Largest end (dts + duration) seen per stream in this pass, before the offset.
    pass_end: Vec<i64>,
    /// First dts per stream in the first pass (the media-time origin).
    origin: Vec<Option<i64>>,
    passes: u32,
}

impl LoopingFile {
    fn new(d: Demuxer, interrupt: Interrupt) -> Self {
        let n = d.session().streams.len();
        LoopingFile {
            d,
            started: interrupt.clock().instant(),
            interrupt,
            offset: vec![0; n],
            pass_end: vec![0; n],
            origin: vec![None; n],
            passes: 0,
        }
    }
}

impl PacketSource for LoopingFile {
    fn session(&self) -> Arc<SessionInfo> {
        self.d.session().clone()
    }

    fn next(&mut self) -> Result<Option<MediaPacket>> {
        let session = self.d.session().clone();
        let tb = |i: usize| {
            session
                .streams
                .get(i)
                .map(|s| f64::from(s.time_base.0) / f64::from(s.time_base.1.max(1)))
                .unwrap_or(1.0 / 90_000.0)
        };
        let mut p = match self.d.next_packet()? {
            Some(p) => p,
            None => {
                // End of a pass: every stream continues from the end of the longest one.
                let pass_s = (0..self.pass_end.len())
                    .map(|i| self.pass_end[i] as f64 * tb(i))
                    .fold(0.0, f64::max);
                if pass_s <= 0.0 {
                    return Err(err!(
                        Unavailable,
                        code = SourceInvalid,
                        "file has no packets"
                    ));
                }
                for i in 0..self.offset.len() {
                    self.offset[i] += (pass_s / tb(i)).round() as i64;
                    self.pass_end[i] = 0;
                }
                self.passes += 1;
                self.d.rewind()?;
                self.d
                    .next_packet()?
                    .ok_or_else(|| err!(Unavailable, code = SourceInvalid, "file has no packets"))?
            }
        };
        let s = p.stream;
        let dts = p.dts.or(p.pts).unwrap_or(0);
        let origin = *self.origin[s].get_or_insert(dts);
        let rel = dts - origin;
        self.pass_end[s] = self.pass_end[s].max(rel + p.duration.max(1));
        let shift = self.offset[s] - origin;
        p.pts = p.pts.map(|v| v + shift);
        p.dts = p.dts.map(|v| v + shift);
        // Wait until this packet's media time has come, checking for stop.
        let due = self.started
            + Duration::from_secs_f64(((rel + self.offset[s]) as f64 * tb(s)).max(0.0));
        let clock = self.interrupt.clock().clone();
        loop {
            let now = clock.instant();
            if now >= due {
                break;
            }
            if self.interrupt.stop_requested() {
                return Err(err!(Unavailable, code = SourceInterrupted, "stopped"));
            }
            clock.sleep((due - now).min(Duration::from_millis(100)));
        }
        Ok(Some(p))
    }
}

/// A publish handed over by the RTMP listener: its FLV byte stream and a way to cancel a blocked read.
pub struct Publish {
    pub reader: Box<dyn Read + Send>,
    pub cancel: Box<dyn Fn() + Send + Sync>,
}

/// Publishes waiting to be picked up by a push camera's supervisor (the RTMP listener fills it).
#[derive(Clone)]
pub struct PublishQueue {
    tx: SyncSender<Publish>,
    rx: Arc<Mutex<Receiver<Publish>>>,
}

impl Default for PublishQueue {
    fn default() -> Self {
        let (tx, rx) = sync_channel(1);
        PublishQueue {
            tx,
            rx: Arc::new(Mutex::new(rx)),
        }
    }
}

impl PublishQueue {
    /// Hand over a new publish. Fails if one is already waiting.
    pub fn offer(&self, publish: Publish) -> std::result::Result<(), String> {
        self.tx
            .try_send(publish)
            .map_err(|_| "a publish is already pending for this camera".to_string())
    }
}

/// RTMP push: waits for the camera to publish, then demuxes its FLV stream.
pub struct PushOpener {
    pub queue: PublishQueue,
}

impl SourceOpener for PushOpener {
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>> {
        let rx = self
            .queue
            .rx
            .lock()
            .map_err(|_| err!(Internal, "publish queue poisoned"))?;
        let publish = loop {
            if interrupt.stop_requested() {
                return Err(err!(Unavailable, code = SourceInterrupted, "stopped"));
            }
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(p) => break p,
                Err(RecvTimeoutError::Timeout) => interrupt.touch(),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(err!(Unavailable, "RTMP listener is gone"));
                }
            }
        };
        drop(rx);
        interrupt.touch();
        interrupt.on_stop(publish.cancel);
        let i = interrupt.clone();
        let d = Demuxer::open(
            SourceSpec::Flv {
                reader: publish.reader,
            },
            move || i.should_abort(),
        )?;
        Ok(Box::new(DemuxSource(d)))
    }
    fn describe(&self) -> String {
        "rtmp push".into()
    }
}
