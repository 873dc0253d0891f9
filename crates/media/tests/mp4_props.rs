//! Property tests of Vigil's MP4 box parser (`vigil_media::mp4`) and of the init segments our own
//! fragmented-MP4 writer makes. Inputs: random bytes, random box trees that often lie about their
//! sizes, a real fragmented MP4 made by the ffmpeg CLI cut at every length and with bytes
//! corrupted, and boxes declaring sizes of up to `u64::MAX`. Proves that `read_header`,
//! `parse_moov`, `parse_moof`, `scan` and `shift_decode_times` never panic, return promptly,
//! allocate in proportion to the bytes they are given (a counting allocator watches every call,
//! never what a box claims), and report failures as `vigil_base::Error` values of kind
//! `InvalidArgument`; and that whatever `Fmp4Muxer`'s own writer produces, from random codec
//! configurations (which reach its private `asc_rate_channels` and `init_info`) and timestamps
//! anywhere in `i64`, scans back to the same init and fragment facts without a panic.
//!
//! Deterministic by default (fixed seed); set `PROPTEST_RNG_SEED` to explore other inputs.
#![allow(clippy::unwrap_used)]
// The counting global allocator lives in props/mod.rs.
#![allow(unsafe_code)]

mod props;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use vigil_media::mp4::{self, FragmentInfo};

use props::*;

// ---------------------------------------------------------------------------------------------
// Random box trees: known box types, sizes that are usually right and sometimes lie, bodies of
// 32-bit words that are often small (a track id of 1, a sample count of 3) and sometimes extreme.

const CONTAINERS: [&[u8; 4]; 9] = [
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd", b"mvex", b"moof", b"traf",
];
const LEAVES: [&[u8; 4]; 14] = [
    b"ftyp", b"tkhd", b"mdhd", b"hdlr", b"trex", b"tfhd", b"tfdt", b"trun", b"mdat", b"free",
    b"avc1", b"mp4a", b"mfhd", b"vide",
];

#[derive(Clone, Copy, Debug)]
enum Size {
    Exact,
    Exact64,
    Lie32(u32),
    Lie64(u64),
}

fn size() -> impl Strategy<Value = Size> {
    prop_oneof![
        12 => Just(Size::Exact),
        1 => Just(Size::Exact64),
        1 => prop_oneof![any::<u32>(), Just(u32::MAX), 0..64u32].prop_map(Size::Lie32),
        1 => prop_oneof![any::<u64>(), Just(u64::MAX), Just(u64::MAX - 7)].prop_map(Size::Lie64),
    ]
}

fn encode(kind: &[u8; 4], body: &[u8], size: Size) -> Vec<u8> {
    match size {
        Size::Exact => bx(kind, body),
        Size::Exact64 => bx64(body.len() as u64 + 16, kind, body),
        Size::Lie32(s) => bx32(s, kind, body),
        Size::Lie64(s) => bx64(s, kind, body),
    }
}

fn word() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0..4u32,
        2 => Just(0x0100_0000), // version 1 in a full-box header
        2 => any::<u32>(),
        1 => Just(u32::MAX),
        1 => Just(0x0001_0000), // non-sync sample flags
        1 => Just(0x0000_0f05), // trun flags: data offset, first-sample flags, every per-sample field
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(word(), 0..12),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(ws, tail)| [words(&ws), tail].concat())
}

fn box_tree() -> impl Strategy<Value = Vec<u8>> {
    let leaf =
        (prop::sample::select(&LEAVES[..]), body(), size()).prop_map(|(k, b, s)| encode(k, &b, s));
    leaf.prop_recursive(5, 96, 6, |inner| {
        (
            prop::sample::select(&CONTAINERS[..]),
            prop::collection::vec(word(), 0..3),
            prop::collection::vec(inner, 0..6),
            size(),
        )
            .prop_map(|(k, prefix, kids, s)| {
                // `stsd` holds a full-box header and an entry count before its entries.
                let prefix = if k == b"stsd" {
                    words(&[0, 1])
                } else {
                    words(&prefix)
                };
                encode(k, &[prefix, kids.concat()].concat(), s)
            })
    })
}

/// A random file: box trees, optionally after a real init segment (so `moof`s get parsed).
fn random_file() -> impl Strategy<Value = Vec<u8>> {
    (
        0..3u8,
        prop::collection::vec(box_tree(), 0..6),
        prop::collection::vec(any::<u8>(), 0..3),
    )
        .prop_map(|(init, trees, tail)| {
            let head = match init {
                0 => vec![],
                1 => synthetic_init_bytes(),
                _ => real_file()[..real_scan().init_len as usize].to_vec(),
            };
            [head, trees.concat(), tail].concat()
        })
}

// ---------------------------------------------------------------------------------------------
// (a) Random input.

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        shift_ms in any::<i64>(),
    ) {
        let real = &real_scan().init;
        exercise(&bytes, &[real, &synthetic_init()], shift_ms);
    }

    #[test]
    fn random_box_trees_never_panic(
        file in random_file(),
        shift_ms in prop_oneof![any::<i64>(), -100_000..100_000i64],
    ) {
        let real = &real_scan().init;
        let synthetic = synthetic_init();
        let start = Instant::now();
        exercise(&file, &[real, &synthetic], shift_ms);
        // Every box's body on its own, too: `parse_moov`/`parse_moof` get the bodies in practice.
        let mut pos = 0;
        while let Ok(Some(h)) = mp4::read_header(&file[pos..]) {
            let body_end = usize::try_from(h.size)
                .ok()
                .and_then(|s| pos.checked_add(s))
                .filter(|&e| e <= file.len())
                .unwrap_or(file.len());
            let body = &file[(pos + h.header_len).min(body_end)..body_end];
            exercise(body, &[real, &synthetic], shift_ms);
            if body_end == file.len() {
                break;
            }
            pos = body_end;
        }
        let took = start.elapsed();
        prop_assert!(took < Duration::from_secs(2), "{} bytes took {took:?}", file.len());
    }
}

// ---------------------------------------------------------------------------------------------
// (b) A real file, cut short and corrupted.

#[test]
fn real_file_cut_at_every_length() {
    let file = real_file();
    let whole = real_scan();
    let init_len = whole.init_len as usize;
    let start = Instant::now();
    for n in 0..=file.len() {
        let prefix = &file[..n];
        let (scan, a) = measured(|| mp4::scan(prefix));
        assert_proportional(a, n, "scan of a prefix");
        match scan {
            Ok(s) => {
                assert!(n >= init_len, "scanned without a whole moov at {n}");
                assert_eq!(s.init, whole.init);
                // Exactly the fragments that fit, and the valid length is where the last ends.
                let fit: Vec<_> = whole
                    .fragments
                    .iter()
                    .filter(|f| f.offset + f.len <= n as u64)
                    .copied()
                    .collect();
                assert_eq!(s.fragments, fit, "cut at {n}");
                let valid = fit.last().map_or(whole.init_len, |f| f.offset + f.len);
                assert_eq!(s.valid_len, valid, "cut at {n}");
            }
            Err(e) => {
                assert!(n < init_len, "a prefix of {n} bytes holds the init: {e}");
                assert_input_error(&e, "scan of a prefix");
            }
        }
    }

    // The fragment part cut anywhere: shifting works exactly on whole boxes, and every cut `moof`
    // body is refused or read, never a panic.
    let frags = &file[init_len..];
    let cuts = boundaries(frags);
    for n in 0..=frags.len() {
        let mut part = frags[..n].to_vec();
        let r = mp4::shift_decode_times(&mut part, &whole.init, 1500);
        match r {
            Ok(()) => assert!(cuts.contains(&n), "shifted a torn box at {n}"),
            Err(e) => {
                assert!(!cuts.contains(&n), "refused whole boxes at {n}: {e}");
                assert_input_error(&e, "shift of a prefix");
            }
        }
    }
    for f in &whole.fragments {
        let moof = &file[f.offset as usize..(f.offset + f.len) as usize];
        let h = mp4::read_header(moof).unwrap().unwrap();
        let body = &moof[h.header_len..h.size as usize];
        assert_eq!(mp4::parse_moof(body, &whole.init).unwrap(), f.info);
        for n in 0..body.len() {
            if let Err(e) = mp4::parse_moof(&body[..n], &whole.init) {
                assert_input_error(&e, "parse_moof of a cut moof");
            }
        }
    }
    // The moov body cut anywhere (ftyp comes first, then moov).
    let moov_at = boundaries(file)[1];
    let moov_h = mp4::read_header(&file[moov_at..]).unwrap().unwrap();
    assert_eq!(&moov_h.kind, b"moov");
    let moov = &file[moov_at + moov_h.header_len..init_len];
    for n in 0..moov.len() {
        if let Err(e) = mp4::parse_moov(&moov[..n]) {
            assert_input_error(&e, "parse_moov of a cut moov");
        }
    }
    eprintln!(
        "{} bytes cut at every length in {:?}",
        file.len(),
        start.elapsed()
    );
}

#[test]
fn real_file_with_every_header_byte_corrupted() {
    // Every byte of every box header down to the `traf` children, set to 0x00, 0xFF and flipped:
    // the bytes where a wrong value changes how the rest is framed.
    let file = real_file();
    let whole = real_scan();
    let mut header_bytes = vec![];
    fn walk(buf: &[u8], base: usize, depth: u32, out: &mut Vec<usize>) {
        let mut pos = 0;
        while let Ok(Some(h)) = mp4::read_header(&buf[pos..]) {
            let end = pos + h.size as usize;
            if end > buf.len() {
                break;
            }
            out.extend(base + pos..base + pos + h.header_len);
            let containers: [&[u8; 4]; 8] = [
                b"moov", b"trak", b"mdia", b"minf", b"stbl", b"mvex", b"moof", b"traf",
            ];
            if depth < 6 && containers.contains(&&h.kind) {
                walk(
                    &buf[pos + h.header_len..end],
                    base + pos + h.header_len,
                    depth + 1,
                    out,
                );
            }
            pos = end;
        }
    }
    walk(file, 0, 0, &mut header_bytes);
    assert!(header_bytes.len() > 100);
    let start = Instant::now();
    let mut copy = file.to_vec();
    for &at in &header_bytes {
        for v in [0x00, 0xFF, !file[at]] {
            copy[at] = v;
            if let Some(s) = exercise(&copy, &[&whole.init], -2000) {
                assert!(s.valid_len <= file.len() as u64);
            }
        }
        copy[at] = file[at];
    }
    eprintln!(
        "{} header bytes corrupted three ways in {:?}",
        header_bytes.len(),
        start.elapsed()
    );
}

proptest! {
    #![proptest_config(config(768))]

    #[test]
    fn real_file_with_random_corruptions_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        shift_ms in -10_000..10_000i64,
    ) {
        let file = real_file();
        let whole = real_scan();
        let mut copy = file.to_vec();
        for (at, v) in &edits {
            let i = at.index(copy.len());
            copy[i] = *v;
        }
        let start = Instant::now();
        exercise(&copy, &[&whole.init], shift_ms);
        exercise(&copy[..cut.index(copy.len() + 1)], &[&whole.init], shift_ms);
        // The fragment part alone, as a playlist server hands it to `shift_decode_times`.
        let init_len = whole.init_len as usize;
        let mut frags = copy[init_len..].to_vec();
        if let Err(e) = mp4::shift_decode_times(&mut frags, &whole.init, shift_ms) {
            assert_input_error(&e, "shift of corrupted fragments");
        }
        prop_assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn shifting_real_fragments_there_and_back_restores_them(shift_ms in 0..1_000_000_000i64) {
        let file = real_file();
        let whole = real_scan();
        let frags = &file[whole.init_len as usize..];
        let mut copy = frags.to_vec();
        mp4::shift_decode_times(&mut copy, &whole.init, shift_ms).unwrap();
        mp4::shift_decode_times(&mut copy, &whole.init, -shift_ms).unwrap();
        prop_assert!(copy == frags);
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Sizes far beyond the bytes present.

/// Runs `f` and checks it returned promptly, allocating no more than `limit` bytes at once.
fn bounded<T>(what: &str, limit: usize, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let (out, a) = measured(f);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(1), "{what} took {took:?}");
    assert!(a.largest <= limit, "{what}: allocated {a:?}");
    out
}

#[test]
fn huge_declared_sizes_are_never_allocated_or_trusted() {
    let init = synthetic_init_bytes();
    let info = synthetic_init();
    let tiny = 64 * 1024;

    // read_header reports the claim; nothing is allocated for it.
    for (bytes, want) in [
        (bx32(u32::MAX, b"mdat", &[]), u64::from(u32::MAX)),
        (bx64(u64::MAX, b"mdat", &[]), u64::MAX),
        (bx64(u64::MAX, b"moov", &[0; 64]), u64::MAX),
    ] {
        let h = bounded("read_header", tiny, || mp4::read_header(&bytes))
            .unwrap()
            .unwrap();
        assert_eq!(h.size, want);
    }

    // scan: a box that claims more than is there ends the usable part.
    for huge in [
        bx32(u32::MAX, b"moof", &[0; 32]),
        bx64(u64::MAX, b"moof", &[0; 32]),
        bx64(u64::MAX - 7, b"mdat", &[0; 32]),
        bx64(1 << 62, b"mdat", &[0; 32]),
    ] {
        let file = [init.clone(), huge].concat();
        let s = bounded("scan", tiny, || mp4::scan(&file)).unwrap();
        assert!(s.fragments.is_empty());
        assert_eq!(s.valid_len, init.len() as u64);
        // ...and as the first box, there is no init at all.
        let first = [bx64(u64::MAX, b"moov", &[0; 32]), init.clone()].concat();
        let e = bounded("scan", tiny, || mp4::scan(&first)).unwrap_err();
        assert_input_error(&e, "scan");
    }

    // parse_moov: a trak or tkhd claiming u64::MAX is skipped (no usable track), not followed.
    let tkhd = bx(b"tkhd", &full(0, 3, &words(&[0, 0, 1])));
    for moov in [
        bx64(u64::MAX, b"trak", &tkhd),
        bx(b"trak", &bx64(u64::MAX, b"tkhd", &[0; 20])),
        bx(
            b"trak",
            &[tkhd.clone(), bx32(u32::MAX, b"mdia", &[0; 20])].concat(),
        ),
        [bx(b"trak", &tkhd), bx64(u64::MAX, b"mvex", &[])].concat(),
    ] {
        let e = bounded("parse_moov", tiny, || mp4::parse_moov(&moov)).unwrap_err();
        assert_input_error(&e, "parse_moov");
    }

    // parse_moof: a traf claiming u64::MAX holds no fragment of the main track.
    let tfhd = bx(b"tfhd", &full(0, 0, &words(&[1])));
    let f = bounded("parse_moof", tiny, || {
        mp4::parse_moof(&bx64(u64::MAX, b"traf", &tfhd), &info)
    })
    .unwrap();
    assert_eq!(f.samples, 0);

    // A trun declaring u32::MAX samples: with per-sample fields, the bytes run out at once;
    // without any (every sample takes the defaults), the count must not be walked one by one.
    for trun_flags in [0x000, 0x004, 0x100, 0x200, 0x400, 0x800, 0xf05] {
        let trun = bx(b"trun", &full(0, trun_flags, &words(&[u32::MAX, 0, 0, 0])));
        let traf = bx(b"traf", &[tfhd.clone(), trun.clone(), trun].concat());
        let r = bounded("parse_moof of a huge trun", tiny, || {
            mp4::parse_moof(&traf, &info)
        });
        match r {
            Ok(f) => {
                assert_eq!(trun_flags & 0xf00, 0, "read past the samples present");
                // Two truns of u32::MAX samples: the counts saturate rather than wrap.
                assert_eq!(f.samples, u32::MAX);
                assert_eq!(f.duration, 2 * u64::from(u32::MAX) * 3600);
            }
            Err(e) => assert_input_error(&e, "parse_moof of a huge trun"),
        }
        let file = [init.clone(), bx(b"moof", &traf), bx(b"mdat", &[0; 8])].concat();
        bounded("scan of a huge trun", tiny, || mp4::scan(&file)).unwrap();
    }

    // The same shortcut on an honest trun of default samples gives what walking them would.
    for (trun_flags, first, keyframe) in [(0x004, 0x0200_0000, true), (0x000, 0, false)] {
        let mut rest = words(&[3]);
        if trun_flags & 0x4 != 0 {
            rest.extend(words(&[first]));
        }
        let empty = bx(b"trun", &full(0, 0, &words(&[0])));
        let trun = bx(b"trun", &full(0, trun_flags, &rest));
        let traf = bx(b"traf", &[tfhd.clone(), empty, trun.clone(), trun].concat());
        let f = mp4::parse_moof(&traf, &info).unwrap();
        assert_eq!(
            f,
            FragmentInfo {
                decode_time: 0,
                duration: 6 * 3600,
                samples: 6,
                keyframe
            }
        );
    }

    // shift_decode_times: a huge moof, or a huge box after a good one inside a moof or traf.
    let tfdt = bx(b"tfdt", &full(1, 0, &0u64.to_be_bytes()));
    let traf = bx(b"traf", &[tfhd.clone(), tfdt.clone()].concat());
    for (kind, huge) in [
        ("moof", bx64(u64::MAX, b"moof", &traf)),
        (
            "mdat",
            [bx(b"moof", &traf), bx32(u32::MAX, b"mdat", &[0; 8])].concat(),
        ),
        (
            "moof child",
            bx(
                b"moof",
                &[traf.clone(), bx64(u64::MAX, b"free", &[0; 8])].concat(),
            ),
        ),
        (
            "moof child, wrapping",
            bx(
                b"moof",
                &[traf.clone(), bx64(u64::MAX - 7, b"traf", &[0; 8])].concat(),
            ),
        ),
        (
            "traf child",
            bx(
                b"moof",
                &bx(
                    b"traf",
                    &[tfhd.clone(), bx64(u64::MAX, b"tfdt", &[0; 12])].concat(),
                ),
            ),
        ),
        (
            "traf child, wrapping",
            bx(
                b"moof",
                &bx(
                    b"traf",
                    &[tfhd.clone(), bx64(u64::MAX - 7, b"tfdt", &[0; 12])].concat(),
                ),
            ),
        ),
    ] {
        let mut buf = huge;
        let e = bounded("shift_decode_times", tiny, || {
            mp4::shift_decode_times(&mut buf, &info, 1000)
        })
        .unwrap_err();
        assert_input_error(&e, kind);
    }
}
