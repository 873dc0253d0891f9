//! The OpenAPI document, generated from the handlers' annotations and the wire types, so it cannot
//! drift from the code. The UI's TypeScript types are generated from it.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{alerts, cameras, detections, events, layouts, live, recordings, system, tokens};

#[derive(OpenApi)]
#[openapi(
    info(title = "Vigil API", description = "Loopback API of the Vigil NVR. Every route but /health needs `Authorization: Bearer <token>`."),
    paths(
        system::health, system::metrics, system::openapi,
        cameras::list, cameras::create, cameras::show, cameras::update, cameras::remove,
        cameras::start, cameras::stop,
        tokens::list, tokens::create, tokens::remove,
        events::events,
        recordings::list, recordings::show, recordings::remove, recordings::file,
        recordings::init, recordings::media, recordings::timeline, recordings::vod,
        recordings::status, recordings::create_export, recordings::show_export, recordings::export_file,
        live::info, live::snapshot, live::mjpeg, live::mse, live::hls_playlist, live::hls_init, live::hls_segment,
        alerts::list, alerts::acknowledge,
        detections::list, detections::snapshot, detections::list_events, detections::show_event,
        detections::status, detections::settings, detections::update_settings,
        layouts::list, layouts::create, layouts::show, layouts::replace, layouts::remove,
        layouts::list_bookmarks, layouts::create_bookmark, layouts::remove_bookmark,
        layouts::probe, layouts::probe_camera,
    ),
    components(schemas(crate::error::ErrorBody, vigil_engine::Event, vigil_engine::cameras::CameraStatus,
        alerts::AlertList, vigil_engine::alerts::Alert, vigil_engine::alerts::AlertKind,
        vigil_engine::detection::DetectionView, vigil_engine::detection::DetectionEventView,
        vigil_engine::detection::DetectionStatus, vigil_engine::detection::CameraDetectionStats,
        vigil_engine::detection::CameraDetection, vigil_engine::layouts::Layout,
        vigil_engine::layouts::LayoutInput, vigil_engine::layouts::Tile, vigil_engine::bookmarks::Bookmark,
        vigil_engine::bookmarks::BookmarkInput, vigil_engine::cameras::probe::ProbeRequest,
        vigil_engine::cameras::probe::ProbeResult, vigil_engine::recordings::Marker)),
    modifiers(&Bearer, &OperationIds),
    tags((name = "cameras"), (name = "recordings"), (name = "tokens"), (name = "events"), (name = "live"), (name = "system"),
        (name = "layouts", description = "Camera-grid layouts, per user"),
        (name = "alerts", description = "Alerts to acknowledge: cameras offline, storage, detections, detection unavailable"),
        (name = "detection", description = "Object detection: detections, events, snapshots, status, per-camera settings"))
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = doc.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// Unique operation ids from method and path (`get_cameras_id_timeline`): utoipa names operations
/// after their handlers, and several modules have a `list` or a `show`; code generators need
/// them unique.
struct OperationIds;

impl Modify for OperationIds {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let stem: Vec<String> = path
                .trim_start_matches("/api/v1/")
                .split('/')
                .map(|seg| {
                    seg.trim_matches(|c| c == '{' || c == '}')
                        .replace(['-', '.'], "_")
                })
                .filter(|s| !s.is_empty())
                .collect();
            let stem = stem.join("_");
            let ops = [
                ("get", item.get.as_mut()),
                ("post", item.post.as_mut()),
                ("put", item.put.as_mut()),
                ("patch", item.patch.as_mut()),
                ("delete", item.delete.as_mut()),
            ];
            for (method, op) in ops {
                if let Some(op) = op {
                    op.operation_id = Some(format!("{method}_{stem}"));
                }
            }
        }
    }
}

/// The document as JSON.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.to_pretty_json().unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_ids_are_unique() {
        let doc: serde_json::Value = serde_json::from_str(&super::openapi_json()).unwrap();
        let mut seen = std::collections::HashSet::new();
        for (path, methods) in doc["paths"].as_object().unwrap() {
            for (m, op) in methods.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap().to_string();
                assert!(seen.insert(id.clone()), "{m} {path}: duplicate id {id}");
            }
        }
        assert!(seen.contains("get_cameras_id_timeline"), "{seen:?}");
    }

    #[test]
    fn document_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(&super::openapi_json()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for (p, methods) in [
            ("/api/v1/health", &["get"][..]),
            ("/api/v1/cameras", &["get", "post"]),
            ("/api/v1/cameras/{id}", &["get", "patch", "delete"]),
            ("/api/v1/cameras/{id}/start", &["post"]),
            ("/api/v1/cameras/{id}/stop", &["post"]),
            ("/api/v1/layouts", &["get", "post"]),
            ("/api/v1/layouts/{id}", &["get", "put", "delete"]),
            ("/api/v1/cameras/{id}/bookmarks", &["get", "post"]),
            ("/api/v1/bookmarks/{id}", &["delete"]),
            ("/api/v1/cameras/probe", &["post"]),
            ("/api/v1/cameras/{id}/probe", &["post"]),
            ("/api/v1/tokens", &["get", "post"]),
            ("/api/v1/tokens/{id}", &["delete"]),
            ("/api/v1/events", &["get"]),
            ("/api/v1/metrics", &["get"]),
            ("/api/v1/openapi.json", &["get"]),
            ("/api/v1/recordings", &["get"]),
            ("/api/v1/recordings/{id}", &["get", "delete"]),
            ("/api/v1/recordings/{id}/file", &["get"]),
            ("/api/v1/cameras/{id}/timeline", &["get"]),
            ("/api/v1/cameras/{id}/vod.m3u8", &["get"]),
            ("/api/v1/cameras/{id}/status", &["get"]),
            ("/api/v1/exports", &["post"]),
            ("/api/v1/exports/{id}/file", &["get"]),
            ("/api/v1/cameras/{id}/stream/info", &["get"]),
            ("/api/v1/cameras/{id}/stream/snapshot", &["get"]),
            ("/api/v1/cameras/{id}/stream", &["get"]),
            ("/api/v1/cameras/{id}/stream/mse", &["get"]),
            ("/api/v1/cameras/{id}/hls/live.m3u8", &["get"]),
            ("/api/v1/cameras/{id}/hls/init/{name}", &["get"]),
            ("/api/v1/cameras/{id}/hls/segment/{name}", &["get"]),
            ("/api/v1/alerts", &["get"]),
            ("/api/v1/alerts/{id}/ack", &["post"]),
            ("/api/v1/detections", &["get"]),
            ("/api/v1/detections/{id}/snapshot", &["get"]),
            ("/api/v1/detection-events", &["get"]),
            ("/api/v1/detection-events/{id}", &["get"]),
            ("/api/v1/detection/status", &["get"]),
            ("/api/v1/cameras/{id}/detection", &["get", "put"]),
        ] {
            for m in methods {
                assert!(paths[p][m].is_object(), "{m} {p} missing from OpenAPI");
            }
        }
        assert!(doc["components"]["schemas"]["Camera"]["properties"]["has_password"].is_object());
        assert!(doc["components"]["schemas"]["CameraCreate"]["properties"]["password"].is_object());
        assert!(
            doc["components"]["schemas"]["Camera"]["properties"]["password"].is_null(),
            "password is write-only"
        );
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["AlertList"]["properties"]["unacknowledged"].is_object());
        assert!(schemas["Alert"]["properties"]["type"].is_object());
        assert!(schemas["DetectionStatus"]["properties"]["state"].is_object());
        assert!(schemas["CameraDetection"]["properties"]["substream_url"].is_object());
        assert!(schemas["Health"]["properties"]["detection"].is_object());
        let tags: Vec<&str> = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert!(
            tags.contains(&"alerts") && tags.contains(&"detection"),
            "{tags:?}"
        );
        let ack = &paths["/api/v1/alerts/{id}/ack"]["post"];
        assert_eq!(ack["tags"][0], "alerts");
        assert!(ack["responses"]["404"].is_object());
    }
}
