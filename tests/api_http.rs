//! End-to-end tests of the loopback API over real HTTP and WebSocket, against the real server on an
//! ephemeral port: camera CRUD, validation and other error codes, tokens, metrics and events. The
//! security refusals are in api_security.rs.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, assert_error, body, clip};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test]
async fn health_needs_no_token() {
    let s = TestServer::start().await;
    let (st, b) = body(s.anon(Method::GET, "/api/v1/health").send().await.unwrap()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["status"], "ok");
    s.stop().await;
}

#[tokio::test]
async fn camera_crud_round_trip() {
    let s = TestServer::start().await;
    let path = clip(s.dir.path());
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Front door", "manufacturer": "Hikvision", "model": "DS-2CD2143",
                   "serial_number": "HK-001", "location": "Building A", "place": "Lobby",
                   "source": {"kind": "rtsp", "url": "rtsp://cam.local:554/Streaming/101", "transport": "udp"},
                   "username": "viewer", "password": "pa55word", "detect_fps": 10}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let cam = &b["data"];
    let id = cam["id"].as_i64().unwrap();
    assert_eq!(cam["success"], Value::Null);
    assert_eq!(b["success"], true);
    assert_eq!(
        cam["source"],
        json!({"kind": "rtsp", "url": "rtsp://cam.local:554/Streaming/101", "transport": "udp"})
    );
    assert_eq!(cam["has_password"], true);
    assert!(cam.get("password").is_none(), "password is write-only");
    assert_eq!(cam["status"], "stopped");
    assert_eq!(cam["detect_fps"], 10);
    assert_eq!(cam["enabled"], true);
    assert_eq!(cam["recording_enabled"], true);
    assert_eq!(cam["detection_enabled"], false);

    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Push cam", "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let key = b["data"]["source"]["stream_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(key.len() >= 20);
    assert_eq!(
        b["data"]["source"]["publish_url"],
        format!("rtmp://127.0.0.1:{}/live/{key}", s.rtmp_port)
    );

    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Demo", "source": {"kind": "file", "path": path}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");

    let (st, b) = s.get("/api/v1/cameras").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["data"].as_array().unwrap().len(), 3);

    let (st, b) = s.get(&format!("/api/v1/cameras/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["data"]["name"], "Front door");

    let (st, b) = s
        .patch(
            &format!("/api/v1/cameras/{id}"),
            json!({"name": "Front door (north)", "place": null, "password": null}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["name"], "Front door (north)");
    assert_eq!(b["data"]["place"], Value::Null);
    assert_eq!(b["data"]["location"], "Building A");
    assert_eq!(b["data"]["has_password"], false);

    let (st, b) = s
        .post(&format!("/api/v1/cameras/{id}/stop"), json!({}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["enabled"], false);
    let (_, b) = s
        .post(&format!("/api/v1/cameras/{id}/start"), json!({}))
        .await;
    assert_eq!(b["data"]["enabled"], true);

    let (st, b) = s.delete(&format!("/api/v1/cameras/{id}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{b}");
    let (st, b) = s.get(&format!("/api/v1/cameras/{id}")).await;
    assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    s.stop().await;
}

#[tokio::test]
async fn timeline_says_where_footage_begins() {
    // A camera that never recorded: no footage anywhere, so `first_footage_ms` is null (the UI then
    // paints its days as "no footage yet", not as gaps). With footage it is the oldest kept
    // recording's start (vigil-db's first_start_ms test; the browser's timeline spec).
    let s = TestServer::start().await;
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Never recorded", "enabled": false,
                   "source": {"kind": "rtsp", "url": "rtsp://127.0.0.1:9/none"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let id = b["data"]["id"].as_i64().unwrap();
    let (st, t) = s
        .get(&format!(
            "/api/v1/cameras/{id}/timeline?start=0&end=3600000"
        ))
        .await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert!(t["data"]["segments"].as_array().unwrap().is_empty(), "{t}");
    assert!(t["data"]["first_footage_ms"].is_null(), "{t}");
    s.stop().await;
}

#[tokio::test]
async fn validation_errors_name_each_field() {
    let s = TestServer::start().await;
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": " ", "detect_fps": 31, "source": {"kind": "rtsp", "url": "http://cam/x"}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let f = &b["error"]["details"]["fields"];
    assert_eq!(f["name"], "is required");
    assert_eq!(f["detect_fps"], "must be between 1 and 30");
    assert_eq!(f["source.url"], "must start with rtsp:// or rtsps://");

    let (st, b) = s.post("/api/v1/cameras", json!({"name": "x"})).await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert_eq!(b["error"]["details"]["fields"]["source"], "is required");

    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "x", "source": {"kind": "file", "path": "relative.mp4"}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert_eq!(
        b["error"]["details"]["fields"]["source.path"],
        "must be an absolute path"
    );

    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "x", "colour": "red", "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(
        b["error"]["details"]["fields"]["colour"]
            .as_str()
            .unwrap()
            .contains("unknown field"),
        "{b}"
    );

    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "x", "source": {"kind": "carrier_pigeon"}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(
        b["error"]["details"]["fields"]["source.kind"]
            .as_str()
            .unwrap()
            .contains("unknown variant"),
        "{b}"
    );

    let (st, b) = body(
        s.req(Method::POST, "/api/v1/cameras")
            .header(header::CONTENT_TYPE, "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");

    let (st, b) = body(
        s.req(Method::POST, "/api/v1/cameras")
            .header(header::CONTENT_TYPE, "text/plain")
            .body("name=x")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 415, "UNSUPPORTED_MEDIA_TYPE");

    let (st, b) = s.get("/api/v1/cameras/not-a-number").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    s.stop().await;
}

#[tokio::test]
async fn duplicate_serial_is_409_and_unknown_camera_404() {
    let s = TestServer::start().await;
    let cam = json!({"name": "A", "serial_number": "SN-42", "source": {"kind": "rtmp_push"}});
    assert_eq!(
        s.post("/api/v1/cameras", cam.clone()).await.0,
        StatusCode::CREATED
    );
    let (st, b) = s.post("/api/v1/cameras", cam).await;
    assert_error(st, &b, 409, "CAMERA_SERIAL_DUPLICATE");
    assert!(b["error"]["details"]["fields"]["serial_number"].is_string());

    for (m, p) in [
        (Method::GET, "/api/v1/cameras/999"),
        (Method::PATCH, "/api/v1/cameras/999"),
        (Method::DELETE, "/api/v1/cameras/999"),
        (Method::POST, "/api/v1/cameras/999/start"),
        (Method::POST, "/api/v1/cameras/999/stop"),
    ] {
        let (st, b) = body(s.req(m.clone(), p).json(&json!({})).send().await.unwrap()).await;
        assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    }
    let (st, b) = s.get("/api/v1/no-such-thing").await;
    assert_error(st, &b, 404, "ROUTE_NOT_FOUND");
    s.stop().await;
}

#[tokio::test]
async fn tokens_are_shown_once_and_revocable() {
    let s = TestServer::start().await;
    let (st, b) = s
        .post(
            "/api/v1/tokens",
            json!({"name": "NVR wall", "remark": "lobby screen", "role": "viewer", "rate_limit_per_min": 120,
                   "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let secret = b["data"]["secret"].as_str().unwrap().to_string();
    let id = b["data"]["token"]["id"].as_i64().unwrap();
    assert_eq!(
        b["data"]["token"]["permissions"],
        json!(["camera:read", "stream:view", "recording:read"])
    );
    assert_eq!(b["data"]["token"]["expires_at"], "2099-01-01T00:00:00.000Z");

    let (_, list) = s.get("/api/v1/tokens").await;
    let listed = list["data"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!list.to_string().contains(&secret), "secret never listed");
    assert_eq!(listed[0]["prefix"], secret[..12]);
    assert_eq!(listed[0]["remark"], "lobby screen");

    let r = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        s.delete(&format!("/api/v1/tokens/{id}")).await.0,
        StatusCode::NO_CONTENT
    );
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/cameras")
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");

    let (st, b) = s
        .post("/api/v1/tokens", json!({"name": "", "role": "superuser"}))
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(b["error"]["details"]["fields"]["role"].is_string(), "{b}");
    let (st, b) = s
        .post(
            "/api/v1/tokens",
            json!({"name": "old", "expires_at": "2001-01-01T00:00:00Z"}),
        )
        .await;
    // An expiry already past makes a token that is expired from the start: it authenticates
    // nothing (the document cannot say "in the future", so the server does not refuse it).
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let secret = b["data"]["secret"].as_str().unwrap().to_string();
    let r = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    let (st, b) = body(r).await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");
    s.stop().await;
}

#[tokio::test]
async fn request_id_matches_header_and_metrics_are_prometheus() {
    let s = TestServer::start().await;
    let r = s.get("/api/v1/cameras/77").await;
    assert_error(r.0, &r.1, 404, "CAMERA_NOT_FOUND");
    let resp = s
        .req(Method::GET, "/api/v1/cameras/78")
        .send()
        .await
        .unwrap();
    let rid = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    let (_, b) = body(resp).await;
    assert_eq!(b["error"]["requestId"], rid);

    let resp = s.req(Method::GET, "/api/v1/metrics").send().await.unwrap();
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = resp.text().await.unwrap();
    assert!(text.contains("vigil_http_requests_total{method=\"GET\",route=\"/api/v1/cameras/{id}\",status=\"404\"} 2"), "{text}");
    assert!(text.contains("vigil_credential_store_info{backend=\"encrypted_file\"} 1"));
    assert!(text.contains("# TYPE vigil_events_ws_clients gauge"));
    // The process's own CPU time and memory, under the names Prometheus clients use.
    let value = |name: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {text}"));
        line[name.len()..].trim().parse().unwrap()
    };
    assert!(value("process_cpu_seconds_total") > 0.0);
    assert!(value("process_resident_memory_bytes") > 1e6);

    let (st, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/cameras/{id}"]["patch"].is_object());
    s.stop().await;
}

async fn ws_connect(
    s: &TestServer,
    query: &str,
    origin: Option<&str>,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    tokio_tungstenite::tungstenite::Error,
> {
    let url = format!("ws://127.0.0.1:{}/api/v1/events{query}", s.port);
    let mut req = url.into_client_request().unwrap();
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req)
        .await
        .map(|(ws, _)| ws)
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next message that is not about streaming or recording (cameras in these tests really
/// start, so `stream:*` and `recording:*` events interleave).
async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let v = next_any(ws).await;
        let t = v["type"].as_str().unwrap_or("");
        if !(t.starts_with("stream:") || t.starts_with("recording:")) {
            return v;
        }
    }
}

async fn next_any(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .expect("stream open")
            .expect("no error");
        match msg {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Close(c) => return json!({"closed": c.map(|c| u16::from(c.code))}),
            _ => continue,
        }
    }
}

#[tokio::test]
async fn events_websocket_streams_camera_changes() {
    let s = TestServer::start().await;
    let mut ws = ws_connect(
        &s,
        &format!("?token={}", s.token),
        Some(&format!("http://127.0.0.1:{}", s.port)),
    )
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");

    let (_, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Dock", "source": {"kind": "rtmp_push"}, "password": "zz-secret"}),
        )
        .await;
    let id = b["data"]["id"].as_i64().unwrap();
    let ev = next_json(&mut ws).await;
    assert_eq!(ev["type"], "camera:created");
    assert_eq!(ev["camera_id"], id);
    assert_eq!(ev["camera"]["name"], "Dock");
    assert!(ev["at"].as_str().unwrap().ends_with('Z'));
    assert!(!ev.to_string().contains("zz-secret"));

    s.patch(&format!("/api/v1/cameras/{id}"), json!({"name": "Dock 2"}))
        .await;
    let ev = next_json(&mut ws).await;
    assert_eq!(ev["type"], "camera:updated");
    assert_eq!(ev["camera"]["name"], "Dock 2");
    s.delete(&format!("/api/v1/cameras/{id}")).await;
    let ev = next_json(&mut ws).await;
    assert_eq!(ev["type"], "camera:deleted");
    assert_eq!(ev["camera_id"], id);

    ws.send(Message::Text(json!({"type": "ping"}).to_string().into()))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "pong");

    // The first-message form, for browsers.
    let mut ws2 = ws_connect(&s, "", None).await.unwrap();
    ws2.send(Message::Text(
        json!({"type": "auth", "token": s.token}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws2).await["type"], "hello");
    s.post(
        "/api/v1/cameras",
        json!({"name": "Gate", "source": {"kind": "rtmp_push"}}),
    )
    .await;
    assert_eq!(next_json(&mut ws2).await["type"], "camera:created");
    assert_eq!(next_json(&mut ws).await["type"], "camera:created");
    s.stop().await;
}

#[tokio::test]
async fn events_websocket_refuses_bad_auth_and_foreign_origins() {
    let s = TestServer::start().await;
    // Bad token in the URL: refused before the upgrade.
    match ws_connect(&s, "?token=vgl_bad", None).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    // Cross-site WebSocket hijacking: a valid token but a foreign page.
    match ws_connect(
        &s,
        &format!("?token={}", s.token),
        Some("http://evil.example"),
    )
    .await
    {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    // A bad first message closes with 4401.
    let mut ws = ws_connect(&s, "", None).await.unwrap();
    ws.send(Message::Text(
        json!({"type": "auth", "token": "vgl_bad"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["closed"], 4401);
    let mut ws = ws_connect(&s, "", None).await.unwrap();
    ws.send(Message::Text("hello?".into())).await.unwrap();
    assert_eq!(next_json(&mut ws).await["closed"], 4401);
    s.stop().await;
}

#[tokio::test]
async fn shutdown_closes_event_sockets() {
    let s = TestServer::start().await;
    let mut ws = ws_connect(&s, &format!("?token={}", s.token), None)
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    let stop = tokio::spawn(s.stop());
    assert_eq!(next_json(&mut ws).await["closed"], 1001);
    tokio::time::timeout(Duration::from_secs(10), stop)
        .await
        .expect("stops promptly")
        .unwrap();
}
