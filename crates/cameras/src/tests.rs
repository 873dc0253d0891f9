//! The camera service on a real database and file credential store in a temp dir (simulated
//! clock), with a host that runs nothing and keeps what it was told: validation, credentials
//! moving to the store, patches, deletes and what they remove.

use std::sync::Mutex;

use super::*;
use vigil_base::SimulatedClock;
use vigil_secrets::StoreChoice;

/// Runs no camera; records what the registry asked of it.
#[derive(Default)]
struct Host {
    footage: PathBuf,
    synced: Mutex<Vec<(i64, bool)>>,
    removed: Mutex<Vec<i64>>,
}

impl CameraHost for Host {
    fn check_capacity(&self, _except: i64) -> Result<()> {
        Ok(())
    }
    fn sync(&self, camera: &Camera) -> Result<()> {
        let mut s = self.synced.lock().unwrap();
        s.push((camera.id, camera.enabled));
        Ok(())
    }
    fn remove(&self, camera_id: i64) {
        self.removed.lock().unwrap().push(camera_id);
    }
    fn recording_fault(&self, _camera_id: i64) -> Option<RecordingError> {
        None
    }
    fn footage_dirs(&self) -> Vec<PathBuf> {
        vec![self.footage.clone()]
    }
}

struct Harness {
    svc: CameraService,
    host: Arc<Host>,
    events: Arc<Mutex<Vec<CameraEvent>>>,
    clock: SimulatedClock,
    dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("vigil.db")).unwrap();
    let creds = CredentialStore::open(dir.path(), StoreChoice::File).unwrap();
    let clock = SimulatedClock::new(1_763_712_000_000);
    let host = Arc::new(Host {
        footage: dir.path().join("recordings"),
        ..Default::default()
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let svc = CameraService::new(
        db,
        Arc::new(move |e| sink.lock().unwrap().push(e)),
        Arc::new(clock.clone()),
        creds,
        PublishAddress {
            host: "nvr.local".into(),
            port: Arc::new(AtomicU16::new(1935)),
            tls: Arc::default(),
        },
        host.clone(),
        dir.path().join("snapshots"),
    );
    Harness {
        svc,
        host,
        events,
        clock,
        dir,
    }
}

fn rtsp(url: &str) -> Option<SourceInput> {
    Some(SourceInput::Rtsp {
        url: url.into(),
        transport: None,
    })
}

#[tokio::test]
async fn create_validates_every_field_at_once() {
    let t = harness();
    let e = t
        .svc
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
    let t = harness();
    let cam = t
        .svc
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
        t.svc.password(cam.id).await.unwrap().as_deref(),
        Some("s3cret")
    );
    {
        let events = t.events.lock().unwrap();
        assert!(matches!(&events[0], CameraEvent::Created(c) if c.id == cam.id));
        assert!(!format!("{events:?}").contains("s3cret"));
    }

    // The request's own fields win over the URL's credentials; the URL's password goes with
    // the URL's user only.
    let cam = t
        .svc
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
        .svc
        .create(CameraCreate {
            name: "Gate 3".into(),
            source: rtsp("rtsp://admin:s3cret@10.1.2.5/live"),
            password: Some("typed".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cam.username.as_deref(), Some("admin"));
    let pw = t.svc.password(cam.id).await.unwrap();
    assert_eq!(pw.as_deref(), Some("typed"));
}

#[tokio::test]
async fn patch_keeps_clears_and_checks() {
    let t = harness();
    let cam = t
        .svc
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
    let patched = t.svc.update(
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
    assert_eq!(t.svc.password(cam.id).await.unwrap(), None);

    let other = t
        .svc
        .create(CameraCreate {
            name: "Other".into(),
            source: Some(SourceInput::RtmpPush {}),
            ..Default::default()
        })
        .await
        .unwrap();
    let e = t
        .svc
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
    let t = harness();
    let e = t
        .svc
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
        .svc
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
    t.svc.delete(missing.id, false).await.unwrap();
    let clip = t.dir.path().join("clip.mp4");
    std::fs::write(&clip, b"x").unwrap();
    let cam = t
        .svc
        .create(CameraCreate {
            name: "Demo".into(),
            source: Some(SourceInput::File {
                path: clip.to_string_lossy().into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    // The host was told to run it; deleting it stops it there and removes its footage and
    // snapshots.
    assert!(t.host.synced.lock().unwrap().contains(&(cam.id, true)));
    let footage = t.dir.path().join("recordings").join(cam.id.to_string());
    let snaps = t.dir.path().join("snapshots").join(cam.id.to_string());
    for d in [&footage, &snaps] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("a"), b"x").unwrap();
    }
    t.clock.advance_ms(1);
    t.svc.delete(cam.id, false).await.unwrap();
    assert_eq!(*t.host.removed.lock().unwrap(), vec![missing.id, cam.id]);
    assert!(!footage.exists() && !snaps.exists());
    assert!(matches!(
        t.events.lock().unwrap().last(),
        Some(CameraEvent::Deleted { camera_id }) if *camera_id == cam.id
    ));
    assert_eq!(
        t.svc.get(cam.id).await.unwrap_err().code(),
        vigil_base::ErrorCode::CameraNotFound
    );
    assert_eq!(
        t.svc.delete(cam.id, false).await.unwrap_err().code(),
        vigil_base::ErrorCode::CameraNotFound
    );
}

#[tokio::test]
async fn a_camera_deleted_with_its_footage_kept_leaves_service_and_keeps_its_recordings() {
    let t = harness();
    let cam = t
        .svc
        .create(CameraCreate {
            name: "Yard".into(),
            serial_number: Some("SN-1".into()),
            source: Some(SourceInput::RtmpPush {}),
            password: Some("s3cret".into()),
            username: Some("admin".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let footage = t.dir.path().join("recordings").join(cam.id.to_string());
    let snaps = t.dir.path().join("snapshots").join(cam.id.to_string());
    for d in [&footage, &snaps] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("a"), b"x").unwrap();
    }
    let id = cam.id;
    t.svc
        .db
        .write(move |c| {
            c.execute(
                "INSERT INTO recording (camera_id, root, path, state, start_ms, end_ms, \
                 media_duration_90k, bytes, init_bytes, codec, width, height, keyframe_index, \
                 created_at_ms) VALUES (?1, 'hot', 'a', 'complete', 0, 1000, 90000, 1, 1, \
                 'h264', 640, 360, x'', 0)",
                [id],
            )
            .map_err(|e| err!(Internal, "{e}"))
        })
        .await
        .unwrap();
    t.clock.advance_ms(5);
    t.svc.delete(cam.id, true).await.unwrap();
    // Out of service: stopped on the host, gone from the list, announced as deleted, its
    // password forgotten and its key and serial free for a camera added again.
    assert_eq!(*t.host.removed.lock().unwrap(), vec![cam.id]);
    assert!(t.svc.list().await.unwrap().is_empty());
    assert!(t.svc.list_blocking().unwrap().is_empty());
    assert!(matches!(
        t.events.lock().unwrap().last(),
        Some(CameraEvent::Deleted { camera_id }) if *camera_id == cam.id
    ));
    let kept = t.svc.get(cam.id).await.unwrap();
    assert_eq!(kept.removed_at_ms, Some(1_763_712_000_005));
    assert!(!kept.enabled && !kept.has_password && kept.serial_number.is_none());
    assert_eq!(t.svc.creds.camera_password(cam.id).unwrap(), None);
    let all = t.svc.list_including_removed(true).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![cam.id]);
    // Its files stay; it cannot be changed or started.
    assert!(footage.join("a").exists() && snaps.join("a").exists());
    for e in [
        t.svc.set_enabled(cam.id, true).await.unwrap_err(),
        (t.svc.update(
            cam.id,
            CameraPatch {
                name: Some("Again".into()),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err(),
    ] {
        assert_eq!(e.code(), vigil_base::ErrorCode::CameraRemoved);
    }
    // The same camera added again gets its serial number back.
    t.svc
        .create(CameraCreate {
            name: "Yard".into(),
            serial_number: Some("SN-1".into()),
            source: Some(SourceInput::RtmpPush {}),
            ..Default::default()
        })
        .await
        .unwrap();
    // Deleting it again keeping footage changes nothing; the purge keeps it while footage remains.
    t.svc.delete(cam.id, true).await.unwrap();
    assert_eq!(t.svc.purge_removed().unwrap(), 0);
    assert!(t.svc.get(cam.id).await.is_ok());
    // Once retention has taken the last recording, the purge forgets it and its pictures.
    t.svc
        .db
        .write(move |c| {
            c.execute("DELETE FROM recording WHERE camera_id = ?1", [id])
                .map_err(|e| err!(Internal, "{e}"))
        })
        .await
        .unwrap();
    assert_eq!(t.svc.purge_removed().unwrap(), 1);
    assert!(!footage.exists() && !snaps.exists());
    assert_eq!(
        t.svc.get(cam.id).await.unwrap_err().code(),
        vigil_base::ErrorCode::CameraNotFound
    );
}
