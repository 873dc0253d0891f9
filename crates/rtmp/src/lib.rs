//! RTMP ingest: cameras, OBS and ffmpeg push to `rtmp://HOST:1935/live/{stream_key}` on one TCP
//! listener, and each accepted publish becomes a blocking [`std::io::Read`] of an FLV byte stream
//! ([`FlvReader`]) that FFmpeg's flv demuxer opens like any other input.
//!
//! Typical use: implement [`PublishHandler`] (look the stream key up, refuse unknown or disabled
//! ones), [`RtmpServer::bind`] it, and in [`PublishHandler::on_publish`] hand the reader to a demux
//! thread through ffmpeg-next's `format::input_from_stream(StreamIo::from_read(reader), ..)`.

mod connection;
mod flv;
mod reader;
mod server;

use std::net::SocketAddr;

pub use flv::{FLV_HEADER, FLV_HEADER_FLAGS};
pub use reader::{FlvCancel, FlvReader};
pub use server::{RtmpOptions, RtmpServer};
pub use vigil_base::{Error, ErrorKind, Result};

/// The only RTMP application accepted: `rtmp://HOST:PORT/live/{stream_key}`.
pub const APP_NAME: &str = "live";

/// A publisher asks to publish; the handler decides.
#[derive(Clone)]
pub struct PublishRequest {
    /// The RTMP application (always [`APP_NAME`] by the time the handler sees it).
    pub app: String,
    /// The stream key: a secret. Log it only through [`mask_stream_key`].
    pub stream_key: String,
    pub peer: SocketAddr,
}

/// An accepted publish and its stream.
pub struct Publish {
    pub app: String,
    /// The stream key: a secret. Log it only through [`mask_stream_key`].
    pub stream_key: String,
    pub peer: SocketAddr,
    /// The publish as FLV. Dropping it closes the publisher's connection.
    pub reader: FlvReader,
}

/// Decides on each publish and takes the streams of accepted ones.
///
/// Both methods run on a blocking thread (tokio's `spawn_blocking`), so they may do database work.
pub trait PublishHandler: Send + Sync + 'static {
    /// `Err(reason)` refuses the publish; the reason is logged (with the key masked) and the
    /// publisher is disconnected. Keys already publishing are refused before this is asked again.
    fn authorize(&self, req: &PublishRequest) -> std::result::Result<(), String>;

    /// Called once per authorized publish, as it starts streaming; the handler takes the reader
    /// (e.g. moves it into a demux thread). Tags queue up until the reader is read; if it is never
    /// read, the publisher is throttled, not dropped.
    fn on_publish(&self, publish: Publish);
}

// Debug output masks the key, so `{:?}` in a log line cannot leak it.
impl std::fmt::Debug for PublishRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishRequest")
            .field("app", &self.app)
            .field("stream_key", &mask_stream_key(&self.stream_key))
            .field("peer", &self.peer)
            .finish()
    }
}

impl std::fmt::Debug for Publish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publish")
            .field("app", &self.app)
            .field("stream_key", &mask_stream_key(&self.stream_key))
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

/// A stream key for logs: its first 4 characters then `…` (fewer for short keys: at most half of
/// the key is shown).
pub fn mask_stream_key(key: &str) -> String {
    let len = key.chars().count();
    let shown: String = key.chars().take(4.min(len / 2)).collect();
    format!("{shown}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys() {
        assert_eq!(mask_stream_key("abcdef123456"), "abcd…");
        assert_eq!(mask_stream_key("abcdef"), "abc…");
        assert_eq!(mask_stream_key("ab"), "a…");
        assert_eq!(mask_stream_key(""), "…");
        assert_eq!(mask_stream_key("ключ-камеры"), "ключ…");
    }

    #[test]
    fn debug_output_masks_the_key() {
        let req = PublishRequest {
            app: APP_NAME.into(),
            stream_key: "supersecretkey".into(),
            peer: "127.0.0.1:1935".parse().unwrap(),
        };
        let shown = format!("{req:?}");
        assert!(shown.contains("supe…"), "{shown}");
        assert!(!shown.contains("supersecretkey"), "{shown}");
    }
}
