//! Writing an exported clip: a plain (not fragmented) MP4 with its index at the front, so any
//! player or evidence system opens it; packets are copied, never re-encoded.

use std::path::Path;

use ffmpeg::Rational;
use ffmpeg::format::context::Output;
use ffmpeg_next as ffmpeg;
use vigil_base::{ErrorKind, Result, err};

use crate::av_err;
use crate::input::{MediaKind, MediaPacket, SessionInfo};

pub struct ClipWriter {
    octx: Output,
    /// input stream index → output stream index and its time base
    map: Vec<Option<(usize, Rational)>>,
    last_dts: Vec<Option<i64>>,
}

impl ClipWriter {
    /// Create `path` with the streams of `session`.
    pub fn create(path: &Path, session: &SessionInfo) -> Result<ClipWriter> {
        crate::init()?;
        let mut octx = ffmpeg::format::output_as(&path, "mp4")
            .map_err(|e| av_err(ErrorKind::Unavailable, "creating export file", e))?;
        let mut map = vec![None; session.streams.len()];
        let mut n = 0;
        for (i, s) in session.streams.iter().enumerate() {
            if s.kind == MediaKind::Other {
                continue;
            }
            let mut os = octx
                .add_stream(ffmpeg::encoder::find(ffmpeg::codec::Id::None))
                .map_err(|e| av_err(ErrorKind::Internal, "adding export stream", e))?;
            os.set_parameters(s.parameters());
            crate::muxer::reset_codec_tag(&mut os);
            map[i] = Some((n, Rational::new(1, 90_000)));
            n += 1;
        }
        let mut o = ffmpeg::Dictionary::new();
        o.set("movflags", "+faststart");
        octx.write_header_with(o)
            .map_err(|e| av_err(ErrorKind::Internal, "writing export header", e))?;
        for e in map.iter_mut().flatten() {
            e.1 = octx.stream(e.0).map(|s| s.time_base()).unwrap_or(e.1);
        }
        let last_dts = vec![None; map.len()];
        Ok(ClipWriter {
            octx,
            map,
            last_dts,
        })
    }

    /// Write `pkt` at `at_us` microseconds from the clip's start (decode time), keeping its own
    /// pts-dts offset (B-frames). Timestamps are made strictly increasing per stream.
    pub fn write(&mut self, pkt: &MediaPacket, in_tb: (i32, i32), at_us: i64) -> Result<()> {
        let Some(Some((out, out_tb))) = self.map.get(pkt.stream).copied() else {
            return Ok(());
        };
        let us = Rational::new(1, 1_000_000);
        let in_tb = Rational::new(in_tb.0, in_tb.1);
        let cto = match (pkt.pts, pkt.dts) {
            (Some(p), Some(d)) => p - d,
            _ => 0,
        };
        let mut dts = rescale(at_us, us, out_tb);
        if let Some(prev) = self.last_dts[pkt.stream]
            && dts <= prev
        {
            dts = prev + 1;
        }
        self.last_dts[pkt.stream] = Some(dts);
        let pts = dts + rescale(cto, in_tb, out_tb);
        let mut p = ffmpeg::Packet::copy(&pkt.data);
        p.set_stream(out);
        p.set_dts(Some(dts));
        p.set_pts(Some(pts));
        p.set_duration(rescale(pkt.duration, in_tb, out_tb));
        if pkt.keyframe {
            p.set_flags(ffmpeg::packet::Flags::KEY);
        }
        p.write_interleaved(&mut self.octx)
            .map_err(|e| av_err(ErrorKind::Internal, "writing export packet", e))
    }

    pub fn finish(mut self) -> Result<()> {
        self.octx
            .write_trailer()
            .map_err(|e| err!(Unavailable, "finishing export: {e}"))
    }
}

fn rescale(v: i64, from: Rational, to: Rational) -> i64 {
    use ffmpeg::util::mathematics::rescale::Rescale;
    v.rescale(from, to)
}
