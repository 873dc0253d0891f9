//! Turns RTMP media messages into an FLV byte stream, so FFmpeg's flv demuxer can read a live publish
//! exactly as it reads a file: the 13-byte file header, then one tag per audio/video/script message.

use bytes::{BufMut, Bytes, BytesMut};
use rml_rtmp::sessions::StreamMetadata;

/// FLV header flags byte (TypeFlagsAudio = 0x04, TypeFlagsVideo = 0x01). We write **0: no streams
/// declared**, and FFmpeg creates streams as tags arrive. Why (FFmpeg 5.1's flvdec.c and demux.c):
/// - The flv demuxer ignores the flags for stream creation; it only copies them into its
///   `missing_streams` field and clears a bit when that stream's first tag arrives.
/// - `avformat_find_stream_info` treats a non-zero `missing_streams` as "not everything analyzed"
///   and then reads up to `max_stream_analyze_duration`, which for flv defaults to **90 s**. So
///   declaring audio for a camera that never sends any makes every open read 90 s of a live stream
///   unless the caller lowers `analyzeduration`.
/// - With 0, an audio+video publish finishes probing as soon as both streams have their parameters
///   (two streams clear the demuxer's no-header flag), and a video-only one stops at
///   `analyzeduration` (5 s by default, less if the caller sets it).
///
/// Measured here, opening a live ffmpeg publish (`-re`, 25 fps) through `input_from_stream`:
/// video-only with default options took 5.0 s with flags 0x00 or 0x01, but with 0x05 it waited until
/// the publisher stopped (12 s); with `analyzeduration=1000000` all took 1.0 s; audio+video took
/// 1.65 s with any flags. 0 is never slower, and needs no knowledge of the tracks, so the header
/// goes out at once, before metadata or the first tag. (`tests/publish.rs` keeps the video-only
/// case honest.)
pub const FLV_HEADER_FLAGS: u8 = 0x00;

/// FLV file header (signature, version 1, flags, header size 9) followed by PreviousTagSize0.
pub const FLV_HEADER: [u8; 13] = [
    b'F',
    b'L',
    b'V',
    1,
    FLV_HEADER_FLAGS,
    0,
    0,
    0,
    9,
    0,
    0,
    0,
    0,
];

/// Tag header (11 bytes) plus the trailing PreviousTagSize (4 bytes).
const TAG_OVERHEAD: usize = 11 + 4;

/// Largest tag body the 24-bit DataSize field can describe.
pub const MAX_TAG_DATA: usize = 0x00FF_FFFF;

/// The FLV tag types that carry RTMP messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagType {
    /// RTMP message type 8.
    Audio = 8,
    /// RTMP message type 9.
    Video = 9,
    /// RTMP message type 18 (AMF0 data, here only `onMetaData`).
    Script = 18,
}

/// One complete FLV tag: header, `data` unchanged, and PreviousTagSize. `timestamp_ms` is the full
/// 32-bit RTMP timestamp: its low 24 bits go in Timestamp, its high 8 bits in TimestampExtended, so a
/// stream past 4h39m (2^24 ms) keeps counting. `None` if `data` does not fit the 24-bit size field.
pub fn encode_tag(tag_type: TagType, timestamp_ms: u32, data: &[u8]) -> Option<Bytes> {
    if data.len() > MAX_TAG_DATA {
        return None;
    }
    let size = data.len() as u32;
    let mut out = BytesMut::with_capacity(data.len() + TAG_OVERHEAD);
    out.put_u8(tag_type as u8);
    put_u24(&mut out, size);
    put_u24(&mut out, timestamp_ms & 0x00FF_FFFF);
    out.put_u8((timestamp_ms >> 24) as u8);
    put_u24(&mut out, 0); // StreamID, always 0
    out.put_slice(data);
    out.put_u32(size + 11);
    Some(out.freeze())
}

fn put_u24(out: &mut BytesMut, v: u32) {
    out.put_slice(&v.to_be_bytes()[1..]);
}

/// The `onMetaData` script tag body (AMF0: the string `onMetaData`, then an ECMA array) built from the
/// metadata the publisher sent with `@setDataFrame`. FFmpeg takes the frame rate from it (otherwise
/// it assumes 30 fps until it has measured), and shows the rest as stream metadata.
pub fn metadata_body(m: &StreamMetadata) -> Bytes {
    let mut entries: Vec<(&str, Amf)> = Vec::new();
    let mut num = |k, v: Option<f64>| {
        if let Some(v) = v {
            entries.push((k, Amf::Number(v)));
        }
    };
    num("width", m.video_width.map(f64::from));
    num("height", m.video_height.map(f64::from));
    num("videocodecid", m.video_codec_id.map(f64::from));
    num("videodatarate", m.video_bitrate_kbps.map(f64::from));
    num("framerate", m.video_frame_rate.map(f64::from));
    num("audiocodecid", m.audio_codec_id.map(f64::from));
    num("audiodatarate", m.audio_bitrate_kbps.map(f64::from));
    num("audiosamplerate", m.audio_sample_rate.map(f64::from));
    num("audiochannels", m.audio_channels.map(f64::from));
    if let Some(stereo) = m.audio_is_stereo {
        entries.push(("stereo", Amf::Bool(stereo)));
    }
    if let Some(enc) = m
        .encoder
        .as_deref()
        .filter(|e| e.len() <= usize::from(u16::MAX))
    {
        entries.push(("encoder", Amf::Str(enc)));
    }

    let mut out = BytesMut::with_capacity(64 + entries.len() * 32);
    put_amf_string(&mut out, "onMetaData");
    out.put_u8(0x08); // ECMA array
    out.put_u32(entries.len() as u32);
    for (key, value) in entries {
        put_amf_key(&mut out, key);
        match value {
            Amf::Number(v) => {
                out.put_u8(0x00);
                out.put_f64(v);
            }
            Amf::Bool(b) => {
                out.put_u8(0x01);
                out.put_u8(u8::from(b));
            }
            Amf::Str(s) => put_amf_string(&mut out, s),
        }
    }
    out.put_slice(&[0, 0, 0x09]); // empty key + object end marker
    out.freeze()
}

enum Amf<'a> {
    Number(f64),
    Bool(bool),
    Str(&'a str),
}

/// An AMF0 string value; callers keep `s` under 64 KiB.
fn put_amf_string(out: &mut BytesMut, s: &str) {
    out.put_u8(0x02);
    put_amf_key(out, s);
}

fn put_amf_key(out: &mut BytesMut, s: &str) {
    out.put_u16(s.len() as u16);
    out.put_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_bytes() {
        assert_eq!(
            FLV_HEADER,
            [0x46, 0x4C, 0x56, 0x01, 0x00, 0, 0, 0, 9, 0, 0, 0, 0]
        );
    }

    #[test]
    fn video_tag_bytes() {
        let tag = encode_tag(TagType::Video, 0x0001_0203, &[0x17, 0x01, 0xAA]).unwrap();
        assert_eq!(
            &tag[..],
            &[
                0x09, // type
                0x00, 0x00, 0x03, // data size
                0x01, 0x02, 0x03, // timestamp low 24 bits
                0x00, // timestamp extended
                0x00, 0x00, 0x00, // stream id
                0x17, 0x01, 0xAA, // data
                0x00, 0x00, 0x00, 0x0E, // previous tag size = 11 + 3
            ][..]
        );
    }

    #[test]
    fn extended_timestamp_goes_in_the_high_byte() {
        // 0x12345678 ms ≈ 3.5 days: above 24 bits.
        let tag = encode_tag(TagType::Audio, 0x1234_5678, &[0xAF]).unwrap();
        assert_eq!(tag[0], 8);
        assert_eq!(&tag[4..8], &[0x34, 0x56, 0x78, 0x12]);
        // The way FFmpeg reads it back: rb24 | r8 << 24.
        let ts = u32::from_be_bytes([0, tag[4], tag[5], tag[6]]) | (u32::from(tag[7]) << 24);
        assert_eq!(ts, 0x1234_5678);
        // Wrapped RTMP time (u32::MAX) survives as-is.
        let tag = encode_tag(TagType::Audio, u32::MAX, &[]).unwrap();
        assert_eq!(&tag[4..8], &[0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(&tag[11..15], &[0, 0, 0, 11]);
    }

    #[test]
    fn oversized_data_is_refused() {
        let big = vec![0u8; MAX_TAG_DATA + 1];
        assert!(encode_tag(TagType::Video, 0, &big).is_none());
        assert!(encode_tag(TagType::Video, 0, &big[..MAX_TAG_DATA]).is_some());
    }

    #[test]
    fn metadata_is_amf0_ecma_array() {
        let mut m = StreamMetadata::new();
        m.video_width = Some(320);
        m.audio_is_stereo = Some(true);
        m.encoder = Some("Lavf".into());
        let body = metadata_body(&m);
        let mut want = vec![0x02, 0x00, 0x0A];
        want.extend_from_slice(b"onMetaData");
        want.extend_from_slice(&[0x08, 0, 0, 0, 3]);
        want.extend_from_slice(&[0x00, 0x05]);
        want.extend_from_slice(b"width");
        want.push(0x00);
        want.extend_from_slice(&320f64.to_be_bytes());
        want.extend_from_slice(&[0x00, 0x06]);
        want.extend_from_slice(b"stereo");
        want.extend_from_slice(&[0x01, 0x01]);
        want.extend_from_slice(&[0x00, 0x07]);
        want.extend_from_slice(b"encoder");
        want.extend_from_slice(&[0x02, 0x00, 0x04]);
        want.extend_from_slice(b"Lavf");
        want.extend_from_slice(&[0, 0, 9]);
        assert_eq!(&body[..], &want[..]);
    }
}
