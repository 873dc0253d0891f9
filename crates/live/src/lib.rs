//! Live view of one camera: fragmented MP4 for MSE and HLS players (`Fmp4Hub`, stream copy), and
//! MJPEG: its ingested packets decoded once, scaled and JPEG-encoded
//! per quality level for every viewer of that level, and snapshots of the current frame.
//!
//! One [`MjpegHub`] per camera, built with a function that subscribes to the camera's feed.
//! [`MjpegHub::subscribe`] gives a [`Viewer`] whose [`Viewer::next_frame`] yields the newest JPEG
//! of its [`Quality`] (send each as one binary WebSocket message); [`MjpegHub::snapshot`] gives
//! the current picture. Decoding runs on one thread per camera, only while someone watches.
//! [`LiveService`] keeps every camera's hubs and the server-wide decode limit.

pub mod codec;
pub mod encode;
mod fmp4_hub;
mod hub;
pub mod quality;
mod service;
mod worker;

pub use encode::JpegMaker;
pub use fmp4_hub::{Fmp4Hub, Fmp4Options, Fmp4Stats, LiveInit, MseEvent, MseViewer};
pub use hub::{Frame, HubOptions, HubStats, MjpegHub, QualityStats, Subscribe, Viewer};
pub use quality::Quality;
pub use service::{
    CameraFeeds, FeedLink, LiveCounters, LiveInfo, LiveService, LiveSettings, QualityView,
    StreamSel, ViewerCounts,
};
