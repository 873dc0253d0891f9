//! Decode times against GOP structures encoders make, cameras that understate their reorder
//! depth, clocks that step back, generated streams of any reorder depth up to the limit, and the
//! depth Retina reads from real encoders' SPS.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Times in frames of 3,600 ticks (25 fps at 90 kHz).
const F: i64 = 3600;

fn ticks(frames: &[i64]) -> Vec<i64> {
    frames.iter().map(|f| f * F).collect()
}

/// Run a whole stream through, as the Retina source does: the first `ahead` frames are known
/// before the first time is assigned.
fn run(declared: Option<u32>, pts: &[i64], ahead: usize) -> Vec<Assigned> {
    let mut d = DecodeOrder::new(declared, &pts[..ahead.min(pts.len())], None);
    pts.iter().map(|&p| d.assign(p)).collect()
}

fn times(a: &[Assigned]) -> Vec<(i64, i64)> {
    a.iter()
        .map(|x| match *x {
            Assigned::Times { pts, dts } => (pts, dts),
            Assigned::Deeper(n) => panic!("asked to reconnect with depth {n}: {a:?}"),
        })
        .collect()
}

/// What MP4 needs: decode times strictly increasing, none after its frame's presentation time.
fn assert_valid(t: &[(i64, i64)]) {
    for (i, &(pts, dts)) in t.iter().enumerate() {
        assert!(dts <= pts, "frame {i}: dts {dts} after pts {pts}: {t:?}");
        if i > 0 {
            assert!(
                dts > t[i - 1].1,
                "frame {i}: dts {dts} not increasing: {t:?}"
            );
        }
    }
}

/// x264's default (`-bf 3 -b-pyramid normal`): I0 P4 B2 b1 b3 P8 B6 b5 b7 …, reorder depth 2.
fn pyramid(gops: i64) -> Vec<i64> {
    let mut v = vec![0];
    for g in 0..gops {
        let b = g * 4;
        v.extend([b + 4, b + 2, b + 1, b + 3]);
    }
    ticks(&v)
}

#[test]
fn no_b_frames_decode_when_presented() {
    let pts = ticks(&(0..50).collect::<Vec<_>>());
    let t = times(&run(Some(0), &pts, 8));
    assert!(t.iter().zip(&pts).all(|(&(p, d), &q)| p == q && d == q));
}

#[test]
fn pyramid_b_frames_take_the_presentation_times_two_frames_late() {
    let pts = pyramid(20);
    let t = times(&run(Some(2), &pts, 8));
    assert_valid(&t);
    // Presentation times are untouched; decode times are the sorted presentation times,
    // shifted by the depth, the first two a frame apart before the first.
    assert!(t.iter().zip(&pts).all(|(&(p, _), &q)| p == q));
    let dts: Vec<i64> = t.iter().map(|&(_, d)| d).collect();
    let mut sorted = pts.clone();
    sorted.sort_unstable();
    assert_eq!(dts[..2], [-2 * F, -F]);
    assert_eq!(dts[2..], sorted[..pts.len() - 2]);
}

#[test]
fn the_depth_the_first_frames_show_wins_over_an_sps_that_says_less() {
    let pts = pyramid(20);
    let mut d = DecodeOrder::new(Some(0), &pts[..8], None);
    assert_eq!(d.depth(), 2);
    let t = times(&pts.iter().map(|&p| d.assign(p)).collect::<Vec<_>>());
    assert_valid(&t);
    // No SPS value at all: the same.
    assert_eq!(DecodeOrder::new(None, &pts[..8], None).depth(), 2);
}

#[test]
fn a_deeper_reordering_than_used_asks_for_a_reconnect_with_its_depth() {
    // The first GOP reorders 1 deep (I P B), the next 3 deep (P7 B5 b4 b3 B6: b3 comes after
    // P7, B5 and b4). The camera's SPS says 1 and the look-ahead sees 1.
    let pts = ticks(&[0, 2, 1, 7, 5, 4, 3, 6, 8]);
    let first_deeper = |depth: usize| {
        let mut d = DecodeOrder::with_depth(depth, &pts[..3], None);
        pts.iter().map(|&p| d.assign(p)).find_map(|a| match a {
            Assigned::Deeper(n) => Some(n),
            Assigned::Times { .. } => None,
        })
    };
    // Each connection learns what it saw: 2 deep at b4, then 3 deep at b3, then enough.
    assert_eq!(DecodeOrder::new(Some(1), &pts[..3], None).depth(), 1);
    assert_eq!(first_deeper(1), Some(2));
    assert_eq!(first_deeper(2), Some(3));
    assert_eq!(first_deeper(3), None);
    // With the depth learned, the times are the exact ones: presentation untouched, decode the
    // presentation times in order, three late.
    let t = times(&run(Some(3), &pts, pts.len()));
    assert_valid(&t);
    assert!(t.iter().zip(&pts).all(|(&(p, _), &q)| p == q));
    let mut sorted = pts.clone();
    sorted.sort_unstable();
    let dts: Vec<i64> = t.iter().map(|&(_, d)| d).collect();
    assert_eq!(dts[3..], sorted[..pts.len() - 3]);
}

/// Presentation times out of `run` are the camera's up to frame `at`, then the camera's shifted
/// by one amount, later than every earlier one.
fn assert_continues_after(t: &[(i64, i64)], pts: &[i64], at: usize) {
    assert!(t[..at].iter().zip(pts).all(|(&(p, _), &q)| p == q), "{t:?}");
    let latest = t[..at].iter().map(|&(p, _)| p).max().unwrap();
    assert!(t[at..].iter().all(|&(p, _)| p > latest), "{t:?}");
    let shift = t[at].0 - pts[at];
    assert!(
        t[at..]
            .iter()
            .zip(&pts[at..])
            .all(|(&(p, _), &q)| p == q + shift),
        "not one shift: {t:?}"
    );
}

#[test]
fn a_clock_that_steps_back_continues_from_where_it_was() {
    // 41 frames, then the camera's clock goes back 30 s and carries on from a keyframe, as a
    // camera that restarts its encoder does (B-frames throughout).
    let mut pts = pyramid(10);
    pts.extend(pyramid(10).into_iter().map(|p| p - 30 * 25 * F));
    let t = times(&run(Some(2), &pts, 8));
    assert_valid(&t);
    assert_continues_after(&t, &pts, 41);
    // A step back at a P-frame (no keyframe): the B-frames after it are shown before it, and
    // there is room for them.
    let mut pts = pyramid(10);
    pts.extend(pyramid(10).into_iter().skip(1).map(|p| p - 30 * 25 * F));
    let t = times(&run(Some(2), &pts, 8));
    assert_valid(&t);
    assert_continues_after(&t, &pts, 41);
    // The same with IBBP (depth 1, two B-frames presented before each P sent ahead of them).
    let ibbp = |gops: i64| {
        let mut v = vec![0];
        for g in 0..gops {
            v.extend([g * 3 + 3, g * 3 + 1, g * 3 + 2]);
        }
        ticks(&v)
    };
    let mut pts = ibbp(10);
    pts.extend(ibbp(10).into_iter().skip(1).map(|p| p - 30 * 25 * F));
    let t = times(&run(Some(1), &pts, 8));
    assert_valid(&t);
    assert_continues_after(&t, &pts, 31);
}

#[test]
fn one_bad_time_far_ahead_disturbs_no_other_frame() {
    // Frame 10 of an x264 pyramid stamped 10 s late (a bad RTP timestamp): no reconnect, and
    // every other frame keeps its time.
    let mut pts = pyramid(20);
    pts[10] += 250 * F;
    let t = times(&run(Some(2), &pts, 8));
    assert_valid(&t);
    for (i, (&(p, _), &q)) in t.iter().zip(&pts).enumerate() {
        assert!(i == 10 || p == q, "frame {i}: {p} for {q}: {t:?}");
    }
}

#[test]
fn a_repeated_time_still_gets_increasing_decode_times() {
    let pts = ticks(&[0, 1, 2, 2, 3, 4, 4, 4, 5]);
    let t = times(&run(Some(0), &pts, 8));
    assert_valid(&t);
    // Only the repeats move (by a tick each); the rest keep their times.
    for (i, (&(p, _), &q)) in t.iter().zip(&pts).enumerate() {
        let repeat = pts[..i].contains(&q);
        assert!(
            if repeat { p > q && p < q + F } else { p == q },
            "frame {i}: {t:?}"
        );
    }
}

#[test]
fn frames_without_a_look_ahead_use_the_given_interval() {
    let pts = pyramid(3);
    let mut d = DecodeOrder::new(Some(2), &[], Some(F));
    let t = times(&pts.iter().map(|&p| d.assign(p)).collect::<Vec<_>>());
    assert_valid(&t);
    assert_eq!(t[0].1, -2 * F);
}

#[test]
fn reorder_depth_counts_frames_that_come_later() {
    assert_eq!(reorder_depth(&[]), 0);
    assert_eq!(reorder_depth(&[0, 1, 2]), 0);
    assert_eq!(reorder_depth(&[0, 3, 1, 2]), 1);
    assert_eq!(reorder_depth(&[0, 4, 2, 1, 3]), 2);
    assert_eq!(reorder_depth(&[5, 4, 3, 2, 1, 0]), 5);
}

/// A stream in decode order as encoders make them: mini-GOPs of an anchor sent first and up to
/// `b` frames presented before it, sent in any order (pyramids, flat B runs, hierarchical).
fn stream(max_b: usize) -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(
        (0..=max_b).prop_flat_map(|n| Just((0..n as i64).collect::<Vec<_>>()).prop_shuffle()),
        1..30,
    )
    .prop_map(|minis| {
        let mut out = vec![0];
        let mut next = 1;
        for order in minis {
            let n = order.len() as i64;
            out.push((next + n) * F); // the anchor
            out.extend(order.iter().map(|&o| (next + o) * F));
            next += n + 1;
        }
        out
    })
}

fn config() -> ProptestConfig {
    let mut c = ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(0x4454_535f_4f52_4452);
    }
    c
}

proptest! {
    #![proptest_config(config())]

    /// With the stream's true depth declared, every frame gets valid times, presentation times
    /// untouched, and the decode times are the presentation times in order, `depth` late.
    #[test]
    fn the_declared_depth_gives_valid_times(pts in stream(MAX_REORDER - 1), ahead in 0..12usize) {
        let depth = reorder_depth(&pts);
        let out = run(Some(depth as u32), &pts, ahead);
        let t = times(&out);
        assert_valid(&t);
        prop_assert!(t.iter().zip(&pts).all(|(&(p, _), &q)| p == q));
        let mut sorted = pts.clone();
        sorted.sort_unstable();
        let dts: Vec<i64> = t.iter().map(|&(_, d)| d).collect();
        if pts.len() > depth && ahead > depth {
            prop_assert_eq!(&dts[depth..], &sorted[..pts.len() - depth]);
        }
    }

    /// Declared too shallow, the stream is either handled (the look-ahead showed enough) or
    /// asks for a reconnect with a depth it really has; with that depth, it is handled.
    #[test]
    fn an_understated_depth_is_learned(pts in stream(6), declared in 0..3u32) {
        let truth = reorder_depth(&pts);
        let mut depth = declared as usize;
        for _ in 0..=MAX_REORDER {
            let mut d = DecodeOrder::with_depth(depth, &pts[..pts.len().min(8)], None);
            match pts.iter().map(|&p| d.assign(p)).find(|a| matches!(a, Assigned::Deeper(_))) {
                None => {
                    let mut d = DecodeOrder::with_depth(depth, &pts[..pts.len().min(8)], None);
                    assert_valid(&times(&pts.iter().map(|&p| d.assign(p)).collect::<Vec<_>>()));
                    return Ok(());
                }
                Some(Assigned::Deeper(n)) => {
                    prop_assert!(n > depth && n <= truth, "asked for {} (using {}, truth {})", n, depth, truth);
                    depth = n;
                }
                Some(_) => unreachable!(),
            }
        }
        prop_assert!(false, "never settled");
    }
}

/// The depth the vendored Retina reads from the SPS (vendor/retina/VIGIL.md), for the SPS of
/// x264's and x265's output (the fmtp lines of ffmpeg's SDP for each clip): 2 with three
/// B-frames in a pyramid, 0 without B-frames (for H.264, Baseline without bitstream
/// restrictions).
#[test]
fn the_sps_declares_the_reorder_depth() {
    let depth = |encoding: &str, fmtp: &str| {
        let d =
            retina::codec::Depacketizer::new("video", encoding, 90_000, None, Some(fmtp)).unwrap();
        match d.parameters() {
            Some(retina::codec::ParametersRef::Video(v)) => v.max_num_reorder_frames(),
            _ => panic!("no video parameters from {fmtp}"),
        }
    };
    // x264 -preset veryfast -bf 3 (High profile, VUI bitstream restrictions).
    assert_eq!(
        depth(
            "h264",
            "packetization-mode=1;profile-level-id=64000D;\
             sprop-parameter-sets=Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aO+Pyw=="
        ),
        Some(2)
    );
    // x264 -preset ultrafast -bf 0 (Constrained Baseline).
    assert_eq!(
        depth(
            "h264",
            "packetization-mode=1;profile-level-id=42C00D;\
             sprop-parameter-sets=Z0LADdoFB+wEQAAAAwBAAAAMg8UKqA==,aM4PyA=="
        ),
        Some(0)
    );
    // x265 -preset ultrafast bframes=3, then bframes=0.
    assert_eq!(
        depth(
            "h265",
            "sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ;\
             sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWVKTC8BaAgAAAwACAAADADIQ;\
             sprop-pps=RAHAc8GJ"
        ),
        Some(2)
    );
    assert_eq!(
        depth(
            "h265",
            "sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8ugJA;\
             sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZbpKTC8BaAgAAAAwCAAAAMhA==;\
             sprop-pps=RAHAc8GJ"
        ),
        Some(0)
    );
}
