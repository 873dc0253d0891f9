//! `live`: live view against the real `vigil serve` and a real GStreamer RTSP source.
//!
//! 1. Glass-to-glass latency. The `clock` source of tests/support/rtsp_server.py makes 1280x720
//!    25 fps frames in Python, each showing the wall clock at the moment it was made as a block
//!    code, and encodes them live with x264 (zerolatency, GOP 1 s). The bench reads the code back
//!    from the pictures it receives — MJPEG JPEGs decoded in Rust, MSE fragments and HLS segments
//!    decoded by FFmpeg (`vigil_media::VideoDecoder`) — and takes wall clock at decode − the time in
//!    the picture. For HLS: the age of a new segment's last frame when the playlist first lists
//!    it, and what a player at hls.js's default live position (3 target durations behind the
//!    edge) shows at that moment.
//! 2. Time to first frame for a new viewer of a warm camera (an MSE viewer already connected).
//! 3. Server CPU (/proc/PID/stat) for 16 cameras of a 1080p clip, recording only and then with one
//!    MSE viewer per camera; and one against two MJPEG viewers at medium on one camera.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::{Rtsp, Vigil, fmp4, procstat, stamp};

mod cpu;
mod latency;
mod ttff;

use cpu::cpu_part;
use latency::{hls_latency, mjpeg_latency, mse_latency};
use ttff::ttff_part;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What to run and how much (the `live` subcommand's options).
pub struct Options {
    pub parts: Vec<String>,
    pub mjpeg_frames: usize,
    pub mse_frames: usize,
    pub hls_segments: usize,
    pub ttff_runs: usize,
    pub cameras: usize,
    pub cpu_seconds: u64,
}

/// Targets of the live-view issue (see docs/benchmarks.md).
const MJPEG_TARGET_MS: f64 = 300.0;
const MSE_TARGET_MS: f64 = 1000.0;
const HLS_TARGET_MS: f64 = 6000.0;
const TTFF_TARGET_MS: f64 = 500.0;
const MSE_CPU_TARGET_PCT: f64 = 10.0;

/// Frames received in the first seconds of a connection are not counted: an MSE viewer starts with
/// the cached GOP (old by design), and any viewer with the connection's start-up.
const WARMUP: Duration = Duration::from_secs(2);

/// Wall clock, ms since the Unix epoch (CLOCK_REALTIME, as the Python source reads it).
pub(crate) fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Median, p95 (nearest rank) and max of a sample.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stats {
    pub n: usize,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

pub(crate) fn stats(v: &[f64]) -> Stats {
    if v.is_empty() {
        return Stats::default();
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = |p: f64| s[((p * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1];
    Stats {
        n: s.len(),
        median: if s.len() % 2 == 1 {
            s[s.len() / 2]
        } else {
            (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0
        },
        p95: rank(0.95),
        max: s[s.len() - 1],
    }
}

pub(crate) fn verdict(value: f64, target: f64) -> &'static str {
    if value <= target {
        "met"
    } else {
        "**not met**"
    }
}

/// Deterministic pseudo-random pauses, so that connections land at all phases of the GOP.
struct Jitter(u64);

impl Jitter {
    fn next_ms(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        lo + self.0 % (hi - lo)
    }
}

pub(crate) async fn ws_connect(v: &Vigil, path: &str) -> Result<Ws> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{path}{sep}token={}",
        v.url.replacen("http://", "ws://", 1),
        v.token
    );
    match tokio_tungstenite::connect_async(url.as_str()).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            let body = resp
                .body()
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            bail!("WebSocket {path}: HTTP {} {body}", resp.status())
        }
        Err(e) => bail!("WebSocket {path}: {e}"),
    }
}

/// Next message with a deadline; a close frame or the end of the socket is an error that says so.
pub(crate) async fn ws_next(ws: &mut Ws, what: &str, timeout: Duration) -> Result<Message> {
    match tokio::time::timeout(timeout, ws.next()).await {
        Err(_) => bail!("{what}: nothing for {} s", timeout.as_secs()),
        Ok(None) => bail!("{what}: socket ended"),
        Ok(Some(Err(e))) => bail!("{what}: {e}"),
        Ok(Some(Ok(Message::Close(c)))) => bail!("{what}: closed by the server: {c:?}"),
        Ok(Some(Ok(m))) => Ok(m),
    }
}

async fn ws_close(mut ws: Ws) {
    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(None)).await;
}

/// An MSE viewer that decodes what it gets.
struct MseClient {
    ws: Ws,
    dec: Option<fmp4::Decoder>,
    /// `{"type":"skip"}` messages seen.
    skips: u64,
    /// Init segments seen.
    inits: u64,
    /// Binary messages that were neither an init nor a fragment with video samples.
    odd: u64,
}

/// One decoded picture: the time in it (None if unreadable) and the wall clock after its decode.
#[derive(Clone, Copy, Debug)]
struct Picture {
    code: Option<i64>,
    decoded_ms: f64,
    /// Wall clock when the message carrying it arrived.
    received_ms: f64,
}

impl MseClient {
    async fn connect(v: &Vigil, id: i64) -> Result<MseClient> {
        let ws = ws_connect(v, &format!("/api/v1/cameras/{id}/stream/mse")).await?;
        Ok(MseClient {
            ws,
            dec: None,
            skips: 0,
            inits: 0,
            odd: 0,
        })
    }

    /// Reads one message; returns the pictures it decoded to (often none: text, init).
    async fn next(&mut self) -> Result<Vec<Picture>> {
        let m = ws_next(&mut self.ws, "MSE", Duration::from_secs(10)).await?;
        let received_ms = now_ms();
        match m {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
                match v["type"].as_str() {
                    Some("init") => self.dec = None,
                    Some("skip") => {
                        self.skips += 1;
                        if let Some(d) = self.dec.take() {
                            // The next fragment is a keyframe: start its decode afresh.
                            self.dec = Some(fmp4::Decoder::new(d.track().clone())?);
                        }
                    }
                    _ => {}
                }
                Ok(vec![])
            }
            Message::Binary(b) => {
                if fmp4::is_init(&b) {
                    self.inits += 1;
                    self.dec = Some(fmp4::Decoder::new(fmp4::parse_init(&b)?)?);
                    return Ok(vec![]);
                }
                let dec = self
                    .dec
                    .as_mut()
                    .context("MSE: a fragment before any init segment")?;
                let samples = fmp4::samples(&b, dec.track())?;
                if samples.is_empty() {
                    self.odd += 1;
                }
                let mut out = vec![];
                for s in &samples {
                    dec.decode(s, |f| {
                        out.push(Picture {
                            code: stamp::read_frame(f),
                            decoded_ms: now_ms(),
                            received_ms,
                        })
                    })?;
                }
                Ok(out)
            }
            _ => Ok(vec![]),
        }
    }
}

/// Next JPEG of an MJPEG socket (text messages skipped).
async fn mjpeg_next(ws: &mut Ws) -> Result<bytes::Bytes> {
    loop {
        if let Message::Binary(b) = ws_next(ws, "MJPEG", Duration::from_secs(10)).await? {
            if !b.starts_with(&[0xFF, 0xD8]) {
                bail!("MJPEG: a binary message that is not a JPEG");
            }
            return Ok(b);
        }
    }
}

pub async fn run(o: &Options) -> Result<()> {
    let want = |p: &str| o.parts.iter().any(|x| x == p || x == "all");
    let mut out = String::new();
    if want("latency") || want("ttff") {
        out += &clock_camera_parts(o, want("latency"), want("ttff")).await?;
    }
    if want("cpu") {
        out += &cpu_part(o).await?;
    }
    println!("{out}");
    Ok(())
}

async fn add_camera(v: &Vigil, name: &str, url: &str) -> Result<i64> {
    let c = v
        .call(
            reqwest::Method::POST,
            "/api/v1/cameras",
            Some(json!({"name": name, "source": {"kind": "rtsp", "url": url}})),
        )
        .await?;
    c["data"]["id"].as_i64().context("camera id")
}

/// Latency and time to first frame, on one camera of the clock source.
async fn clock_camera_parts(o: &Options, latency: bool, ttff: bool) -> Result<String> {
    eprintln!("== clock source (1280x720 25 fps, x264 zerolatency, GOP 25) and vigil serve");
    let rtsp = Rtsp::start_specs(&["clock=clock:1280x720".to_string()])?;
    let v = Vigil::start("segment_seconds = 60\n")?;
    let id = add_camera(&v, "clock", &rtsp.mount_url("clock")).await?;
    v.wait_running(&[id]).await?;
    let info = v
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/cameras/{id}/stream/info"),
            None,
        )
        .await?;
    eprintln!("   stream/info: {}", info["data"]);
    let mut s = String::new();
    if latency {
        // Start HLS now (the first request starts it; it runs while asked for within 30 s) so
        // that its playlist is full, as in steady state, when its part begins.
        let (http, url, token) = (
            v.http.clone(),
            format!("{}/api/v1/cameras/{id}/hls/live.m3u8", v.url),
            v.token.clone(),
        );
        let hls_keepalive = tokio::spawn(async move {
            loop {
                let _ = http.get(&url).bearer_auth(&token).send().await;
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        });
        let mjpeg = mjpeg_latency(&v, id, o.mjpeg_frames).await?;
        let mse = mse_latency(&v, id, o.mse_frames).await?;
        hls_keepalive.abort();
        let hls = hls_latency(&v, id, o.hls_segments).await?;
        s += "\nGlass-to-glass latency: 1280x720 25 fps H.264 (x264 zerolatency, GOP 1 s) from a local \
             GStreamer RTSP server, each frame showing the wall clock when it was made; latency = wall \
             clock once the bench has decoded the frame − the time in it (same machine, same clock). \
             Targets are judged on p95.\n\n\
             | path | samples | median ms | p95 ms | max ms | target | unreadable |\n|---|---|---|---|---|---|---|\n";
        let row = |name: &str, st: Stats, target: Option<f64>, bad: usize| {
            format!(
                "| {name} | {} | {:.0} | {:.0} | {:.0} | {} | {bad} |\n",
                st.n,
                st.median,
                st.p95,
                st.max,
                match target {
                    Some(t) => format!("≤ {t:.0} ms: {}", verdict(st.p95, t)),
                    None => "—".into(),
                }
            )
        };
        s += &row(
            "MJPEG medium (JPEG decoded in Rust)",
            stats(&mjpeg.lat),
            Some(MJPEG_TARGET_MS),
            mjpeg.unreadable,
        );
        s += &row(
            "MSE (fMP4 fragments, FFmpeg decode)",
            stats(&mse.lat),
            Some(MSE_TARGET_MS),
            mse.unreadable,
        );
        s += &row(
            "HLS: newest segment's last frame, age when first listed",
            stats(&hls.edge_age),
            None,
            hls.unreadable,
        );
        s += &row(
            "HLS: player at hls.js default live position (3 × target duration back)",
            stats(&hls.player),
            Some(HLS_TARGET_MS),
            hls.unreadable,
        );
        s += &row(
            "HLS: player with Vigil's UI setting (liveSyncDurationCount 2)",
            stats(&hls.player_ui),
            None,
            hls.unreadable,
        );
        s += &format!(
            "\nMJPEG: {:.1} fps, {}x{}; on arrival, before the bench's JPEG decode, the frames were \
             {:.0} ms old (median; p95 {:.0}). MSE: on arrival {:.0} ms (median; p95 {:.0}); {} skip \
             messages, {} init segments. \
             HLS: EXT-X-TARGETDURATION {}–{} s, segments of {:.2}–{:.2} s (mean {:.2}), playlist polled every \
             50 ms (listing times are late by up to that); the player figure is for {} of {} \
             segments, starting {:.1}–{:.1} s behind the edge.\n",
            mjpeg.fps,
            mjpeg.size.0,
            mjpeg.size.1,
            stats(&mjpeg.recv).median,
            stats(&mjpeg.recv).p95,
            stats(&mse.recv).median,
            stats(&mse.recv).p95,
            mse.skips,
            mse.inits,
            hls.target_min_s,
            hls.target_s,
            hls.seg_min_s,
            hls.seg_max_s,
            hls.seg_sum_s / hls.edge_age.len().max(1) as f64,
            hls.player.len(),
            hls.edge_age.len(),
            hls.player_back_s.iter().copied().fold(f64::MAX, f64::min),
            hls.player_back_s.iter().copied().fold(0.0, f64::max),
        );
    }
    if ttff {
        s += &ttff_part(&v, id, o.ttff_runs).await?;
    }
    let info = v
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/cameras/{id}/stream/info"),
            None,
        )
        .await?;
    eprintln!("   stream/info at the end: {}", info["data"]);
    drop(v);
    drop(rtsp);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_use_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = stats(&v);
        assert_eq!((s.n, s.median, s.p95, s.max), (100, 50.5, 95.0, 100.0));
        assert_eq!(stats(&[3.0, 1.0, 2.0]).median, 2.0);
    }
}
