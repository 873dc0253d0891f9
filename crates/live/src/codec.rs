//! RFC 6381 codec strings (`avc1.640028`, `hvc1.1.6.L120.90`, `mp4a.40.2`) for
//! `MediaSource.isTypeSupported` and `SourceBuffer` MIME types, from a session's codec
//! configuration and the sample entries its init segment uses.

use vigil_media::mp4::InitInfo;
use vigil_media::{MediaKind, SessionInfo, StreamInfo};

/// The codecs of every track of `init`, comma-separated.
pub fn codec_string(session: &SessionInfo, init: &InitInfo) -> String {
    let entries: Vec<String> = init
        .tracks
        .iter()
        .map(|t| String::from_utf8_lossy(&t.sample_entry).into_owned())
        .collect();
    codecs(session, &entries)
}

/// The codecs live view will announce for `session` before its init segment exists (the sample
/// entries Vigil's own writer uses).
pub fn session_codec_string(session: &SessionInfo) -> String {
    let entries: Vec<String> = session
        .streams
        .iter()
        .filter(|s| s.kind != MediaKind::Other)
        .map(|s| match (s.kind, s.codec.as_str()) {
            (MediaKind::Audio, _) => "mp4a".to_owned(),
            (_, "hevc") => "hvc1".to_owned(),
            _ => "avc1".to_owned(),
        })
        .collect();
    codecs(session, &entries)
}

fn codecs(session: &SessionInfo, entries: &[String]) -> String {
    let mut out = vec![];
    let mut entries = entries.iter();
    for s in &session.streams {
        if s.kind == MediaKind::Other {
            continue;
        }
        let Some(entry) = entries.next() else { break };
        let entry = entry.as_str();
        out.push(match entry {
            "avc1" | "avc3" => format!("{entry}.{}", avc_profile(s)),
            "hvc1" | "hev1" => format!("{entry}.{}", hevc_profile(&s.extradata())),
            "mp4a" => format!("mp4a.40.{}", aac_object_type(&s.extradata())),
            other => other.to_owned(),
        });
    }
    out.join(",")
}

/// `PPCCLL` (profile, constraints, level) from an avcC record or Annex B parameter sets.
fn avc_profile(s: &StreamInfo) -> String {
    let x = s.extradata();
    let bytes = if x.first() == Some(&1) && x.len() >= 4 {
        Some([x[1], x[2], x[3]])
    } else {
        // Annex B: the byte after the SPS NAL header (type 7) starts profile, flags, level.
        x.windows(7)
            .find(|w| w[..3] == [0, 0, 1] && w[3] & 0x1f == 7)
            .map(|w| [w[4], w[5], w[6]])
    };
    match bytes {
        Some([p, c, l]) => format!("{p:02x}{c:02x}{l:02x}"),
        None => "42e01e".into(), // Constrained Baseline 3.0: the safest guess
    }
}

/// `[A|B|C]profile.compat.TierLevel.constraints` from an hvcC record (ISO 14496-15 E.3).
fn hevc_profile(x: &[u8]) -> String {
    if x.len() < 13 || x[0] != 1 {
        return "1.6.L93.B0".into(); // Main, level 3.1
    }
    let space = ["", "A", "B", "C"][usize::from(x[1] >> 6)];
    let tier = if x[1] & 0x20 != 0 { 'H' } else { 'L' };
    let profile = x[1] & 0x1f;
    let compat = u32::from_be_bytes([x[2], x[3], x[4], x[5]]).reverse_bits();
    let level = x[12];
    let mut constraints: Vec<u8> = x[6..12].to_vec();
    while constraints.last() == Some(&0) {
        constraints.pop();
    }
    let mut s = format!("{space}{profile}.{compat:x}.{tier}{level}");
    for c in constraints {
        s.push_str(&format!(".{c:X}"));
    }
    s
}

/// The audio object type from an AudioSpecificConfig (2 = AAC LC).
fn aac_object_type(asc: &[u8]) -> u8 {
    match asc.first() {
        Some(b) => match b >> 3 {
            0 => 2,
            31 => 32 + ((b & 0x07) << 3 | asc.get(1).map_or(0, |n| n >> 5)),
            n => n,
        },
        None => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hevc_main_profile() {
        // Main profile, compat flags 0x60000000, level 120 (4.0), progressive+frame-only (0x90).
        let mut x = vec![1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 120];
        x.extend([0; 10]);
        assert_eq!(hevc_profile(&x), "1.6.L120.90");
        assert_eq!(hevc_profile(&[0, 0, 0, 1]), "1.6.L93.B0");
    }

    #[test]
    fn aac_types() {
        assert_eq!(aac_object_type(&[0x12, 0x10]), 2);
        assert_eq!(aac_object_type(&[0x2b, 0x92]), 5);
        assert_eq!(aac_object_type(&[]), 2);
    }
}
