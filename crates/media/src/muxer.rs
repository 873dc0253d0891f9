//! Stream copy into fragmented MP4: the init segment (`ftyp`+`moov`) and fragments (`moof`+`mdat`,
//! about one second each, with their timing and keyframe flag). Streams already in MP4 form go
//! through our own writer (`fmp4`, far cheaper); the rest through FFmpeg's mov muxer writing into
//! a sink of ours that splits its byte stream into the same chunks. The recorder writes and fsyncs
//! fragments itself; live view sends the same chunks to players.

use std::io::Write;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use ffmpeg::Rational;
use ffmpeg::format::context::{Output, StreamIo};
use ffmpeg_next as ffmpeg;
use vigil_base::{ErrorKind, Result, err};

use crate::fmp4::NativeMuxer;
use crate::input::{MediaKind, MediaPacket, SessionInfo};
use crate::mp4::{self, FragmentInfo, InitInfo};

/// Output of the muxer, in order.
#[derive(Clone, Debug)]
pub enum Chunk {
    Init { data: Bytes, info: Arc<InitInfo> },
    Fragment { data: Bytes, info: FragmentInfo },
}

#[derive(Clone, Copy, Debug)]
pub struct MuxOptions {
    /// Longest fragment, in milliseconds (a fragment also starts at every keyframe); 0 makes a
    /// fragment of every video frame (live view: nothing waits for a fragment to fill).
    pub fragment_ms: u32,
    /// Which writer to use.
    pub engine: MuxEngine,
}

/// Which fragmented-MP4 writer a muxer uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MuxEngine {
    /// Our own writer when every stream is in MP4 form, else FFmpeg's.
    #[default]
    Auto,
    /// Always FFmpeg's mov muxer.
    Ffmpeg,
}

impl Default for MuxOptions {
    fn default() -> Self {
        MuxOptions {
            fragment_ms: 1000,
            engine: MuxEngine::Auto,
        }
    }
}

/// One fragmented-MP4 output. Make a new one for each recorded segment (each begins with its own
/// init segment and timestamps from zero).
pub struct Fmp4Muxer(Inner);

enum Inner {
    Native(NativeMuxer),
    Ffmpeg(FfmpegMuxer),
}

impl Fmp4Muxer {
    pub fn new(session: &SessionInfo, opts: MuxOptions) -> Result<Fmp4Muxer> {
        if opts.engine == MuxEngine::Auto && crate::fmp4::supports(session) {
            return Ok(Fmp4Muxer(Inner::Native(NativeMuxer::new(
                session,
                opts.fragment_ms,
            )?)));
        }
        Ok(Fmp4Muxer(Inner::Ffmpeg(FfmpegMuxer::new(session, opts)?)))
    }

    /// Whether our own writer (not FFmpeg's) is in use.
    pub fn is_native(&self) -> bool {
        matches!(self.0, Inner::Native(_))
    }

    /// Add one packet (timestamps in its input stream's time base).
    pub fn write(&mut self, pkt: &MediaPacket) -> Result<()> {
        match &mut self.0 {
            Inner::Native(m) => m.write(pkt),
            Inner::Ffmpeg(m) => m.write(pkt),
        }
    }

    /// Chunks completed since the last call.
    pub fn take_chunks(&mut self) -> Vec<Chunk> {
        match &mut self.0 {
            Inner::Native(m) => m.take_chunks(),
            Inner::Ffmpeg(m) => m.take_chunks(),
        }
    }

    /// Flush the last fragment and return the remaining chunks.
    pub fn finish(self) -> Result<Vec<Chunk>> {
        match self.0 {
            Inner::Native(m) => Ok(m.finish()),
            Inner::Ffmpeg(m) => m.finish(),
        }
    }
}

#[derive(Default)]
struct Splitter {
    buf: BytesMut,
    init: BytesMut,
    init_info: Option<Arc<InitInfo>>,
    moof: Option<(Bytes, FragmentInfo)>,
    out: Vec<Chunk>,
    error: Option<String>,
}

impl Splitter {
    fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
        loop {
            let h = match mp4::read_header(&self.buf) {
                Ok(Some(h)) => h,
                Ok(None) => return,
                Err(e) => {
                    self.error = Some(e.to_string());
                    self.buf.clear();
                    return;
                }
            };
            let Ok(size) = usize::try_from(h.size) else {
                self.error = Some("box too large".into());
                return;
            };
            if self.buf.len() < size {
                return;
            }
            let bx = self.buf.split_to(size).freeze();
            let body = &bx[h.header_len..];
            match &h.kind {
                b"ftyp" => self.init.extend_from_slice(&bx),
                b"moov" => {
                    self.init.extend_from_slice(&bx);
                    match mp4::parse_moov(body) {
                        Ok(info) => {
                            let info = Arc::new(info);
                            self.init_info = Some(info.clone());
                            let data = std::mem::take(&mut self.init).freeze();
                            self.out.push(Chunk::Init { data, info });
                        }
                        Err(e) => self.error = Some(format!("muxer wrote an unreadable moov: {e}")),
                    }
                }
                b"moof" => {
                    let Some(init) = &self.init_info else {
                        self.error = Some("moof before moov".into());
                        continue;
                    };
                    match mp4::parse_moof(body, init) {
                        Ok(info) => self.moof = Some((bx, info)),
                        Err(e) => self.error = Some(format!("muxer wrote an unreadable moof: {e}")),
                    }
                }
                b"mdat" => {
                    if let Some((moof, info)) = self.moof.take() {
                        let mut data = BytesMut::with_capacity(moof.len() + bx.len());
                        data.extend_from_slice(&moof);
                        data.extend_from_slice(&bx);
                        self.out.push(Chunk::Fragment {
                            data: data.freeze(),
                            info,
                        });
                    }
                }
                _ => {} // mfra, free, ...: not needed
            }
        }
    }
}

struct SinkWriter(Arc<Mutex<Splitter>>);

impl Write for SinkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut s) => s.push(data),
            Err(p) => p.into_inner().push(data),
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// FFmpeg's mov muxer behind the chunk splitter.
struct FfmpegMuxer {
    octx: Output,
    splitter: Arc<Mutex<Splitter>>,
    /// input stream index → (output stream index, input time base, output time base)
    map: Vec<Option<(usize, Rational, Rational)>>,
    /// Last decode time written per input stream (in its time base).
    last_dts: Vec<Option<i64>>,
}

impl FfmpegMuxer {
    fn new(session: &SessionInfo, opts: MuxOptions) -> Result<FfmpegMuxer> {
        crate::init()?;
        let splitter = Arc::new(Mutex::new(Splitter::default()));
        let io = StreamIo::from_write(SinkWriter(splitter.clone()))
            .map_err(|e| crate::av_err(ErrorKind::Internal, "muxer sink", e))?;
        let mut octx = ffmpeg::format::output_to_stream(io, None, Some("mp4"))
            .map_err(|e| crate::av_err(ErrorKind::Internal, "creating MP4 muxer", e))?;
        let mut map = vec![None; session.streams.len()];
        let mut delay_moov = false;
        let mut n = 0;
        for (i, s) in session.streams.iter().enumerate() {
            if s.kind == MediaKind::Other {
                continue;
            }
            if s.kind == MediaKind::Video && !s.has_extradata() {
                delay_moov = true;
            }
            let mut os = octx
                .add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))
                .map_err(|e| crate::av_err(ErrorKind::Internal, "adding output stream", e))?;
            os.set_parameters(s.parameters());
            reset_codec_tag(&mut os);
            map[i] = Some((
                n,
                Rational::new(s.time_base.0, s.time_base.1),
                Rational::new(0, 1),
            ));
            n += 1;
        }
        if n == 0 {
            return Err(err!(
                InvalidArgument,
                "nothing to record: no audio or video stream"
            ));
        }
        let mut flags = String::from("frag_keyframe+empty_moov+default_base_moof");
        if delay_moov {
            flags.push_str("+delay_moov");
        }
        if opts.fragment_ms == 0 {
            flags.push_str("+frag_every_frame");
        }
        let mut o = ffmpeg::Dictionary::new();
        o.set("movflags", &flags);
        if opts.fragment_ms > 0 {
            o.set(
                "frag_duration",
                &(u64::from(opts.fragment_ms) * 1000).to_string(),
            );
        }
        o.set("flush_packets", "1");
        o.set("avoid_negative_ts", "make_zero");
        octx.write_header_with(o)
            .map_err(|e| crate::av_err(ErrorKind::Internal, "writing MP4 header", e))?;
        for entry in map.iter_mut().flatten() {
            entry.2 = octx
                .stream(entry.0)
                .map(|s| s.time_base())
                .unwrap_or(Rational::new(1, 90_000));
        }
        let last_dts = vec![None; map.len()];
        Ok(FfmpegMuxer {
            octx,
            splitter,
            map,
            last_dts,
        })
    }

    fn write(&mut self, pkt: &MediaPacket) -> Result<()> {
        let Some(Some((out, in_tb, out_tb))) = self.map.get(pkt.stream).copied() else {
            return Ok(());
        };
        // MP4 needs strictly increasing decode times with pts >= dts. Sources do not always give
        // them (a demuxer just after connecting may leave dts unset on B-frame streams): repair
        // rather than fail, nudging a non-increasing dts forward.
        let Some(mut dts) = pkt.dts.or(pkt.pts) else {
            return Ok(());
        };
        let last = &mut self.last_dts[pkt.stream];
        if let Some(l) = *last
            && dts <= l
        {
            dts = l + 1;
        }
        *last = Some(dts);
        let pts = pkt.pts.unwrap_or(dts).max(dts);
        let mut p = ffmpeg::Packet::copy(&pkt.data);
        p.set_stream(out);
        p.set_pts(Some(pts));
        p.set_dts(Some(dts));
        p.set_duration(pkt.duration);
        if pkt.keyframe {
            p.set_flags(ffmpeg::packet::Flags::KEY);
        }
        p.rescale_ts(in_tb, out_tb);
        p.write_interleaved(&mut self.octx)
            .map_err(|e| crate::av_err(ErrorKind::Internal, "muxing packet", e))?;
        self.check()
    }

    fn take_chunks(&mut self) -> Vec<Chunk> {
        match self.splitter.lock() {
            Ok(mut s) => std::mem::take(&mut s.out),
            Err(p) => std::mem::take(&mut p.into_inner().out),
        }
    }

    fn finish(mut self) -> Result<Vec<Chunk>> {
        self.octx
            .write_trailer()
            .map_err(|e| crate::av_err(ErrorKind::Internal, "finishing MP4", e))?;
        self.check()?;
        Ok(self.take_chunks())
    }

    fn check(&self) -> Result<()> {
        let s = match self.splitter.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        match &s.error {
            Some(e) => Err(err!(Internal, "{e}")),
            None => Ok(()),
        }
    }
}

#[allow(unsafe_code)]
pub(crate) fn reset_codec_tag(os: &mut ffmpeg::format::stream::StreamMut<'_>) {
    // SAFETY: `codecpar` of a stream of a live output context is a valid, owned AVCodecParameters;
    // clearing the source container's tag lets the MP4 muxer pick its own. ffmpeg-next has no setter.
    unsafe {
        (*(*os.as_mut_ptr()).codecpar).codec_tag = 0;
    }
}
