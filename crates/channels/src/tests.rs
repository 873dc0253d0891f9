//! The channel service on a real database and credential file (simulated clock): cooldown and
//! grouping per camera. Deliveries against real receivers are in tests/ and the API tests.

use super::*;
use vigil_base::SimulatedClock;
use vigil_notify::Severity;

fn alert(id: i64, camera: i64, at_ms: i64) -> AlertMeta {
    AlertMeta {
        alert_id: id,
        kind: "camera_offline".into(),
        severity: Severity::Warning,
        camera_id: Some(camera),
        label: None,
        at_ms,
        camera_name: Some(format!("cam{camera}")),
        message: "offline".into(),
    }
}

/// A camera going up and down: the first alert goes at once, the next within the cooldown
/// wait and go as one `alert_group` when it ends; another camera has its own cooldown.
#[tokio::test]
async fn bursts_are_grouped_per_camera_like_desktop_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("vigil.db")).unwrap();
    let creds = CredentialStore::open(dir.path(), vigil_secrets::StoreChoice::File).unwrap();
    let clock = SimulatedClock::new(1_764_861_137_000);
    let svc = ChannelService::new(
        db.clone(),
        creds,
        Arc::new(clock.clone()),
        Duration::from_secs(60),
    )
    .unwrap();
    let (ch, _) = svc
        .create(ChannelCreate::Webhook {
            name: "hook".into(),
            url: "http://127.0.0.1:9/hook".into(),
            secret: Some("a-long-secret".into()),
            enabled: None,
        })
        .await
        .unwrap();
    let t0 = clock.now_ms();
    let payload = serde_json::json!({"type": "alert"});
    for (i, dt) in [0, 1_000, 2_000].into_iter().enumerate() {
        clock.set_ms(t0 + dt);
        let to = svc
            .offer(alert(i as i64 + 1, 5, t0 + dt), &payload)
            .await
            .unwrap();
        assert_eq!(to, vec![ch.id]);
    }
    svc.offer(alert(9, 6, t0 + 2_000), &payload).await.unwrap();
    let bodies = |d: Vec<Delivery>| d.iter().map(|x| x.alert_id).collect::<Vec<_>>();
    assert_eq!(
        bodies(svc.deliveries(ch.id, None, 10).await.unwrap()),
        vec![Some(9), Some(1)]
    );
    clock.set_ms(t0 + 60_000);
    svc.send_groups().await.unwrap();
    let rows = db
        .read(move |c| q::list_deliveries(c, ch.id, None, 10))
        .await
        .unwrap();
    let group: serde_json::Value = serde_json::from_str(&rows[0].body).unwrap();
    assert_eq!(group["type"], "alert_group");
    assert_eq!(group["alert_id"], 3);
    assert_eq!(group["camera_id"], 5);
    assert_eq!(group["count"], 3, "{group}");
    assert!(
        group["title"]
            .as_str()
            .unwrap()
            .starts_with("cam5: 3 alerts"),
        "{group}"
    );
    // Nothing more to group: a quiet cooldown ends the chain.
    clock.set_ms(t0 + 130_000);
    svc.send_groups().await.unwrap();
    assert_eq!(svc.deliveries(ch.id, None, 10).await.unwrap().len(), 3);
    db.close().unwrap();
}
