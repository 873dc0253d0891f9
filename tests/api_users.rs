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
use support::accounts::{PW, add_user, audit, get_as, perm_token};
use support::{TestServer, assert_error, body};
use tokio_tungstenite::tungstenite::Message;

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

#[tokio::test]
async fn every_route_enforces_its_declared_permission() {
    let s = TestServer::start().await;
    let (st, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    let all = [
        "camera:read",
        "camera:write",
        "stream:view",
        "camera:ptz",
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

/// The desktop's first run: the person at the PC gets the owner's admin account, named after their
/// login, with no password (it cannot sign in until the window's offer to set one is taken).
#[tokio::test]
async fn the_desktop_creates_its_owner_without_a_password() {
    let s = TestServer::start().await;
    let engine = s.running.as_ref().unwrap().engine.clone();
    let owner = vigil::owner::ensure_desk_owner(&engine, Some("jane doe"))
        .await
        .unwrap()
        .expect("created");
    assert_eq!(owner.username, "janedoe");
    // Once is enough: a second start changes nothing.
    let again = vigil::owner::ensure_desk_owner(&engine, Some("jane doe")).await;
    assert!(again.unwrap().is_none());
    let (_, b) = s.get("/api/v1/users").await;
    let users = b["data"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{b}");
    assert_eq!(users[0]["role"], "admin");
    assert_eq!(users[0]["has_password"], false);
    let (st, b, _) = login(&s, "janedoe", PW).await;
    assert_error(st, &b, 401, "AUTH_CREDENTIALS_INVALID");
    let (st, b) = s
        .patch(
            &format!("/api/v1/users/{}", owner.id),
            json!({"password": PW}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b, _) = login(&s, "janedoe", PW).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let created = audit(&s, "action=user_create").await;
    assert_eq!(created[0]["actor"], "desktop");
    assert_eq!(created[0]["target"], "janedoe");
    s.stop().await;
}
