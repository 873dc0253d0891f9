//! The body of "test connection" (`POST /cameras/probe`) and what it answers; the engine opens
//! the source (it owns the RTSP client settings).

use serde::Deserialize;
use utoipa::ToSchema;
pub use vigil_ingest::probe::{ProbeFailure, ProbeOutcome, ProbeResult};

use super::SourceInput;

/// Body of `POST /cameras/probe`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeRequest {
    /// An RTSP URL or a file (a push camera cannot be probed: it connects to Vigil).
    #[schema(value_type = ProbeSource)]
    pub source: SourceInput,
    pub username: Option<String>,
    /// Used for this probe only; never stored.
    pub password: Option<String>,
}

/// The sources a probe can open (the document's view of `ProbeRequest.source`).
#[derive(ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ProbeSource {
    Rtsp {
        #[schema(value_type = vigil_base::fields::RtspUrl)]
        url: String,
        transport: Option<crate::RtspTransport>,
    },
    File {
        #[schema(pattern = "^\\s*/", max_length = 4096)]
        path: String,
    },
}
