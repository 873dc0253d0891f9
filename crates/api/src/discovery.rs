//! `/api/v1/discovery`: finding ONVIF cameras for the camera form (`camera:write`). A scan
//! answers at once and streams what it finds on the events socket (`discovery:found`, then
//! `discovery:done`); a probe reads one device with its credentials, for networks where
//! multicast does not pass.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::discovery::{OnvifProbeOutcome, OnvifProbeRequest, ScanStarted};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope};
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(scan))
        .routes(routes!(probe))
}

/// Body of `POST /discovery/scan`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// How long to listen for answers, 1–10 s (default 3).
    #[schema(minimum = 1, maximum = 10)]
    pub seconds: Option<u64>,
}

/// Look for ONVIF cameras on the LAN (WS-Discovery). Answers at once; each device that answers
/// is a `discovery:found` event on the events socket, the end a `discovery:done`. While a scan
/// runs, another request joins it.
#[utoipa::path(post, path = "/discovery/scan", tag = "discovery",
    request_body = ScanRequest,
    responses((status = 202, body = Envelope<ScanStarted>),
        (status = 400, description = "VALIDATION_FAILED", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn scan(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<ScanRequest>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let started = st.engine.onvif_scan(req.seconds.unwrap_or(3));
    Ok((StatusCode::ACCEPTED, Data(started)))
}

/// Read one ONVIF device: maker, model, serial number, firmware, and every media profile
/// (codec, resolution, frame rate, bit rate, stream and snapshot URIs), whether it has PTZ, and
/// whether it already is a camera here. A device that cannot be read is a 200 with outcome
/// `failed`: `SOURCE_UNAUTHORIZED` (field `password`), `SOURCE_UNREACHABLE`, `SOURCE_INVALID`,
/// `NO_VIDEO`, `CODEC_UNSUPPORTED`. A malformed address is a 400.
#[utoipa::path(post, path = "/discovery/probe", tag = "discovery",
    request_body = OnvifProbeRequest,
    responses((status = 200, body = Envelope<OnvifProbeOutcome>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn probe(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<OnvifProbeRequest>,
) -> Result<Data<OnvifProbeOutcome>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.onvif_probe(req).await?))
}
