//! Just enough fragmented MP4 to decode what the live endpoints send: the video track's codec
//! configuration (avcC/hvcC) and timescale from an init segment, and the samples of `moof`+`mdat`
//! pairs (an MSE fragment, or an HLS `.m4s` segment of many), fed to FFmpeg through
//! `vigil_media::VideoDecoder`.

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use vigil_media::VideoDecoder;
use vigil_media::ffmpeg::codec::Id;
use vigil_media::ffmpeg::util::frame::Video as VideoFrame;
use vigil_media::{MediaKind, MediaPacket, StreamDescription, StreamInfo};

/// Complete top-level boxes of `buf` as (type, offset of the box, body).
fn boxes(buf: &[u8]) -> impl Iterator<Item = ([u8; 4], usize, &[u8])> {
    boxes_at(buf).map(|(k, at, _, body)| (k, at, body))
}

/// Complete top-level boxes of `buf` as (type, offset of the box, offset of its body, body).
fn boxes_at(buf: &[u8]) -> impl Iterator<Item = ([u8; 4], usize, usize, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let h = vigil_media::mp4::read_header(buf.get(pos..)?)
            .ok()
            .flatten()?;
        let size = usize::try_from(h.size).ok()?;
        let end = pos.checked_add(size).filter(|&e| e <= buf.len())?;
        let item = (
            h.kind,
            pos,
            pos + h.header_len,
            &buf[pos + h.header_len..end],
        );
        pos = end;
        Some(item)
    })
}

fn child<'a>(buf: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(buf).find(|(k, ..)| k == kind).map(|(.., b)| b)
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    let s = b.get(at..at + 4).context("box truncated")?;
    Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Result<u64> {
    Ok(u64::from(u32_at(b, at)?) << 32 | u64::from(u32_at(b, at + 4)?))
}

/// Whether `buf` is an init segment (has a `moov`).
pub fn is_init(buf: &[u8]) -> bool {
    boxes(buf).any(|(k, ..)| &k == b"moov")
}

/// The video track of an init segment.
#[derive(Clone, Debug)]
pub struct Track {
    pub id: u32,
    pub timescale: u32,
    pub codec: Id,
    /// avcC / hvcC body.
    pub config: Vec<u8>,
    pub width: u32,
    pub height: u32,
    default_duration: u32,
    default_size: u32,
    default_flags: u32,
}

/// Parse an init segment (`ftyp` + `moov`, or a bare `moov`).
pub fn parse_init(buf: &[u8]) -> Result<Track> {
    let moov = child(buf, b"moov").context("no moov in the init segment")?;
    let mut track = None;
    for (kind, _, trak) in boxes(moov) {
        if &kind != b"trak" {
            continue;
        }
        let mdia = child(trak, b"mdia").context("no mdia")?;
        let hdlr = child(mdia, b"hdlr").context("no hdlr")?;
        if hdlr.get(8..12) != Some(b"vide") {
            continue;
        }
        let tkhd = child(trak, b"tkhd").context("no tkhd")?;
        let id = u32_at(tkhd, if tkhd[0] == 1 { 20 } else { 12 })?;
        let mdhd = child(mdia, b"mdhd").context("no mdhd")?;
        let timescale = u32_at(mdhd, if mdhd[0] == 1 { 20 } else { 12 })?;
        let stsd = child(
            child(child(mdia, b"minf").context("no minf")?, b"stbl").context("no stbl")?,
            b"stsd",
        )
        .context("no stsd")?;
        let (entry, _, body) = boxes(stsd.get(8..).context("stsd")?)
            .next()
            .context("empty stsd")?;
        let (codec, cfg_kind) = match &entry {
            b"avc1" | b"avc3" => (Id::H264, b"avcC"),
            b"hvc1" | b"hev1" => (Id::HEVC, b"hvcC"),
            other => bail!(
                "video sample entry {} not supported",
                String::from_utf8_lossy(other)
            ),
        };
        let width = u32::from(u16::from_be_bytes([body[24], body[25]]));
        let height = u32::from(u16::from_be_bytes([body[26], body[27]]));
        // VisualSampleEntry: 78 bytes of fields, then its child boxes.
        let config = child(body.get(78..).context("sample entry")?, cfg_kind)
            .context("no codec configuration")?
            .to_vec();
        track = Some(Track {
            id,
            timescale,
            codec,
            config,
            width,
            height,
            default_duration: 0,
            default_size: 0,
            default_flags: 0,
        });
        break;
    }
    let mut t = track.context("no video track")?;
    if let Some(mvex) = child(moov, b"mvex") {
        for (kind, _, trex) in boxes(mvex) {
            if &kind == b"trex" && u32_at(trex, 4)? == t.id {
                t.default_duration = u32_at(trex, 12)?;
                t.default_size = u32_at(trex, 16)?;
                t.default_flags = u32_at(trex, 20)?;
            }
        }
    }
    Ok(t)
}

/// One video sample.
#[derive(Clone, Debug)]
pub struct Sample {
    pub data: Bytes,
    /// Decode time, in the track's timescale.
    pub dts: u64,
    pub duration: u32,
    pub cts_offset: i32,
    pub keyframe: bool,
}

/// The video samples of every `moof`+`mdat` in `buf` (other boxes — `styp`, `sidx` — skipped).
pub fn samples(buf: &[u8], track: &Track) -> Result<Vec<Sample>> {
    let mut out = vec![];
    for (kind, moof_at, moof) in boxes(buf) {
        if &kind != b"moof" {
            continue;
        }
        for (k, _, traf) in boxes(moof) {
            if &k != b"traf" {
                continue;
            }
            let tfhd = child(traf, b"tfhd").context("no tfhd")?;
            let flags = u32_at(tfhd, 0)? & 0xFF_FFFF;
            if u32_at(tfhd, 4)? != track.id {
                continue;
            }
            let mut at = 8;
            let mut base = moof_at as u64;
            if flags & 0x1 != 0 {
                base = u64_at(tfhd, at)?;
                at += 8;
            }
            if flags & 0x2 != 0 {
                at += 4;
            }
            let mut def_dur = track.default_duration;
            let mut def_size = track.default_size;
            let mut def_flags = track.default_flags;
            if flags & 0x8 != 0 {
                def_dur = u32_at(tfhd, at)?;
                at += 4;
            }
            if flags & 0x10 != 0 {
                def_size = u32_at(tfhd, at)?;
                at += 4;
            }
            if flags & 0x20 != 0 {
                def_flags = u32_at(tfhd, at)?;
            }
            let mut dts = match child(traf, b"tfdt") {
                Some(t) if t[0] == 1 => u64_at(t, 4)?,
                Some(t) => u64::from(u32_at(t, 4)?),
                None => 0,
            };
            // Without a data offset, samples follow the moof's mdat body.
            let mut pos: Option<u64> = None;
            for (k, _, trun) in boxes(traf) {
                if &k != b"trun" {
                    continue;
                }
                let tf = u32_at(trun, 0)? & 0xFF_FFFF;
                let count = u32_at(trun, 4)?;
                let mut at = 8;
                if tf & 0x1 != 0 {
                    pos = Some(base.wrapping_add_signed(i64::from(u32_at(trun, at)? as i32)));
                    at += 4;
                }
                let mut first_flags = None;
                if tf & 0x4 != 0 {
                    first_flags = Some(u32_at(trun, at)?);
                    at += 4;
                }
                let mut p = match pos {
                    Some(p) => p as usize,
                    None => mdat_body_after(buf, moof_at).context("no mdat")?,
                };
                for i in 0..count {
                    let mut field = |bit: u32, default: u32| -> Result<u32> {
                        if tf & bit != 0 {
                            let v = u32_at(trun, at)?;
                            at += 4;
                            Ok(v)
                        } else {
                            Ok(default)
                        }
                    };
                    let duration = field(0x100, def_dur)?;
                    let size = field(0x200, def_size)? as usize;
                    let sflags = field(
                        0x400,
                        if i == 0 {
                            first_flags.unwrap_or(def_flags)
                        } else {
                            def_flags
                        },
                    )?;
                    let cts = field(0x800, 0)? as i32;
                    let data = buf.get(p..p + size).context("sample outside the buffer")?;
                    out.push(Sample {
                        data: Bytes::copy_from_slice(data),
                        dts,
                        duration,
                        cts_offset: cts,
                        keyframe: sflags & 0x0001_0000 == 0,
                    });
                    p += size;
                    dts += u64::from(duration);
                }
                pos = Some(p as u64);
            }
        }
    }
    Ok(out)
}

fn mdat_body_after(buf: &[u8], moof_at: usize) -> Option<usize> {
    boxes_at(buf)
        .find(|(k, at, ..)| k == b"mdat" && *at > moof_at)
        .map(|(_, _, body_at, _)| body_at)
}

/// An FFmpeg decoder for a track, reading the time code of every decoded picture.
pub struct Decoder {
    track: Track,
    dec: VideoDecoder,
}

impl Decoder {
    pub fn new(track: Track) -> Result<Decoder> {
        let info = StreamInfo::describe(
            0,
            &StreamDescription {
                kind: MediaKind::Video,
                codec_id: track.codec,
                width: track.width,
                height: track.height,
                fps: 0.0,
                sample_rate: 0,
                channels: 0,
                time_base: (1, track.timescale as i32),
                extradata: &track.config,
            },
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let dec = VideoDecoder::new(&info).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Decoder { track, dec })
    }

    pub fn track(&self) -> &Track {
        &self.track
    }

    /// Decode one sample; `on_frame` gets each picture (with its pts in the track's timescale).
    pub fn decode(&mut self, s: &Sample, mut on_frame: impl FnMut(&VideoFrame)) -> Result<usize> {
        let pkt = MediaPacket {
            stream: 0,
            pts: Some(s.dts as i64 + i64::from(s.cts_offset)),
            dts: Some(s.dts as i64),
            duration: i64::from(s.duration),
            keyframe: s.keyframe,
            data: s.data.clone(),
        };
        let out = self.dec.decode(&pkt, &mut on_frame);
        if out.error {
            bail!("decode error");
        }
        Ok(out.frames)
    }
}
