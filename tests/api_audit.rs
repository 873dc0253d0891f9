//! The audit log through the real server: every action the issue lists leaves its row (who, what,
//! which camera, from where) when done through the API against a real recording camera, RTMP
//! publishers are logged with their address and never their key, live views are opened and
//! closed over MSE and HLS, and deleting a camera can keep its footage.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::accounts::{add_user, audit, eventually, get_as, perm_token};
use support::media::ffmpeg_push;
use support::{TestServer, body};
use tokio_tungstenite::tungstenite::Message;

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

/// The list, each done through the API against a real recording camera, each leaving its
/// row: camera, settings, user and token changes, live view opened and closed, playback, an export
/// and its download, a recording's download and deletion, footage lock and unlock, the camera's
/// deletion keeping its footage and then with it (sign-ins, sign-outs and RTMP publishers are
/// covered above). Live views over MSE and HLS are both opened and closed.
#[tokio::test]
async fn every_listed_action_leaves_an_audit_row() {
    use support::media::{RtspServer, make_clip};
    let work = tempfile::tempdir().unwrap();
    let clip = make_clip(work.path(), "a.mp4", 20, false);
    let rtsp = RtspServer::start(0, &[("cam", "h264", &clip)]);
    let s = TestServer::start_with(|st| {
        st.engine.segment_seconds = 2;
        st.hls_view_idle_seconds = 2;
    })
    .await;
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
    // And over HLS: a view is a caller reloading the playlist; it closes once they stop.
    for _ in 0..3 {
        let r = s
            .req(Method::GET, &format!("/api/v1/cameras/{cam}/hls/live.m3u8"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }

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
    // Deleted keeping its footage: out of the list, still listed with `include_removed`, its
    // recordings still there and served, no longer changeable; then deleted with its footage.
    // by a caller who may change cameras but not delete recordings: refused the footage, allowed
    // to keep it.
    let keeper = perm_token(
        &s,
        vec!["camera:read".into(), "camera:write".into()],
        "keeper".into(),
    )
    .await;
    let del = |q: &'static str| {
        s.anon(Method::DELETE, &format!("/api/v1/cameras/{cam}{q}"))
            .bearer_auth(&keeper)
            .send()
    };
    assert_eq!(del("").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(
        del("?keep_footage=false").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        del("?keep_footage=true").await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let (_, b) = s.get("/api/v1/cameras").await;
    assert!(b["data"].as_array().unwrap().iter().all(|c| c["id"] != cam));
    let (_, b) = s.get("/api/v1/cameras?include_removed=true").await;
    let kept = (b["data"].as_array().unwrap().iter())
        .find(|c| c["id"] == cam)
        .unwrap()
        .clone();
    assert!(
        kept["removed_at"].is_string() && kept["enabled"] == false,
        "{kept}"
    );
    let r = s
        .req(Method::GET, &format!("/api/v1/recordings/{rec_b}/file"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (st, b) = s
        .patch(&format!("/api/v1/cameras/{cam}"), json!({"enabled": true}))
        .await;
    assert_eq!(
        (st, b["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("CAMERA_REMOVED"))
    );
    assert_eq!(
        s.delete(&format!("/api/v1/cameras/{cam}")).await.0,
        StatusCode::NO_CONTENT
    );
    let (st, b) = s
        .get(&format!("/api/v1/recordings?camera_id={cam}&limit=10"))
        .await;
    assert_eq!(
        (st, b["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("CAMERA_NOT_FOUND"))
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
        let hls_closed =
            (rows.iter()).any(|r| r["action"] == "live_close" && r["details"]["via"] == "hls");
        (hls_closed && want.iter().all(|a| rows.iter().any(|r| r["action"] == *a))).then_some(rows)
    })
    .await;
    for r in &rows {
        let by_keeper = r["action"] == "camera_delete" && r["details"]["recordings_kept"].is_i64();
        let actor = if by_keeper {
            "token:keeper"
        } else {
            "admin token"
        };
        assert_eq!(r["actor"], actor, "{r}");
        assert_eq!(r["client"], "127.0.0.1", "{r}");
    }
    let of = |a: &str| rows.iter().find(|r| r["action"] == a).unwrap().clone();
    assert_eq!(of("export")["camera_id"], cam);
    for via in ["mse", "hls"] {
        for action in ["live_open", "live_close"] {
            let row = rows
                .iter()
                .find(|r| r["action"] == action && r["details"]["via"] == via);
            assert!(row.is_some(), "no {action} over {via}: {rows:?}");
            assert_eq!(row.unwrap()["camera_id"], cam);
        }
    }
    let deletions: Vec<&Value> = (rows.iter())
        .filter(|r| r["action"] == "camera_delete")
        .collect();
    assert!(
        deletions
            .iter()
            .any(|r| r["details"]["recordings_kept"].as_i64() > Some(0))
    );
    assert!(
        deletions
            .iter()
            .any(|r| r["details"]["recordings_deleted"].as_i64() > Some(0))
    );
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
