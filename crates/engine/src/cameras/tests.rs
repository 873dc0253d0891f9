//! The camera service against a real engine on a temp data dir (simulated clock, file
//! credential store): validation, credentials moving to the store, patches, deletes.

use super::*;
use crate::testutil;

fn rtsp(url: &str) -> Option<SourceInput> {
    Some(SourceInput::Rtsp {
        url: url.into(),
        transport: None,
    })
}

#[tokio::test]
async fn create_validates_every_field_at_once() {
    let t = testutil::engine();
    let e = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "  ".into(),
            detect_fps: Some(0),
            source: rtsp("http://cam/x"),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::ValidationFailed);
    let f = &e.details().unwrap()["fields"];
    assert_eq!(f["name"], "is required");
    assert_eq!(f["detect_fps"], "must be between 1 and 30");
    assert_eq!(f["source.url"], "must start with rtsp:// or rtsps://");
}

#[tokio::test]
async fn url_credentials_move_to_the_store() {
    let t = testutil::engine();
    let mut rx = t.engine.events().subscribe();
    let cam = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Gate".into(),
            source: rtsp("rtsp://admin:s3cret@10.1.2.3:554/live"),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cam.username.as_deref(), Some("admin"));
    assert!(cam.has_password);
    assert_eq!(
        cam.source,
        Source::Rtsp {
            url: "rtsp://10.1.2.3:554/live".into(),
            transport: RtspTransport::Tcp
        }
    );
    assert_eq!(
        t.engine
            .cameras()
            .password(cam.id)
            .await
            .unwrap()
            .as_deref(),
        Some("s3cret")
    );
    let ev = rx.recv().await.unwrap();
    assert_eq!(ev.name(), "camera:created");
    assert!(!format!("{ev:?}").contains("s3cret"));

    // The request's own fields win over the URL's credentials; the URL's password goes with
    // the URL's user only.
    let cam = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Gate 2".into(),
            source: rtsp("rtsp://admin:s3cret@10.1.2.4/live"),
            username: Some("viewer".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cam.username.as_deref(), Some("viewer"));
    assert!(!cam.has_password);
    let cam = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Gate 3".into(),
            source: rtsp("rtsp://admin:s3cret@10.1.2.5/live"),
            password: Some("typed".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cam.username.as_deref(), Some("admin"));
    let pw = t.engine.cameras().password(cam.id).await.unwrap();
    assert_eq!(pw.as_deref(), Some("typed"));
}

#[tokio::test]
async fn patch_keeps_clears_and_checks() {
    let t = testutil::engine();
    let cam = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Yard".into(),
            serial_number: Some("SN-1".into()),
            manufacturer: Some("Axis".into()),
            source: Some(SourceInput::RtmpPush {}),
            password: Some("pw".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let Source::RtmpPush {
        stream_key,
        publish_url,
    } = &cam.source
    else {
        panic!("rtmp source")
    };
    assert!(publish_url.ends_with(stream_key.as_str()));
    t.clock.advance_ms(1000);
    let patched = t
        .engine
        .cameras().update(
            cam.id,
            serde_json::from_str(r#"{"manufacturer": null, "password": null, "detect_fps": 12, "source": {"kind": "rtmp_push"}}"#)
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(patched.manufacturer, None);
    assert_eq!(patched.serial_number.as_deref(), Some("SN-1"));
    assert_eq!(patched.detect_fps, 12);
    assert!(!patched.has_password);
    assert_eq!(patched.source, cam.source, "stream key kept");
    assert_ne!(patched.updated_at_ms, cam.updated_at_ms);
    assert_eq!(t.engine.cameras().password(cam.id).await.unwrap(), None);

    let other = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Other".into(),
            source: Some(SourceInput::RtmpPush {}),
            ..Default::default()
        })
        .await
        .unwrap();
    let e = t
        .engine
        .cameras()
        .update(
            other.id,
            CameraPatch {
                serial_number: Some(Some("SN-1".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::CameraSerialDuplicate);
}

#[tokio::test]
async fn file_sources_need_an_absolute_path_not_a_file_yet() {
    let t = testutil::engine();
    let e = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Demo".into(),
            source: Some(SourceInput::File {
                path: "clips/here.mp4".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        e.details().unwrap()["fields"]["source.path"],
        "must be an absolute path"
    );
    // A file that is not there (yet: an unmounted share) is saved like an offline camera;
    // its status says why it does not stream.
    let missing = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Later".into(),
            enabled: Some(false),
            source: Some(SourceInput::File {
                path: "/definitely/not/here.mp4".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    t.engine.cameras().delete(missing.id).await.unwrap();
    let clip = t.dir.path().join("clip.mp4");
    std::fs::write(&clip, b"x").unwrap();
    let cam = t
        .engine
        .cameras()
        .create(CameraCreate {
            name: "Demo".into(),
            source: Some(SourceInput::File {
                path: clip.to_string_lossy().into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    t.engine.cameras().delete(cam.id).await.unwrap();
    assert_eq!(
        t.engine.cameras().get(cam.id).await.unwrap_err().code(),
        vigil_base::ErrorCode::CameraNotFound
    );
    assert_eq!(
        t.engine.cameras().delete(cam.id).await.unwrap_err().code(),
        vigil_base::ErrorCode::CameraNotFound
    );
}
