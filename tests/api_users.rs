//! People and access through the real server: users sign in, refresh (one use per refresh token;
//! a reused one ends the session), lock out after failed guesses, see only their cameras, lose
//! their open sockets the moment they are disabled, signed out or their token revoked, and leave
//! an audit trail. One test walks every route of the OpenAPI document with a credential lacking
//! the route's declared permission and one holding only it, so a new route without a permission,
//! or a handler that checks another than it declares, fails here.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, assert_error, body};
use tokio_tungstenite::tungstenite::Message;

const PW: &str = "correct horse battery";

async fn add_user(s: &TestServer, name: &str, role: &str, cameras: Value) -> i64 {
    let (st, b) = s
        .post(
            "/api/v1/users",
            json!({"username": name, "password": PW, "role": role, "cameras": cameras}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

async fn login(s: &TestServer, name: &str, pw: &str) -> (StatusCode, Value, header::HeaderMap) {
    let r = s
        .anon(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": name, "password": pw}))
        .send()
        .await
        .unwrap();
    let h = r.headers().clone();
    let (st, b) = body(r).await;
    (st, b, h)
}

async fn get_as(s: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    body(
        s.anon(Method::GET, path)
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn camera(s: &TestServer, name: &str) -> i64 {
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": name, "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

/// Audit entries of `action`, after the writer thread has caught up.
async fn audit(s: &TestServer, query: &str) -> Vec<Value> {
    for _ in 0..50 {
        let (st, b) = s.get(&format!("/api/v1/audit?{query}")).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let e = b["data"]["entries"].as_array().unwrap().clone();
        if !e.is_empty() {
            return e;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    vec![]
}

#[tokio::test]
async fn sign_in_refresh_rotation_and_reuse() {
    let s = TestServer::start().await;
    add_user(&s, "alice", "operator", Value::Null).await;

    let (st, b, _) = login(&s, "alice", "wrong password").await;
    assert_error(st, &b, 401, "AUTH_CREDENTIALS_INVALID");
    let (st2, b2, _) = login(&s, "mallory", PW).await;
    assert_error(st2, &b2, 401, "AUTH_CREDENTIALS_INVALID");
    assert_eq!(b["error"]["message"], b2["error"]["message"]);

    let (st, b, _) = login(&s, "ALICE", PW).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let d = &b["data"];
    assert_eq!(d["expires_in"], 900);
    assert_eq!(d["user"]["username"], "alice");
    assert_eq!(d["user"]["role"], "operator");
    let access = d["access_token"].as_str().unwrap().to_string();
    let refresh = d["refresh_token"].as_str().unwrap().to_string();

    let (st, me) = get_as(&s, &access, "/api/v1/auth/me").await;
    assert_eq!(st, StatusCode::OK, "{me}");
    assert_eq!(me["data"]["kind"], "user");
    assert!(
        me["data"]["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("recording:export"))
    );
    // An operator watches and exports; it does not manage cameras or users.
    let (st, b) = get_as(&s, &access, "/api/v1/users").await;
    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");

    // Re-entering the password (admin pages ask after five minutes): wrong, right, and a token.
    let reauth = |tok: String, pw: &'static str| {
        let s = &s;
        async move {
            body(
                s.anon(Method::POST, "/api/v1/auth/reauth")
                    .bearer_auth(tok)
                    .json(&json!({"password": pw}))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let (st, b) = reauth(access.clone(), "not it at all").await;
    assert_error(st, &b, 401, "AUTH_CREDENTIALS_INVALID");
    assert_eq!(reauth(access.clone(), PW).await.0, StatusCode::NO_CONTENT);
    let (st, b) = reauth(s.token.clone(), PW).await;
    assert_error(st, &b, 409, "FAILED_PRECONDITION");

    let refreshed = |tok: String| {
        let s = &s;
        async move {
            body(
                s.anon(Method::POST, "/api/v1/auth/refresh")
                    .json(&json!({"refresh_token": tok}))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let (st, b) = refreshed(refresh.clone()).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let access2 = b["data"]["access_token"].as_str().unwrap().to_string();
    let refresh2 = b["data"]["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(refresh2, refresh);
    assert_eq!(
        get_as(&s, &access2, "/api/v1/cameras").await.0,
        StatusCode::OK
    );

    // The spent refresh token again: refused, and the whole session ends with it.
    let (st, b) = refreshed(refresh).await;
    assert_error(st, &b, 401, "AUTH_REFRESH_INVALID");
    let (st, b) = get_as(&s, &access2, "/api/v1/cameras").await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");
    let (st, b) = refreshed(refresh2).await;
    assert_error(st, &b, 401, "AUTH_REFRESH_INVALID");

    let reused = audit(&s, "action=refresh_reused").await;
    assert_eq!(reused[0]["actor"], "user:alice");
    let failed = audit(&s, "action=login_failed").await;
    assert_eq!(failed.len(), 3, "two sign-ins and one re-entry");
    assert!(failed.iter().all(|e| e["outcome"] == "refused"));
    let mine = audit(&s, "user=mallory").await;
    assert_eq!(mine[0]["actor"], "user:mallory?");
    s.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_lock_out_and_count() {
    let s = TestServer::start().await;
    add_user(&s, "bob", "viewer", Value::Null).await;
    for _ in 0..6 {
        let (st, b, _) = login(&s, "bob", "guess guess").await;
        assert_error(st, &b, 401, "AUTH_CREDENTIALS_INVALID");
    }
    // Locked: even the right password is refused until Retry-After.
    let (st, b, h) = login(&s, "bob", PW).await;
    assert_error(st, &b, 429, "RATE_LIMIT_EXCEEDED");
    let wait: u64 = h[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let (st, b, _) = login(&s, "bob", PW).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let (_, m) = body(s.req(Method::GET, "/api/v1/metrics").send().await.unwrap()).await;
    let m = m.as_str().unwrap().to_string();
    assert!(
        m.contains("vigil_logins_total{outcome=\"failed\"} 6"),
        "{m}"
    );
    assert!(
        m.contains("vigil_logins_total{outcome=\"locked\"} 1"),
        "{m}"
    );
    assert!(m.contains("vigil_logins_total{outcome=\"ok\"} 1"), "{m}");
    s.stop().await;
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn events_socket(s: &TestServer, token: &str) -> Ws {
    let url = format!("ws://127.0.0.1:{}/api/v1/events?token={token}", s.port);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello = ws.next().await.unwrap().unwrap();
    assert!(hello.to_text().unwrap().contains("hello"));
    ws
}

/// The socket closes with 4401 within a second.
async fn closes_as_revoked(ws: &mut Ws) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("socket closed within a second");
        match msg {
            Some(Ok(Message::Close(Some(f)))) => {
                assert_eq!(u16::from(f.code), 4401, "{f:?}");
                return;
            }
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn sockets_close_when_access_goes() {
    let s = TestServer::start().await;
    let carol = add_user(&s, "carol", "viewer", Value::Null).await;
    add_user(&s, "dave", "viewer", Value::Null).await;
    let (_, b, _) = login(&s, "carol", PW).await;
    let carol_token = b["data"]["access_token"].as_str().unwrap().to_string();
    let (_, b, _) = login(&s, "dave", PW).await;
    let dave_token = b["data"]["access_token"].as_str().unwrap().to_string();

    // Disabling a user closes their sockets; nobody else's.
    let mut carol_ws = events_socket(&s, &carol_token).await;
    let mut dave_ws = events_socket(&s, &dave_token).await;
    let (st, b) = s
        .patch(&format!("/api/v1/users/{carol}"), json!({"enabled": false}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    closes_as_revoked(&mut carol_ws).await;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), dave_ws.next())
            .await
            .is_err(),
        "dave's socket stays open"
    );

    // Signing out closes the session's sockets.
    let r = s
        .anon(Method::POST, "/api/v1/auth/logout")
        .bearer_auth(&dave_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    closes_as_revoked(&mut dave_ws).await;
    let (st, b) = get_as(&s, &dave_token, "/api/v1/cameras").await;
    assert_error(st, &b, 401, "AUTH_TOKEN_INVALID");

    // Revoking an API token closes its sockets too.
    let (_, b) = s
        .post("/api/v1/tokens", json!({"name": "wall", "role": "viewer"}))
        .await;
    let (id, secret) = (
        b["data"]["token"]["id"].as_i64().unwrap(),
        b["data"]["secret"].as_str().unwrap().to_string(),
    );
    let mut wall = events_socket(&s, &secret).await;
    let (st, _) = s.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    closes_as_revoked(&mut wall).await;

    let (_, m) = body(s.req(Method::GET, "/api/v1/metrics").send().await.unwrap()).await;
    assert!(
        m.as_str()
            .unwrap()
            .contains("vigil_sockets_revoked_total 3"),
        "{m}"
    );
    let updates = audit(&s, "action=user_update").await;
    assert_eq!(updates[0]["target"], "carol");
    assert_eq!(updates[0]["actor"], "admin token");
    assert_eq!(updates[0]["client"], "127.0.0.1");
    assert_eq!(audit(&s, "action=logout").await[0]["actor"], "user:dave");
    assert_eq!(audit(&s, "action=token_revoke").await.len(), 1);
    s.stop().await;
}

#[tokio::test]
async fn a_user_limited_to_cameras_sees_only_those() {
    let s = TestServer::start().await;
    let yard = camera(&s, "Yard").await;
    let gate = camera(&s, "Gate").await;
    add_user(&s, "erin", "viewer", json!([yard])).await;
    let (_, b, _) = login(&s, "erin", PW).await;
    let t = b["data"]["access_token"].as_str().unwrap().to_string();

    let (st, b) = get_as(&s, &t, "/api/v1/cameras").await;
    assert_eq!(st, StatusCode::OK);
    let names: Vec<&str> = b["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Yard"]);
    for path in [
        format!("/api/v1/cameras/{gate}"),
        format!("/api/v1/cameras/{gate}/timeline"),
        format!("/api/v1/cameras/{gate}/status"),
        format!("/api/v1/recordings?camera_id={gate}"),
        format!("/api/v1/locks?camera_id={gate}"),
    ] {
        let (st, b) = get_as(&s, &t, &path).await;
        assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    }
    assert_eq!(
        get_as(&s, &t, &format!("/api/v1/cameras/{yard}/timeline"))
            .await
            .0,
        StatusCode::OK
    );
    // With one camera, listings default to it.
    let (st, b) = get_as(&s, &t, "/api/v1/recordings").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, me) = get_as(&s, &t, "/api/v1/auth/me").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(me["data"]["cameras"], json!([yard]));

    // A live socket on another camera is refused even when the token comes in the first message.
    let url = format!("ws://127.0.0.1:{}/api/v1/cameras/{gate}/stream/mse", s.port);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    use futures_util::SinkExt;
    ws.send(Message::text(
        json!({"type": "auth", "token": t}).to_string(),
    ))
    .await
    .unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Close(Some(f)))) => {
                assert_eq!(u16::from(f.code), 4404);
                break;
            }
            Some(Ok(_)) => {}
            other => panic!("expected a close, got {other:?}"),
        }
    }

    // Users and roles: validation, last admin, names unique.
    let (st, b) = s
        .post(
            "/api/v1/users",
            json!({"username": "x y", "password": "short", "role": "viewer", "cameras": [999]}),
        )
        .await;
    assert_error(st, &b, 400, "VALIDATION_FAILED");
    let f = &b["error"]["details"]["fields"];
    assert!(f["username"].is_string() && f["password"].is_string());
    let (st, b) = s
        .post(
            "/api/v1/users",
            json!({"username": "xy", "password": PW, "role": "viewer", "cameras": [999]}),
        )
        .await;
    assert_error(st, &b, 404, "CAMERA_NOT_FOUND");
    let (st, b) = s
        .post(
            "/api/v1/users",
            json!({"username": "Erin", "password": PW, "role": "viewer"}),
        )
        .await;
    assert_error(st, &b, 409, "USERNAME_TAKEN");
    let root = add_user(&s, "root", "admin", Value::Null).await;
    let (st, b) = s
        .patch(&format!("/api/v1/users/{root}"), json!({"role": "viewer"}))
        .await;
    assert_error(st, &b, 409, "LAST_ADMIN");
    s.stop().await;
}

/// A value for a path parameter: an id that exists is not needed, only one that parses.
fn fill(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                if seg.contains("name") {
                    "x.m4s".to_string()
                } else {
                    "1".to_string()
                }
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Routes anyone may call: liveness and signing in.
const PUBLIC: [&str; 4] = [
    "/api/v1/health",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/auth/setup",
];
/// Routes any authenticated caller may call, whatever its permissions.
const AUTHENTICATED_ONLY: [&str; 6] = [
    "/api/v1/auth/me",
    "/api/v1/auth/logout",
    "/api/v1/auth/reauth",
    "/api/v1/auth/lock",
    "/api/v1/auth/unlock",
    "/api/v1/openapi.json",
];

async fn perm_token(s: &TestServer, perms: Vec<String>, name: String) -> String {
    let (st, b) = s
        .post(
            "/api/v1/tokens",
            json!({"name": name, "role": "admin", "permissions": perms}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["secret"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_route_enforces_its_declared_permission() {
    let s = TestServer::start().await;
    let (st, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    let all = [
        "camera:read",
        "camera:write",
        "stream:view",
        "recording:read",
        "recording:export",
        "recording:delete",
        "alert:ack",
        "bookmark:write",
        "footage:lock",
        "storage:admin",
    ];
    // One token per permission holding only it, and one holding everything but it (role admin
    // allows any subset; without `admin` itself, which grants everything).
    let mut only = std::collections::HashMap::new();
    let mut without = std::collections::HashMap::new();
    for p in all.iter().chain(["admin"].iter()) {
        only.insert(
            *p,
            perm_token(&s, vec![p.to_string()], format!("only {p}")).await,
        );
        let rest: Vec<String> = all
            .iter()
            .filter(|x| *x != p)
            .map(|x| x.to_string())
            .collect();
        without.insert(*p, perm_token(&s, rest, format!("without {p}")).await);
    }
    let none = {
        let (_, b) = s
            .post(
                "/api/v1/tokens",
                json!({"name": "nothing", "role": "viewer", "permissions": []}),
            )
            .await;
        b["data"]["secret"].as_str().unwrap().to_string()
    };

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let m: Method = method.to_uppercase().parse().unwrap();
            let Some(sec) = op["security"].as_array() else {
                // Public: only these answer without a token.
                assert!(
                    PUBLIC.contains(&path.as_str()),
                    "{method} {path} declares no security"
                );
                let (st, b) = body(
                    s.anon(m.clone(), path)
                        .json(&json!({}))
                        .send()
                        .await
                        .unwrap(),
                )
                .await;
                assert!(st != StatusCode::UNAUTHORIZED, "{method} {path}: {st} {b}");
                continue;
            };
            let sec = &sec[0];
            let scopes = sec["bearer"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path}: no bearer scheme"));
            let url = fill(path);
            let send = |tok: &str| {
                let req = s.anon(m.clone(), &url).bearer_auth(tok);
                let req = if m == Method::GET || m == Method::DELETE {
                    req
                } else {
                    req.json(&json!({}))
                };
                async move { body(req.send().await.unwrap()).await }
            };
            match scopes.as_slice() {
                [] => {
                    assert!(
                        AUTHENTICATED_ONLY.contains(&path.as_str()),
                        "{method} {path} declares no permission"
                    );
                    // Any authenticated caller, even one with no permission at all.
                    let (st, b) = send(&none).await;
                    assert!(
                        st != StatusCode::FORBIDDEN && st != StatusCode::UNAUTHORIZED,
                        "{method} {path}: {st} {b}"
                    );
                }
                [perm] => {
                    let perm = perm.as_str().unwrap();
                    assert!(
                        without.contains_key(perm),
                        "{method} {path}: unknown permission {perm}"
                    );
                    let (st, b) = send(&without[perm]).await;
                    assert_error(st, &b, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
                    let (st, b) = send(&only[perm]).await;
                    assert!(
                        b["error"]["code"] != "AUTH_INSUFFICIENT_PERMISSIONS",
                        "{method} {path} with only {perm}: {st} {b}"
                    );
                }
                more => panic!("{method} {path}: one permission per route, got {more:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 70, "{checked} routes checked");
    s.stop().await;
}

/// Push `seconds` of test video to `url` with ffmpeg; whether ffmpeg finished cleanly.
fn ffmpeg_push(url: &str, seconds: u32) -> bool {
    std::process::Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
        ])
        .arg(format!("testsrc=size=320x240:rate=10:duration={seconds}"))
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "10",
            "-f",
            "flv",
        ])
        .arg(url)
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn rtmp_publishers_are_audited_with_their_address() {
    let s = TestServer::start().await;
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Dock", "source": {"kind": "rtmp_push"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let id = b["data"]["id"].as_i64().unwrap();
    let key = b["data"]["source"]["stream_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!key.is_empty());
    // Stream keys are for those who may change cameras.
    let viewer = s.token("viewer", None).await;
    let (_, cam) = get_as(&s, &viewer, &format!("/api/v1/cameras/{id}")).await;
    assert_eq!(cam["data"]["source"]["stream_key"], "");
    assert_eq!(cam["data"]["source"]["publish_url"], "");
    let (_, list) = get_as(&s, &viewer, "/api/v1/cameras").await;
    assert_eq!(list["data"][0]["source"]["stream_key"], "");
    let port = s.rtmp_port;
    let wrong = tokio::task::spawn_blocking(move || {
        ffmpeg_push(&format!("rtmp://127.0.0.1:{port}/live/not-a-key"), 1)
    })
    .await
    .unwrap();
    assert!(!wrong, "a wrong key is refused");
    let refused = audit(&s, "action=rtmp_publish_refused").await;
    assert_eq!(refused[0]["client"], "127.0.0.1");
    assert_eq!(refused[0]["outcome"], "refused");
    assert!(!refused[0]["target"].as_str().unwrap().contains("not-a-key"));

    let k = key.clone();
    tokio::task::spawn_blocking(move || {
        ffmpeg_push(&format!("rtmp://127.0.0.1:{port}/live/{k}"), 2)
    })
    .await
    .unwrap();
    let accepted = audit(&s, "action=rtmp_publish_accepted").await;
    assert_eq!(accepted[0]["camera_id"], id);
    assert!(
        !accepted[0].to_string().contains(&key),
        "the stream key is masked in the audit log"
    );
    s.stop().await;
}

/// Poll `f` every 200 ms for up to `secs` seconds until it returns `Some`.
async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The list, each done through the API against a real recording camera, each leaving its
/// row: camera, settings, user and token changes, live view opened and closed, playback, an export
/// and its download, a recording's download and deletion, footage lock and unlock, the camera's
/// deletion (sign-ins, sign-outs and RTMP publishers are covered above).
#[tokio::test]
async fn every_listed_action_leaves_an_audit_row() {
    use support::media::{RtspServer, make_clip};
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 20, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let s = TestServer::start_with(|st| st.engine.segment_seconds = 2).await;
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Yard", "source": {"kind": "rtsp", "url": rtsp.url("cam")}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let cam = b["data"]["id"].as_i64().unwrap();
    let (st, _) = s
        .patch(
            &format!("/api/v1/cameras/{cam}"),
            json!({"location": "North"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);

    // Live view, over MSE, opened and closed.
    let url = format!(
        "ws://127.0.0.1:{}/api/v1/cameras/{cam}/stream/mse?token={}",
        s.port, s.token
    );
    let mut ws = eventually(30, "the MSE socket", || {
        let url = url.clone();
        async move {
            tokio_tungstenite::connect_async(url)
                .await
                .ok()
                .map(|w| w.0)
        }
    })
    .await;
    let first = tokio::time::timeout(Duration::from_secs(30), ws.next())
        .await
        .unwrap();
    assert!(matches!(first, Some(Ok(Message::Text(_)))), "{first:?}");
    drop(ws);

    // Recordings: wait for two finished segments.
    let recs = eventually(60, "two finished recordings", || async {
        let (_, b) = s
            .get(&format!("/api/v1/recordings?camera_id={cam}&limit=10"))
            .await;
        let items = b["data"]["items"].as_array()?.clone();
        let mut done: Vec<Value> = items
            .into_iter()
            .filter(|r| r["state"] == "complete")
            .collect();
        done.sort_by_key(|r| r["start_ms"].as_i64());
        (done.len() >= 2).then_some(done)
    })
    .await;
    // The oldest two finished segments: the first is deleted at the end, the second downloaded.
    let (rec_a, rec_b) = (
        recs[0]["id"].as_i64().unwrap(),
        recs[1]["id"].as_i64().unwrap(),
    );
    let start = recs[0]["start"].as_str().unwrap().to_string();
    let end = recs[1]["end"].as_str().unwrap().to_string();

    let (st, _) = body(
        s.req(
            Method::GET,
            &format!("/api/v1/cameras/{cam}/vod.m3u8?start={start}&end={end}"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let r = s
        .req(Method::GET, &format!("/api/v1/recordings/{rec_b}/file"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let (st, b) = s
        .post(
            "/api/v1/exports",
            json!({"camera_id": cam, "start": start, "end": end}),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let export = b["data"]["id"].as_u64().unwrap();
    eventually(60, "the export", || async {
        let (_, j) = s.get(&format!("/api/v1/exports/{export}")).await;
        (j["data"]["status"] == "done").then_some(())
    })
    .await;
    let r = s
        .req(Method::GET, &format!("/api/v1/exports/{export}/file"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let (st, b) = s
        .post(
            "/api/v1/locks",
            json!({"camera_id": cam, "start": start, "end": end, "reason": "incident 42"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let lock = b["data"]["id"].as_i64().unwrap();
    assert_eq!(
        s.delete(&format!("/api/v1/locks/{lock}")).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.delete(&format!("/api/v1/recordings/{rec_a}")).await.0,
        StatusCode::NO_CONTENT
    );

    let (_, storage) = s.get("/api/v1/storage").await;
    let (st, b) = body(
        s.req(Method::PUT, "/api/v1/storage")
            .json(&storage["data"]["settings"])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let uid = add_user(&s, "temp", "viewer", Value::Null).await;
    s.patch(&format!("/api/v1/users/{uid}"), json!({"role": "operator"}))
        .await;
    s.delete(&format!("/api/v1/users/{uid}")).await;
    let (_, t) = s
        .post("/api/v1/tokens", json!({"name": "tmp", "role": "viewer"}))
        .await;
    s.delete(&format!("/api/v1/tokens/{}", t["data"]["token"]["id"]))
        .await;
    assert_eq!(
        s.delete(&format!("/api/v1/cameras/{cam}")).await.0,
        StatusCode::NO_CONTENT
    );

    let want = [
        "camera_create",
        "camera_update",
        "live_open",
        "live_close",
        "playback",
        "download",
        "export",
        "footage_lock",
        "footage_unlock",
        "recording_delete",
        "settings_change",
        "user_create",
        "user_update",
        "user_delete",
        "token_create",
        "token_revoke",
        "camera_delete",
    ];
    let rows = eventually(10, "every action in the audit log", || async {
        let (_, b) = s.get("/api/v1/audit?limit=1000").await;
        let rows = b["data"]["entries"].as_array()?.clone();
        want.iter()
            .all(|a| rows.iter().any(|r| r["action"] == *a))
            .then_some(rows)
    })
    .await;
    for r in &rows {
        assert_eq!(r["actor"], "admin token", "{r}");
        assert_eq!(r["client"], "127.0.0.1", "{r}");
    }
    let of = |a: &str| rows.iter().find(|r| r["action"] == a).unwrap().clone();
    assert_eq!(of("export")["camera_id"], cam);
    assert_eq!(of("live_open")["details"]["via"], "mse");
    assert!(of("live_close")["details"]["seconds"].is_u64());
    assert_eq!(of("playback")["details"]["start"], start.as_str());
    assert_eq!(
        of("recording_delete")["target"],
        format!("recording {rec_a}")
    );
    assert_eq!(of("camera_delete")["target"], "Yard");

    // CSV: the same rows, quoted, with a header.
    let csv = s
        .req(Method::GET, "/api/v1/audit/export.csv?action=export")
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("at,actor,action,outcome,camera_id,target,client,details")
    );
    let line = lines.next().unwrap();
    assert!(line.contains(",admin token,export,ok,"), "{line}");
    assert!(lines.next().is_none());
    s.stop().await;
}
