//! Media plumbing over FFmpeg (ffmpeg-next): open a camera source and read its packets
//! (`input`), stream-copy packets into fragmented MP4 whose every box we see (`muxer`), and parse
//! MP4 boxes (`mp4`), decode video (`decode`) and pace decoded frames to a rate (`pacer`) for
//! live view and detection. No re-encoding anywhere here.

pub mod clip;
pub mod decode;
pub mod feed;
mod fmp4;
pub mod input;
pub mod mp4;
pub mod muxer;
pub mod pacer;

use std::sync::OnceLock;

pub use decode::VideoDecoder;
pub use feed::{FeedItem, FeedReceiver, FeedSender, Offer, feed_channel};
pub use ffmpeg_next as ffmpeg;
pub use input::{
    Demuxer, MediaKind, MediaPacket, SessionInfo, SourceSpec, StreamDescription, StreamInfo,
    Transport,
};
pub use muxer::{Chunk, Fmp4Muxer, MuxEngine, MuxOptions};
pub use pacer::Pacer;

/// Initialise FFmpeg once. Its own logging is off unless `VIGIL_FFMPEG_LOG` names a level
/// (`error`, `warning`, `info`, `debug`): FFmpeg may print source URLs, and ours carry credentials.
pub fn init() -> vigil_base::Result<()> {
    static INIT: OnceLock<Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        ffmpeg_next::init().map_err(|e| e.to_string())?;
        use ffmpeg_next::util::log::{Level, set_level};
        let level = match std::env::var("VIGIL_FFMPEG_LOG").as_deref() {
            Ok("error") => Level::Error,
            Ok("warning") => Level::Warning,
            Ok("info") => Level::Info,
            Ok("debug") => Level::Debug,
            _ => Level::Quiet,
        };
        set_level(level);
        Ok(())
    })
    .clone()
    .map_err(|e| vigil_base::err!(Unavailable, "FFmpeg failed to initialise: {e}"))
}

/// An FFmpeg error as a Vigil error of `kind`, with context.
pub(crate) fn av_err(
    kind: vigil_base::ErrorKind,
    what: &str,
    e: ffmpeg_next::Error,
) -> vigil_base::Error {
    vigil_base::Error::new(kind, format!("{what}: {e}"))
}
