//! Time to first frame for a new viewer of a warm camera.

use super::*;

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

pub(super) async fn ttff_part(v: &Vigil, id: i64, runs: usize) -> Result<String> {
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
