//! The engine's Prometheus metrics, read from the components that own the numbers at scrape time
//! (a `prometheus-client` collector registered in the API's registry): streams and recorders
//! (`Runtimes`), live view (`LiveService`), detection, alerts and notifications, the database
//! writer. Nothing is kept twice: the counters are the components' own atomics.

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::Ordering;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;

use vigil_engine::Engine;

type Labels = Vec<(Cow<'static, str>, Cow<'static, str>)>;

/// Reads the engine's components on each scrape. Blocking (a database read): encode on a
/// blocking thread.
pub struct EngineCollector(pub Engine);

impl fmt::Debug for EngineCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EngineCollector")
    }
}

fn camera(id: i64) -> Labels {
    vec![("camera".into(), id.to_string().into())]
}

fn with(mut l: Labels, k: &'static str, v: impl Into<Cow<'static, str>>) -> Labels {
    l.push((k.into(), v.into()));
    l
}

fn counters(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    rows: impl IntoIterator<Item = (Labels, u64)>,
) -> fmt::Result {
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Counter)?;
    for (labels, v) in rows {
        ConstCounter::new(v).encode(m.encode_family(&labels)?)?;
    }
    Ok(())
}

fn gauges(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    rows: impl IntoIterator<Item = (Labels, i64)>,
) -> fmt::Result {
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, v) in rows {
        ConstGauge::new(v).encode(m.encode_family(&labels)?)?;
    }
    Ok(())
}

impl Collector for EngineCollector {
    fn encode(&self, mut enc: DescriptorEncoder) -> fmt::Result {
        let e = &self.0;
        let enc = &mut enc;
        gauges(
            enc,
            "vigil_build_info",
            "Build information.",
            [(
                vec![("version".into(), env!("CARGO_PKG_VERSION").into())],
                1,
            )],
        )?;
        let by_status = e.cameras_by_status().unwrap_or_default();
        gauges(
            enc,
            "vigil_cameras",
            "Cameras by stream status.",
            by_status
                .into_iter()
                .map(|(s, n)| (vec![("status".into(), s.into())], n)),
        )?;
        gauges(
            enc,
            "vigil_credential_store_info",
            "The credential store in use.",
            [(
                vec![(
                    "backend".into(),
                    e.credentials().backend_name().to_string().into(),
                )],
                1,
            )],
        )?;

        let streams = e.runtimes().counters();
        gauges(
            enc,
            "vigil_streams_running",
            "Cameras with a live upstream connection.",
            [(vec![], streams.len() as i64)],
        )?;
        let per = |f: fn(&vigil_engine::runtime::StreamCounters) -> u64| {
            streams
                .iter()
                .map(move |c| (camera(c.camera_id), f(c)))
                .collect::<Vec<_>>()
        };
        counters(
            enc,
            "vigil_stream_packets",
            "Packets read per camera.",
            per(|c| c.packets),
        )?;
        counters(
            enc,
            "vigil_stream_bytes",
            "Bytes read per camera.",
            per(|c| c.bytes),
        )?;
        counters(
            enc,
            "vigil_stream_reconnects",
            "Reconnections per camera.",
            per(|c| c.reconnects),
        )?;
        counters(
            enc,
            "vigil_recorded_bytes",
            "Bytes written to segment files per camera.",
            per(|c| c.recorded_bytes),
        )?;
        counters(
            enc,
            "vigil_recorder_syncs",
            "fsyncs of segment files per camera (each followed by an index update).",
            per(|c| c.recorder_syncs),
        )?;
        counters(
            enc,
            "vigil_recorder_over_ceiling_packets",
            "Packets not recorded because the camera sent more than the bitrate ceiling.",
            per(|c| c.recorder_over_ceiling),
        )?;
        {
            use vigil_engine::runtime::LATENCY_BOUNDS_MS;
            let mut m = enc.encode_descriptor(
                "vigil_recorder_write_latency_seconds",
                "Packet arrival to its write into the segment file, per camera (queue, batching and write).",
                None,
                MetricType::Histogram,
            )?;
            for c in &streams {
                let (counts, sum_ms) = c.recorder_latency;
                let buckets: Vec<(f64, u64)> = counts
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        let le = LATENCY_BOUNDS_MS
                            .get(i)
                            .map_or(f64::INFINITY, |b| *b as f64 / 1000.0);
                        (le, *n)
                    })
                    .collect();
                m.encode_family(&camera(c.camera_id))?
                    .encode_histogram::<NoLabelSet>(
                        sum_ms as f64 / 1000.0,
                        counts.iter().sum(),
                        &buckets,
                        None,
                    )?;
            }
        }
        counters(
            enc,
            "vigil_consumer_dropped_packets",
            "Packets a consumer's queue dropped (it fell behind), per camera and consumer.",
            streams.iter().flat_map(|c| {
                c.dropped
                    .iter()
                    .map(move |(name, n)| (with(camera(c.camera_id), "consumer", *name), *n))
            }),
        )?;

        let live = e.live().counters();
        gauges(
            enc,
            "vigil_live_viewers",
            "Live viewers per camera and kind (hls: 1 while HLS is being fetched).",
            live.iter().flat_map(|c| {
                [
                    ("mse", c.viewers.mse),
                    ("hls", c.viewers.hls),
                    ("mjpeg", c.viewers.mjpeg),
                ]
                .map(|(kind, n)| (with(camera(c.camera_id), "kind", kind), n as i64))
            }),
        )?;
        gauges(
            enc,
            "vigil_live_decoding",
            "1 while a camera's MJPEG decode runs.",
            live.iter()
                .map(|c| (camera(c.camera_id), i64::from(c.mjpeg_decoding))),
        )?;
        gauges(
            enc,
            "vigil_live_fmp4_running",
            "1 while a camera's MSE/HLS stream copy runs.",
            live.iter()
                .map(|c| (camera(c.camera_id), i64::from(c.fmp4_running))),
        )?;
        counters(
            enc,
            "vigil_live_frames_decoded",
            "Frames decoded for live view per camera.",
            live.iter().map(|c| (camera(c.camera_id), c.frames_decoded)),
        )?;
        counters(
            enc,
            "vigil_live_fragments",
            "fMP4 fragments made for MSE and HLS per camera.",
            live.iter().map(|c| (camera(c.camera_id), c.fragments)),
        )?;
        counters(
            enc,
            "vigil_live_viewer_skips",
            "Times a slow live viewer skipped ahead to a keyframe, per camera.",
            live.iter().map(|c| (camera(c.camera_id), c.skips)),
        )?;

        let open = e.unacknowledged_alerts().unwrap_or(0);
        gauges(
            enc,
            "vigil_alerts_unacknowledged",
            "Alerts nobody has acknowledged yet.",
            [(vec![], open)],
        )?;
        let n = e.alerts().notification_stats();
        counters(
            enc,
            "vigil_notifications_shown",
            "Desktop notifications shown.",
            [(vec![], n.shown)],
        )?;
        counters(
            enc,
            "vigil_notifications_failed",
            "Desktop notifications that could not be shown.",
            [(vec![], n.failed)],
        )?;

        let d = e.detection().status();
        gauges(
            enc,
            "vigil_detection_ready",
            "1 when object detection is running.",
            [(vec![], i64::from(d.state == "ready"))],
        )?;
        let cams = &d.cameras;
        let per_cam = |f: fn(&vigil_engine::detection::CameraDetectionStats) -> u64| {
            cams.iter()
                .map(move |c| (camera(c.camera_id), f(c)))
                .collect::<Vec<_>>()
        };
        counters(
            enc,
            "vigil_detection_frames_sampled",
            "Frames taken at detect_fps.",
            per_cam(|c| c.frames_sampled),
        )?;
        counters(
            enc,
            "vigil_detection_frames_still",
            "Sampled frames not analysed because nothing moved.",
            per_cam(|c| c.frames_still),
        )?;
        counters(
            enc,
            "vigil_detection_frames_dropped_busy",
            "Frames not analysed because the camera or the pool was busy.",
            per_cam(|c| c.frames_dropped_busy),
        )?;
        counters(
            enc,
            "vigil_detection_inferences",
            "Model runs.",
            per_cam(|c| c.inferences),
        )?;
        counters(
            enc,
            "vigil_detections",
            "Sightings stored.",
            per_cam(|c| c.detections),
        )?;
        counters(
            enc,
            "vigil_detection_events",
            "Tracked objects confirmed.",
            per_cam(|c| c.events),
        )?;
        gauges(
            enc,
            "vigil_detection_latency_ms",
            "Latest frame-arrival-to-result time.",
            cams.iter()
                .map(|c| (camera(c.camera_id), c.last_latency_ms as i64)),
        )?;

        let w = e.db().writer_stats();
        let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        counters(
            enc,
            "vigil_db_writer_ops",
            "Index updates handed to the database writer, by outcome.",
            [
                (vec![("outcome".into(), "queued".into())], load(&w.queued)),
                (vec![("outcome".into(), "written".into())], load(&w.written)),
                (vec![("outcome".into(), "dropped".into())], load(&w.dropped)),
            ],
        )?;
        counters(
            enc,
            "vigil_db_writer_batches",
            "Transactions the database writer committed.",
            [(vec![], load(&w.batches))],
        )?;
        counters(
            enc,
            "vigil_db_writer_failed_batches",
            "Batches that failed and were retried op by op.",
            [(vec![], load(&w.failed_batches))],
        )?;
        gauges(
            enc,
            "vigil_db_writer_pending_retry",
            "Index updates waiting to be retried (a full disk under the database).",
            [(vec![], load(&w.pending_retry) as i64)],
        )?;
        gauges(
            enc,
            "vigil_db_writer_max_batch_microseconds",
            "Longest batch commit so far.",
            [(vec![], load(&w.max_batch_us) as i64)],
        )?;

        if let Ok(st) = e.storage().metrics() {
            let tier = |n: &str| -> Labels { vec![("tier".into(), n.to_string().into())] };
            gauges(
                enc,
                "vigil_storage_tier_bytes",
                "Bytes of footage the index holds per tier.",
                st.usage.iter().map(|u| (tier(&u.tier), u.bytes)),
            )?;
            gauges(
                enc,
                "vigil_storage_tier_free_bytes",
                "Free bytes on each tier's filesystem.",
                st.tiers
                    .iter()
                    .map(|t| (tier(&t.name), t.free_bytes as i64)),
            )?;
            gauges(
                enc,
                "vigil_storage_tier_reserve_bytes",
                "Free space each tier keeps (configured or default).",
                st.tiers
                    .iter()
                    .map(|t| (tier(&t.name), t.reserve_free_bytes as i64)),
            )?;
            gauges(
                enc,
                "vigil_storage_tier_online",
                "1 when a tier's identity file is there.",
                st.tiers
                    .iter()
                    .map(|t| (tier(&t.name), i64::from(t.online))),
            )?;
            let kind = |moved: bool| if moved { "move" } else { "delete" };
            counters(
                enc,
                "vigil_storage_ops",
                "Segments moved or deleted, by kind and reason.",
                st.done.iter().map(|(m, r, n, _)| {
                    (
                        vec![
                            ("kind".into(), kind(*m).into()),
                            ("reason".into(), r.as_str().into()),
                        ],
                        (*n).max(0) as u64,
                    )
                }),
            )?;
            counters(
                enc,
                "vigil_storage_op_bytes",
                "Bytes moved or deleted, by kind and reason.",
                st.done.iter().map(|(m, r, _, b)| {
                    (
                        vec![
                            ("kind".into(), kind(*m).into()),
                            ("reason".into(), r.as_str().into()),
                        ],
                        (*b).max(0) as u64,
                    )
                }),
            )?;
            gauges(
                enc,
                "vigil_storage_journal_ops",
                "Moves and deletions under way or waiting for an offline tier.",
                [(vec![], st.journal as i64)],
            )?;
            // Mover lag: how long since the mover last finished a pass (a pass runs at least
            // every check_interval, at once when a tier is short of space).
            gauges(
                enc,
                "vigil_storage_last_pass_age_seconds",
                "Seconds since the last maintenance pass finished (-1: none yet).",
                [(
                    vec![],
                    st.last_pass_ms
                        .map_or(-1, |at| (e.now_ms() - at).max(0) / 1000),
                )],
            )?;
        }
        Ok(())
    }
}
