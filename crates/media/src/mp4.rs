//! Just enough ISO-BMFF parsing for fragmented MP4: split a byte stream into top-level boxes, read
//! track timescales and defaults from `moov`, and read each fragment's decode time, duration and
//! whether it starts with a keyframe from its `moof`. Used to index fragments as they are written
//! and to repair a segment cut short by a crash. Never panics on malformed input.

use vigil_base::{Result, bail, err};

/// A box header: its type and total size (header included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoxHeader {
    pub kind: [u8; 4],
    pub size: u64,
    pub header_len: usize,
}

/// Read the header of the box at the start of `buf`; `None` until enough bytes are there.
/// A size below the header length is an error (corrupt stream).
pub fn read_header(buf: &[u8]) -> Result<Option<BoxHeader>> {
    if buf.len() < 8 {
        return Ok(None);
    }
    let size32 = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
    let kind = [buf[4], buf[5], buf[6], buf[7]];
    let (size, header_len) = match size32 {
        1 => {
            if buf.len() < 16 {
                return Ok(None);
            }
            let mut s = [0u8; 8];
            s.copy_from_slice(&buf[8..16]);
            (u64::from_be_bytes(s), 16)
        }
        0 => bail!(
            InvalidArgument,
            "box {} extends to end of file; not supported in fragments",
            fourcc(&kind)
        ),
        n => (u64::from(n), 8),
    };
    if size < header_len as u64 {
        bail!(
            InvalidArgument,
            "box {} has impossible size {size}",
            fourcc(&kind)
        );
    }
    Ok(Some(BoxHeader {
        kind,
        size,
        header_len,
    }))
}

pub fn fourcc(k: &[u8; 4]) -> String {
    k.iter()
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '?' })
        .collect()
}

/// The complete child boxes of `payload` as (type, body) pairs.
fn children(payload: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = payload;
    std::iter::from_fn(move || {
        let h = read_header(rest).ok().flatten()?;
        let size = usize::try_from(h.size).ok()?;
        if size > rest.len() {
            return None;
        }
        let body = &rest[h.header_len..size];
        rest = &rest[size..];
        Some((h.kind, body))
    })
}

fn child<'a>(payload: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(payload).find(|(k, _)| k == kind).map(|(_, b)| b)
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Cursor { buf, pos: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| err!(InvalidArgument, "box truncated"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    /// version (1 byte) and flags (3 bytes) of a full box.
    fn full_header(&mut self) -> Result<(u8, u32)> {
        let v = self.u8()?;
        let f = self.take(3)?;
        Ok((
            v,
            u32::from(f[0]) << 16 | u32::from(f[1]) << 8 | u32::from(f[2]),
        ))
    }
}

/// One track of an init segment.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackInfo {
    pub id: u32,
    pub timescale: u32,
    /// `vide`, `soun`, ...
    pub handler: [u8; 4],
    pub default_sample_duration: u32,
    pub default_sample_flags: u32,
    /// Sample entry type: `avc1`, `hvc1`, `hev1`, `mp4a`, ...
    pub sample_entry: [u8; 4],
    pub width: u16,
    pub height: u16,
}

/// What the `moov` of a fragmented MP4 says about its tracks.
#[derive(Clone, Debug, PartialEq)]
pub struct InitInfo {
    pub tracks: Vec<TrackInfo>,
}

impl InitInfo {
    /// The track whose timing and keyframes define the fragment: video if any, else the first.
    pub fn main_track(&self) -> Option<&TrackInfo> {
        self.tracks
            .iter()
            .find(|t| &t.handler == b"vide")
            .or_else(|| self.tracks.first())
    }
}

/// Parse the body of a `moov` box.
pub fn parse_moov(moov: &[u8]) -> Result<InitInfo> {
    let mut tracks = vec![];
    for (kind, trak) in children(moov) {
        if &kind != b"trak" {
            continue;
        }
        let tkhd =
            child(trak, b"tkhd").ok_or_else(|| err!(InvalidArgument, "trak without tkhd"))?;
        let mut c = Cursor::new(tkhd);
        let (v, _) = c.full_header()?;
        c.take(if v == 1 { 16 } else { 8 })?; // creation + modification time
        let id = c.u32()?;
        let mdia =
            child(trak, b"mdia").ok_or_else(|| err!(InvalidArgument, "trak without mdia"))?;
        let mdhd =
            child(mdia, b"mdhd").ok_or_else(|| err!(InvalidArgument, "mdia without mdhd"))?;
        let mut c = Cursor::new(mdhd);
        let (v, _) = c.full_header()?;
        c.take(if v == 1 { 16 } else { 8 })?;
        let timescale = c.u32()?;
        let hdlr =
            child(mdia, b"hdlr").ok_or_else(|| err!(InvalidArgument, "mdia without hdlr"))?;
        let mut c = Cursor::new(hdlr);
        c.full_header()?;
        c.take(4)?; // pre_defined
        let h = c.take(4)?;
        let handler = [h[0], h[1], h[2], h[3]];
        let (sample_entry, width, height) = sample_entry(mdia, &handler).unwrap_or(([0; 4], 0, 0));
        tracks.push(TrackInfo {
            id,
            timescale,
            handler,
            default_sample_duration: 0,
            default_sample_flags: 0,
            sample_entry,
            width,
            height,
        });
    }
    if let Some(mvex) = child(moov, b"mvex") {
        for (kind, trex) in children(mvex) {
            if &kind != b"trex" {
                continue;
            }
            let mut c = Cursor::new(trex);
            c.full_header()?;
            let id = c.u32()?;
            c.u32()?; // default_sample_description_index
            let dur = c.u32()?;
            c.u32()?; // default_sample_size
            let flags = c.u32()?;
            if let Some(t) = tracks.iter_mut().find(|t| t.id == id) {
                t.default_sample_duration = dur;
                t.default_sample_flags = flags;
            }
        }
    }
    if tracks.is_empty() || tracks.iter().any(|t| t.timescale == 0) {
        bail!(InvalidArgument, "moov has no usable track");
    }
    Ok(InitInfo { tracks })
}

/// The first sample entry of a track's `stsd`, with the picture size for video.
fn sample_entry(mdia: &[u8], handler: &[u8; 4]) -> Option<([u8; 4], u16, u16)> {
    let stbl = child(child(mdia, b"minf")?, b"stbl")?;
    let stsd = child(stbl, b"stsd")?;
    // full box header (4) + entry count (4), then the first entry box.
    let entries = stsd.get(8..)?;
    let (kind, body) = children(entries).next()?;
    if handler == b"vide" {
        // 6 reserved + 2 data_reference_index + 16 pre_defined/reserved, then width, height.
        let w = u16::from_be_bytes([*body.get(24)?, *body.get(25)?]);
        let h = u16::from_be_bytes([*body.get(26)?, *body.get(27)?]);
        return Some((kind, w, h));
    }
    Some((kind, 0, 0))
}

/// Timing of one fragment on the main track.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragmentInfo {
    /// Decode time of the first sample, in the main track's timescale.
    pub decode_time: u64,
    /// Sum of the main track's sample durations, in its timescale (0 for a fragment with none).
    pub duration: u64,
    pub samples: u32,
    /// Whether the main track's first sample is a sync sample (a keyframe).
    pub keyframe: bool,
}

const NON_SYNC: u32 = 0x0001_0000;

/// Parse the body of a `moof` box for the main track of `init`.
pub fn parse_moof(moof: &[u8], init: &InitInfo) -> Result<FragmentInfo> {
    let main = init
        .main_track()
        .ok_or_else(|| err!(InvalidArgument, "no track"))?;
    for (kind, traf) in children(moof) {
        if &kind != b"traf" {
            continue;
        }
        let tfhd =
            child(traf, b"tfhd").ok_or_else(|| err!(InvalidArgument, "traf without tfhd"))?;
        let mut c = Cursor::new(tfhd);
        let (_, flags) = c.full_header()?;
        let track_id = c.u32()?;
        if track_id != main.id {
            continue;
        }
        if flags & 0x1 != 0 {
            c.u64()?;
        }
        if flags & 0x2 != 0 {
            c.u32()?;
        }
        let default_duration = if flags & 0x8 != 0 {
            c.u32()?
        } else {
            main.default_sample_duration
        };
        if flags & 0x10 != 0 {
            c.u32()?;
        }
        let default_flags = if flags & 0x20 != 0 {
            c.u32()?
        } else {
            main.default_sample_flags
        };

        let decode_time = match child(traf, b"tfdt") {
            Some(tfdt) => {
                let mut c = Cursor::new(tfdt);
                let (v, _) = c.full_header()?;
                if v == 1 {
                    c.u64()?
                } else {
                    u64::from(c.u32()?)
                }
            }
            None => 0,
        };
        let mut duration = 0u64;
        let mut samples = 0u32;
        let mut first_flags: Option<u32> = None;
        for (k, trun) in children(traf) {
            if &k != b"trun" {
                continue;
            }
            let mut c = Cursor::new(trun);
            let (_, tf) = c.full_header()?;
            let count = c.u32()?;
            if tf & 0x1 != 0 {
                c.u32()?;
            }
            let first_sample_flags = if tf & 0x4 != 0 { Some(c.u32()?) } else { None };
            if tf & 0xf00 == 0 {
                // No per-sample fields: every sample takes the defaults. Do not walk the count
                // one by one (a hostile count of 2^32-1 would spin for seconds).
                if samples == 0 && count > 0 {
                    first_flags = Some(first_sample_flags.unwrap_or(default_flags));
                }
                duration = duration.saturating_add(u64::from(count) * u64::from(default_duration));
                samples = samples.saturating_add(count);
                continue;
            }
            for i in 0..count {
                let d = if tf & 0x100 != 0 {
                    c.u32()?
                } else {
                    default_duration
                };
                if tf & 0x200 != 0 {
                    c.u32()?;
                }
                let f = if tf & 0x400 != 0 {
                    Some(c.u32()?)
                } else {
                    None
                };
                if tf & 0x800 != 0 {
                    c.u32()?;
                }
                if samples == 0 && i == 0 {
                    first_flags = Some(first_sample_flags.or(f).unwrap_or(default_flags));
                }
                duration = duration.saturating_add(u64::from(d));
            }
            samples = samples.saturating_add(count);
        }
        let keyframe = if &main.handler == b"vide" {
            first_flags.is_some_and(|f| f & NON_SYNC == 0)
        } else {
            true
        };
        return Ok(FragmentInfo {
            decode_time,
            duration,
            samples,
            keyframe,
        });
    }
    // A fragment of the other tracks only (audio past the last video frame): no main-track time.
    Ok(FragmentInfo {
        decode_time: 0,
        duration: 0,
        samples: 0,
        keyframe: false,
    })
}

/// Shift the decode times (`tfdt`) of every fragment in `buf` (whole `moof`/`mdat` boxes) by
/// `shift_ms`, converted to each track's timescale, in place. Used to put fragments of several
/// files on one continuous timeline for a VOD playlist. Times that would go negative become 0.
pub fn shift_decode_times(buf: &mut [u8], init: &InitInfo, shift_ms: i64) -> Result<()> {
    let mut pos = 0usize;
    while pos < buf.len() {
        let h = read_header(&buf[pos..])?.ok_or_else(|| err!(InvalidArgument, "truncated box"))?;
        let end = usize::try_from(h.size)
            .ok()
            .and_then(|s| pos.checked_add(s))
            .filter(|&e| e <= buf.len())
            .ok_or_else(|| err!(InvalidArgument, "box past the end of the range"))?;
        if &h.kind == b"moof" {
            shift_moof(&mut buf[pos + h.header_len..end], init, shift_ms)?;
        }
        pos = end;
    }
    Ok(())
}

fn shift_moof(moof: &mut [u8], init: &InitInfo, shift_ms: i64) -> Result<()> {
    // Find (track id, tfdt body range) for every traf, then patch.
    let mut patches: Vec<(u32, usize, usize)> = vec![];
    let mut pos = 0usize;
    while let Some(h) = read_header(&moof[pos..])? {
        let end = usize::try_from(h.size)
            .ok()
            .and_then(|s| pos.checked_add(s))
            .filter(|&e| e <= moof.len())
            .ok_or_else(|| err!(InvalidArgument, "moof truncated"))?;
        if &h.kind == b"traf" {
            let traf_start = pos + h.header_len;
            let traf = &moof[traf_start..end];
            let mut track = None;
            let mut tfdt = None;
            let mut p = 0usize;
            while let Some(ch) = read_header(&traf[p..])? {
                let ce = usize::try_from(ch.size)
                    .ok()
                    .and_then(|s| p.checked_add(s))
                    .filter(|&e| e <= traf.len())
                    .ok_or_else(|| err!(InvalidArgument, "traf truncated"))?;
                match &ch.kind {
                    b"tfhd" => {
                        let b = &traf[p + ch.header_len..ce];
                        if b.len() >= 8 {
                            track = Some(u32::from_be_bytes([b[4], b[5], b[6], b[7]]));
                        }
                    }
                    b"tfdt" => tfdt = Some((traf_start + p + ch.header_len, traf_start + ce)),
                    _ => {}
                }
                p = ce;
                if p >= traf.len() {
                    break;
                }
            }
            if let (Some(t), Some((s, e))) = (track, tfdt) {
                patches.push((t, s, e));
            }
        }
        pos = end;
        if pos >= moof.len() {
            break;
        }
    }
    for (track, s, e) in patches {
        let Some(ts) = init
            .tracks
            .iter()
            .find(|t| t.id == track)
            .map(|t| i128::from(t.timescale))
        else {
            continue;
        };
        let shift = i128::from(shift_ms) * ts / 1000;
        let body = &mut moof[s..e];
        match body.first() {
            Some(1) if body.len() >= 12 => {
                let mut a = [0u8; 8];
                a.copy_from_slice(&body[4..12]);
                let v = (i128::from(u64::from_be_bytes(a)) + shift).clamp(0, i128::from(u64::MAX))
                    as u64;
                body[4..12].copy_from_slice(&v.to_be_bytes());
            }
            Some(0) if body.len() >= 8 => {
                let v =
                    i128::from(u32::from_be_bytes([body[4], body[5], body[6], body[7]])) + shift;
                let v = u32::try_from(v.max(0)).map_err(|_| {
                    err!(
                        InvalidArgument,
                        "shifted time does not fit a version-0 tfdt"
                    )
                })?;
                body[4..8].copy_from_slice(&v.to_be_bytes());
            }
            _ => bail!(InvalidArgument, "malformed tfdt"),
        }
    }
    Ok(())
}

/// One complete fragment (`moof` + `mdat`) found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScannedFragment {
    pub offset: u64,
    pub len: u64,
    pub info: FragmentInfo,
}

/// The usable part of a fragmented MP4 file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileScan {
    /// Bytes of `ftyp` + `moov`.
    pub init_len: u64,
    pub init: InitInfo,
    pub fragments: Vec<ScannedFragment>,
    /// Length of the prefix made of the init and complete fragments; bytes past it are a torn write.
    pub valid_len: u64,
    pub file_len: u64,
}

/// Scan a whole fragmented MP4 held in memory.
pub fn scan(buf: &[u8]) -> Result<FileScan> {
    let mut pos = 0usize;
    let mut init: Option<InitInfo> = None;
    let mut init_len = 0u64;
    let mut fragments = vec![];
    let mut valid_len = 0u64;
    let mut pending_moof: Option<(usize, FragmentInfo)> = None;
    while pos < buf.len() {
        let Some(h) = read_header(&buf[pos..]).ok().flatten() else {
            break;
        };
        let Some(end) = usize::try_from(h.size)
            .ok()
            .and_then(|s| pos.checked_add(s))
        else {
            break;
        };
        if end > buf.len() {
            break; // a box cut short by the crash
        }
        let body = &buf[pos + h.header_len..end];
        match &h.kind {
            b"ftyp" => {}
            b"moov" => {
                init = Some(parse_moov(body)?);
                init_len = end as u64;
                valid_len = init_len;
            }
            b"moof" => {
                let Some(i) = &init else {
                    bail!(InvalidArgument, "moof before moov");
                };
                pending_moof = parse_moof(body, i).ok().map(|f| (pos, f));
            }
            b"mdat" => {
                if let Some((start, info)) = pending_moof.take() {
                    fragments.push(ScannedFragment {
                        offset: start as u64,
                        len: (end - start) as u64,
                        info,
                    });
                    valid_len = end as u64;
                }
            }
            _ => {}
        }
        pos = end;
    }
    let init =
        init.ok_or_else(|| err!(InvalidArgument, "no moov box: not a fragmented MP4 init"))?;
    Ok(FileScan {
        init_len,
        init,
        fragments,
        valid_len,
        file_len: buf.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }
    fn full(v: u8, flags: u32, rest: &[u8]) -> Vec<u8> {
        let mut b = vec![v, (flags >> 16) as u8, (flags >> 8) as u8, flags as u8];
        b.extend_from_slice(rest);
        b
    }
    fn be(n: u32) -> [u8; 4] {
        n.to_be_bytes()
    }

    fn moov() -> Vec<u8> {
        let tkhd = bx(b"tkhd", &full(0, 3, &[&[0u8; 8][..], &be(1)].concat()));
        let mdhd = bx(
            b"mdhd",
            &full(0, 0, &[&[0u8; 8][..], &be(90_000), &be(0)].concat()),
        );
        let hdlr = bx(
            b"hdlr",
            &full(0, 0, &[&be(0)[..], b"vide", &[0u8; 12]].concat()),
        );
        let mdia = bx(b"mdia", &[mdhd, hdlr].concat());
        let trak = bx(b"trak", &[tkhd, mdia].concat());
        let trex = bx(
            b"trex",
            &full(
                0,
                0,
                &[be(1), be(1), be(3600), be(0), be(NON_SYNC)].concat(),
            ),
        );
        let mvex = bx(b"mvex", &trex);
        bx(b"moov", &[trak, mvex].concat())
    }

    fn moof(decode: u64, first_flags: Option<u32>, n: u32) -> Vec<u8> {
        let tfhd = bx(b"tfhd", &full(0, 0x20000, &be(1)));
        let tfdt = bx(b"tfdt", &full(1, 0, &decode.to_be_bytes()));
        let mut trun_body = be(n).to_vec();
        let mut flags = 0x200;
        if let Some(f) = first_flags {
            flags |= 0x4;
            trun_body.extend_from_slice(&be(f));
        }
        for _ in 0..n {
            trun_body.extend_from_slice(&be(100));
        }
        let trun = bx(b"trun", &full(0, flags, &trun_body));
        bx(b"moof", &bx(b"traf", &[tfhd, tfdt, trun].concat()))
    }

    #[test]
    fn scans_init_and_fragments_and_finds_torn_tail() {
        let mut file = bx(b"ftyp", b"isom\0\0\0\0");
        file.extend(moov());
        let init_len = file.len() as u64;
        file.extend(moof(0, Some(0x0200_0000), 25));
        file.extend(bx(b"mdat", &[0u8; 2500]));
        file.extend(moof(90_000, None, 25));
        file.extend(bx(b"mdat", &[0u8; 2500]));
        let good = file.len() as u64;
        file.extend(moof(180_000, Some(0x0200_0000), 25));
        file.extend(&bx(b"mdat", &[0u8; 2500])[..100]); // torn write
        let s = scan(&file).unwrap();
        assert_eq!(s.init_len, init_len);
        assert_eq!(s.init.tracks[0].timescale, 90_000);
        assert_eq!(s.fragments.len(), 2);
        assert_eq!(s.valid_len, good);
        assert_eq!(
            s.fragments[0].info,
            FragmentInfo {
                decode_time: 0,
                duration: 90_000,
                samples: 25,
                keyframe: true
            }
        );
        // Second fragment: no first-sample flags, so trex's default (non-sync) applies.
        assert!(!s.fragments[1].info.keyframe);
        assert_eq!(s.fragments[1].info.decode_time, 90_000);
    }

    #[test]
    fn shifts_decode_times_in_place() {
        let mut file = bx(b"ftyp", b"isom\0\0\0\0");
        file.extend(moov());
        let init = scan(&[file.clone(), moof(90_000, Some(0), 1), bx(b"mdat", &[0; 4])].concat())
            .unwrap()
            .init;
        let mut frag = [
            moof(90_000, Some(0), 1),
            bx(b"mdat", &[0; 4]),
            moof(180_000, None, 1),
            bx(b"mdat", &[0; 4]),
        ]
        .concat();
        shift_decode_times(&mut frag, &init, 10_000).unwrap();
        let mut whole = file.clone();
        whole.extend(&frag);
        let s = scan(&whole).unwrap();
        assert_eq!(s.fragments[0].info.decode_time, 90_000 + 900_000);
        assert_eq!(s.fragments[1].info.decode_time, 180_000 + 900_000);
        shift_decode_times(&mut frag, &init, -1_000_000).unwrap();
        let mut whole = file;
        whole.extend(&frag);
        assert_eq!(
            scan(&whole).unwrap().fragments[0].info.decode_time,
            0,
            "clamped at zero"
        );
        assert!(shift_decode_times(&mut [0, 0, 0, 9, b'm'], &init, 1).is_err());
    }

    #[test]
    fn garbage_never_panics() {
        for len in 0..64 {
            let junk: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
            let _ = scan(&junk);
            let _ = parse_moov(&junk);
        }
        let mut bad = bx(b"ftyp", b"isom");
        bad.extend_from_slice(&[0, 0, 0, 3, b'm', b'o', b'o', b'v']);
        assert!(scan(&bad).is_err());
    }
}
