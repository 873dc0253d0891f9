//! A fragmented-MP4 writer of our own, for streams that already arrive in MP4 form: length-prefixed
//! H.264/H.265 with their avcC/hvcC, and AAC with its AudioSpecificConfig (Retina RTSP, RTMP, MP4
//! files). Why not only FFmpeg's mov muxer: it copies every packet several times (into an
//! AVPacket, its mdat buffer, the AVIO buffer, our sink, the moof+mdat join) and, in the recording
//! benchmark, cost more CPU than reading the camera. Here each byte is copied once, into the
//! fragment. FFmpeg's muxer stays for everything else (Annex B streams from FFmpeg's RTSP client,
//! codecs we do not write).
//!
//! Layout: `ftyp`+`moov` (empty sample tables, `mvex`/`trex`), then per fragment one `moof` (a
//! `traf` per track with `tfdt` and a `trun` listing every sample's duration, size, flags and
//! composition offset, data offsets relative to the `moof`) and one `mdat`. A sample's duration is
//! known when the next sample of its track arrives, so each track holds its newest sample back
//! until then; a fragment closes at every main-track keyframe and after `fragment_ms`.

use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use ffmpeg_next::codec::Id;
use vigil_base::{Result, err};

use crate::input::{MediaKind, MediaPacket, SessionInfo, StreamInfo};
use crate::mp4::{self, FragmentInfo, InitInfo};
use crate::muxer::Chunk;

const SYNC: u32 = 0x0200_0000; // sample_depends_on = 2 (depends on nothing)
const NON_SYNC: u32 = 0x0101_0000; // depends on others, sample_is_non_sync_sample
/// Samples a track may buffer while the main track is silent (e.g. audio after video stopped).
const MAX_BUFFERED: usize = 4096;

/// Whether every stream of `session` can be written by [`NativeMuxer`].
pub(crate) fn supports(session: &SessionInfo) -> bool {
    let mut any = false;
    for s in &session.streams {
        match s.kind {
            MediaKind::Other => continue,
            MediaKind::Video | MediaKind::Audio => {
                if config_for(s).is_none() {
                    return false;
                }
                any = true;
            }
        }
    }
    any
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    H264,
    H265,
    Aac,
}

/// The codec and its MP4 configuration record, when the stream is in MP4 form.
fn config_for(s: &StreamInfo) -> Option<(Codec, Vec<u8>)> {
    let x = s.extradata();
    match (s.kind, s.codec_id) {
        // configurationVersion 1 marks an avcC/hvcC record; Annex B would start with 0 0 (0) 1.
        (MediaKind::Video, Id::H264) if x.len() >= 7 && x[0] == 1 => Some((Codec::H264, x)),
        (MediaKind::Video, Id::HEVC) if x.len() >= 23 && x[0] == 1 => Some((Codec::H265, x)),
        (MediaKind::Audio, Id::AAC) if x.len() >= 2 => Some((Codec::Aac, x)),
        _ => None,
    }
}

struct Sample {
    /// Decode time in track ticks since the muxer's origin.
    dts: i64,
    duration: u32,
    flags: u32,
    cts: u32,
    data: Bytes,
}

struct Pending {
    dts: i64,
    cts: u32,
    key: bool,
    /// The packet's own duration in ticks, if it gave one (used for the very last sample).
    hint: i64,
    data: Bytes,
}

struct Track {
    id: u32,
    timescale: u32,
    in_tb: (i32, i32),
    video: bool,
    origin: Option<i64>,
    last_dts: Option<i64>,
    last_duration: u32,
    pending: Option<Pending>,
    samples: Vec<Sample>,
    ticks: u64,
}

/// See the module documentation.
pub(crate) struct NativeMuxer {
    tracks: Vec<Track>,
    /// Input stream index → track index.
    map: Vec<Option<usize>>,
    main: usize,
    fragment_ms: u32,
    /// The main track's first decode time and time base: time zero for every track.
    origin: Option<(i64, (i32, i32))>,
    sequence: u32,
    out: Vec<Chunk>,
}

impl NativeMuxer {
    /// `supports(session)` must hold.
    pub(crate) fn new(session: &SessionInfo, fragment_ms: u32) -> Result<NativeMuxer> {
        let mut tracks = vec![];
        let mut configs = vec![];
        let mut map = vec![None; session.streams.len()];
        for (i, s) in session.streams.iter().enumerate() {
            if s.kind == MediaKind::Other {
                continue;
            }
            let (codec, config) =
                config_for(s).ok_or_else(|| err!(Internal, "stream {i} is not in MP4 form"))?;
            let video = s.kind == MediaKind::Video;
            let timescale = match s.time_base {
                (1, den) if den > 0 => den as u32,
                _ if video => 90_000,
                _ => s.sample_rate.max(1000),
            };
            map[i] = Some(tracks.len());
            tracks.push(Track {
                id: tracks.len() as u32 + 1,
                timescale,
                in_tb: s.time_base,
                video,
                origin: None,
                last_dts: None,
                last_duration: 0,
                pending: None,
                samples: vec![],
                ticks: 0,
            });
            configs.push((s, codec, config));
        }
        if tracks.is_empty() {
            return Err(err!(
                InvalidArgument,
                "nothing to record: no audio or video stream"
            ));
        }
        let main = tracks.iter().position(|t| t.video).unwrap_or(0);
        let init = write_init(&tracks, &configs);
        let info = init_info(&init)?;
        Ok(NativeMuxer {
            tracks,
            map,
            main,
            fragment_ms,
            origin: None,
            sequence: 0,
            out: vec![Chunk::Init {
                data: init,
                info: Arc::new(info),
            }],
        })
    }

    pub(crate) fn write(&mut self, pkt: &MediaPacket) -> Result<()> {
        let Some(&Some(ti)) = self.map.get(pkt.stream) else {
            return Ok(());
        };
        let Some(raw) = pkt.dts.or(pkt.pts) else {
            return Ok(());
        };
        // Time zero is the main track's first packet (a segment starts at a keyframe); other
        // tracks' packets from before it are dropped, which keeps audio and video in step.
        if self.origin.is_none() && ti == self.main {
            self.origin = Some((raw, self.tracks[ti].in_tb));
        }
        let Some((o_raw, o_tb)) = self.origin else {
            return Ok(());
        };
        let t = &mut self.tracks[ti];
        let (in_tb, timescale) = (t.in_tb, t.timescale);
        let to_ticks = |v: i64| rescale(v, in_tb, timescale);
        let origin = *t
            .origin
            .get_or_insert_with(|| rescale(o_raw, o_tb, timescale));
        let mut dts = to_ticks(raw).saturating_sub(origin);
        if dts < 0 && t.last_dts.is_none() {
            return Ok(());
        }
        // MP4 needs increasing decode times and pts >= dts; sources do not always give them
        // (a demuxer just after connecting, a camera's clock step): repair, do not fail.
        dts = dts.max(0);
        if let Some(l) = t.last_dts
            && dts <= l
        {
            dts = l.saturating_add(1);
        }
        t.last_dts = Some(dts);
        let pts = pkt
            .pts
            .map(|p| to_ticks(p).saturating_sub(origin))
            .unwrap_or(dts);
        let cts = u32::try_from(pts.saturating_sub(dts).max(0)).unwrap_or(u32::MAX);
        let hint = if pkt.duration > 0 {
            to_ticks(pkt.duration)
        } else {
            0
        };
        if let Some(p) = t.pending.take() {
            let d = (dts - p.dts).clamp(1, i64::from(u32::MAX)) as u32;
            t.push(p, d);
        }
        let cut = ti == self.main
            && !t.samples.is_empty()
            && ((t.video && pkt.keyframe)
                || t.ticks * 1000 >= u64::from(self.fragment_ms) * u64::from(t.timescale));
        let overfull = t.samples.len() >= MAX_BUFFERED;
        t.pending = Some(Pending {
            dts,
            cts,
            key: pkt.keyframe || !t.video,
            hint,
            data: pkt.data.clone(),
        });
        if cut || overfull {
            self.flush();
        }
        Ok(())
    }

    pub(crate) fn take_chunks(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.out)
    }

    /// Write out every sample held back, then return the remaining chunks.
    pub(crate) fn finish(mut self) -> Vec<Chunk> {
        for t in &mut self.tracks {
            if let Some(p) = t.pending.take() {
                let d = if p.hint > 0 {
                    p.hint.min(i64::from(u32::MAX)) as u32
                } else if t.last_duration > 0 {
                    t.last_duration
                } else if t.video {
                    t.timescale / 25
                } else {
                    1024
                };
                t.push(p, d.max(1));
            }
        }
        self.flush();
        self.take_chunks()
    }

    /// Close the current fragment: one `moof` and one `mdat` for every completed sample.
    fn flush(&mut self) {
        if self.tracks.iter().all(|t| t.samples.is_empty()) {
            return;
        }
        self.sequence += 1;
        let with_cts: Vec<bool> = self
            .tracks
            .iter()
            .map(|t| t.samples.iter().any(|s| s.cts != 0))
            .collect();
        let traf_len = |t: &Track, cts: bool| -> usize {
            let per = if cts { 16 } else { 12 };
            8 + 16 + 20 + (20 + per * t.samples.len())
        };
        let moof_len: usize = 8
            + 16
            + self
                .tracks
                .iter()
                .zip(&with_cts)
                .filter(|(t, _)| !t.samples.is_empty())
                .map(|(t, &c)| traf_len(t, c))
                .sum::<usize>();
        let payload: usize = self
            .tracks
            .iter()
            .flat_map(|t| &t.samples)
            .map(|s| s.data.len())
            .sum();
        let mut b = BytesMut::with_capacity(moof_len + 8 + payload);
        b.put_u32(moof_len as u32);
        b.put_slice(b"moof");
        b.put_u32(16);
        b.put_slice(b"mfhd");
        b.put_u32(0);
        b.put_u32(self.sequence);
        let mut data_offset = moof_len + 8;
        for (t, &cts) in self.tracks.iter().zip(&with_cts) {
            if t.samples.is_empty() {
                continue;
            }
            b.put_u32(traf_len(t, cts) as u32);
            b.put_slice(b"traf");
            b.put_u32(16);
            b.put_slice(b"tfhd");
            b.put_u32(0x02_0000); // default-base-is-moof
            b.put_u32(t.id);
            b.put_u32(20);
            b.put_slice(b"tfdt");
            b.put_u32(1 << 24); // version 1: 64-bit time
            b.put_u64(t.samples[0].dts as u64);
            let per = if cts { 16 } else { 12 };
            b.put_u32((20 + per * t.samples.len()) as u32);
            b.put_slice(b"trun");
            b.put_u32(0x1 | 0x100 | 0x200 | 0x400 | if cts { 0x800 } else { 0 });
            b.put_u32(t.samples.len() as u32);
            b.put_u32(data_offset as u32);
            for s in &t.samples {
                b.put_u32(s.duration);
                b.put_u32(s.data.len() as u32);
                b.put_u32(s.flags);
                if cts {
                    b.put_u32(s.cts);
                }
                data_offset += s.data.len();
            }
        }
        b.put_u32((8 + payload) as u32);
        b.put_slice(b"mdat");
        for t in &self.tracks {
            for s in &t.samples {
                b.put_slice(&s.data);
            }
        }
        let m = &self.tracks[self.main];
        let info = match m.samples.first() {
            Some(first) => FragmentInfo {
                decode_time: first.dts as u64,
                duration: m.ticks,
                samples: m.samples.len() as u32,
                keyframe: !m.video || first.flags == SYNC,
            },
            None => FragmentInfo {
                decode_time: 0,
                duration: 0,
                samples: 0,
                keyframe: false,
            },
        };
        for t in &mut self.tracks {
            t.samples.clear();
            t.ticks = 0;
        }
        self.out.push(Chunk::Fragment {
            data: b.freeze(),
            info,
        });
    }
}

impl Track {
    fn push(&mut self, p: Pending, duration: u32) {
        self.last_duration = duration;
        self.ticks += u64::from(duration);
        self.samples.push(Sample {
            dts: p.dts,
            duration,
            flags: if p.key { SYNC } else { NON_SYNC },
            cts: p.cts,
            data: p.data,
        });
    }
}

/// `v` in time base `tb` as ticks of `1/timescale`, rounded to nearest.
fn rescale(v: i64, tb: (i32, i32), timescale: u32) -> i64 {
    let (num, den) = (i128::from(tb.0), i128::from(tb.1.max(1)));
    let n = i128::from(v) * num * i128::from(timescale);
    let r = if n >= 0 {
        (n + den / 2) / den
    } else {
        (n - den / 2) / den
    };
    r.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

fn init_info(init: &[u8]) -> Result<InitInfo> {
    let mut pos = 0;
    while let Some(h) = mp4::read_header(&init[pos..])? {
        let end = pos + h.size as usize;
        if &h.kind == b"moov" {
            return mp4::parse_moov(&init[pos + h.header_len..end]);
        }
        pos = end;
    }
    Err(err!(Internal, "init segment without moov"))
}

/// Writes boxes into a growing buffer, patching each box's size when it is closed.
struct BoxWriter(Vec<u8>);

impl BoxWriter {
    fn bx(&mut self, kind: &[u8; 4], body: impl FnOnce(&mut Self)) {
        let start = self.0.len();
        self.0.extend_from_slice(&[0; 4]);
        self.0.extend_from_slice(kind);
        body(self);
        let len = (self.0.len() - start) as u32;
        self.0[start..start + 4].copy_from_slice(&len.to_be_bytes());
    }
    fn full(&mut self, kind: &[u8; 4], version: u8, flags: u32, body: impl FnOnce(&mut Self)) {
        self.bx(kind, |w| {
            w.u32(u32::from(version) << 24 | (flags & 0xff_ffff));
            body(w);
        });
    }
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn zeros(&mut self, n: usize) {
        self.0.resize(self.0.len() + n, 0);
    }
    fn matrix(&mut self) {
        for v in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] {
            self.u32(v);
        }
    }
    /// An MPEG-4 descriptor (tag, length in the 4-byte form players all accept, body).
    fn descriptor(&mut self, tag: u8, body: impl FnOnce(&mut Self)) {
        self.u8(tag);
        let at = self.0.len();
        self.zeros(4);
        body(self);
        let len = (self.0.len() - at - 4) as u32;
        for (i, shift) in [21, 14, 7, 0].into_iter().enumerate() {
            let more = if i < 3 { 0x80 } else { 0 };
            self.0[at + i] = ((len >> shift) & 0x7f) as u8 | more;
        }
    }
}

fn write_init(tracks: &[Track], configs: &[(&StreamInfo, Codec, Vec<u8>)]) -> Bytes {
    let mut w = BoxWriter(Vec::with_capacity(1024));
    w.bx(b"ftyp", |w| {
        w.0.extend_from_slice(b"isom");
        w.u32(0x200);
        for brand in [b"isom", b"iso6", b"iso2", b"avc1", b"mp41"] {
            w.0.extend_from_slice(brand);
        }
    });
    w.bx(b"moov", |w| {
        w.full(b"mvhd", 0, 0, |w| {
            w.zeros(8); // creation, modification
            w.u32(1000);
            w.u32(0); // duration: unknown (fragmented)
            w.u32(0x0001_0000); // rate 1.0
            w.u16(0x0100); // volume 1.0
            w.zeros(10);
            w.matrix();
            w.zeros(24);
            w.u32(tracks.len() as u32 + 1);
        });
        for (t, (s, codec, config)) in tracks.iter().zip(configs) {
            trak(w, t, s, *codec, config);
        }
        w.bx(b"mvex", |w| {
            for t in tracks {
                w.full(b"trex", 0, 0, |w| {
                    w.u32(t.id);
                    w.u32(1);
                    w.zeros(12);
                });
            }
        });
    });
    Bytes::from(w.0)
}

fn trak(w: &mut BoxWriter, t: &Track, s: &StreamInfo, codec: Codec, config: &[u8]) {
    let (width, height) = (s.width.min(0xffff) as u16, s.height.min(0xffff) as u16);
    w.bx(b"trak", |w| {
        w.full(b"tkhd", 0, 3, |w| {
            w.zeros(8);
            w.u32(t.id);
            w.zeros(4);
            w.u32(0);
            w.zeros(8);
            w.u16(0); // layer
            w.u16(0); // alternate group
            w.u16(if t.video { 0 } else { 0x0100 });
            w.u16(0);
            w.matrix();
            w.u32(u32::from(width) << 16);
            w.u32(u32::from(height) << 16);
        });
        w.bx(b"mdia", |w| {
            w.full(b"mdhd", 0, 0, |w| {
                w.zeros(8);
                w.u32(t.timescale);
                w.u32(0);
                w.u16(0x55c4); // "und"
                w.u16(0);
            });
            w.full(b"hdlr", 0, 0, |w| {
                w.u32(0);
                w.0.extend_from_slice(if t.video { b"vide" } else { b"soun" });
                w.zeros(12);
                w.0.extend_from_slice(if t.video {
                    b"VideoHandler\0"
                } else {
                    b"SoundHandler\0"
                });
            });
            w.bx(b"minf", |w| {
                if t.video {
                    w.full(b"vmhd", 0, 1, |w| w.zeros(8));
                } else {
                    w.full(b"smhd", 0, 0, |w| w.zeros(4));
                }
                w.bx(b"dinf", |w| {
                    w.full(b"dref", 0, 0, |w| {
                        w.u32(1);
                        w.full(b"url ", 0, 1, |_| {});
                    });
                });
                w.bx(b"stbl", |w| {
                    w.full(b"stsd", 0, 0, |w| {
                        w.u32(1);
                        match codec {
                            Codec::H264 | Codec::H265 => {
                                visual_entry(w, codec, width, height, config);
                            }
                            Codec::Aac => audio_entry(w, s, config),
                        }
                    });
                    w.full(b"stts", 0, 0, |w| w.u32(0));
                    w.full(b"stsc", 0, 0, |w| w.u32(0));
                    w.full(b"stsz", 0, 0, |w| w.zeros(8));
                    w.full(b"stco", 0, 0, |w| w.u32(0));
                });
            });
        });
    });
}

fn visual_entry(w: &mut BoxWriter, codec: Codec, width: u16, height: u16, config: &[u8]) {
    // `hvc1` (parameter sets in the hvcC) is what Safari and most players accept for HEVC.
    let (entry, cfg) = match codec {
        Codec::H265 => (b"hvc1", b"hvcC"),
        _ => (b"avc1", b"avcC"),
    };
    w.bx(entry, |w| {
        w.zeros(6);
        w.u16(1); // data_reference_index
        w.zeros(16);
        w.u16(width);
        w.u16(height);
        w.u32(0x0048_0000); // 72 dpi
        w.u32(0x0048_0000);
        w.u32(0);
        w.u16(1); // frame_count
        w.zeros(32); // compressorname
        w.u16(0x0018);
        w.u16(0xffff);
        w.bx(cfg, |w| w.0.extend_from_slice(config));
    });
}

fn audio_entry(w: &mut BoxWriter, s: &StreamInfo, asc: &[u8]) {
    let (rate, channels) = asc_rate_channels(asc);
    let rate = if s.sample_rate > 0 {
        s.sample_rate
    } else {
        rate
    };
    w.bx(b"mp4a", |w| {
        w.zeros(6);
        w.u16(1);
        w.zeros(8);
        w.u16(channels);
        w.u16(16);
        w.zeros(4);
        w.u32(if rate < 0x1_0000 { rate << 16 } else { 0 });
        w.full(b"esds", 0, 0, |w| {
            w.descriptor(0x03, |w| {
                w.u16(0); // ES_ID
                w.u8(0);
                w.descriptor(0x04, |w| {
                    w.u8(0x40); // MPEG-4 audio
                    w.u8(0x15); // audio stream
                    w.zeros(3); // bufferSizeDB
                    w.u32(0); // maxBitrate
                    w.u32(0); // avgBitrate
                    w.descriptor(0x05, |w| w.0.extend_from_slice(asc));
                });
                w.descriptor(0x06, |w| w.u8(0x02));
            });
        });
    });
}

/// Sample rate and channel count from an AudioSpecificConfig (ISO 14496-3 1.6.2.1).
fn asc_rate_channels(asc: &[u8]) -> (u32, u16) {
    const RATES: [u32; 13] = [
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    ];
    let mut bits = BitReader { data: asc, pos: 0 };
    let parsed = (|| {
        let aot = bits.read(5)?;
        if aot == 31 {
            bits.read(6)?;
        }
        let idx = bits.read(4)?;
        let rate = if idx == 15 {
            bits.read(24)?
        } else {
            *RATES.get(idx as usize)?
        };
        let ch = bits.read(4)?;
        Some((rate, if ch == 7 { 8 } else { ch as u16 }))
    })();
    match parsed {
        Some((rate, ch)) => (rate, ch.max(1)),
        None => (48000, 2),
    }
}

struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl BitReader<'_> {
    fn read(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let byte = *self.data.get(self.pos / 8)?;
            v = v << 1 | u32::from(byte >> (7 - self.pos % 8) & 1);
            self.pos += 1;
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescales_with_rounding() {
        assert_eq!(rescale(90_000, (1, 90_000), 1000), 1000);
        assert_eq!(rescale(1, (1, 1000), 90_000), 90);
        assert_eq!(rescale(-1, (1, 1000), 90_000), -90);
        assert_eq!(rescale(512, (1, 12_800), 90_000), 3600);
    }

    #[test]
    fn reads_aac_configs() {
        assert_eq!(asc_rate_channels(&[0x12, 0x10]), (44100, 2)); // AAC-LC 44.1 kHz stereo
        assert_eq!(asc_rate_channels(&[0x11, 0x88]), (48000, 1));
        assert_eq!(
            asc_rate_channels(&[0x14]),
            (48000, 2),
            "truncated → defaults"
        );
    }

    #[test]
    fn descriptor_lengths_use_the_four_byte_form() {
        let mut w = BoxWriter(vec![]);
        w.descriptor(0x05, |w| w.zeros(200));
        assert_eq!(&w.0[..5], &[0x05, 0x80, 0x80, 0x81, 0x48]);
        assert_eq!(w.0.len(), 205);
    }
}
