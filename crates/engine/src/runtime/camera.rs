//! One running camera: its supervisor, its recorder thread, its RTMP publish queue, and the rates
//! of its last heartbeat. It reports through the database writer and the event bus it was given,
//! never back through the engine.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use vigil_base::{Clock, Result};
use vigil_db::WriteOp;
use vigil_ingest::{
    CameraSupervisor, FileOpener, PublishQueue, PushOpener, SourceOpener, StatusSink, StreamState,
};
use vigil_record::writer::{RecorderConfig, RecorderEvent, RecorderStats, SegmentWriter};

use super::Runtimes;
use crate::alerts::AlertService;
use crate::cameras::{Camera, CameraStatus, Source};
use crate::events::{EventBody, EventBus};

pub struct CameraRuntime {
    supervisor: CameraSupervisor,
    /// The sub-stream's own connection (what it was started from, and it), when the camera has
    /// one: grid tiles and detection read it, sharing it as they share the main one.
    sub: Option<(String, CameraSupervisor)>,
    recorder: Option<JoinHandle<()>>,
    recorder_stats: Arc<RecorderStats>,
    /// What it was started with; a change restarts it.
    fingerprint: String,
    push: Option<(String, PublishQueue)>,
    /// Frames, bytes and when, at the last heartbeat.
    last_beat: Option<(u64, u64, Instant)>,
}

/// What a running camera depends on: a change of any restarts it.
pub(super) fn fingerprint(c: &Camera) -> String {
    format!(
        "{:?}|{}|{}",
        c.source,
        c.username.as_deref().unwrap_or(""),
        c.recording_enabled
    )
}

impl CameraRuntime {
    pub(super) fn start(rt: &Runtimes, cam: &Camera) -> Result<CameraRuntime> {
        let (opener, push): (Arc<dyn SourceOpener>, _) = match &cam.source {
            Source::Rtsp { url, transport } => (
                rt.rtsp_opener(cam.id, url, *transport, cam.username.clone()),
                None,
            ),
            Source::Onvif {
                address,
                main_profile,
                transport,
                ..
            } => (
                rt.onvif_opener(
                    cam.id,
                    address,
                    main_profile,
                    *transport,
                    cam.username.clone(),
                ),
                None,
            ),
            Source::File { path } => (Arc::new(FileOpener { path: path.into() }), None),
            Source::RtmpPush { stream_key, .. } => {
                let q = PublishQueue::default();
                (
                    Arc::new(PushOpener { queue: q.clone() }),
                    Some((stream_key.clone(), q)),
                )
            }
        };
        let sink = Arc::new(StatusReporter {
            db: rt.db.writer().clone(),
            events: rt.events.clone(),
            clock: rt.clock.clone(),
        });
        // Where the camera's recordings end, read before the supervisor starts so the recorder
        // never reads the database: after the writer committed what an earlier recorder said.
        let last_end = if cam.recording_enabled {
            let id = cam.id;
            rt.db.flush_blocking()?;
            rt.db
                .read_blocking(|c| vigil_db::recordings::last_end_ms(c, id))?
        } else {
            None
        };
        let supervisor = CameraSupervisor::start(
            cam.id,
            opener,
            rt.settings.ingest.clone(),
            sink,
            rt.clock.clone(),
        );
        let recorder_stats = Arc::new(RecorderStats::default());
        let recorder = if cam.recording_enabled {
            // Big enough for ~40 s of a 25 fps camera: the recorder never falls that far behind.
            let feed = supervisor.subscribe("recorder", 1024);
            let mut cfg = RecorderConfig::new(rt.root.clone());
            cfg.segment_ms = rt.settings.segment_ms;
            cfg.sync_interval_ms = rt.settings.sync_interval_ms;
            cfg.max_bitrate_bps = rt.settings.max_bitrate_bps;
            cfg.min_free_bytes = rt.settings.min_free_bytes;
            let writer = SegmentWriter::new(
                cam.id,
                cfg,
                rt.db.clone(),
                rt.clock.clone(),
                recorder_stats.clone(),
                recorder_events(
                    cam.id,
                    rt.events.clone(),
                    rt.alerts.clone(),
                    rt.storage.clone(),
                ),
            )
            .resume_after(last_end);
            std::thread::Builder::new()
                .name(format!("record-{}", cam.id))
                .spawn(move || writer.run(feed))
                .ok()
        } else {
            None
        };
        Ok(CameraRuntime {
            supervisor,
            sub: None,
            recorder,
            recorder_stats,
            fingerprint: fingerprint(cam),
            push,
            last_beat: None,
        })
    }

    /// A camera that publishes to Vigil (RTMP push) rather than being pulled.
    pub fn is_push(&self) -> bool {
        self.push.is_some()
    }

    pub fn supervisor(&self) -> &CameraSupervisor {
        &self.supervisor
    }

    pub fn sub_supervisor(&self) -> Option<&CameraSupervisor> {
        self.sub.as_ref().map(|(_, s)| s)
    }

    /// The connection of `stream`: the sub-stream's, else (none) the main one.
    pub fn stream(&self, stream: vigil_live::StreamSel) -> &CameraSupervisor {
        match stream {
            vigil_live::StreamSel::Sub => self.sub_supervisor().unwrap_or(&self.supervisor),
            vigil_live::StreamSel::Main => &self.supervisor,
        }
    }

    /// Run the sub-stream `opener` says (none: stop it), restarting it only when it changed.
    pub(super) fn sync_sub(
        &mut self,
        rt: &Runtimes,
        camera_id: i64,
        opener: Option<Arc<dyn SourceOpener>>,
    ) {
        let want = opener.as_ref().map(|o| o.describe());
        if want.as_deref() == self.sub.as_ref().map(|(d, _)| d.as_str()) {
            return;
        }
        if let Some((_, old)) = self.sub.take() {
            old.stop();
        }
        if let (Some(opener), Some(desc)) = (opener, want) {
            let sup = CameraSupervisor::start(
                camera_id,
                opener,
                rt.settings.ingest.clone(),
                Arc::new(SubStatus),
                rt.clock.clone(),
            );
            self.sub = Some((desc, sup));
        }
    }

    pub fn recorder_stats(&self) -> &RecorderStats {
        &self.recorder_stats
    }

    pub(super) fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The stream key and queue of a push camera.
    pub(super) fn push(&self) -> Option<&(String, PublishQueue)> {
        self.push.as_ref()
    }

    /// Frames a second and kbit/s since the last call (the first call: since the start).
    pub(super) fn rates(&mut self, frames: u64, bytes: u64, now: Instant) -> (f64, f64) {
        let (f0, b0, t0) = self.last_beat.unwrap_or((0, 0, now));
        self.last_beat = Some((frames, bytes, now));
        let dt = now.saturating_duration_since(t0).as_secs_f64();
        if dt <= 0.0 {
            return (0.0, 0.0);
        }
        let fps = (frames.saturating_sub(f0) as f64 / dt * 10.0).round() / 10.0;
        let kbps = (bytes.saturating_sub(b0) as f64 * 8.0 / dt / 1000.0).round();
        (fps, kbps)
    }

    pub(super) fn request_stop(&self) {
        self.supervisor.request_stop();
        if let Some((_, s)) = &self.sub {
            s.request_stop();
        }
    }

    /// Stop the supervisor and wait for the recorder to close its segment, at most `wait`;
    /// false if it did not finish in time (it goes on in the background).
    pub(super) fn stop_within(self, wait: Duration) -> bool {
        let CameraRuntime {
            supervisor,
            sub,
            recorder,
            ..
        } = self;
        let (tx, rx) = std::sync::mpsc::channel();
        let joiner = std::thread::spawn(move || {
            if let Some((_, s)) = sub {
                s.stop();
            }
            supervisor.stop();
            if let Some(h) = recorder {
                let _ = h.join();
            }
            let _ = tx.send(());
        });
        if rx.recv_timeout(wait).is_ok() {
            let _ = joiner.join();
            true
        } else {
            false
        }
    }
}

/// A sub-stream's states: only logged (the camera's status is its main stream's).
struct SubStatus;

impl StatusSink for SubStatus {
    fn state_changed(&self, camera_id: i64, state: StreamState, detail: Option<&str>) {
        tracing::debug!(camera_id, ?state, detail, "sub-stream state");
    }
}

/// A supervisor's states: stored as the camera's status (queued for the database writer; the
/// supervisor never waits) and announced once readers can see it.
struct StatusReporter {
    db: vigil_db::DbWriter,
    events: EventBus,
    clock: Arc<dyn Clock>,
}

impl StatusSink for StatusReporter {
    fn state_changed(&self, camera_id: i64, state: StreamState, detail: Option<&str>) {
        let status = CameraStatus::from(state);
        let events = self.events.clone();
        let detail = detail.map(String::from);
        self.db.send_then(
            WriteOp::CameraStatus {
                camera_id,
                status: status.as_str().into(),
                at_ms: self.clock.now_ms(),
            },
            move || events.emit(Some(camera_id), EventBody::StreamStatus { status, detail }),
        );
    }
}

/// What a recorder says becomes events (and, for a failure, an alert that never makes the
/// recorder wait).
fn recorder_events(
    camera_id: i64,
    events: EventBus,
    alerts: Arc<AlertService>,
    storage: vigil_storage::Storage,
) -> vigil_record::writer::Notify {
    Arc::new(move |ev| {
        let body = match ev {
            RecorderEvent::SegmentStarted {
                recording_id,
                start_ms,
            } => EventBody::RecordingStarted {
                recording_id,
                start_ms,
            },
            RecorderEvent::SegmentFinished {
                recording_id,
                start_ms,
                end_ms,
                bytes,
            } => {
                // The cached state of the last check (≤ 30 s old): no filesystem call here.
                if storage.short_of_space() {
                    storage.poke();
                }
                EventBody::RecordingSegment {
                    recording_id,
                    start_ms,
                    end_ms,
                    bytes,
                }
            }
            RecorderEvent::ClockJump { jump_ms } => EventBody::RecordingClockJump { jump_ms },
            RecorderEvent::BitrateExceeded { limit_bps } => {
                let message = format!(
                    "the camera sends more than {} Mbit/s; the excess is not recorded",
                    limit_bps / 1_000_000
                );
                alerts.recording_failed(camera_id, &message, false);
                EventBody::RecordingFailed {
                    message,
                    storage_full: false,
                }
            }
            RecorderEvent::Failed {
                message,
                storage_full,
            } => {
                if storage_full {
                    storage.poke();
                }
                alerts.recording_failed(camera_id, &message, storage_full);
                EventBody::RecordingFailed {
                    message,
                    storage_full,
                }
            }
        };
        events.emit(Some(camera_id), body);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;

    #[tokio::test]
    async fn supervisor_states_are_stored_then_announced() {
        let t = testutil::engine();
        let cam = testutil::camera(&t, "Gate").await;
        let mut rx = t.engine.events().subscribe();
        let reporter = StatusReporter {
            db: t.engine.db().writer().clone(),
            events: t.engine.events().clone(),
            clock: t.engine.clock().clone(),
        };
        reporter.state_changed(cam.id, StreamState::Running, Some("h264 640x360"));
        let ev = rx.recv().await.unwrap();
        // Announced once stored: a reader sees the state the event names.
        assert_eq!(
            t.engine.cameras().get(cam.id).await.unwrap().status,
            CameraStatus::Running
        );
        match &ev.body {
            EventBody::StreamStatus { status, detail } => {
                assert_eq!(*status, CameraStatus::Running);
                assert_eq!(detail.as_deref(), Some("h264 640x360"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(ev.camera_id, Some(cam.id));
    }
}
