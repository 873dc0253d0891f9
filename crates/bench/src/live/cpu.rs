//! Server CPU with 16 cameras recording: MSE viewers on every camera, one against two MJPEG viewers.

use super::*;

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

pub(super) async fn cpu_part(o: &Options) -> Result<String> {
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
