//! Property tests of our fragmented-MP4 writer (`Fmp4Muxer`): random codec configurations (which
//! reach its private `asc_rate_channels` and `init_info`), time bases and timestamps anywhere in
//! `i64` in; a file `vigil_media::mp4::scan` reads back with the same init and the same facts
//! about every fragment, and never a panic. Deterministic by default (fixed seed); set
//! `PROPTEST_RNG_SEED` to explore other inputs.
#![allow(clippy::unwrap_used)]
// The counting global allocator lives in props/mod.rs.
#![allow(unsafe_code)]

mod props;

use bytes::Bytes;
use proptest::prelude::*;
use vigil_media::ffmpeg::codec::Id;
use vigil_media::mp4::{self, FragmentInfo};
use vigil_media::{
    Chunk, Fmp4Muxer, MediaKind, MediaPacket, MuxOptions, SessionInfo, StreamDescription,
    StreamInfo,
};

use props::*;

// ---------------------------------------------------------------------------------------------
// Our own writer: random codec configurations, time bases and timestamps in, a file `scan` reads
// back out with the same init and the same facts about every fragment.

fn stream(index: usize, d: &StreamDescription<'_>) -> StreamInfo {
    StreamInfo::describe(index, d).unwrap()
}

/// H.264 video (an avcC record) and AAC audio (an AudioSpecificConfig), both as given.
fn session(
    avcc: &[u8],
    asc: &[u8],
    size: (u32, u32),
    sample_rate: u32,
    time_bases: [(i32, i32); 2],
) -> SessionInfo {
    let video = stream(
        0,
        &StreamDescription {
            kind: MediaKind::Video,
            codec_id: Id::H264,
            width: size.0,
            height: size.1,
            fps: 0.0,
            sample_rate: 0,
            channels: 0,
            time_base: time_bases[0],
            extradata: avcc,
        },
    );
    let audio = stream(
        1,
        &StreamDescription {
            kind: MediaKind::Audio,
            codec_id: Id::AAC,
            width: 0,
            height: 0,
            fps: 0.0,
            sample_rate,
            channels: 2,
            time_base: time_bases[1],
            extradata: asc,
        },
    );
    SessionInfo::new(vec![video, audio])
}

/// Muxes `packets` with our own writer and checks that `scan` reads back what it wrote.
fn mux_and_scan(
    session: &SessionInfo,
    fragment_ms: u32,
    packets: &[MediaPacket],
) -> Result<(), TestCaseError> {
    let mut m = Fmp4Muxer::new(
        session,
        MuxOptions {
            fragment_ms,
            ..Default::default()
        },
    )
    .unwrap();
    prop_assert!(m.is_native());
    let mut chunks = vec![];
    for p in packets {
        m.write(p).unwrap();
        chunks.extend(m.take_chunks());
    }
    chunks.extend(m.finish().unwrap());

    let mut file = vec![];
    let mut init_info = None;
    let mut infos: Vec<FragmentInfo> = vec![];
    for c in chunks {
        match c {
            Chunk::Init { data, info } => {
                prop_assert!(file.is_empty());
                file.extend_from_slice(&data);
                init_info = Some(info);
            }
            Chunk::Fragment { data, info } => {
                file.extend_from_slice(&data);
                infos.push(info);
            }
        }
    }
    let s = mp4::scan(&file).unwrap();
    prop_assert_eq!(&s.init, &*init_info.unwrap());
    prop_assert_eq!(s.init.tracks.len(), 2);
    prop_assert_eq!(s.valid_len, file.len() as u64);
    let scanned: Vec<FragmentInfo> = s.fragments.iter().map(|f| f.info).collect();
    prop_assert_eq!(scanned, infos);
    // And the writer's file, cut short and shifted, is no different from any other.
    exercise(&file[..file.len() / 2], &[&s.init], 777);
    Ok(())
}

fn timestamp() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        1 => Just(None),
        4 => (-1_000_000..1_000_000i64).prop_map(Some),
        2 => any::<i64>().prop_map(Some),
        1 => prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(i64::MIN + 1)].prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn our_writer_output_scans_back(
        avcc_tail in prop::collection::vec(any::<u8>(), 6..48),
        asc in prop::collection::vec(any::<u8>(), 2..12),
        size in (any::<u32>(), any::<u32>()),
        sample_rate in prop_oneof![Just(0u32), any::<u32>()],
        audio_den in prop_oneof![Just(48_000), any::<i32>()],
        fragment_ms in 0..2500u32,
        packets in prop::collection::vec(
            (any::<bool>(), 1..4000i64, 0..3000usize, any::<bool>()),
            1..40,
        ),
    ) {
        let avcc = [&[1u8][..], &avcc_tail].concat();
        let session = session(&avcc, &asc, size, sample_rate, [(1, 90_000), (1, audio_den)]);
        let mut t = [0i64; 2];
        let packets: Vec<MediaPacket> = packets
            .iter()
            .enumerate()
            .map(|(i, (is_audio, step, len, key))| {
                let s = usize::from(*is_audio);
                let p = MediaPacket {
                    stream: s,
                    pts: Some(t[s]),
                    dts: Some(t[s]),
                    duration: 0,
                    keyframe: i == 0 || *key,
                    data: Bytes::from(vec![0x5a; *len]),
                };
                t[s] += step;
                p
            })
            .collect();
        mux_and_scan(&session, fragment_ms, &packets)?;
    }

    /// Timestamps anywhere in i64 (a hostile file or a camera's clock jump), in any time base:
    /// the writer repairs them rather than overflowing, and its output still scans back.
    #[test]
    fn our_writer_survives_any_timestamps(
        time_bases in [(any::<i32>(), any::<i32>()), (any::<i32>(), any::<i32>())],
        fragment_ms in 0..2500u32,
        packets in prop::collection::vec(
            (any::<bool>(), timestamp(), timestamp(), any::<i64>(), any::<bool>()),
            1..24,
        ),
    ) {
        let avcc = [1u8, 0x64, 0, 0x1f, 0xff, 0xe1, 0];
        let session = session(&avcc, &[0x12, 0x10], (16, 16), 0, time_bases);
        let packets: Vec<MediaPacket> = packets
            .into_iter()
            .map(|(is_audio, pts, dts, duration, keyframe)| MediaPacket {
                stream: usize::from(is_audio),
                pts,
                dts,
                duration,
                keyframe,
                data: Bytes::from_static(b"frame"),
            })
            .collect();
        mux_and_scan(&session, fragment_ms, &packets)?;
    }
}
