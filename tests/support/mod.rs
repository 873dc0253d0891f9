//! Shared test helpers: start the real server on 127.0.0.1:0 in-process, and a small client that
//! speaks its JSON envelope.
#![allow(dead_code)]

pub mod accounts;
pub mod media;
pub mod onvif;

use std::path::PathBuf;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub struct TestServer {
    pub url: String,
    pub port: u16,
    pub rtmp_port: u16,
    pub token: String,
    pub dir: tempfile::TempDir,
    pub running: Option<vigil::Running>,
    pub http: reqwest::Client,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Start with settings adjusted by `f` (segment length, limits, ...).
    pub async fn start_with(f: impl FnOnce(&mut vigil::Settings)) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().to_path_buf();
        Self::start_at(dir, path, f).await
    }

    /// Start on an existing data dir (a restart); `dir` of the result is an unrelated temp dir.
    pub async fn start_in(data: PathBuf, f: impl FnOnce(&mut vigil::Settings)) -> TestServer {
        Self::start_at(tempfile::tempdir().expect("tempdir"), data, f).await
    }

    async fn start_at(
        dir: tempfile::TempDir,
        data: PathBuf,
        f: impl FnOnce(&mut vigil::Settings),
    ) -> TestServer {
        let mut settings = vigil::Settings::load(
            data,
            vigil::Overrides {
                listen: Some("127.0.0.1:0".parse().expect("addr")),
                ui_dir: Some(PathBuf::from("/nonexistent-ui")),
                credential_store: Some("file".into()),
                ..Default::default()
            },
        )
        .expect("settings");
        settings.max_body_bytes = 16 * 1024;
        settings.rtmp_listen = Some("127.0.0.1:0".parse().expect("addr"));
        // Tests that need them turn them on: loading a model per server is slow, and a desktop
        // notification from a test run helps nobody.
        settings.engine.detection = false;
        settings.engine.notifications = false;
        f(&mut settings);
        let running = vigil::start(&settings, true).await.expect("server starts");
        TestServer {
            url: running.url.clone(),
            port: running.addr.port(),
            rtmp_port: running.rtmp_addr.map(|a| a.port()).expect("RTMP listener"),
            token: running.admin_token().to_string(),
            dir,
            running: Some(running),
            http: reqwest::Client::new(),
        }
    }

    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token)
    }

    pub fn anon(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        body(self.req(Method::GET, path).send().await.expect("send")).await
    }

    pub async fn post(&self, path: &str, json: Value) -> (StatusCode, Value) {
        body(
            self.req(Method::POST, path)
                .json(&json)
                .send()
                .await
                .expect("send"),
        )
        .await
    }

    pub async fn patch(&self, path: &str, json: Value) -> (StatusCode, Value) {
        body(
            self.req(Method::PATCH, path)
                .json(&json)
                .send()
                .await
                .expect("send"),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        body(self.req(Method::DELETE, path).send().await.expect("send")).await
    }

    /// Create a token with `role` and an optional rate limit; returns its secret.
    pub async fn token(&self, role: &str, rate: Option<u32>) -> String {
        let (s, b) = self
            .post(
                "/api/v1/tokens",
                serde_json::json!({"name": format!("{role} token"), "role": role, "rate_limit_per_min": rate}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["data"]["secret"].as_str().expect("secret").to_string()
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.expect("clean stop");
        }
    }
}

pub async fn body(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    let v = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, v)
}

/// Assert the standard error body with `code`.
pub fn assert_error(status: StatusCode, body: &Value, want_status: u16, code: &str) {
    assert_eq!(status.as_u16(), want_status, "body: {body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body["error"]["timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{body}"
    );
    assert!(
        body["error"]["requestId"]
            .as_str()
            .is_some_and(|r| r.len() == 36),
        "{body}"
    );
}

/// A real video-ish file for file sources (content does not matter to the registry).
pub fn clip(dir: &std::path::Path) -> String {
    let p = dir.join("clip.mp4");
    std::fs::write(&p, b"not really a video").expect("write clip");
    p.to_string_lossy().into_owned()
}
