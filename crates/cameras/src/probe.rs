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
    /// The main profile's stream, its URI asked of the camera with the probe's credentials.
    Onvif {
        #[schema(
            max_length = 300,
            pattern = "^\\s*(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?\\s*$"
        )]
        address: String,
        #[schema(
            max_length = 64,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )]
        main_profile: String,
        #[schema(max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")]
        sub_profile: Option<String>,
        transport: Option<crate::RtspTransport>,
    },
}
