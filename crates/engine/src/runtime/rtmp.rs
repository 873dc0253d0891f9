//! The RTMP listener's questions: may this stream key publish, and here is its stream. A key
//! belongs to an enabled push camera; the publish goes to that camera's supervisor.

use std::sync::Arc;

use vigil_base::sync::lock;

use super::Runtimes;

impl Runtimes {
    /// Which running push camera has `stream_key`.
    pub fn publish_allowed(&self, stream_key: &str) -> std::result::Result<i64, String> {
        lock(&self.running)
            .iter()
            .find(|(_, r)| r.push().is_some_and(|(k, _)| k == stream_key))
            .map(|(id, _)| *id)
            .ok_or_else(|| "unknown or disabled stream key".into())
    }

    /// Hand an RTMP publish to the push camera with `stream_key`. Err(reason) refuses it.
    pub fn deliver_publish(
        &self,
        stream_key: &str,
        publish: vigil_ingest::Publish,
    ) -> std::result::Result<i64, String> {
        let running = lock(&self.running);
        for (id, r) in running.iter() {
            if let Some((key, q)) = r.push()
                && key == stream_key
            {
                q.offer(publish)?;
                return Ok(*id);
            }
        }
        Err("unknown or disabled stream key".into())
    }
}

/// Accepts publishes whose key belongs to an enabled push camera, and hands them over; each
/// accepted or refused publisher is in the audit log with its address (the key masked).
pub struct RtmpHandler(pub Arc<Runtimes>, pub vigil_auth::AuditLog);

impl vigil_rtmp::PublishHandler for RtmpHandler {
    fn authorize(&self, req: &vigil_rtmp::PublishRequest) -> std::result::Result<(), String> {
        use vigil_auth::{AuditAction, AuditEntry, AuditOutcome};
        let r = self.0.publish_allowed(&req.stream_key);
        let key = vigil_rtmp::mask_stream_key(&req.stream_key);
        let entry = match &r {
            Ok(id) => AuditEntry::by_actor("rtmp", AuditAction::RtmpPublishAccepted).camera(*id),
            Err(reason) => AuditEntry::by_actor("rtmp", AuditAction::RtmpPublishRefused)
                .outcome(AuditOutcome::Refused)
                .details(serde_json::json!({"reason": reason})),
        };
        self.1.record(
            entry
                .target(format!("key {key}"))
                .client(Some(req.peer.ip().to_string())),
        );
        r.map(|_| ())
    }

    fn on_publish(&self, publish: vigil_rtmp::Publish) {
        let key = vigil_rtmp::mask_stream_key(&publish.stream_key);
        let cancel = publish.reader.canceller();
        let p = vigil_ingest::Publish {
            reader: Box::new(publish.reader),
            cancel: Box::new(move || cancel.cancel()),
        };
        match self.0.deliver_publish(&publish.stream_key, p) {
            Ok(id) => {
                tracing::info!(camera_id = id, key = %key, peer = %publish.peer, "RTMP publish started")
            }
            Err(reason) => {
                tracing::warn!(key = %key, peer = %publish.peer, %reason, "RTMP publish dropped")
            }
        }
    }
}
