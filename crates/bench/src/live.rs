//! `live`: live view against the real `vigil serve` and a real GStreamer RTSP source.
//!
//! 1. Glass-to-glass latency. The `clock` source of tests/support/rtsp_server.py makes 1280x720
//!    25 fps frames in Python, each showing the wall clock at the moment it was made as a block
//!    code, and encodes them live with x264 (zerolatency, GOP 1 s). The bench reads the code back
//!    from the pictures it receives — MJPEG JPEGs decoded in Rust, MSE fragments and HLS segments
//!    decoded by FFmpeg (`vigil_live::VideoDecoder`) — and takes wall clock at decode − the time in
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

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

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
fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Median, p95 (nearest rank) and max of a sample.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    n: usize,
    median: f64,
    p95: f64,
    max: f64,
}

fn stats(v: &[f64]) -> Stats {
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

fn verdict(value: f64, target: f64) -> &'static str {
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

async fn ws_connect(v: &Vigil, path: &str) -> Result<Ws> {
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
async fn ws_next(ws: &mut Ws, what: &str, timeout: Duration) -> Result<Message> {
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

struct MjpegLatency {
    /// Wall clock after the bench decoded the JPEG − time in the picture.
    lat: Vec<f64>,
    /// The same, with the wall clock taken when the message arrived (before decoding).
    recv: Vec<f64>,
    unreadable: usize,
    fps: f64,
    size: (u32, u32),
}

async fn mjpeg_latency(v: &Vigil, id: i64, frames: usize) -> Result<MjpegLatency> {
    eprintln!("== MJPEG medium latency ({frames} frames)");
    let mut ws = ws_connect(v, &format!("/api/v1/cameras/{id}/stream?quality=medium")).await?;
    let t0 = Instant::now();
    let mut r = MjpegLatency {
        lat: vec![],
        recv: vec![],
        unreadable: 0,
        fps: 0.0,
        size: (0, 0),
    };
    let mut first: Option<Instant> = None;
    while r.lat.len() < frames {
        let jpeg = mjpeg_next(&mut ws).await?;
        let received = now_ms();
        let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)?.to_luma8();
        let code = stamp::read(
            img.as_raw(),
            img.width() as usize,
            img.height() as usize,
            img.width() as usize,
        );
        let decoded = now_ms();
        if t0.elapsed() < WARMUP {
            continue;
        }
        first.get_or_insert_with(Instant::now);
        r.size = (img.width(), img.height());
        match code {
            Some(c) => {
                r.lat.push(decoded - c as f64);
                r.recv.push(received - c as f64);
            }
            None => r.unreadable += 1,
        }
    }
    // Frames over the time from the first counted one to the last.
    r.fps = (r.lat.len() - 1) as f64 / first.map_or(1.0, |f| f.elapsed().as_secs_f64());
    ws_close(ws).await;
    Ok(r)
}

struct MseLatency {
    lat: Vec<f64>,
    /// The same on the fragment's arrival, before the bench's decode.
    recv: Vec<f64>,
    unreadable: usize,
    skips: u64,
    inits: u64,
}

async fn mse_latency(v: &Vigil, id: i64, frames: usize) -> Result<MseLatency> {
    eprintln!("== MSE latency ({frames} frames)");
    let mut c = MseClient::connect(v, id).await?;
    let t0 = Instant::now();
    let mut lat = vec![];
    let mut recv = vec![];
    let mut bad = 0;
    while lat.len() < frames {
        for p in c.next().await? {
            if t0.elapsed() < WARMUP {
                continue;
            }
            match p.code {
                Some(code) => {
                    lat.push(p.decoded_ms - code as f64);
                    recv.push(p.received_ms - code as f64);
                }
                None => bad += 1,
            }
        }
    }
    let r = MseLatency {
        lat,
        recv,
        unreadable: bad,
        skips: c.skips,
        inits: c.inits,
    };
    ws_close(c.ws).await;
    Ok(r)
}

/// A media playlist, as much of it as the bench needs.
#[derive(Debug, Default)]
struct Playlist {
    target: f64,
    /// (media sequence number, duration s, URI, URI of its init segment)
    segments: Vec<(u64, f64, String, String)>,
}

fn parse_playlist(text: &str) -> Result<Playlist> {
    if !text.starts_with("#EXTM3U") {
        bail!("not a playlist: {text:.200}");
    }
    let mut p = Playlist::default();
    let mut seq = 0u64;
    let mut map = String::new();
    let mut dur = None;
    for line in text.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("#EXT-X-TARGETDURATION:") {
            p.target = v.parse()?;
        } else if let Some(v) = line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
            seq = v.parse()?;
        } else if let Some(v) = line.strip_prefix("#EXT-X-MAP:") {
            map = v
                .split("URI=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .context("EXT-X-MAP without URI")?
                .to_string();
        } else if let Some(v) = line.strip_prefix("#EXTINF:") {
            dur = Some(v.split(',').next().unwrap_or("0").parse::<f64>()?);
        } else if !line.is_empty() && !line.starts_with('#') {
            p.segments.push((
                seq,
                dur.take().unwrap_or(0.0),
                line.to_string(),
                map.clone(),
            ));
            seq += 1;
        }
    }
    Ok(p)
}

struct HlsLatency {
    edge_age: Vec<f64>,
    player: Vec<f64>,
    /// The same 2 target durations back (ui/src/live/hlsPlayer.ts).
    player_ui: Vec<f64>,
    /// How far behind the edge the player starts, s.
    player_back_s: Vec<f64>,
    unreadable: usize,
    target_s: f64,
    target_min_s: f64,
    seg_min_s: f64,
    seg_max_s: f64,
    seg_sum_s: f64,
}

async fn hls_latency(v: &Vigil, id: i64, segments: usize) -> Result<HlsLatency> {
    eprintln!("== HLS latency ({segments} new segments)");
    let base = reqwest::Url::parse(&format!("{}/api/v1/cameras/{id}/hls/live.m3u8", v.url))?;
    let get = |url: reqwest::Url| async move {
        let r = v.http.get(url.clone()).bearer_auth(&v.token).send().await?;
        let status = r.status();
        let body = r.bytes().await?;
        if !status.is_success() {
            bail!("GET {url}: {status} {}", String::from_utf8_lossy(&body));
        }
        Ok::<_, anyhow::Error>(body)
    };
    let mut inits: HashMap<String, fmp4::Track> = HashMap::new();
    // Every decoded frame, per init segment: pts → time in the picture.
    let mut frames: HashMap<String, BTreeMap<i64, i64>> = HashMap::new();
    let mut seen: HashSet<u64> = HashSet::new();
    // Start pts of each segment fetched.
    let mut starts: HashMap<u64, i64> = HashMap::new();
    let mut r = HlsLatency {
        edge_age: vec![],
        player: vec![],
        player_ui: vec![],
        player_back_s: vec![],
        unreadable: 0,
        target_s: 0.0,
        target_min_s: f64::MAX,
        seg_min_s: f64::MAX,
        seg_max_s: 0.0,
        seg_sum_s: 0.0,
    };
    let mut first_poll = true;
    let deadline = Instant::now() + Duration::from_secs(30 + 4 * segments as u64);
    while r.edge_age.len() < segments {
        if Instant::now() > deadline {
            bail!(
                "HLS: only {} new segments before the deadline",
                r.edge_age.len()
            );
        }
        let text = get(base.clone()).await?;
        let listed_at = now_ms();
        let pl = parse_playlist(&String::from_utf8_lossy(&text))?;
        if !pl.segments.is_empty() {
            r.target_s = r.target_s.max(pl.target);
            r.target_min_s = r.target_min_s.min(pl.target);
        }
        for (seq, dur, uri, map) in &pl.segments {
            if !seen.insert(*seq) {
                continue;
            }
            let track = match inits.get(map) {
                Some(t) => t.clone(),
                None => {
                    let t = fmp4::parse_init(&get(base.join(map)?).await?)?;
                    inits.insert(map.clone(), t.clone());
                    t
                }
            };
            let seg = get(base.join(uri)?).await?;
            let samples = fmp4::samples(&seg, &track)?;
            let end = samples
                .last()
                .map(|s| s.dts as i64 + i64::from(s.duration))
                .context("HLS: a segment without video samples")?;
            starts.insert(*seq, samples[0].dts as i64);
            let mut dec = fmp4::Decoder::new(track.clone())?;
            let mut last = None;
            let known = frames.entry(map.clone()).or_default();
            for s in &samples {
                dec.decode(s, |f| match (stamp::read_frame(f), f.pts()) {
                    (Some(code), Some(pts)) => {
                        known.insert(pts, code);
                        last = Some(code);
                    }
                    _ => r.unreadable += 1,
                })?;
            }
            // Segments listed in the first answer appeared before we looked: their frames serve
            // the player figure of later segments, but their age at listing is unknown.
            if first_poll {
                continue;
            }
            r.seg_sum_s += *dur;
            r.seg_min_s = r.seg_min_s.min(*dur);
            r.seg_max_s = r.seg_max_s.max(*dur);
            let last = last.context("HLS: no readable frame in a segment")?;
            r.edge_age.push(listed_at - last as f64);
            // hls.js starts at edge − liveSyncDurationCount × target duration (default 3), but
            // not before the playlist's first segment.
            let first_start = pl
                .segments
                .first()
                .and_then(|f| starts.get(&f.0))
                .copied()
                .unwrap_or(i64::MIN);
            let position = |count: f64| {
                let back = (count * pl.target * f64::from(track.timescale)) as i64;
                let at = (end - back).max(first_start);
                known
                    .range(..=at)
                    .next_back()
                    .map(|(_, code)| (listed_at - *code as f64, at))
            };
            if let Some((lat, at)) = position(3.0) {
                r.player.push(lat);
                r.player_back_s
                    .push((end - at) as f64 / f64::from(track.timescale));
            }
            if let Some((lat, _)) = position(2.0) {
                r.player_ui.push(lat);
            }
            eprintln!(
                "   segment {seq} ({dur:.2} s): last frame {:.0} ms old when listed",
                listed_at - last as f64
            );
        }
        first_poll = false;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(r)
}

/// A per-camera gauge or counter from /metrics.
async fn metric(v: &Vigil, name: &str, camera: i64) -> Result<f64> {
    let text = v
        .http
        .get(format!("{}/api/v1/metrics", v.url))
        .bearer_auth(&v.token)
        .send()
        .await?
        .text()
        .await?;
    let prefix = format!("{name}{{camera=\"{camera}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|x| x.trim().parse().ok())
        .with_context(|| format!("/metrics has no {prefix}"))
}

/// One new viewer's start: ms from before the connect to the first picture decoded, and to the
/// first picture captured after the connect began (a current one); the first picture's age.
#[derive(Default)]
struct Starts {
    first: Vec<f64>,
    current: Vec<f64>,
    first_age: Vec<f64>,
}

impl Starts {
    fn push(&mut self, first: f64, current: f64, age: f64) {
        self.first.push(first);
        self.current.push(current);
        self.first_age.push(age);
    }
}

/// Connect an MSE viewer and time its first pictures.
async fn mse_start(v: &Vigil, id: i64) -> Result<(f64, f64, f64, MseClient)> {
    let (t, wall) = (Instant::now(), now_ms());
    let mut c = MseClient::connect(v, id).await?;
    let mut first = None;
    loop {
        for p in c.next().await? {
            let code = p.code.context("MSE: a picture without a readable time")? as f64;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let (f, age) = *first.get_or_insert((ms, p.decoded_ms - code));
            if code >= wall {
                return Ok((f, ms, age, c));
            }
        }
        if t.elapsed() > Duration::from_secs(10) {
            bail!("MSE: no current picture within 10 s");
        }
    }
}

/// Connect an MJPEG viewer at `quality` and time its first pictures.
async fn mjpeg_start(v: &Vigil, id: i64, quality: &str) -> Result<(f64, f64, f64, Ws)> {
    let (t, wall) = (Instant::now(), now_ms());
    let mut ws = ws_connect(v, &format!("/api/v1/cameras/{id}/stream?quality={quality}")).await?;
    let mut first = None;
    loop {
        let jpeg = mjpeg_next(&mut ws).await?;
        let code =
            stamp::read_jpeg(&jpeg)?.context("MJPEG: a picture without a readable time")? as f64;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let (f, age) = *first.get_or_insert((ms, now_ms() - code));
        if code >= wall {
            return Ok((f, ms, age, ws));
        }
        if t.elapsed() > Duration::from_secs(10) {
            bail!("MJPEG: no current picture within 10 s");
        }
    }
}

async fn ttff_part(v: &Vigil, id: i64, runs: usize) -> Result<String> {
    eprintln!("== time to first frame ({runs} runs each)");
    // The warm camera: one MSE viewer stays connected throughout.
    let mut keeper = MseClient::connect(v, id).await?;
    let keeper_task = tokio::spawn(async move {
        let mut n = 0u64;
        while keeper.next().await.is_ok() {
            n += 1;
        }
        n
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut jit = Jitter(0x2545_f491_4f6c_dd1d);

    let mut mse = Starts::default();
    for _ in 0..runs {
        tokio::time::sleep(Duration::from_millis(jit.next_ms(300, 1300))).await;
        let (first, current, age, c) = mse_start(v, id).await?;
        mse.push(first, current, age);
        ws_close(c.ws).await;
    }

    // MJPEG: the first MJPEG viewer starts the camera's decode (it waits for a keyframe): before
    // each such connection the bench waits until /metrics shows the decode stopped. With another
    // MJPEG viewer already there (and getting current pictures) the decode is running.
    let mut cold = Starts::default();
    let mut warm = Starts::default();
    let mut stop_after = vec![];
    for with_other in [false, true] {
        let other = if with_other {
            Some(mjpeg_start(v, id, "low").await?.3)
        } else {
            None
        };
        for _ in 0..runs {
            if !with_other {
                let t = Instant::now();
                while metric(v, "vigil_live_decoding", id).await? != 0.0 {
                    if t.elapsed() > Duration::from_secs(15) {
                        bail!(
                            "the MJPEG decode did not stop within 15 s of its last viewer leaving"
                        );
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                stop_after.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            tokio::time::sleep(Duration::from_millis(jit.next_ms(300, 1300))).await;
            let (first, current, age, ws) = mjpeg_start(v, id, "low").await?;
            if with_other { &mut warm } else { &mut cold }.push(first, current, age);
            ws_close(ws).await;
        }
        if let Some(o) = other {
            ws_close(o).await;
        }
    }
    keeper_task.abort();

    let mut s = format!(
        "\nTime to first frame, new viewer of a warm camera (one MSE viewer connected throughout), \
         {runs} connections each, 300–1300 ms apart; ms from before the TCP connect to the first \
         picture the bench decoded, and to the first picture captured after the connect began (a \
         current one: what a viewer waits for to see the camera as it is now).\n\n\
         | viewer | first picture median / p95 / max ms | its age median / max ms | first current picture median / p95 / max ms | target ≤ {TTFF_TARGET_MS:.0} ms (p95: first / current) |\n\
         |---|---|---|---|---|\n"
    );
    for (name, st) in [
        (
            "second MSE viewer (init + cached GOP from its keyframe)",
            &mse,
        ),
        ("MJPEG low, first MJPEG viewer (decode not running)", &cold),
        ("MJPEG low, another MJPEG viewer already watching", &warm),
    ] {
        let (f, c, a) = (stats(&st.first), stats(&st.current), stats(&st.first_age));
        s += &format!(
            "| {name} | {:.0} / {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} / {:.0} | {} / {} |\n",
            f.median,
            f.p95,
            f.max,
            a.median,
            a.max,
            c.median,
            c.p95,
            c.max,
            verdict(f.p95, TTFF_TARGET_MS),
            verdict(c.p95, TTFF_TARGET_MS)
        );
    }
    let stop = stats(&stop_after);
    s += &format!(
        "\nBefore each first-MJPEG-viewer connection /metrics showed the decode stopped \
         (vigil_live_decoding 0), {:.0} ms (median; max {:.0}) after the previous viewer closed.\n",
        stop.median, stop.max
    );
    Ok(s)
}

/// Counts what an MSE viewer receives, without decoding.
#[derive(Default)]
struct Counter {
    fragments: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
}

async fn count_mse(mut ws: Ws, c: std::sync::Arc<Counter>) -> Result<()> {
    use std::sync::atomic::Ordering::Relaxed;
    loop {
        if let Message::Binary(b) = ws_next(&mut ws, "MSE", Duration::from_secs(10)).await? {
            if !fmp4::is_init(&b) {
                c.fragments.fetch_add(1, Relaxed);
            }
            c.bytes.fetch_add(b.len() as u64, Relaxed);
        }
    }
}

async fn count_mjpeg(mut ws: Ws, c: std::sync::Arc<Counter>) -> Result<()> {
    use std::sync::atomic::Ordering::Relaxed;
    loop {
        let b = mjpeg_next(&mut ws).await?;
        c.fragments.fetch_add(1, Relaxed);
        c.bytes.fetch_add(b.len() as u64, Relaxed);
    }
}

/// CPU % of one core used by `pid` over `secs`.
async fn cpu_window(pid: u32, secs: u64) -> Result<(f64, f64)> {
    let c0 = procstat::cpu_seconds(&[pid])?;
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let cpu = procstat::cpu_seconds(&[pid])? - c0;
    let wall = t0.elapsed().as_secs_f64();
    Ok((cpu / wall * 100.0, wall))
}

fn snapshot(counters: &[std::sync::Arc<Counter>]) -> Vec<(u64, u64)> {
    use std::sync::atomic::Ordering::Relaxed;
    counters
        .iter()
        .map(|c| (c.fragments.load(Relaxed), c.bytes.load(Relaxed)))
        .collect()
}

/// A 1080p clip long enough for the CPU windows: an existing cached one if long enough, else a
/// new one.
fn long_clip(need_s: u64) -> Result<std::path::PathBuf> {
    let dir = crate::root().join(".cache/bench");
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut found: Vec<(u64, std::path::PathBuf)> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                let n = p.file_name()?.to_str()?.to_string();
                let secs = n
                    .strip_prefix("1080p25-4mbit-nobf-")?
                    .strip_suffix("s.mp4")?
                    .parse()
                    .ok()?;
                Some((secs, p))
            })
            .filter(|(s, _)| *s >= need_s)
            .collect();
        found.sort();
        if let Some((_, p)) = found.into_iter().next() {
            return Ok(p);
        }
    }
    crate::bench_clip(need_s)
}

async fn cpu_part(o: &Options) -> Result<String> {
    use std::sync::Arc;
    let n = o.cameras;
    let secs = o.cpu_seconds;
    let clip = long_clip(5 * secs + 90)?;
    eprintln!("== CPU: {n} cameras of {}", clip.display());
    let rtsp = Rtsp::start(&clip, n)?;
    let limit = (2 * n + 4).to_string();
    let v = Vigil::start_env(
        "segment_seconds = 60\n",
        &[("VIGIL_STREAM_MAX_CONCURRENT", &limit)],
    )?;
    let mut ids = vec![];
    for i in 0..n {
        ids.push(add_camera(&v, &format!("cam{i}"), &rtsp.url(i)).await?);
    }
    v.wait_running(&ids).await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let pid = v.pid();

    eprintln!("   recording only, {secs} s");
    let (rec, _) = cpu_window(pid, secs).await?;

    eprintln!("   + one MSE viewer per camera, {secs} s");
    let mut tasks = vec![];
    let mut counters = vec![];
    for id in &ids {
        let ws = ws_connect(&v, &format!("/api/v1/cameras/{id}/stream/mse")).await?;
        let c = Arc::new(Counter::default());
        counters.push(c.clone());
        tasks.push(tokio::spawn(count_mse(ws, c)));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = snapshot(&counters);
    let (with_mse, wall) = cpu_window(pid, secs).await?;
    let after = snapshot(&counters);
    for t in &tasks {
        if t.is_finished() {
            bail!("an MSE viewer stopped during the window");
        }
    }
    let mut frag_rates = vec![];
    let mut mbit = vec![];
    for (b, a) in before.iter().zip(&after) {
        frag_rates.push((a.0 - b.0) as f64 / wall);
        mbit.push((a.1 - b.1) as f64 * 8.0 / wall / 1e6);
    }
    let min_rate = frag_rates.iter().copied().fold(f64::MAX, f64::min);
    if min_rate < 25.0 * 0.9 {
        bail!("an MSE viewer got only {min_rate:.1} fragments/s (25 expected): {frag_rates:?}");
    }
    for t in tasks {
        t.abort();
    }
    tokio::time::sleep(Duration::from_secs(3)).await;

    eprintln!("   recording + one MJPEG medium viewer on camera 1, {secs} s");
    let cam = ids[0];
    let path = format!("/api/v1/cameras/{cam}/stream?quality=medium");
    let c1 = Arc::new(Counter::default());
    let t1 = tokio::spawn(count_mjpeg(ws_connect(&v, &path).await?, c1.clone()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b1 = snapshot(std::slice::from_ref(&c1));
    let (one, w1) = cpu_window(pid, secs).await?;
    let a1 = snapshot(std::slice::from_ref(&c1));

    eprintln!("   recording + two MJPEG medium viewers on camera 1, {secs} s");
    let c2 = Arc::new(Counter::default());
    let t2 = tokio::spawn(count_mjpeg(ws_connect(&v, &path).await?, c2.clone()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b2 = snapshot(&[c1.clone(), c2.clone()]);
    let (two, w2) = cpu_window(pid, secs).await?;
    let a2 = snapshot(&[c1.clone(), c2.clone()]);
    for t in [&t1, &t2] {
        if t.is_finished() {
            bail!("an MJPEG viewer stopped during the window");
        }
    }
    t1.abort();
    t2.abort();
    let mut drops = 0;
    for id in &ids {
        let st = v
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/cameras/{id}/status"),
                None,
            )
            .await?;
        drops += st["data"]["recording"]["dropped_packets"]
            .as_u64()
            .unwrap_or(0);
    }
    let fps1 = (a1[0].0 - b1[0].0) as f64 / w1;
    let fps2: Vec<f64> = a2
        .iter()
        .zip(&b2)
        .map(|(a, b)| (a.0 - b.0) as f64 / w2)
        .collect();
    drop(v);
    drop(rtsp);

    let mse_delta = with_mse - rec;
    let m1 = one - rec;
    let m2 = two - rec;
    let mut s = format!(
        "\nServer CPU (vigil process, user + system from /proc/PID/stat, % of one core; {n} cameras \
         of a 1080p 25 fps ~4 Mbit/s H.264 clip from a local GStreamer RTSP server, all recording; \
         {secs} s windows; {} cores)\n\n\
         | configuration | CPU % of one core | added by viewers | target |\n|---|---|---|---|\n",
        procstat::cores()
    );
    s += &format!("| recording only | {rec:.1}% | — | |\n");
    s += &format!(
        "| + one MSE viewer per camera ({n}) | {with_mse:.1}% | {mse_delta:+.1}% ({:+.2}% per camera) | ≤ {MSE_CPU_TARGET_PCT:.0}%: {} |\n",
        mse_delta / n as f64,
        verdict(mse_delta, MSE_CPU_TARGET_PCT)
    );
    s += &format!("| + one MJPEG medium viewer (camera 1) | {one:.1}% | {m1:+.1}% | |\n");
    s += &format!(
        "| + two MJPEG medium viewers (camera 1) | {two:.1}% | {m2:+.1}% (the second: {:+.1}%) | second ≈ 0 |\n",
        two - one
    );
    s += &format!(
        "\nMJPEG: two viewers cost {:.2}× one (added CPU over recording). MSE viewers received \
         {:.1}–{:.1} fragments/s and {:.2}–{:.2} Mbit/s each; MJPEG viewers {fps1:.1} fps (one), \
         {:.1} and {:.1} fps (two). Recorder drops over the whole run: {drops}.\n",
        if m1 > 0.0 { m2 / m1 } else { f64::NAN },
        min_rate,
        frag_rates.iter().copied().fold(0.0, f64::max),
        mbit.iter().copied().fold(f64::MAX, f64::min),
        mbit.iter().copied().fold(0.0, f64::max),
        fps2.first().copied().unwrap_or(0.0),
        fps2.get(1).copied().unwrap_or(0.0),
    );
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

    #[test]
    fn playlists_parse() {
        let p = parse_playlist(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:41\n\
             #EXT-X-MAP:URI=\"init/3.mp4\"\n#EXTINF:2.000,\nsegment/41.m4s\n#EXTINF:1.960,\nsegment/42.m4s\n",
        )
        .expect("parses");
        assert_eq!(p.target, 2.0);
        assert_eq!(
            p.segments,
            vec![
                (41, 2.0, "segment/41.m4s".into(), "init/3.mp4".into()),
                (42, 1.96, "segment/42.m4s".into(), "init/3.mp4".into()),
            ]
        );
    }
}
