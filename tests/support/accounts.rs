//! Helpers for the tests of people and access: users, credentials holding chosen permissions,
//! reading the audit log once its writer has caught up, and polling until something holds.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{TestServer, body};

/// The password every test user gets.
pub const PW: &str = "correct horse battery";

pub async fn add_user(s: &TestServer, name: &str, role: &str, cameras: Value) -> i64 {
    let (st, b) = s
        .post(
            "/api/v1/users",
            json!({"username": name, "password": PW, "role": role, "cameras": cameras}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

pub async fn get_as(s: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    body(
        s.anon(Method::GET, path)
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Audit entries of `action`, after the writer thread has caught up.
pub async fn audit(s: &TestServer, query: &str) -> Vec<Value> {
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

pub async fn perm_token(s: &TestServer, perms: Vec<String>, name: String) -> String {
    let (st, b) = s
        .post(
            "/api/v1/tokens",
            json!({"name": name, "role": "admin", "permissions": perms}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["secret"].as_str().unwrap().to_string()
}

/// Poll `f` every 200 ms for up to `secs` seconds until it returns `Some`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
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
