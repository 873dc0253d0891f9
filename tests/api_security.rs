//! The defences of the loopback API, over real HTTP against the real server: missing and invalid
//! tokens, roles and narrowed permissions, per-token rate limits, foreign Origin and Host headers
//! (DNS rebinding), oversized bodies, and WebSocket upgrades without a token.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use reqwest::{Method, StatusCode, header};
use serde_json::json;
use support::{TestServer, assert_error, body};

#[tokio::test]
async fn missing_and_invalid_tokens_are_401() {
    let s = TestServer::start().await;
    for p in [
        "/api/v1/cameras",
        "/api/v1/tokens",
        "/api/v1/metrics",
        "/api/v1/openapi.json",
        "/api/v1/cameras/1",
    ] {
        let resp = s.anon(Method::GET, p).send().await.unwrap();
        assert!(resp.headers().get(header::WWW_AUTHENTICATE).is_some());
        let (st, b) = body(resp).await;
        assert_error(st, &b, 401, "AUTH_TOKEN_MISSING");
    }
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/cameras")
            .bearer_auth("vgl_wrong")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");
    // A token in the query string is only for WebSocket upgrades.
    let (st, b) = body(
        s.anon(Method::GET, &format!("/api/v1/cameras?token={}", s.token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 401, "AUTH_TOKEN_MISSING");
    s.stop().await;
}

#[tokio::test]
async fn roles_limit_what_tokens_can_do() {
    let s = TestServer::start().await;
    let viewer = s.token("viewer", None).await;
    let api_only = s.token("api_only", None).await;
    let operator = s.token("operator", None).await;
    let cam = json!({"name": "A", "source": {"kind": "rtmp_push"}});

    let r = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (st, b) = body(
        s.anon(Method::POST, "/api/v1/cameras")
            .bearer_auth(&viewer)
            .json(&cam)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/tokens")
            .bearer_auth(&operator)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    // An operator runs the desk; adding cameras is an admin's (issue 14's roles).
    let (st, b) = body(
        s.anon(Method::POST, "/api/v1/cameras")
            .bearer_auth(&operator)
            .json(&cam)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let (st, _) = s.post("/api/v1/cameras", cam.clone()).await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, b) = body(
        s.anon(Method::POST, "/api/v1/tokens")
            .bearer_auth(&operator)
            .json(&json!({"name": "escalate", "role": "admin"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    let r = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&api_only)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (st, b) = body(
        s.anon(Method::DELETE, "/api/v1/cameras/1")
            .bearer_auth(&api_only)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");

    // A token limited to fewer permissions than its role has only those.
    let (_, b) = s
        .post(
            "/api/v1/tokens",
            json!({"name": "read-only op", "role": "operator", "permissions": ["camera:read"]}),
        )
        .await;
    let narrow = b["data"]["secret"].as_str().unwrap().to_string();
    let (st, b) = body(
        s.anon(Method::POST, "/api/v1/cameras")
            .bearer_auth(&narrow)
            .json(&cam)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    s.stop().await;
}

#[tokio::test]
async fn rate_limit_is_per_token() {
    let s = TestServer::start().await;
    let limited = s.token("viewer", Some(3)).await;
    let other = s.token("viewer", Some(3)).await;
    for _ in 0..3 {
        let r = s
            .anon(Method::GET, "/api/v1/cameras")
            .bearer_auth(&limited)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let resp = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&limited)
        .send()
        .await
        .unwrap();
    let retry: u64 = resp.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "retry-after {retry}");
    let (st, b) = body(resp).await;
    assert_error(st, &b, 429, "RATE_LIMIT_EXCEEDED");
    assert_eq!(b["error"]["details"]["limit_per_min"], 3);
    // Other tokens and the admin are not affected.
    let r = s
        .anon(Method::GET, "/api/v1/cameras")
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.get("/api/v1/cameras").await.0, StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn foreign_origins_are_refused_and_own_ui_allowed() {
    let s = TestServer::start().await;
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1:1",
        "https://localhost",
    ] {
        let (st, b) = body(
            s.req(Method::GET, "/api/v1/cameras")
                .header(header::ORIGIN, origin)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(st, &b, 403, "ORIGIN_NOT_ALLOWED");
    }
    // Even the unauthenticated health route and a preflight refuse foreign origins.
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/health")
            .header(header::ORIGIN, "http://evil.example")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 403, "ORIGIN_NOT_ALLOWED");
    let (st, _) = body(
        s.anon(Method::OPTIONS, "/api/v1/cameras")
            .header(header::ORIGIN, "http://evil.example")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Same-origin UI: allowed, no CORS headers needed.
    let r = s
        .req(Method::GET, "/api/v1/cameras")
        .header(header::ORIGIN, format!("http://127.0.0.1:{}", s.port))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The desktop webview: allowed with CORS, including the preflight.
    let r = s
        .anon(Method::OPTIONS, "/api/v1/cameras")
        .header(header::ORIGIN, "tauri://localhost")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "tauri://localhost"
    );
    assert!(
        r.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
            .to_str()
            .unwrap()
            .contains("authorization")
    );
    let r = s
        .req(Method::GET, "/api/v1/cameras")
        .header(header::ORIGIN, "tauri://localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "tauri://localhost"
    );
    s.stop().await;
}

#[tokio::test]
async fn foreign_host_headers_are_refused() {
    let s = TestServer::start().await;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{}", s.port),
        "localhost:1".into(),
        "127.0.0.2".into(),
    ] {
        let (st, b) = body(
            s.req(Method::GET, "/api/v1/cameras")
                .header(header::HOST, host.clone())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(st, &b, 403, "HOST_NOT_ALLOWED");
        let (st, b) = body(
            s.anon(Method::GET, "/api/v1/health")
                .header(header::HOST, host)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(st, &b, 403, "HOST_NOT_ALLOWED");
    }
    for host in [format!("localhost:{}", s.port), format!("[::1]:{}", s.port)] {
        let r = s
            .req(Method::GET, "/api/v1/cameras")
            .header(header::HOST, host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    s.stop().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let s = TestServer::start().await;
    let big = "x".repeat(20 * 1024);
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": big, "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_error(st, &b, 413, "PAYLOAD_TOO_LARGE");
    // Without a Content-Length (chunked), the limit is enforced while reading.
    let chunks: Vec<Result<String, std::io::Error>> = vec![
        Ok("{\"name\": \"".into()),
        Ok("y".repeat(20 * 1024)),
        Ok("\", \"source\": {\"kind\": \"rtmp_push\"}}".into()),
    ];
    let stream = futures_util::stream::iter(chunks);
    let (st, b) = body(
        s.req(Method::POST, "/api/v1/cameras")
            .header(header::CONTENT_TYPE, "application/json")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(st, &b, 413, "PAYLOAD_TOO_LARGE");
    assert_eq!(
        s.get("/api/v1/cameras").await.1["data"],
        json!([]),
        "nothing was created"
    );
    s.stop().await;
}

#[tokio::test]
async fn websocket_upgrades_elsewhere_still_need_a_token() {
    let s = TestServer::start().await;
    let url = format!("ws://127.0.0.1:{}/api/v1/cameras", s.port);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    s.stop().await;
}

/// A non-loopback IPv4 address of this machine, to connect *from*: a connection from it to
/// 127.0.0.1 is, to the server, one from another computer (its peer is neither loopback nor the
/// address it accepted on).
fn lan_address() -> std::net::IpAddr {
    let out = std::process::Command::new("ip")
        .args(["-4", "-o", "addr", "show"])
        .output()
        .expect("ip (iproute2) lists this machine's addresses");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|w| w.split_once('/').and_then(|(a, _)| a.parse().ok()))
        .find(|a: &std::net::IpAddr| !a.is_loopback())
        .expect("this test needs a non-loopback IPv4 address on the machine")
}

#[tokio::test]
async fn the_desktop_credential_is_refused_from_another_computer() {
    let s = TestServer::start().await;
    let desktop = s.running.as_ref().unwrap().desktop_token().to_string();
    assert_ne!(desktop, s.token);
    // From this computer: an admin, named "desktop".
    let (st, b) = body(
        s.anon(Method::GET, "/api/v1/auth/me")
            .bearer_auth(&desktop)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["name"], "desktop", "{b}");
    assert_eq!(b["data"]["role"], "admin", "{b}");

    // From another address: as if unknown, over HTTP and in a WebSocket's first message; the
    // admin token still works from there.
    let remote = reqwest::Client::builder()
        .local_address(lan_address())
        .build()
        .unwrap();
    let get = |t: &str| {
        remote
            .get(format!("{}/api/v1/cameras", s.url))
            .bearer_auth(t)
            .send()
    };
    let (st, b) = body(get(&desktop).await.unwrap()).await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");
    assert_eq!(get(&s.token).await.unwrap().status(), StatusCode::OK);

    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind(std::net::SocketAddr::new(lan_address(), 0))
        .unwrap();
    let tcp = sock
        .connect(format!("127.0.0.1:{}", s.port).parse().unwrap())
        .await
        .unwrap();
    let (mut ws, _) =
        tokio_tungstenite::client_async(format!("ws://127.0.0.1:{}/api/v1/events", s.port), tcp)
            .await
            .unwrap();
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    ws.send(Message::Text(
        json!({"type": "auth", "token": desktop}).to_string().into(),
    ))
    .await
    .unwrap();
    let closed = loop {
        match ws.next().await {
            Some(Ok(Message::Close(f))) => break f,
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    let f = closed.expect("a close frame with a reason");
    assert_eq!(u16::from(f.code), 4401);
    assert_eq!(f.reason.as_str(), "AUTH_TOKEN_INVALID");
    s.stop().await;
}
