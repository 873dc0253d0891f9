//! End-to-end tests of alerts and object detection over real HTTP and WebSocket: the alert list,
//! its filters and validation, acknowledgement (and its event), permissions, detections and
//! detection events, snapshots by id, per-camera detection settings, and detection being
//! unavailable (status, health, metrics, one alert).
//!
//! Most tests open the real engine and API on 127.0.0.1:0 themselves, with an ONNX Runtime path
//! that does not exist, so detection is unavailable on every machine whatever is installed, and
//! start detection when they choose (the list is empty before, one alert after). The last test
//! goes through `vigil::start`, which starts detection in the background.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, assert_error, body};
use tokio_tungstenite::tungstenite::Message;
use vigil_base::shutdown::Shutdown;
use vigil_engine::{Engine, EngineConfig};

struct Server {
    url: String,
    port: u16,
    token: String,
    engine: Engine,
    shutdown: Shutdown,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Server {
    /// The engine and API, detection not started yet (as at the very start of `vigil serve`).
    async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = EngineConfig::new(dir.path());
        cfg.credential_store = vigil_secrets::StoreChoice::File;
        cfg.notifications = false;
        cfg.detection = true;
        cfg.onnxruntime_library = Some(dir.path().join("no-such-libonnxruntime.so"));
        let engine = tokio::task::spawn_blocking(move || Engine::open(cfg))
            .await
            .unwrap()
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, waiter) = Shutdown::new();
        let server = tokio::spawn(vigil_api::serve(
            listener,
            engine.clone(),
            vigil_api::ApiConfig::new(addr),
            waiter,
        ));
        Server {
            url: format!("http://127.0.0.1:{}", addr.port()),
            port: addr.port(),
            token: engine.tokens().admin_secret().to_string(),
            engine,
            shutdown,
            server,
            http: reqwest::Client::new(),
            _dir: dir,
        }
    }

    /// A server whose detection has tried to start (and failed: no ONNX Runtime).
    async fn started() -> Server {
        let s = Server::start().await;
        s.start_detection().await;
        s
    }

    async fn start_detection(&self) {
        let e = self.engine.clone();
        tokio::task::spawn_blocking(move || e.detection().load())
            .await
            .unwrap();
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        json: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(j) = json {
            r = r.json(&j);
        }
        body(r.send().await.unwrap()).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, &self.token, None).await
    }

    async fn post(&self, path: &str, json: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, &self.token, Some(json)).await
    }

    async fn put(&self, path: &str, json: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, &self.token, Some(json)).await
    }

    /// A token with `role`; returns its secret. Its name is `"{role} token"`.
    async fn token(&self, role: &str) -> String {
        let (s, b) = self
            .post(
                "/api/v1/tokens",
                json!({"name": format!("{role} token"), "role": role}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["data"]["secret"].as_str().unwrap().to_string()
    }

    async fn camera(&self, name: &str) -> i64 {
        let (st, b) = self
            .post(
                "/api/v1/cameras",
                json!({"name": name, "source": {"kind": "rtmp_push"}}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        b["data"]["id"].as_i64().unwrap()
    }

    async fn events(&self) -> Ws {
        let url = format!(
            "ws://127.0.0.1:{}/api/v1/events?token={}",
            self.port, self.token
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        assert_eq!(next_of(&mut ws, &["hello"]).await["type"], "hello");
        ws
    }

    async fn stop(self) {
        self.shutdown.trigger();
        tokio::time::timeout(Duration::from_secs(20), self.server)
            .await
            .expect("server stops")
            .unwrap()
            .unwrap();
        let e = self.engine.clone();
        tokio::task::spawn_blocking(move || e.close())
            .await
            .unwrap()
            .unwrap();
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next event whose type is one of `types` (others are skipped).
async fn next_of(ws: &mut Ws, types: &[&str]) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s")
            .expect("stream open")
            .expect("no error");
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if types.iter().any(|ty| v["type"] == *ty) {
                return v;
            }
        }
    }
}

fn alerts(b: &Value) -> &Vec<Value> {
    b["data"]["alerts"].as_array().expect("data.alerts")
}

fn fields(b: &Value) -> &serde_json::Map<String, Value> {
    b["error"]["details"]["fields"]
        .as_object()
        .expect("details.fields")
}

#[tokio::test]
async fn detection_unavailable_is_one_alert_and_shows_in_status_health_and_metrics() {
    let s = Server::start().await;
    let (st, b) = s.get("/api/v1/alerts").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["success"], true);
    assert!(alerts(&b).is_empty(), "{b}");
    assert_eq!(b["data"]["unacknowledged"], 0);
    let (_, health) = body(
        s.http
            .get(format!("{}/api/v1/health", s.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(health["detection"].is_string(), "{health}");
    assert_ne!(health["detection"], "unavailable", "{health}");

    let mut ws = s.events().await;
    s.start_detection().await;
    let ev = next_of(&mut ws, &["alert"]).await;
    assert_eq!(ev["alert"]["type"], "detection_unavailable", "{ev}");
    assert_eq!(ev["alert"]["severity"], "warning", "{ev}");
    let ev = next_of(&mut ws, &["detection:status"]).await;
    assert_eq!(ev["status"]["state"], "unavailable", "{ev}");

    let (st, b) = s.get("/api/v1/alerts").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let list = alerts(&b);
    assert_eq!(list.len(), 1, "{b}");
    let a = &list[0];
    assert_eq!(a["type"], "detection_unavailable");
    assert_eq!(a["severity"], "warning");
    assert_eq!(a["camera_id"], Value::Null);
    assert_eq!(a["acknowledged"], false);
    assert_eq!(a["details"]["code"], "DETECTION_UNAVAILABLE", "{a}");
    assert!(
        a["message"]
            .as_str()
            .unwrap()
            .contains("Recording and live view are not affected"),
        "{a}"
    );
    assert!(a["created_at"].as_str().unwrap().ends_with('Z'), "{a}");
    assert_eq!(b["data"]["unacknowledged"], 1);

    let (st, b) = s.get("/api/v1/detection/status").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["state"], "unavailable", "{b}");
    assert_eq!(b["data"]["code"], "DETECTION_UNAVAILABLE", "{b}");
    assert!(
        b["data"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no-such-libonnxruntime.so")),
        "{b}"
    );
    assert_eq!(b["data"]["cameras"], json!([]));

    let (st, health) = body(
        s.http
            .get(format!("{}/api/v1/health", s.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["detection"], "unavailable", "{health}");

    let resp = s
        .http
        .get(format!("{}/api/v1/metrics", s.url))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    for line in [
        "vigil_alerts_unacknowledged 1",
        "vigil_detection_ready 0",
        "vigil_notifications_shown_total 0",
        "vigil_notifications_failed_total 0",
        "# TYPE vigil_alerts_unacknowledged gauge",
        "# TYPE vigil_detection_frames_sampled_total counter",
        "# TYPE vigil_detection_frames_still_total counter",
        "# TYPE vigil_detection_frames_dropped_busy_total counter",
        "# TYPE vigil_detection_inferences_total counter",
        "# TYPE vigil_detections_total counter",
        "# TYPE vigil_detection_events_total counter",
        "# TYPE vigil_detection_latency_ms gauge",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
    }
    s.stop().await;
}

#[tokio::test]
async fn alerts_filter_by_type_severity_acknowledged_and_time() {
    let s = Server::started().await;
    let count = |q: &'static str| {
        let s = &s;
        async move {
            let (st, b) = s.get(&format!("/api/v1/alerts?{q}")).await;
            assert_eq!(st, StatusCode::OK, "{q}: {b}");
            assert_eq!(b["data"]["unacknowledged"], 1, "{q}: {b}");
            alerts(&b).len()
        }
    };
    assert_eq!(count("type=detection_unavailable").await, 1);
    assert_eq!(count("type=camera_offline").await, 0);
    assert_eq!(count("severity=warning").await, 1);
    assert_eq!(count("severity=critical").await, 0);
    assert_eq!(count("acknowledged=false").await, 1);
    assert_eq!(count("acknowledged=true").await, 0);
    assert_eq!(count("camera_id=1").await, 0);
    assert_eq!(count("since=2000-01-01T00:00:00Z").await, 1);
    assert_eq!(count("since=2999-01-01T00:00:00Z").await, 0);
    assert_eq!(count("limit=1").await, 1);
    // An empty value is not "absent": it is refused like any value that is not one.
    let (st, b) = s.get("/api/v1/alerts?severity=&since=").await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(b["error"]["details"]["fields"]["since"].is_string(), "{b}");
    s.stop().await;
}

#[tokio::test]
async fn alert_queries_are_validated_per_field() {
    let s = Server::started().await;
    let (st, b) = s
        .get("/api/v1/alerts?severity=loud&type=fire&limit=0&since=yesterday")
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let f = fields(&b);
    assert_eq!(f["severity"], "must be info, warning or critical", "{b}");
    assert!(
        f["type"]
            .as_str()
            .unwrap()
            .contains("detection_unavailable"),
        "{b}"
    );
    assert_eq!(f["limit"], "must be between 1 and 1000", "{b}");
    assert!(f["since"].is_string(), "{b}");
    assert_eq!(f.len(), 4, "{b}");

    for (q, field, msg) in [
        (
            "severity=loud",
            "severity",
            "must be info, warning or critical",
        ),
        ("limit=1001", "limit", "must be between 1 and 1000"),
        ("limit=ten", "limit", "must be an integer"),
        ("camera_id=front", "camera_id", "must be an integer"),
        (
            "acknowledged=maybe",
            "acknowledged",
            "must be true or false",
        ),
        ("severty=critical", "severty", "unknown parameter"),
    ] {
        let (st, b) = s.get(&format!("/api/v1/alerts?{q}")).await;
        assert_error(st, &b, 400, "VALIDATION_FAILED");
        assert_eq!(fields(&b)[field], msg, "{q}: {b}");
    }
    let (st, b) = s.get("/api/v1/alerts?type=fire").await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(fields(&b)["type"].is_string(), "{b}");
    let (st, b) = s.get("/api/v1/alerts?since=yesterday").await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(fields(&b)["since"].is_string(), "{b}");
    s.stop().await;
}

#[tokio::test]
async fn acknowledging_is_idempotent_published_and_404_for_unknown_ids() {
    let s = Server::started().await;
    let (_, b) = s.get("/api/v1/alerts").await;
    let id = alerts(&b)[0]["id"].as_i64().unwrap();
    let operator = s.token("operator").await;
    let mut ws = s.events().await;

    let (st, b) = s
        .call(
            Method::POST,
            &format!("/api/v1/alerts/{id}/ack"),
            &operator,
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["id"], id);
    assert_eq!(b["data"]["acknowledged"], true);
    assert_eq!(b["data"]["acknowledged_by"], "operator token");
    let first_at = b["data"]["acknowledged_at"].as_str().unwrap().to_string();
    assert!(first_at.ends_with('Z'));
    let ev = next_of(&mut ws, &["alert:acknowledged"]).await;
    assert_eq!(ev["alert"]["id"], id, "{ev}");
    assert_eq!(ev["alert"]["acknowledged"], true, "{ev}");

    let (_, b) = s.get("/api/v1/alerts?acknowledged=true").await;
    assert_eq!(alerts(&b).len(), 1, "{b}");
    assert_eq!(b["data"]["unacknowledged"], 0, "{b}");
    let (_, b) = s.get("/api/v1/alerts?acknowledged=false").await;
    assert!(alerts(&b).is_empty(), "{b}");

    // Again, by someone else: still acknowledged, and the first acknowledgement stays.
    let (st, b) = s.post(&format!("/api/v1/alerts/{id}/ack"), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["acknowledged"], true);
    assert_eq!(b["data"]["acknowledged_by"], "operator token");
    assert_eq!(b["data"]["acknowledged_at"], first_at.as_str());

    let (st, b) = s.post("/api/v1/alerts/999999/ack", json!({})).await;
    assert_error(st, &b, 404, "ALERT_NOT_FOUND");
    let (st, b) = s.post("/api/v1/alerts/first/ack", json!({})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, b) = s.get(&format!("/api/v1/alerts/{id}/ack")).await;
    assert_error(st, &b, 405, "METHOD_NOT_ALLOWED");
    s.stop().await;
}

#[tokio::test]
async fn bulk_acknowledge_takes_ids_a_filter_or_all_and_nothing_by_omission() {
    let s = Server::started().await;
    let gate = s.camera("Gate").await;
    let e = s.engine.clone();
    tokio::task::spawn_blocking(move || {
        for tier in ["nas", "usb"] {
            e.alerts().raise(vigil_engine::alerts::NewAlert {
                kind: vigil_engine::alerts::AlertKind::StorageTierOffline,
                camera_id: None,
                event_id: None,
                message: format!("{tier} is offline"),
                details: json!({ "tier": tier }),
            });
        }
        e.alerts().raise(vigil_engine::alerts::NewAlert {
            kind: vigil_engine::alerts::AlertKind::CameraOffline,
            camera_id: Some(gate),
            event_id: None,
            message: "Camera is offline".into(),
            details: json!({}),
        });
    })
    .await
    .unwrap();
    let (_, b) = s.get("/api/v1/alerts").await;
    assert_eq!(b["data"]["unacknowledged"], 4, "{b}");
    // Every alert says how it stands: one object, not ended or resolved yet.
    let first = &alerts(&b)[0];
    assert_eq!(first["count"], 1, "{first}");
    assert_eq!(first["started_at"], first["created_at"], "{first}");
    assert!(
        first["resolved_at"].is_null() && first["ended_at"].is_null(),
        "{first}"
    );

    // Nothing named: nothing acknowledged (every alert only with `all: true`).
    for nothing in [json!({}), json!({"all": false})] {
        let (st, b) = s.post("/api/v1/alerts/ack", nothing).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(b["data"]["acknowledged"], 0, "{b}");
    }
    // An id past i64 is refused, not rounded onto one.
    let past: serde_json::Value =
        serde_json::from_str(r#"{"ids": [-9223372036854775809]}"#).unwrap();
    let (st, b) = s.post("/api/v1/alerts/ack", past).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, b) = s.post("/api/v1/alerts/ack", json!({"ids": []})).await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let (st, b) = s.post("/api/v1/alerts/ack", json!({"type": "fire"})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let (st, b) = s
        .post("/api/v1/alerts/ack", json!({"before": "yesterday"}))
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");

    // By a filter: the two tier alerts, each announced.
    let mut ws = s.events().await;
    let (st, b) = s
        .post(
            "/api/v1/alerts/ack",
            json!({"type": "storage_tier_offline"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["acknowledged"], 2, "{b}");
    for _ in 0..2 {
        let ev = next_of(&mut ws, &["alert:acknowledged"]).await;
        assert_eq!(ev["alert"]["type"], "storage_tier_offline", "{ev}");
    }
    // By ids: the camera's, and again (nothing new).
    let (_, b) = s.get(&format!("/api/v1/alerts?camera_id={gate}")).await;
    let id = alerts(&b)[0]["id"].as_i64().unwrap();
    let (_, b) = s.post("/api/v1/alerts/ack", json!({"ids": [id]})).await;
    assert_eq!(b["data"]["ids"], json!([id]), "{b}");
    let (_, b) = s.post("/api/v1/alerts/ack", json!({"ids": [id]})).await;
    assert_eq!(b["data"]["acknowledged"], 0, "{b}");
    // The rest: all.
    let (_, b) = s.post("/api/v1/alerts/ack", json!({"all": true})).await;
    assert_eq!(b["data"]["acknowledged"], 1, "{b}");
    let (_, b) = s.get("/api/v1/alerts").await;
    assert_eq!(b["data"]["unacknowledged"], 0, "{b}");
    s.stop().await;
}

#[tokio::test]
async fn viewers_list_operators_acknowledge_neither_changes_detection_settings() {
    let s = Server::started().await;
    let cam = s.camera("Yard").await;
    let viewer = s.token("viewer").await;
    let operator = s.token("operator").await;
    let api_only = s.token("api_only").await;
    let path = format!("/api/v1/cameras/{cam}/detection");

    let (st, b) = s.call(Method::GET, "/api/v1/alerts", &viewer, None).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let id = alerts(&b)[0]["id"].as_i64().unwrap();
    for p in [
        "/api/v1/detection/status",
        path.as_str(),
        "/api/v1/detections",
    ] {
        let (st, b) = s.call(Method::GET, p, &viewer, None).await;
        assert_eq!(st, StatusCode::OK, "{p}: {b}");
    }
    let (_, before) = s.get(&path).await;
    let change = json!({"filter": {"labels": ["person"], "min_score": 0.9}});
    let (st, b) = s
        .call(Method::PUT, &path, &viewer, Some(change.clone()))
        .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let (_, after) = s.get(&path).await;
    assert_eq!(
        before["data"], after["data"],
        "a refused PUT changed nothing"
    );

    // Acknowledging needs alert:ack: an operator's, not a viewer's or an api_only token's.
    let ack = format!("/api/v1/alerts/{id}/ack");
    for t in [&api_only, &viewer] {
        let (st, b) = s.call(Method::POST, &ack, t, None).await;
        assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    }
    let (_, b) = s.get("/api/v1/alerts").await;
    assert_eq!(b["data"]["unacknowledged"], 1, "{b}");
    let (st, b) = s.call(Method::POST, &ack, &operator, None).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let (st, b) = s.call(Method::PUT, &path, &s.token, Some(change)).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let (st, b) = body(
        s.http
            .get(format!("{}/api/v1/alerts", s.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 401, "AUTH_TOKEN_MISSING");
    s.stop().await;
}

#[tokio::test]
async fn detections_and_events_are_listed_validated_and_snapshots_404() {
    let s = Server::started().await;
    let cam = s.camera("Gate").await;
    for p in [
        "/api/v1/detections".to_string(),
        format!(
            "/api/v1/detections?camera_id={cam}&label=person&limit=5&since=2000-01-01T00:00:00Z"
        ),
        "/api/v1/detections?event_id=1".into(),
        "/api/v1/detection-events".into(),
        format!(
            "/api/v1/detection-events?camera_id={cam}&label=car&start=0&end=2999-01-01T00:00:00Z"
        ),
    ] {
        let (st, b) = s.get(&p).await;
        assert_eq!(st, StatusCode::OK, "{p}: {b}");
        assert_eq!(b["data"], json!([]), "{p}: {b}");
    }

    let resp = s
        .http
        .get(format!("{}/api/v1/detections/1/snapshot", s.url))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_ne!(
        resp.headers()[header::CONTENT_TYPE].to_str().unwrap(),
        "image/jpeg"
    );
    let (st, b) = body(resp).await;
    assert_error(st, &b, 404, "DETECTION_NOT_FOUND");
    let (st, b) = s.get("/api/v1/detection-events/1").await;
    assert_error(st, &b, 404, "EVENT_NOT_FOUND");
    // Ids only: a path never reaches the file system.
    let (st, _) = s
        .get("/api/v1/detections/..%2F..%2Fvigil.db/snapshot")
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // A window that ends before it starts is empty, not an error (the document cannot say "end
    // after start"; the answer says which window it covers).
    let (st, b) = s.get("/api/v1/detection-events?start=2000&end=1000").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"], json!([]), "{b}");
    for (p, field) in [
        ("/api/v1/detection-events?start=x", "start"),
        ("/api/v1/detection-events?end=soon", "end"),
        ("/api/v1/detection-events?limit=0", "limit"),
        ("/api/v1/detection-events?camera_id=gate", "camera_id"),
        ("/api/v1/detection-events?since=0", "since"),
        ("/api/v1/detections?since=yesterday", "since"),
        ("/api/v1/detections?limit=1001", "limit"),
        ("/api/v1/detections?event_id=one", "event_id"),
        ("/api/v1/detections?start=0", "start"),
    ] {
        let (st, b) = s.get(p).await;
        assert_error(st, &b, 400, "VALIDATION_FAILED");
        assert!(fields(&b)[field].is_string(), "{p}: {b}");
    }
    s.stop().await;
}

#[tokio::test]
async fn camera_detection_settings_are_validated_and_round_trip() {
    let s = Server::started().await;
    let cam = s.camera("Driveway").await;
    let path = format!("/api/v1/cameras/{cam}/detection");

    let (st, b) = s.get(&path).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["substream_url"], Value::Null, "{b}");
    assert!(
        b["data"]["filter"]["labels"]
            .as_array()
            .unwrap()
            .contains(&json!("person")),
        "{b}"
    );
    assert_eq!(b["data"]["filter"]["min_score"], 0.5, "{b}");

    let (st, b) = s
        .put(
            &path,
            json!({"filter": {"zones": [{"name": "gate", "polygon": [[0.1, 0.1], [0.9, 0.1]]}]}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert_eq!(
        fields(&b)["filter.zones[0].polygon"],
        "needs at least 3 points",
        "{b}"
    );
    let (st, b) = s
        .put(
            &path,
            json!({"filter": {"min_score": 2, "zones": [
                {"name": "ok", "polygon": [[0, 0], [1, 0], [1, 1]]},
                {"name": "off", "polygon": [[0, 0], [1.5, 0], [1, 1]]}]}}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let f = fields(&b);
    assert!(f["filter.zones[1].polygon"].is_string(), "{b}");
    assert!(f["filter.min_score"].is_string(), "{b}");
    assert!(!f.contains_key("filter.zones[0].polygon"), "{b}");

    let (st, b) = s
        .put(
            &path,
            json!({"substream_url": "rtsp://admin:hunter2@cam.local/sub"}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(
        fields(&b)["substream_url"]
            .as_str()
            .unwrap()
            .contains("credentials"),
        "{b}"
    );
    assert!(!b.to_string().contains("hunter2"), "{b}");
    let (st, b) = s
        .put(&path, json!({"substream_url": "http://cam.local/sub"}))
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(fields(&b)["substream_url"].is_string(), "{b}");

    let (st, b) = s.put(&path, json!({"fliter": {}})).await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(fields(&b)["fliter"].is_string(), "{b}");
    let (st, b) = body(
        s.http
            .put(format!("{}{path}", s.url))
            .bearer_auth(&s.token)
            .header(header::CONTENT_TYPE, "application/json")
            .body("{\"filter\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(fields(&b)["body"].is_string(), "{b}");

    let good = json!({
        "substream_url": "rtsp://cam.local:554/Streaming/102",
        "filter": {
            "labels": ["person", "car"],
            "min_score": 0.6,
            "min_area": 0.001,
            "max_area": 0.8,
            "zones": [
                {"name": "driveway", "mode": "include", "polygon": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]},
                {"name": "tree", "mode": "exclude", "polygon": [[0.0, 0.0], [0.2, 0.0], [0.2, 0.3]]}
            ],
            "anchor": "center"
        }
    });
    let (st, b) = s.put(&path, good.clone()).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["filter"]["zones"][1]["mode"], "exclude", "{b}");
    let (st, b) = s.get(&path).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["substream_url"], good["substream_url"]);
    assert_eq!(b["data"]["filter"]["labels"], good["filter"]["labels"]);
    assert_eq!(b["data"]["filter"]["anchor"], "center");
    assert_eq!(b["data"]["filter"]["zones"], good["filter"]["zones"]);
    assert!(
        (b["data"]["filter"]["min_score"].as_f64().unwrap() - 0.6).abs() < 1e-6,
        "{b}"
    );

    let (st, b) = s.get("/api/v1/cameras/999/detection").await;
    assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    let (st, b) = s.put("/api/v1/cameras/999/detection", good).await;
    assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    s.stop().await;
}

#[tokio::test]
async fn vigil_start_reports_a_missing_onnx_runtime() {
    let s = TestServer::start_with(|c| {
        c.engine.detection = true;
        c.engine.onnxruntime_library = Some(c.data_dir().join("no-such-libonnxruntime.so"));
    })
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let list = loop {
        let (st, b) = s.get("/api/v1/alerts?type=detection_unavailable").await;
        assert_eq!(st, StatusCode::OK, "{b}");
        if !alerts(&b).is_empty() || tokio::time::Instant::now() > deadline {
            break b;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(alerts(&list).len(), 1, "{list}");
    let (_, b) = s.get("/api/v1/detection/status").await;
    assert_eq!(b["data"]["state"], "unavailable", "{b}");
    assert_eq!(b["data"]["code"], "DETECTION_UNAVAILABLE", "{b}");
    let (_, health) = body(s.anon(Method::GET, "/api/v1/health").send().await.unwrap()).await;
    assert_eq!(health["detection"], "unavailable", "{health}");
    s.stop().await;
}
