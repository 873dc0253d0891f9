//! One camera's video decoder, shared by live view and detection: FFmpeg's H.264/H.265 decoder built from a session's
//! stream parameters (AVCC/HVCC or Annex B alike), on one thread. After lost packets or a decode
//! error it throws packets away until the next keyframe, so no frame is shown built on missing data.

use crate::ffmpeg;
use crate::{MediaKind, MediaPacket, SessionInfo, StreamInfo};
use ffmpeg::codec::threading;
use ffmpeg::util::error::EAGAIN;
use ffmpeg::util::frame::Video as VideoFrame;
use vigil_base::{ErrorKind, Result, err};

/// Decodes one video stream of one session.
pub struct VideoDecoder {
    decoder: ffmpeg::decoder::Video,
    stream: usize,
    time_base: (i32, i32),
    /// True until a keyframe arrives (at start, after a gap, after an error).
    awaiting_keyframe: bool,
    frame: VideoFrame,
    errors: u64,
}

/// What became of one packet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeOutcome {
    /// Frames handed to the callback.
    pub frames: usize,
    /// The packet was skipped while waiting for a keyframe.
    pub skipped: bool,
    /// Frames the decoder marked damaged (dropped, not handed over).
    pub damaged: usize,
    /// The decoder rejected the packet; it now waits for a keyframe.
    pub error: bool,
}

impl VideoDecoder {
    /// A decoder for `stream` (H.264 or H.265) using one decoding thread.
    pub fn new(stream: &StreamInfo) -> Result<VideoDecoder> {
        crate::init()?;
        if stream.kind != MediaKind::Video {
            return Err(err!(
                InvalidArgument,
                "stream {} is not video",
                stream.index
            ));
        }
        let id = stream.codec_id;
        if !matches!(id, ffmpeg::codec::Id::H264 | ffmpeg::codec::Id::HEVC) {
            return Err(err!(
                Unavailable,
                code = CodecUnsupported,
                "live view decodes H.264 and H.265, not {}",
                stream.codec
            ));
        }
        let mut ctx = ffmpeg::codec::Context::from_parameters(stream.parameters())
            .map_err(|e| av(ErrorKind::Internal, "decoder parameters", e))?;
        // One thread per camera: frame threading would add a frame of latency per thread and
        // live view of many cameras is CPU-bound already.
        ctx.set_threading(threading::Config {
            kind: threading::Type::Slice,
            count: 1,
            ..Default::default()
        });
        let (num, den) = stream.time_base;
        if num > 0 && den > 0 {
            ctx.set_time_base(ffmpeg::Rational::new(num, den));
        }
        let decoder = ctx
            .decoder()
            .video()
            .map_err(|e| av(ErrorKind::Internal, "opening the video decoder", e))?;
        Ok(VideoDecoder {
            decoder,
            stream: stream.index,
            time_base: stream.time_base,
            awaiting_keyframe: true,
            frame: VideoFrame::empty(),
            errors: 0,
        })
    }

    /// A decoder for the main video stream of `session`, taking the packets whose `stream` is
    /// that stream's position in the session.
    pub fn for_session(session: &SessionInfo) -> Result<VideoDecoder> {
        let (Some(position), Some(video)) = (session.video, session.video_stream()) else {
            return Err(err!(Unavailable, code = NoVideo, "the source has no video"));
        };
        let mut decoder = VideoDecoder::new(video)?;
        decoder.stream = position;
        Ok(decoder)
    }

    /// Index of the stream this decoder takes packets of.
    pub fn stream(&self) -> usize {
        self.stream
    }

    /// The stream's time base (`num/den` seconds per tick).
    pub fn time_base(&self) -> (i32, i32) {
        self.time_base
    }

    /// Decode errors seen so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Whether packets are being discarded until the next keyframe.
    pub fn awaiting_keyframe(&self) -> bool {
        self.awaiting_keyframe
    }

    /// Let the decoder drop frames no other frame refers to (B-frames of most cameras) without
    /// decoding them: for consumers that take a few frames a second (detection), free CPU.
    pub fn skip_non_reference(&mut self, skip: bool) {
        self.decoder.skip_frame(if skip {
            ffmpeg::Discard::NonReference
        } else {
            ffmpeg::Discard::Default
        });
    }

    /// Packets were lost: drop what the decoder holds and wait for the next keyframe.
    pub fn discard_until_keyframe(&mut self) {
        if !self.awaiting_keyframe {
            self.decoder.flush();
            self.awaiting_keyframe = true;
        }
    }

    /// Feed one packet; every decoded frame goes to `on_frame`. Packets of other streams are
    /// ignored. Errors never escape: a bad packet makes the decoder wait for the next keyframe.
    pub fn decode(
        &mut self,
        packet: &MediaPacket,
        mut on_frame: impl FnMut(&VideoFrame),
    ) -> DecodeOutcome {
        let mut out = DecodeOutcome::default();
        if packet.stream != self.stream {
            return out;
        }
        if self.awaiting_keyframe {
            if !packet.keyframe {
                out.skipped = true;
                return out;
            }
            self.awaiting_keyframe = false;
        }
        let mut p = ffmpeg::Packet::copy(&packet.data);
        p.set_pts(packet.pts);
        p.set_dts(packet.dts);
        p.set_duration(packet.duration);
        if packet.keyframe {
            p.set_flags(ffmpeg::packet::Flags::KEY);
        }
        let mut retried = false;
        loop {
            match self.decoder.send_packet(&p) {
                Ok(()) => break,
                // Full: take its frames out, then the packet goes in.
                Err(ffmpeg::Error::Other { errno: EAGAIN }) if !retried => {
                    retried = true;
                    if !self.drain(&mut on_frame, &mut out) {
                        return out;
                    }
                }
                Err(_) => {
                    self.fail();
                    out.error = true;
                    return out;
                }
            }
        }
        self.drain(&mut on_frame, &mut out);
        out
    }

    /// Hand every frame ready to `on_frame`; false after an error (the decoder was reset).
    fn drain(&mut self, on_frame: &mut impl FnMut(&VideoFrame), out: &mut DecodeOutcome) -> bool {
        loop {
            match self.decoder.receive_frame(&mut self.frame) {
                // Concealed damage (missing references): not shown; the decoder recovers.
                Ok(()) if self.frame.is_corrupt() => {
                    out.damaged += 1;
                    continue;
                }
                Ok(()) => {
                    out.frames += 1;
                    on_frame(&self.frame);
                    continue;
                }
                Err(ffmpeg::Error::Other { errno: EAGAIN }) | Err(ffmpeg::Error::Eof) => {
                    return true;
                }
                Err(_) => {}
            }
            self.fail();
            out.error = true;
            return false;
        }
    }

    /// Presentation time of `frame` in microseconds, if it has one.
    pub fn frame_time_us(&self, frame: &VideoFrame) -> Option<i64> {
        frame_time_us(frame, self.time_base)
    }

    fn fail(&mut self) {
        self.errors += 1;
        self.decoder.flush();
        self.awaiting_keyframe = true;
    }
}

/// Presentation time of `frame` (best effort, else its pts) in microseconds.
pub fn frame_time_us(frame: &VideoFrame, time_base: (i32, i32)) -> Option<i64> {
    let ts = frame.timestamp().or_else(|| frame.pts())?;
    ticks_to_us(ts, time_base)
}

/// `ticks` of `num/den` seconds in microseconds (None for a meaningless time base).
pub fn ticks_to_us(ticks: i64, (num, den): (i32, i32)) -> Option<i64> {
    if num <= 0 || den <= 0 {
        return None;
    }
    let us = i128::from(ticks) * i128::from(num) * 1_000_000 / i128::from(den);
    i64::try_from(us).ok()
}

fn av(kind: ErrorKind, what: &str, e: ffmpeg::Error) -> vigil_base::Error {
    vigil_base::Error::new(kind, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_convert_to_microseconds() {
        assert_eq!(ticks_to_us(90_000, (1, 90_000)), Some(1_000_000));
        assert_eq!(ticks_to_us(3, (1, 25)), Some(120_000));
        assert_eq!(ticks_to_us(-512, (1, 12_800)), Some(-40_000));
        assert_eq!(ticks_to_us(5, (0, 1)), None);
    }
}
