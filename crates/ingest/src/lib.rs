//! Ingest: each camera has exactly one upstream connection, owned by its `CameraSupervisor`, whose
//! packets are fanned out to every consumer (recorder, live view, detection) through bounded
//! queues. The supervisor walks STOPPED → STARTING → RUNNING → ERROR/RECONNECTING → STOPPING,
//! reconnects with capped, jittered exponential backoff for as long as it runs, and treats a
//! silent source as a stall.

pub mod backoff;
mod decode_order;
pub mod probe;
pub mod retina_source;
pub mod source;
pub mod supervisor;

pub use backoff::Backoff;
pub use retina_source::{RetinaOpener, RtspStage, STAGE_TIMEOUT};
pub use source::{
    FileOpener, PacketSource, Publish, PublishQueue, PushOpener, RtspOpener, SourceOpener,
};
pub use supervisor::{
    CameraSupervisor, IngestConfig, Interrupt, Rates, StatusSink, StreamState, StreamStats,
};
