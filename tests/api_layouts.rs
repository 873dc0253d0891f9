//! Layouts, bookmarks and "test connection" over real HTTP: per-user layouts with field errors
//! for tiles off the grid, on each other or on missing cameras; bookmarks as timeline markers;
//! probing a real RTSP camera (GStreamer's RTSP server), a wrong path on it, an unreachable one and
//! a bad URL.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::media::{RtspServer, make_clip};
use support::{TestServer, assert_error, body};

async fn file_camera(s: &TestServer, name: &str) -> i64 {
    let path = support::clip(s.dir.path());
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": name, "enabled": false, "source": {"kind": "file", "path": path}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["data"]["id"].as_i64().unwrap()
}

fn tile(id: i64, x: u32, y: u32, w: u32, h: u32) -> Value {
    json!({"camera_id": id, "position": {"x": x, "y": y}, "size": {"width": w, "height": h}})
}

#[tokio::test]
async fn layouts_are_per_user_validated_and_replaceable() {
    let s = TestServer::start().await;
    let a = file_camera(&s, "Door").await;
    let b = file_camera(&s, "Yard").await;
    let (st, created) = s
        .post(
            "/api/v1/layouts",
            json!({"name": "Quad", "is_default": true,
                   "layout": [tile(a, 0, 0, 6, 6), tile(b, 6, 0, 6, 6)]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["data"]["id"].as_i64().unwrap();
    assert_eq!(created["data"]["layout"][1]["position"]["x"], 6);
    assert_eq!(created["data"]["is_default"], true);

    // Tiles off the grid, overlapping, on a missing camera: a conflict, one message per field.
    let (st, bad) = s
        .post(
            "/api/v1/layouts",
            json!({"name": "Bad", "layout": [tile(a, 0, 0, 6, 6), tile(b, 3, 3, 6, 6),
                                             tile(999, 10, 0, 4, 2)]}),
        )
        .await;
    assert_error(st, &bad, 409, "LAYOUT_CONFLICT");
    let f = &bad["error"]["details"]["fields"];
    assert_eq!(f["layout[1].position"], "overlaps layout[0]");
    assert_eq!(f["layout[2].camera_id"], "no camera 999");
    assert!(f["layout[2].position.x"].is_string(), "{bad}");
    // Unknown keys are refused too.
    let (st, bad) = s
        .post(
            "/api/v1/layouts",
            json!({"name": "X", "layout": [], "colour": "red"}),
        )
        .await;
    assert_error(st, &bad, 400, "VALIDATION_FAILED");

    // Replace: tiles swapped; reading it back gives the new arrangement.
    let r = s
        .req(Method::PUT, &format!("/api/v1/layouts/{id}"))
        .json(&json!({"name": "Quad", "is_default": true,
                      "layout": [tile(b, 0, 0, 6, 6), tile(a, 6, 0, 6, 6)]}))
        .send()
        .await
        .unwrap();
    let (st, put) = body(r).await;
    assert_eq!(st, StatusCode::OK, "{put}");
    let (_, got) = s.get(&format!("/api/v1/layouts/{id}")).await;
    assert_eq!(got["data"]["layout"][0]["camera_id"], b);

    // Another user (a viewer token) sees none of them and cannot touch this one.
    let viewer = s.token("viewer", None).await;
    let r = s
        .anon(Method::GET, "/api/v1/layouts")
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    let (st, theirs) = body(r).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(theirs["data"].as_array().unwrap().len(), 0);
    let r = s
        .anon(Method::DELETE, &format!("/api/v1/layouts/{id}"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    let (st, b2) = body(r).await;
    assert_error(st, &b2, 404, "LAYOUT_NOT_FOUND");

    let (st, _) = s.delete(&format!("/api/v1/layouts/{id}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, list) = s.get("/api/v1/layouts").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    s.stop().await;
}

#[tokio::test]
async fn bookmarks_mark_the_timeline() {
    let s = TestServer::start().await;
    let cam = file_camera(&s, "Dock").await;
    let at = 1_795_255_200_000i64;
    let (st, b) = s
        .post(
            &format!("/api/v1/cameras/{cam}/bookmarks"),
            json!({"at": at, "label": "Van at the dock"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let id = b["data"]["id"].as_i64().unwrap();
    assert_eq!(b["data"]["created_by"], "admin");
    let (st, bad) = s
        .post(
            &format!("/api/v1/cameras/{cam}/bookmarks"),
            json!({"at": "soon"}),
        )
        .await;
    assert_error(st, &bad, 400, "VALIDATION_FAILED");
    assert!(bad["error"]["details"]["fields"]["at"].is_string());
    // A span marked right to left is the same span.
    let (st, rev) = s
        .post(
            &format!("/api/v1/cameras/{cam}/bookmarks"),
            json!({"at": at + 5_000, "end": at + 1_000, "label": "Backwards"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{rev}");
    assert_eq!(rev["data"]["at_ms"], at + 1_000);
    assert_eq!(rev["data"]["end_ms"], at + 5_000);
    // Instants outside RFC 3339's years are refused, not stored as nonsense.
    let (st, bad) = s
        .post(
            &format!("/api/v1/cameras/{cam}/bookmarks"),
            json!({"at": at, "end": i64::MAX - 1}),
        )
        .await;
    assert_error(st, &bad, 400, "VALIDATION_FAILED");
    assert!(bad["error"]["details"]["fields"]["end"].is_string());
    let (st, rev) = s
        .delete(&format!("/api/v1/bookmarks/{}", rev["data"]["id"]))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{rev}");
    let (st, missing) = s
        .post("/api/v1/cameras/999/bookmarks", json!({"at": at}))
        .await;
    assert_error(st, &missing, 404, "CAMERA_NOT_FOUND");
    let window = format!("start={}&end={}", at - 60_000, at + 60_000);
    let (_, list) = s
        .get(&format!("/api/v1/cameras/{cam}/bookmarks?{window}"))
        .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let (_, tl) = s
        .get(&format!("/api/v1/cameras/{cam}/timeline?{window}"))
        .await;
    let markers = tl["data"]["markers"].as_array().unwrap();
    assert!(
        markers
            .iter()
            .any(|m| m["kind"] == "bookmark" && m["id"] == id && m["at_ms"] == at),
        "{tl}"
    );
    let (st, _) = s.delete(&format!("/api/v1/bookmarks/{id}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, b) = s.delete(&format!("/api/v1/bookmarks/{id}")).await;
    assert_error(st, &b, 404, "BOOKMARK_NOT_FOUND");
    s.stop().await;
}

#[tokio::test]
async fn probing_reports_what_a_camera_sends_or_why_not() {
    let tmp = tempfile::tempdir().unwrap();
    let clip = make_clip(tmp.path(), "probe.mp4", 20, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let s = TestServer::start().await;

    let (st, ok) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": {"kind": "rtsp", "url": rtsp.url("cam")}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{ok}");
    let d = &ok["data"];
    assert_eq!(d["outcome"], "ok", "{ok}");
    assert_eq!(d["codec"], "h264");
    assert!(
        d["width"].as_u64().unwrap() > 0 && d["height"].as_u64().unwrap() > 0,
        "{ok}"
    );
    let fps = d["fps"].as_f64().unwrap();
    assert!((20.0..=30.0).contains(&fps), "fps {fps}");

    // Nothing listens there: an error saying so, at the URL.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let (st, e) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": {"kind": "rtsp", "url": format!("rtsp://127.0.0.1:{port}/x")}}),
        )
        .await;
    // The probe ran and found the source unreachable: an answer, naming the field.
    assert_eq!(st, StatusCode::OK, "{e}");
    assert_eq!(e["data"]["outcome"], "failed", "{e}");
    assert_eq!(e["data"]["code"], "SOURCE_UNREACHABLE", "{e}");
    assert_eq!(e["data"]["field"], "source.url", "{e}");
    let msg = e["data"]["message"].as_str().unwrap();
    assert!(msg.contains("cannot be opened"), "{msg}");
    // The server is there but has no stream at that path (404 to DESCRIBE): a code of its own,
    // so the UI can say "check the path" rather than "nothing answered".
    let (st, e) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": {"kind": "rtsp", "url": rtsp.url("no-such-path")}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{e}");
    assert_eq!(e["data"]["outcome"], "failed", "{e}");
    assert_eq!(e["data"]["code"], "SOURCE_NOT_FOUND", "{e}");
    assert_eq!(e["data"]["field"], "source.url", "{e}");
    // A file that is not there, likewise.
    let (st, e) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": {"kind": "file", "path": "/nonexistent/clip.mp4"}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{e}");
    assert_eq!(e["data"]["outcome"], "failed", "{e}");
    assert_eq!(e["data"]["field"], "source.path", "{e}");
    // Not RTSP at all.
    let (st, e) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": {"kind": "rtsp", "url": "http://x"}}),
        )
        .await;
    assert_error(st, &e, 400, "VALIDATION_FAILED");
    assert!(e["error"]["details"]["fields"]["source.url"].is_string());
    // A saved camera is probed with its stored settings.
    let (st, c) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Cam", "enabled": false, "source": {"kind": "rtsp", "url": rtsp.url("cam")}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let id = c["data"]["id"].as_i64().unwrap();
    let (st, p) = s
        .post(&format!("/api/v1/cameras/{id}/probe"), json!(null))
        .await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["data"]["outcome"], "ok", "{p}");
    assert_eq!(p["data"]["codec"], "h264");
    // A running camera with a wrong path: its status keeps the last error with its code.
    let (st, c) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Wrong path", "source": {"kind": "rtsp", "url": rtsp.url("no-such-path")}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let id = c["data"]["id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        let (st, b) = s.get(&format!("/api/v1/cameras/{id}/status")).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        if !b["data"]["last_error_code"].is_null() {
            break b;
        }
        assert!(std::time::Instant::now() < deadline, "no last error: {b}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(
        status["data"]["last_error_code"], "SOURCE_NOT_FOUND",
        "{status}"
    );
    assert!(status["data"]["last_error"].is_string(), "{status}");
    s.stop().await;
}
