//! Shared by the MP4 property tests: a counting global allocator (the largest single
//! allocation and the total made by one closure, on the calling thread), box builders, a real
//! ffmpeg-made fragmented MP4, and the one function that drives every parser entry point.
#![allow(dead_code)] // each test file uses part of it

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::Command;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use vigil_base::{Error, ErrorKind};
use vigil_media::mp4::{self, FileScan, InitInfo, TrackInfo};

// ---------------------------------------------------------------------------------------------
// Allocation watch: the largest single allocation and the total allocated by one closure, on
// the calling thread only (tests run in parallel threads).

pub struct Counting;

pub struct Watch {
    on: Cell<bool>,
    largest: Cell<usize>,
    total: Cell<usize>,
}

thread_local! {
    static WATCH: Watch = const {
        Watch {
            on: Cell::new(false),
            largest: Cell::new(0),
            total: Cell::new(0),
        }
    };
}

pub fn note(size: usize) {
    // `try_with`: no panic while a thread is being torn down. The thread local has no destructor
    // and a const initialiser, so looking at it never allocates.
    let _ = WATCH.try_with(|w| {
        if w.on.get() {
            w.largest.set(w.largest.get().max(size));
            w.total.set(w.total.get().saturating_add(size));
        }
    });
}

// SAFETY: every method forwards to the system allocator with the caller's arguments unchanged;
// `note` only updates thread-local counters and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
pub static ALLOC: Counting = Counting;

#[derive(Clone, Copy, Debug)]
pub struct Allocated {
    pub largest: usize,
    pub total: usize,
}

/// Runs `f`, returning what it allocated on this thread.
pub fn measured<T>(f: impl FnOnce() -> T) -> (T, Allocated) {
    WATCH.with(|w| {
        w.largest.set(0);
        w.total.set(0);
        w.on.set(true);
    });
    let out = f();
    let a = WATCH.with(|w| {
        w.on.set(false);
        Allocated {
            largest: w.largest.get(),
            total: w.total.get(),
        }
    });
    (out, a)
}

/// What a parser may allocate for `input_len` bytes of input: a small constant (error messages)
/// plus a multiple of the input (one entry per box found), never anything a box header claims.
pub fn assert_proportional(a: Allocated, input_len: usize, what: &str) {
    let largest = 4096 + 16 * input_len;
    let total = 64 * 1024 + 64 * input_len;
    assert!(
        a.largest <= largest && a.total <= total,
        "{what}: allocated {a:?} for {input_len} input bytes"
    );
}

#[test]
pub fn the_allocation_watch_sees_allocations() {
    let (v, a) = measured(|| vec![7u8; 3 << 20]);
    assert!(a.largest >= 3 << 20 && a.total >= 3 << 20, "{a:?}");
    drop(v);
    let ((), a) = measured(|| ());
    assert_eq!((a.largest, a.total), (0, 0));
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A fixed seed unless `PROPTEST_RNG_SEED` asks for another; no regression files in the tree.
pub fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(0x5eed_0ff4_b0c5);
    }
    c
}

/// Every error the parser returns is a typed Vigil error about the input.
pub fn assert_input_error(e: &Error, what: &str) {
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{what}: {e}");
    assert!(!e.message().is_empty(), "{what}: empty message");
}

pub fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = u32::try_from(body.len() + 8)
        .unwrap()
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

/// A box whose 32-bit size field says `size`, whatever the body.
pub fn bx32(size: u32, kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = size.to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(body);
    v
}

/// A box with a 64-bit largesize of `size`, whatever the body.
pub fn bx64(size: u64, kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = 1u32.to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(&size.to_be_bytes());
    v.extend_from_slice(body);
    v
}

pub fn full(version: u8, flags: u32, rest: &[u8]) -> Vec<u8> {
    let mut b = vec![
        version,
        (flags >> 16) as u8,
        (flags >> 8) as u8,
        flags as u8,
    ];
    b.extend_from_slice(rest);
    b
}

pub fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// One video track (id 1, 90 kHz) whose samples default to non-sync.
pub fn synthetic_init() -> InitInfo {
    InitInfo {
        tracks: vec![TrackInfo {
            id: 1,
            timescale: 90_000,
            handler: *b"vide",
            default_sample_duration: 3600,
            default_sample_flags: 0x0001_0000,
            sample_entry: *b"avc1",
            width: 160,
            height: 120,
        }],
    }
}

/// `ftyp` + a `moov` with one such track.
pub fn synthetic_init_bytes() -> Vec<u8> {
    let tkhd = bx(b"tkhd", &full(0, 3, &words(&[0, 0, 1])));
    let mdhd = bx(b"mdhd", &full(0, 0, &words(&[0, 0, 90_000, 0])));
    let hdlr = bx(
        b"hdlr",
        &full(0, 0, &[&words(&[0])[..], b"vide", &[0; 12]].concat()),
    );
    let mdia = bx(b"mdia", &[mdhd, hdlr].concat());
    let trak = bx(b"trak", &[tkhd, mdia].concat());
    let trex = bx(b"trex", &full(0, 0, &words(&[1, 1, 3600, 0, 0x0001_0000])));
    let moov = bx(b"moov", &[trak, bx(b"mvex", &trex)].concat());
    [bx(b"ftyp", b"isom\0\0\0\0"), moov].concat()
}

/// A fragmented MP4 made by the ffmpeg CLI (H.264 with B-frames, AAC, a fragment every 5 frames),
/// once per test binary.
pub fn real_file() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("frag.mp4");
        let status = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
            .args([
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=160x120:rate=10:duration=2",
            ])
            .args([
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=16000:duration=2",
            ])
            .args(["-c:v", "libx264", "-preset", "veryfast", "-g", "5"])
            .args(["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k"])
            .args(["-movflags", "frag_keyframe+empty_moov+default_base_moof"])
            .arg(&out)
            .status()
            .expect("cannot run ffmpeg");
        assert!(status.success(), "ffmpeg failed to make the test file");
        std::fs::read(&out).unwrap()
    })
}

/// The real file, scanned whole (which must succeed, with nothing torn).
pub fn real_scan() -> &'static FileScan {
    static SCAN: OnceLock<FileScan> = OnceLock::new();
    SCAN.get_or_init(|| {
        let f = real_file();
        let s = mp4::scan(f).unwrap();
        // Everything up to the last fragment is valid; ffmpeg ends the file with an `mfra` index.
        let last = s.fragments.last().unwrap();
        assert_eq!(s.valid_len, last.offset + last.len);
        let tail = mp4::read_header(&f[s.valid_len as usize..])
            .unwrap()
            .unwrap();
        assert_eq!(&tail.kind, b"mfra");
        assert_eq!(s.valid_len + tail.size, f.len() as u64);
        assert!(s.fragments.len() >= 3, "{} fragments", s.fragments.len());
        assert_eq!(s.init.tracks.len(), 2);
        assert!(s.fragments[0].info.keyframe);
        s
    })
}

/// Every top-level box boundary of `buf` (0 and its length included).
pub fn boundaries(buf: &[u8]) -> Vec<usize> {
    let mut out = vec![0];
    let mut pos = 0;
    while pos < buf.len() {
        let h = mp4::read_header(&buf[pos..]).unwrap().unwrap();
        pos += usize::try_from(h.size).unwrap();
        out.push(pos);
    }
    assert_eq!(pos, buf.len());
    out
}

/// Runs every parser on `bytes` and checks what each returns. Returns the scan result.
pub fn exercise(bytes: &[u8], inits: &[&InitInfo], shift_ms: i64) -> Option<FileScan> {
    let n = bytes.len();

    let (h, a) = measured(|| mp4::read_header(bytes));
    assert_proportional(a, n, "read_header");
    match h {
        Ok(Some(h)) => assert!(h.size >= h.header_len as u64 && n >= h.header_len),
        Ok(None) => assert!(n < 16),
        Err(e) => assert_input_error(&e, "read_header"),
    }

    let (moov, a) = measured(|| mp4::parse_moov(bytes));
    assert_proportional(a, n, "parse_moov");
    match moov {
        Ok(info) => {
            assert!(!info.tracks.is_empty());
            assert!(info.tracks.iter().all(|t| t.timescale > 0));
        }
        Err(e) => assert_input_error(&e, "parse_moov"),
    }

    for init in inits {
        let (moof, a) = measured(|| mp4::parse_moof(bytes, init));
        assert_proportional(a, n, "parse_moof");
        if let Err(e) = moof {
            assert_input_error(&e, "parse_moof");
        }
        let mut copy = bytes.to_vec();
        let (shifted, a) = measured(|| mp4::shift_decode_times(&mut copy, init, shift_ms));
        assert_proportional(a, n, "shift_decode_times");
        if let Err(e) = shifted {
            assert_input_error(&e, "shift_decode_times");
        }
        assert_eq!(copy.len(), n);
    }

    let (scan, a) = measured(|| mp4::scan(bytes));
    assert_proportional(a, n, "scan");
    match scan {
        Ok(s) => {
            assert_eq!(s.file_len, n as u64);
            assert!(s.init_len <= s.valid_len && s.valid_len <= s.file_len);
            let mut end = s.init_len;
            for f in &s.fragments {
                assert!(f.offset >= end && f.len >= 16, "{f:?}");
                end = f.offset + f.len;
            }
            assert!(end <= s.valid_len);
            Some(s)
        }
        Err(e) => {
            assert_input_error(&e, "scan");
            None
        }
    }
}
