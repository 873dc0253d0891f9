//! RTSP statuses as camera errors, and the H.265 IRAP scan over any bytes a camera sends.

use super::*;

#[test]
fn rtsp_statuses_become_camera_errors() {
    assert_eq!(code_for_rtsp_status(Some(404)), ErrorCode::SourceNotFound);
    assert_eq!(
        code_for_rtsp_status(Some(401)),
        ErrorCode::SourceUnauthorized
    );
    assert_eq!(
        code_for_rtsp_status(Some(403)),
        ErrorCode::SourceUnauthorized
    );
    // No answer at all, or an answer that says nothing about the path or the login.
    assert_eq!(code_for_rtsp_status(None), ErrorCode::SourceUnreachable);
    assert_eq!(
        code_for_rtsp_status(Some(454)),
        ErrorCode::SourceUnreachable
    );
    assert_eq!(
        code_for_rtsp_status(Some(503)),
        ErrorCode::SourceUnreachable
    );
}

#[test]
fn recognises_hevc_irap_pictures() {
    let nal = |t: u8, len: usize| {
        let mut v = (len as u32 + 2).to_be_bytes().to_vec();
        v.extend([t << 1, 1]);
        v.extend(std::iter::repeat_n(0u8, len));
        v
    };
    assert!(has_hevc_irap(&nal(21, 10)), "CRA");
    assert!(has_hevc_irap(&nal(19, 3)), "IDR");
    assert!(
        has_hevc_irap(&[nal(39, 4), nal(16, 2)].concat()),
        "BLA after an SEI"
    );
    assert!(!has_hevc_irap(&nal(1, 30)), "TRAIL_R");
    assert!(!has_hevc_irap(&[0, 0, 0, 200, 42]), "truncated");
    assert!(!has_hevc_irap(&[]));
}

// Property tests: `has_hevc_irap` reads frames as a camera sent them, so no bytes may make
// it panic or read past the frame, and a length prefix that lies ends the scan there.
use proptest::prelude::{
    Just, ProptestConfig, Strategy, any, prop, prop_assert_eq, prop_assume, prop_oneof, proptest,
};
use proptest::test_runner::RngSeed;

/// A fixed seed unless `PROPTEST_RNG_SEED` asks for another; no regression files in the tree.
fn prop_config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(0x4e41_4c5f_4952_4150);
    }
    c
}

/// One length-prefixed NAL unit (2-byte header, then payload) and whether it is IRAP.
fn nal_unit() -> impl Strategy<Value = (Vec<u8>, bool)> {
    (
        any::<u8>(),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(h0, h1, payload)| {
            let mut v = (payload.len() as u32 + 2).to_be_bytes().to_vec();
            v.extend([h0, h1]);
            v.extend(payload);
            (v, (16..=23).contains(&((h0 >> 1) & 0x3f)))
        })
}

/// Concatenated NAL units, with where each ends and whether it is IRAP.
fn frame(nals: &[(Vec<u8>, bool)]) -> (Vec<u8>, Vec<(usize, bool)>) {
    let mut bytes = vec![];
    let mut ends = vec![];
    for (n, irap) in nals {
        bytes.extend_from_slice(n);
        ends.push((bytes.len(), *irap));
    }
    (bytes, ends)
}

proptest! {
    #![proptest_config(prop_config(2048))]

    #[test]
    fn hevc_irap_scan_takes_any_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = has_hevc_irap(&data);
    }

    /// Cut anywhere, a frame counts as IRAP exactly when an IRAP unit arrived whole.
    #[test]
    fn hevc_irap_scan_of_a_cut_frame(nals in prop::collection::vec(nal_unit(), 0..8)) {
        let (bytes, ends) = frame(&nals);
        for cut in 0..=bytes.len() {
            let whole_irap = ends.iter().any(|&(end, irap)| irap && end <= cut);
            prop_assert_eq!(has_hevc_irap(&bytes[..cut]), whole_irap, "cut at {}", cut);
        }
    }

    /// A length prefix that is too short for a header or runs past the frame (up to
    /// `u32::MAX`) stops the scan: nothing after it is trusted, nothing is read out of bounds.
    #[test]
    fn hevc_irap_scan_stops_at_a_lying_length(
        before in prop::collection::vec(nal_unit(), 0..4),
        lie in prop_oneof![
            0..2u32,
            Just(u32::MAX),
            Just(u32::MAX - 3),
            Just(0x8000_0000),
            1000..100_000u32,
        ],
        header in any::<[u8; 2]>(),
        after in prop::collection::vec(nal_unit(), 0..4),
    ) {
        let (mut bytes, ends) = frame(&before);
        let liar_at = bytes.len();
        bytes.extend(lie.to_be_bytes());
        bytes.extend(header);
        bytes.extend(frame(&after).0);
        // A lie past the end only if it really is past the end.
        let past_end = lie as usize > bytes.len() - liar_at - 4;
        prop_assume!(lie < 2 || past_end);
        let expected = ends.iter().any(|&(_, irap)| irap);
        prop_assert_eq!(has_hevc_irap(&bytes), expected);
    }
}
