//! ONVIF cameras through the real server: a device simulator on 127.0.0.1 (written from the
//! ONVIF WSDLs, checking every WS-Security digest) backed by a real GStreamer RTSP server with a
//! main (1280x720) and a sub (640x360) mount. A probe with a wrong password is refused as
//! `SOURCE_UNAUTHORIZED` on the password field; with the right one it reads the device and its
//! profiles, whose stream URI then plays at the profile's size; a device already added is marked;
//! a WS-Discovery scan streams the device on the events socket.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use support::TestServer;
use support::media::{Events, RtspServer};
use support::onvif::OnvifSim;
use vigil_testkit::ClipSpec;

#[tokio::test]
async fn a_camera_is_found_read_and_its_profiles_play() {
    let tmp = tempfile::tempdir().unwrap();
    let clip = |name: &str, width, height| {
        let spec = ClipSpec {
            width,
            height,
            secs: 4.0,
            ..Default::default()
        };
        vigil_testkit::make_clip(tmp.path(), name, &spec)
    };
    let (main, sub) = (clip("main.mp4", 1280, 720), clip("sub.mp4", 640, 360));
    let rtsp = RtspServer::start(0, &[("main", "h264", &main), ("sub", "h264", &sub)]);
    let sim = OnvifSim::start(rtsp.port, "s3cret", "Loading dock", true);
    let s = TestServer::start().await;

    // A wrong password: an answer on the password field, the device saw the refusal.
    let (st, b) = s
        .post(
            "/api/v1/discovery/probe",
            json!({"address": sim.address(), "username": "admin", "password": "wrong"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["outcome"], "failed", "{b}");
    assert_eq!(b["data"]["code"], "SOURCE_UNAUTHORIZED", "{b}");
    assert_eq!(b["data"]["field"], "password", "{b}");
    assert!(sim.calls().await.iter().any(|c| c["op"] == "refused"));

    // A malformed address is the request's fault.
    let (st, b) = s
        .post(
            "/api/v1/discovery/probe",
            json!({"address": "admin:pw@cam"}),
        )
        .await;
    support::assert_error(st, &b, 400, "VALIDATION_FAILED");
    assert!(
        b["error"]["details"]["fields"]["address"].is_string(),
        "{b}"
    );

    // The right one: what the device is and streams.
    let probe = json!({"address": sim.address(), "username": "admin", "password": "s3cret"});
    let (st, b) = s.post("/api/v1/discovery/probe", probe.clone()).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let d = &b["data"];
    assert_eq!(d["outcome"], "ok", "{b}");
    assert_eq!(d["device"]["manufacturer"], "Vigil Test Cameras");
    assert_eq!(d["device"]["serial_number"], "SIM0001");
    assert_eq!(d["ptz"], true);
    assert!(d["camera_id"].is_null());
    let profiles = d["profiles"].as_array().unwrap();
    let main_p = profiles.iter().find(|p| p["token"] == "prof_main").unwrap();
    let sub_p = profiles.iter().find(|p| p["token"] == "prof_sub").unwrap();
    assert_eq!(
        (main_p["width"].as_u64(), main_p["height"].as_u64()),
        (Some(1280), Some(720))
    );
    assert_eq!(sub_p["encoding"], "H264");
    assert!(
        profiles
            .iter()
            .any(|p| p["encoding"] == "JPEG" && p["recordable"] == false)
    );
    assert_eq!(main_p["stream_uri"], rtsp.url("main"));

    // Each profile's stream URI is a real stream of that size.
    for (p, w, h) in [(main_p, 1280, 720), (sub_p, 640, 360)] {
        let (st, b) = s
            .post(
                "/api/v1/cameras/probe",
                json!({"source": {"kind": "rtsp", "url": p["stream_uri"]}}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(b["data"]["outcome"], "ok", "{b}");
        assert_eq!(
            (b["data"]["width"].as_u64(), b["data"]["height"].as_u64()),
            (Some(w), Some(h)),
            "{b}"
        );
    }

    // Added as a camera: the next probe and a scan both say so.
    let (st, cam) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Loading dock", "enabled": false, "serial_number": "SIM0001",
                   "source": {"kind": "rtsp", "url": main_p["stream_uri"]}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{cam}");
    let id = cam["data"]["id"].as_i64().unwrap();
    let (_, b) = s.post("/api/v1/discovery/probe", probe).await;
    assert_eq!(b["data"]["camera_id"], id, "{b}");

    let events = Events::connect(s.port, &s.token).await;
    let (st, b) = s
        .post("/api/v1/discovery/scan", json!({"seconds": 2}))
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{b}");
    let scan_id = b["data"]["scan_id"].clone();
    let address = sim.address();
    let all = events
        .wait_for("the scan's end", Duration::from_secs(15), |v| {
            v.iter()
                .any(|e| e["type"] == "discovery:done" && e["scan_id"] == scan_id)
        })
        .await;
    let found: Vec<_> = all
        .iter()
        .filter(|e| e["type"] == "discovery:found" && e["device"]["address"] == address.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{all:#?}");
    assert_eq!(found[0]["device"]["name"], "Loading dock");
    assert_eq!(found[0]["camera_id"], id);
    let done = all.iter().find(|e| e["type"] == "discovery:done").unwrap();
    assert!(
        done["found"].as_u64().unwrap() >= 1 && done["error"].is_null(),
        "{done}"
    );

    // A viewer's events socket hears nothing of it; a viewer cannot scan.
    let viewer = s.token("viewer", None).await;
    let seen = Events::connect(s.port, &viewer).await;
    let (st, _) = s
        .post("/api/v1/discovery/scan", json!({"seconds": 1}))
        .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    events
        .wait_for("the second scan's end", Duration::from_secs(15), |v| {
            v.iter().filter(|e| e["type"] == "discovery:done").count() == 2
        })
        .await;
    assert!(
        !seen
            .snapshot()
            .iter()
            .any(|e| e["type"].as_str().unwrap().starts_with("discovery:"))
    );
    let r = s
        .anon(reqwest::Method::POST, "/api/v1/discovery/scan")
        .bearer_auth(&viewer)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    s.stop().await;
}

/// Until the camera's status satisfies `ok` (polled; the status is what the UI shows).
async fn status_until(
    s: &TestServer,
    id: i64,
    what: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    support::accounts::eventually(40, what, || async {
        let (_, b) = s.get(&format!("/api/v1/cameras/{id}/status")).await;
        ok(&b["data"]).then(|| b["data"].clone())
    })
    .await
}

#[tokio::test]
async fn an_onvif_camera_records_and_follows_its_stream_when_it_moves() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = |width, height| ClipSpec {
        width,
        height,
        secs: 4.0,
        ..Default::default()
    };
    let main = vigil_testkit::make_clip(tmp.path(), "main.mp4", &spec(1280, 720));
    let sub = vigil_testkit::make_clip(tmp.path(), "sub.mp4", &spec(640, 360));
    let mut rtsp = RtspServer::start(0, &[("main", "h264", &main), ("sub", "h264", &sub)]);
    let sim = OnvifSim::start(rtsp.port, "s3cret", "Gate", false);
    let s = TestServer::start().await;
    let source = json!({"kind": "onvif", "address": sim.address(),
                        "main_profile": "prof_main", "sub_profile": "prof_sub"});

    // "Test connection" of an ONVIF source: the main profile's stream, through the camera.
    let (st, b) = s
        .post(
            "/api/v1/cameras/probe",
            json!({"source": source, "username": "admin", "password": "s3cret"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["outcome"], "ok", "{b}");
    assert_eq!(b["data"]["width"], 1280, "{b}");
    // A bad address is the request's fault; a missing profile token too.
    let (st, b) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "x", "source": {"kind": "onvif", "address": "a b", "main_profile": ""}}),
        )
        .await;
    support::assert_error(st, &b, 400, "VALIDATION_FAILED");
    let fields = &b["error"]["details"]["fields"];
    assert!(
        fields["source.address"].is_string() && fields["source.main_profile"].is_string(),
        "{b}"
    );

    // Saved with a wrong password: it says so, in the camera's status.
    let (st, cam) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Gate", "source": source, "username": "admin", "password": "wrong"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{cam}");
    let id = cam["data"]["id"].as_i64().unwrap();
    assert_eq!(cam["data"]["source"]["kind"], "onvif");
    status_until(&s, id, "SOURCE_UNAUTHORIZED", |d| {
        d["last_error_code"] == "SOURCE_UNAUTHORIZED"
    })
    .await;

    // The right password: it streams the main profile.
    let (st, b) = s
        .patch(
            &format!("/api/v1/cameras/{id}"),
            json!({"password": "s3cret"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    status_until(&s, id, "running at 1280x720", |d| {
        d["status"] == "running" && d["width"] == 1280
    })
    .await;

    // Its sub-stream runs beside the main one: grid tiles ask for it (`?stream=sub`), an enlarged
    // tile for the main one; each is the profile's own size.
    let info = support::accounts::eventually(40, "the sub-stream connected", || async {
        let (_, b) = s
            .get(&format!("/api/v1/cameras/{id}/stream/info?stream=sub"))
            .await;
        (b["data"]["width"] == 640).then(|| b["data"].clone())
    })
    .await;
    assert_eq!(
        (info["stream"].as_str(), info["has_sub"].as_bool()),
        (Some("sub"), Some(true)),
        "{info}"
    );
    let mse = info["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "mse")
        .unwrap();
    assert!(
        mse["url"]
            .as_str()
            .unwrap()
            .ends_with("/stream/mse?stream=sub"),
        "{info}"
    );
    let (_, main_info) = s.get(&format!("/api/v1/cameras/{id}/stream/info")).await;
    assert_eq!(main_info["data"]["width"], 1280, "{main_info}");
    for (q, w, h) in [("?stream=sub", 640, 360), ("", 1280, 720)] {
        let r = s
            .req(
                reqwest::Method::GET,
                &format!("/api/v1/cameras/{id}/stream/snapshot{q}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{q}");
        let jpeg = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
        assert_eq!((jpeg.width(), jpeg.height()), (w, h), "snapshot{q}");
    }
    let (st, b) = s
        .get(&format!("/api/v1/cameras/{id}/stream/info?stream=side"))
        .await;
    support::assert_error(st, &b, 400, "VALIDATION_FAILED");

    // The camera moves its streams (a firmware update): the old server goes, a new one comes,
    // and Vigil asks the camera again and carries on without anyone editing it.
    let asked = |calls: Vec<serde_json::Value>| {
        calls
            .iter()
            .filter(|c| c["op"] == "GetStreamUri" && c["profile"] == "prof_main")
            .count()
    };
    let asked_before = asked(sim.calls().await);
    let moved = RtspServer::start(0, &[("main", "h264", &main), ("sub", "h264", &sub)]);
    sim.move_streams(moved.port).await;
    rtsp.kill();
    support::accounts::eventually(40, "the stream's address asked again", || async {
        (asked(sim.calls().await) > asked_before).then_some(())
    })
    .await;
    let after = status_until(&s, id, "running again from the new address", |d| {
        d["status"] == "running" && d["reconnects"].as_u64() >= Some(1)
    })
    .await;
    let bytes = after["bytes"].as_u64().unwrap();
    status_until(&s, id, "video flowing from the new address", |d| {
        d["status"] == "running" && d["bytes"].as_u64() > Some(bytes)
    })
    .await;
    s.stop().await;
}

#[tokio::test]
async fn a_ptz_camera_is_steered_and_its_presets_kept() {
    let sim = OnvifSim::start(8554, "s3cret", "Dome", false);
    let s = TestServer::start().await;
    let (st, cam) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Dome", "enabled": false, "username": "admin", "password": "s3cret",
                   "source": {"kind": "onvif", "address": sim.address(), "main_profile": "prof_main"}}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{cam}");
    let id = cam["data"]["id"].as_i64().unwrap();
    let ptz = format!("/api/v1/cameras/{id}/ptz");

    let (st, b) = s.get(&ptz).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["data"]["presets"][0]["name"], "Gate", "{b}");

    for cmd in [
        json!({"action": "move", "pan": 0.5, "tilt": -0.25}),
        json!({"action": "stop"}),
    ] {
        let (st, b) = s.post(&ptz, cmd).await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
    let (st, b) = s
        .post(&ptz, json!({"action": "set_preset", "name": "Dock"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let token = b["data"]["preset"].as_str().unwrap().to_string();
    let (st, b) = s
        .post(&ptz, json!({"action": "goto_preset", "preset": token}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = s.post(&ptz, json!({"action": "move", "pan": 3})).await;
    support::assert_error(st, &b, 400, "VALIDATION_FAILED");

    // What reached the camera.
    let calls = sim.calls().await;
    let mv = calls.iter().find(|c| c["op"] == "ContinuousMove").unwrap();
    assert_eq!(
        (mv["pan"].as_f64(), mv["tilt"].as_f64(), mv["zoom"].as_f64()),
        (Some(0.5), Some(-0.25), Some(0.0))
    );
    assert!(calls.iter().any(|c| c["op"] == "Stop"));
    assert!(
        calls
            .iter()
            .any(|c| c["op"] == "SetPreset" && c["name"] == "Dock")
    );
    assert!(
        calls
            .iter()
            .any(|c| c["op"] == "GotoPreset" && c["preset"] == token.as_str())
    );
    let (_, b) = s.get(&ptz).await;
    assert!(
        b["data"]["presets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Dock"),
        "{b}"
    );

    // Audited (not the stops); refused to a viewer; not for a camera without ONVIF.
    let audit = support::accounts::eventually(10, "three ptz entries", || async {
        let (_, b) = s.get("/api/v1/audit?action=ptz").await;
        let rows = b["data"]["entries"].as_array()?.clone();
        (rows.len() == 3).then_some(rows)
    })
    .await;
    assert!(audit.iter().all(|r| r["camera_id"] == id), "{audit:?}");
    let viewer = s.token("viewer", None).await;
    let r = s
        .anon(reqwest::Method::POST, &ptz)
        .bearer_auth(&viewer)
        .json(&json!({"action": "stop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, other) = s
        .post(
            "/api/v1/cameras",
            json!({"name": "Plain", "enabled": false, "source": {"kind": "rtsp", "url": "rtsp://192.0.2.1/s"}}),
        )
        .await;
    let (st, b) = s
        .get(&format!("/api/v1/cameras/{}/ptz", other["data"]["id"]))
        .await;
    support::assert_error(st, &b, 409, "PTZ_UNSUPPORTED");
    s.stop().await;
}
