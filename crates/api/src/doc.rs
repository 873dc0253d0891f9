//! The OpenAPI document's frame: title, tags, the schemas no route names (the event union, the
//! error codes), the bearer scheme, unique operation ids, and the error answers every operation
//! can give — written once here so the document says what the server does (schemathesis checks
//! it against the running server in the test command).

use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, ResponseBuilder};

#[derive(OpenApi)]
#[openapi(
    info(title = "Vigil API", description = "API of the Vigil NVR. Every route but /health, /auth/login and /auth/refresh needs `Authorization: Bearer <token>` (an API token, or the access token of a sign-in); each declares the permission it needs as its bearer scope."),
    components(schemas(crate::error::ErrorBody, crate::events::WireEvent, vigil_base::ErrorCode)),
    tags((name = "cameras"), (name = "recordings"), (name = "tokens"), (name = "events"), (name = "live"), (name = "system"),
        (name = "auth", description = "Sign in, refresh, sign out, who am I"),
        (name = "users", description = "User accounts (admin)"),
        (name = "notifications", description = "Alert channels (webhooks), their deliveries and routing rules (admin)"),
        (name = "audit", description = "Who did what, when, from where (admin)"),
        (name = "layouts", description = "Camera-grid layouts, per user"),
        (name = "alerts", description = "Alerts to acknowledge: cameras offline, storage, detections, detection unavailable"),
        (name = "detection", description = "Object detection: detections, events, snapshots, status, per-camera settings"),
        (name = "storage", description = "Storage tiers, retention and free space, the history of moves and deletions, footage locks"))
)]
struct ApiDoc;

/// The document before the routes are added.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// After the routes: version, security scheme, operation ids, shared error answers.
pub fn finish(doc: &mut utoipa::openapi::OpenApi) {
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    if let Some(c) = doc.components.as_mut() {
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        close_unions(c);
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let stem = operation_stem(path);
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
                // Anything naming a thing by id can find it missing: a path id or a `*_id` filter.
                let names_a_thing = path.contains('{')
                    || op
                        .parameters
                        .iter()
                        .flatten()
                        .any(|p| p.name.ends_with("_id"));
                add_error_answers(op, names_a_thing);
            }
        }
    }
}

/// Request unions whose variants refuse unknown fields (`deny_unknown_fields` on a tagged enum):
/// utoipa closes structs that do, but not the variants of an enum, so the document would allow
/// fields the server refuses.
const CLOSED_UNIONS: [&str; 2] = ["SourceInput", "ProbeSource"];

fn close_unions(c: &mut utoipa::openapi::Components) {
    use utoipa::openapi::schema::{AdditionalProperties, Schema};
    for name in CLOSED_UNIONS {
        let Some(RefOr::T(Schema::OneOf(one))) = c.schemas.get_mut(name) else {
            continue;
        };
        for item in &mut one.items {
            if let RefOr::T(Schema::Object(o)) = item {
                o.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// `get_cameras_id_timeline` from `/api/v1/cameras/{id}/timeline`: utoipa names operations after
/// their handlers, and several modules have a `list` or a `show`; code generators need them unique.
fn operation_stem(path: &str) -> String {
    path.trim_start_matches("/api/v1/")
        .split('/')
        .map(|seg| {
            seg.trim_matches(|c| c == '{' || c == '}')
                .replace(['-', '.'], "_")
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The errors any operation can answer with, unless it documents them itself: a malformed
/// request (400), a body too large (413), the server's own failures (500, 503) and a full disk
/// (507); protected operations also no or a bad token (401), a forbidden origin, host or
/// permission (403) and the rate limit (429); operations with a body a body that is not JSON
/// (415); operations naming a thing by id a missing one (404).
fn add_error_answers(op: &mut Operation, names_a_thing: bool) {
    let protected = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut codes = vec![
        (
            "400",
            "VALIDATION_FAILED (details.fields names each bad field)",
        ),
        ("413", "PAYLOAD_TOO_LARGE"),
        ("500", "INTERNAL_ERROR"),
        ("503", "UNAVAILABLE"),
        ("507", "STORAGE_FULL"),
    ];
    if protected {
        codes.extend([
            ("401", "AUTH_TOKEN_MISSING or AUTH_TOKEN_INVALID"),
            (
                "403",
                "AUTH_INSUFFICIENT_PERMISSIONS, ORIGIN_NOT_ALLOWED or HOST_NOT_ALLOWED",
            ),
            ("429", "RATE_LIMIT_EXCEEDED (see Retry-After)"),
        ]);
    }
    if op.request_body.is_some() {
        codes.push((
            "415",
            "UNSUPPORTED_MEDIA_TYPE: the body must be application/json",
        ));
    }
    if names_a_thing {
        codes.push(("404", "not found"));
    }
    for (status, what) in codes {
        if op.responses.responses.contains_key(status) {
            continue;
        }
        let resp = ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        op.responses
            .responses
            .insert(status.to_string(), RefOr::T(resp));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_ids_are_unique() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
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
    fn only_health_and_signing_in_are_public() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
        let mut public = vec![];
        for (path, methods) in doc["paths"].as_object().unwrap() {
            for (m, op) in methods.as_object().unwrap() {
                if op.get("security").is_none() {
                    public.push(format!("{m} {path}"));
                }
            }
        }
        public.sort();
        assert_eq!(
            public,
            [
                "get /api/v1/health",
                "post /api/v1/auth/login",
                "post /api/v1/auth/refresh",
                "post /api/v1/auth/setup"
            ]
        );
    }

    #[test]
    fn every_protected_operation_documents_its_refusals() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
        for (path, methods) in doc["paths"].as_object().unwrap() {
            for (m, op) in methods.as_object().unwrap() {
                let r = &op["responses"];
                assert!(r["400"].is_object() && r["500"].is_object(), "{m} {path}");
                if op.get("security").is_some() {
                    assert!(
                        r["401"].is_object() && r["403"].is_object() && r["429"].is_object(),
                        "{m} {path} does not document its refusals"
                    );
                }
                if path.contains('{') {
                    assert!(r["404"].is_object(), "{m} {path}");
                }
            }
        }
    }

    #[test]
    fn request_unions_are_closed_like_the_server() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
        for name in super::CLOSED_UNIONS {
            let variants = doc["components"]["schemas"][name]["oneOf"]
                .as_array()
                .unwrap();
            assert!(!variants.is_empty());
            for v in variants {
                assert_eq!(v["additionalProperties"], false, "{name}: {v}");
            }
        }
    }

    #[test]
    fn document_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(&crate::openapi_json()).unwrap();
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
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["Camera"]["properties"]["has_password"].is_object());
        assert!(schemas["CameraCreate"]["properties"]["password"].is_object());
        assert!(
            schemas["Camera"]["properties"]["password"].is_null(),
            "password is write-only"
        );
        assert!(schemas["AlertList"]["properties"]["unacknowledged"].is_object());
        assert!(schemas["Alert"]["properties"]["type"].is_object());
        assert!(schemas["DetectionStatus"]["properties"]["state"].is_object());
        assert!(schemas["CameraDetection"]["properties"]["substream_url"].is_object());
        assert!(schemas["Health"]["properties"]["detection"].is_object());
        // The error codes are an enum of their wire names.
        let codes = schemas["ErrorCode"]["enum"].as_array().unwrap();
        assert!(codes.iter().any(|c| c == "CAMERA_NOT_FOUND"), "{codes:?}");
        assert!(codes.iter().any(|c| c == "STORAGE_FULL"));
        // The event union: one variant per type.
        let event = serde_json::to_string(&schemas["WireBody"]).unwrap();
        for t in [
            "camera:created",
            "stream:status",
            "alert",
            "notification:clicked",
            "hello",
        ] {
            assert!(
                event.contains(&format!("\"{t}\"")),
                "{t} missing from the event union"
            );
        }
        let ack = &paths["/api/v1/alerts/{id}/ack"]["post"];
        assert_eq!(ack["tags"][0], "alerts");
        assert!(ack["responses"]["404"].is_object());
    }
}
