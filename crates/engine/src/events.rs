//! The event bus: every change the UI or an integration may care about, as JSON messages
//! `{"type": "...", "camera_id": ..., "at": ..., ...}` on a broadcast channel. A slow subscriber
//! misses old events (it is told how many) and never holds up the publisher.

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::broadcast;
use utoipa::ToSchema;

/// One event as sent on `/api/v1/events`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Event {
    /// `camera:created`, `camera:updated`, `camera:deleted`, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub camera_id: Option<i64>,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    /// Type-specific fields, flattened into the message.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub data: serde_json::Map<String, serde_json::Value>,
}

impl Event {
    pub fn new(kind: impl Into<String>, camera_id: Option<i64>, at_ms: i64) -> Self {
        Event {
            kind: kind.into(),
            camera_id,
            at: vigil_base::format_rfc3339_ms(at_ms),
            data: serde_json::Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        if let Ok(v) = serde_json::to_value(value) {
            self.data.insert(key.to_string(), v);
        }
        self
    }
}

#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<Event>>,
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity);
        EventBus { tx }
    }

    pub fn publish(&self, event: Event) {
        tracing::debug!(kind = %event.kind, camera_id = ?event.camera_id, "event");
        // No subscribers is fine: nobody is listening.
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }

    pub fn subscriber_count(&self) -> usize {
        self.tx.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_events_and_laggers_are_told() {
        let bus = EventBus::new(2);
        let mut rx = bus.subscribe();
        for i in 0..4 {
            bus.publish(Event::new("camera:updated", Some(i), 0).with("n", i));
        }
        match rx.recv().await {
            Err(broadcast::error::RecvError::Lagged(n)) => assert_eq!(n, 2),
            other => panic!("expected lag, got {other:?}"),
        }
        let e = rx.recv().await.unwrap();
        assert_eq!(e.camera_id, Some(2));
        let json = serde_json::to_value(&*e).unwrap();
        assert_eq!(json["type"], "camera:updated");
        assert_eq!(json["n"], 2);
        assert_eq!(json["at"], "1970-01-01T00:00:00.000Z");
    }
}
