//! The compact keyframe index kept with each segment: for every fragment that starts with a
//! keyframe, its byte offset and its media time from the segment start (90 kHz), as varint deltas.
//! About three bytes per second of video; enough to seek and to cut HLS byte ranges.

use vigil_base::{Result, bail};

/// One keyframe fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyframeEntry {
    pub offset: u64,
    pub time_90k: u64,
}

pub fn encode(entries: &[KeyframeEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 4);
    let (mut po, mut pt) = (0u64, 0u64);
    for e in entries {
        put_varint(&mut out, e.offset.saturating_sub(po));
        put_varint(&mut out, e.time_90k.saturating_sub(pt));
        po = e.offset;
        pt = e.time_90k;
    }
    out
}

pub fn decode(buf: &[u8]) -> Result<Vec<KeyframeEntry>> {
    let mut out = vec![];
    let mut pos = 0;
    let (mut o, mut t) = (0u64, 0u64);
    while pos < buf.len() {
        o += get_varint(buf, &mut pos)?;
        t += get_varint(buf, &mut pos)?;
        out.push(KeyframeEntry {
            offset: o,
            time_90k: t,
        });
    }
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn get_varint(buf: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let Some(&b) = buf.get(*pos) else {
            bail!(InvalidArgument, "keyframe index truncated");
        };
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    bail!(InvalidArgument, "keyframe index varint too long")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_size() {
        let entries: Vec<_> = (0..60)
            .map(|i| KeyframeEntry {
                offset: 900 + i * 500_000,
                time_90k: i * 90_000,
            })
            .collect();
        let b = encode(&entries);
        assert!(b.len() <= 60 * 6, "{} bytes", b.len());
        assert_eq!(decode(&b).unwrap(), entries);
        assert!(decode(&[0x80]).is_err());
        assert_eq!(decode(&[]).unwrap(), vec![]);
    }
}
