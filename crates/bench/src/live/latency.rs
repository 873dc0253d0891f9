//! Glass-to-glass latency of MJPEG, MSE and HLS viewers, read from the clock code in each picture.

use super::*;

pub(super) struct MjpegLatency {
    /// Wall clock after the bench decoded the JPEG − time in the picture.
    pub(super) lat: Vec<f64>,
    /// The same, with the wall clock taken when the message arrived (before decoding).
    pub(super) recv: Vec<f64>,
    pub(super) unreadable: usize,
    pub(super) fps: f64,
    pub(super) size: (u32, u32),
}

pub(super) async fn mjpeg_latency(v: &Vigil, id: i64, frames: usize) -> Result<MjpegLatency> {
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

pub(super) struct MseLatency {
    pub(super) lat: Vec<f64>,
    /// The same on the fragment's arrival, before the bench's decode.
    pub(super) recv: Vec<f64>,
    pub(super) unreadable: usize,
    pub(super) skips: u64,
    pub(super) inits: u64,
}

pub(super) async fn mse_latency(v: &Vigil, id: i64, frames: usize) -> Result<MseLatency> {
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

pub(super) struct HlsLatency {
    pub(super) edge_age: Vec<f64>,
    pub(super) player: Vec<f64>,
    /// The same 2 target durations back (ui/src/live/hlsPlayer.ts).
    pub(super) player_ui: Vec<f64>,
    /// How far behind the edge the player starts, s.
    pub(super) player_back_s: Vec<f64>,
    pub(super) unreadable: usize,
    pub(super) target_s: f64,
    pub(super) target_min_s: f64,
    pub(super) seg_min_s: f64,
    pub(super) seg_max_s: f64,
    pub(super) seg_sum_s: f64,
}

pub(super) async fn hls_latency(v: &Vigil, id: i64, segments: usize) -> Result<HlsLatency> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
