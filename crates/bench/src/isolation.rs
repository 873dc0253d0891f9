//! `isolation`: does the API slow the recorders? N cameras record (default 16, 10 s segments, so
//! the index grows while it is read) for two windows of the same length: quiet, then with an API
//! client asking `/recordings` and `/cameras/{id}/timeline` at a fixed rate (default 200 a second,
//! alternating, every camera in turn). The baseline is the quiet window of the same run. Figures:
//! packets dropped at the recorders (the target: zero), the recorders' packet-arrival-to-write
//! latency (p50/p99, from `vigil_recorder_write_latency_seconds`; it includes the 200 ms batching
//! wait by design) and the API's own answer times.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use crate::{Rtsp, Vigil, bench_clip};

/// What /metrics says about the recorders at one moment.
#[derive(Clone, Default)]
pub(crate) struct Scrape {
    /// Cumulative count of writes at or under each bound (seconds), summed over cameras.
    buckets: BTreeMap<u64, u64>,
    /// Packets dropped at the recorders' queues, summed over cameras.
    dropped: u64,
}

/// The bound of a bucket as integer microseconds (a map key); +Inf is u64::MAX.
fn key(le: &str) -> Option<u64> {
    if le == "+Inf" {
        return Some(u64::MAX);
    }
    le.parse::<f64>().ok().map(|s| (s * 1e6).round() as u64)
}

fn label<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!("{name}=\""))? + name.len() + 2;
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

pub(crate) async fn scrape(v: &Vigil) -> Result<Scrape> {
    let text = v
        .http
        .get(format!("{}/api/v1/metrics", v.url))
        .bearer_auth(&v.token)
        .send()
        .await?
        .text()
        .await?;
    let mut s = Scrape::default();
    for line in text.lines() {
        let value = || line.rsplit(' ').next().and_then(|n| n.parse::<u64>().ok());
        if line.starts_with("vigil_recorder_write_latency_seconds_bucket{") {
            let k = label(line, "le")
                .and_then(key)
                .context("a bucket without le")?;
            *s.buckets.entry(k).or_default() += value().unwrap_or(0);
        } else if line.starts_with("vigil_consumer_dropped_packets_total{")
            && label(line, "consumer") == Some("recorder")
        {
            s.dropped += value().unwrap_or(0);
        }
    }
    Ok(s)
}

/// The smallest bucket bound under which `q` of the writes between `a` and `b` fell (an upper
/// bound of the quantile, at the buckets' resolution), in ms; and the count.
pub(crate) fn quantile(a: &Scrape, b: &Scrape, q: f64) -> (String, u64) {
    let delta: Vec<(u64, u64)> = b
        .buckets
        .iter()
        .map(|(k, n)| (*k, n - a.buckets.get(k).copied().unwrap_or(0)))
        .collect();
    let total = delta.last().map_or(0, |d| d.1);
    if total == 0 {
        return ("-".into(), 0);
    }
    let want = (total as f64 * q).ceil() as u64;
    let bound = delta
        .iter()
        .find(|(_, n)| *n >= want)
        .map_or(u64::MAX, |d| d.0);
    let text = if bound == u64::MAX {
        "> 10000 ms".to_string()
    } else {
        format!("≤ {} ms", bound / 1000)
    };
    (text, total)
}

struct Window {
    write_p50: String,
    write_p99: String,
    writes: u64,
    dropped: u64,
    api_answers: u64,
    api_errors: u64,
    api_p99_ms: f64,
}

/// Hammer the API at `rate` requests a second until `stop`, returning every answer's time.
async fn hammer(
    v: Arc<Vigil>,
    ids: Arc<Vec<i64>>,
    rate: u32,
    stop: Instant,
    errors: Arc<AtomicU64>,
) -> Vec<f64> {
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = vec![];
    let mut n = 0usize;
    while Instant::now() < stop {
        tick.tick().await;
        let id = ids[n % ids.len()];
        let path = if n.is_multiple_of(2) {
            format!("/api/v1/recordings?camera_id={id}&limit=100")
        } else {
            format!("/api/v1/cameras/{id}/timeline")
        };
        n += 1;
        let (v, errors) = (v.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let ok = v
                .http
                .get(format!("{}{path}", v.url))
                .bearer_auth(&v.token)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if !ok {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            t.elapsed().as_secs_f64() * 1000.0
        }));
    }
    let mut out = vec![];
    for t in tasks {
        if let Ok(ms) = t.await {
            out.push(ms);
        }
    }
    out
}

async fn window(
    v: &Arc<Vigil>,
    ids: &Arc<Vec<i64>>,
    seconds: u64,
    rate: Option<u32>,
) -> Result<Window> {
    let a = scrape(v).await?;
    let stop = Instant::now() + Duration::from_secs(seconds);
    let errors = Arc::new(AtomicU64::new(0));
    let mut api = match rate {
        Some(r) => hammer(v.clone(), ids.clone(), r, stop, errors.clone()).await,
        None => {
            tokio::time::sleep_until(stop.into()).await;
            vec![]
        }
    };
    let b = scrape(v).await?;
    let (write_p50, writes) = quantile(&a, &b, 0.50);
    let (write_p99, _) = quantile(&a, &b, 0.99);
    api.sort_by(f64::total_cmp);
    let api_p99_ms = api
        .get(((api.len() as f64 * 0.99).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    Ok(Window {
        write_p50,
        write_p99,
        writes,
        dropped: b.dropped - a.dropped,
        api_answers: api.len() as u64,
        api_errors: errors.load(Ordering::Relaxed),
        api_p99_ms,
    })
}

pub async fn run(cameras: usize, seconds: u64, rate: u32) -> Result<()> {
    let clip = bench_clip(2 * seconds + 90)?;
    let rtsp = Rtsp::start(&clip, cameras)?;
    let v = Arc::new(Vigil::start("segment_seconds = 10\n")?);
    let mut ids = vec![];
    for i in 0..cameras {
        let c = v
            .call(
                reqwest::Method::POST,
                "/api/v1/cameras",
                Some(json!({"name": format!("cam{i}"), "source": {"kind": "rtsp", "url": rtsp.url(i)}})),
            )
            .await?;
        ids.push(c["data"]["id"].as_i64().context("id")?);
    }
    v.wait_running(&ids).await?;
    // Let a few segments close, so the lists and timelines have rows to read.
    tokio::time::sleep(Duration::from_secs(25)).await;
    let ids = Arc::new(ids);
    eprintln!("== {cameras} cameras recording, quiet, {seconds} s");
    let quiet = window(&v, &ids, seconds, None).await?;
    eprintln!("== {cameras} cameras recording, API at {rate} requests/s, {seconds} s");
    let loaded = window(&v, &ids, seconds, Some(rate)).await?;
    drop(rtsp);

    println!(
        "\nisolation: {cameras} cameras recording; an API client at {rate} req/s on /recordings and /timeline"
    );
    println!(
        "{:<22} {:>10} {:>14} {:>14} {:>10} {:>12} {:>12}",
        "window", "writes", "write p50", "write p99", "dropped", "API answers", "API p99"
    );
    for (name, w) in [("quiet (baseline)", &quiet), ("API hammered", &loaded)] {
        println!(
            "{:<22} {:>10} {:>14} {:>14} {:>10} {:>12} {:>12}",
            name,
            w.writes,
            w.write_p50,
            w.write_p99,
            w.dropped,
            if w.api_answers == 0 {
                "-".to_string()
            } else {
                format!("{} ({} err)", w.api_answers, w.api_errors)
            },
            if w.api_answers == 0 {
                "-".to_string()
            } else {
                format!("{:.1} ms", w.api_p99_ms)
            },
        );
    }
    println!(
        "API rate reached: {:.0} req/s of {rate}; recorder drops while hammered: {} (target 0); write p99 {} vs {} quiet",
        loaded.api_answers as f64 / seconds as f64,
        loaded.dropped,
        loaded.write_p99,
        quiet.write_p99
    );
    Ok(())
}
