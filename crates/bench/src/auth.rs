//! `auth`: what accounts cost. Against the release server: sign-in latency (argon2id included; the
//! issue reports p95), then `GET /api/v1/cameras` answered for a signed-in user's access token,
//! an API token and the admin token, interleaved request by request with `GET /api/v1/health`,
//! which needs no credential (the no-auth baseline of the same run; both answer from one database
//! read). In-process, the credential check alone (`TokenService::authenticate` per kind) over many
//! calls, which is what authentication adds to every request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use crate::Vigil;

fn pct(v: &mut [Duration], q: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 * q).ceil() as usize)
        .saturating_sub(1)
        .min(v.len() - 1);
    v[i].as_secs_f64() * 1000.0
}

async fn timed_get(v: &Vigil, path: &str, token: Option<&str>) -> Result<Duration> {
    let mut r = v.http.get(format!("{}{path}", v.url));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let t0 = Instant::now();
    let resp = r.send().await?;
    let status = resp.status();
    let _ = resp.bytes().await?;
    let d = t0.elapsed();
    if !status.is_success() {
        bail!("{path}: {status}");
    }
    Ok(d)
}

pub async fn run(logins: usize, requests: usize) -> Result<()> {
    let v = Vigil::start("detection = false\nnotifications = false\n")?;
    let pw = "correct horse battery staple";
    v.call(
        reqwest::Method::POST,
        "/api/v1/users",
        Some(json!({"username": "bench", "password": pw, "role": "operator"})),
    )
    .await?;
    let api_token = v
        .call(
            reqwest::Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "bench", "role": "viewer"})),
        )
        .await?["data"]["secret"]
        .as_str()
        .context("token secret")?
        .to_string();

    // Sign-ins, one after another (argon2id at 64 MiB × 2 passes each).
    let mut login = Vec::with_capacity(logins);
    let mut access = String::new();
    for _ in 0..logins {
        let t0 = Instant::now();
        let r: serde_json::Value = v
            .http
            .post(format!("{}/api/v1/auth/login", v.url))
            .json(&json!({"username": "bench", "password": pw}))
            .send()
            .await?
            .json()
            .await?;
        login.push(t0.elapsed());
        access = r["data"]["access_token"]
            .as_str()
            .context("access token")?
            .to_string();
    }
    let (l50, l95) = (pct(&mut login, 0.50), pct(&mut login, 0.95));

    // Warm up, then interleave: no credential (/health), user, API token, admin token.
    for _ in 0..50 {
        timed_get(&v, "/api/v1/health", None).await?;
        timed_get(&v, "/api/v1/cameras", Some(&access)).await?;
    }
    let mut none = vec![];
    let mut user = vec![];
    let mut token = vec![];
    let mut admin = vec![];
    for _ in 0..requests {
        none.push(timed_get(&v, "/api/v1/health", None).await?);
        user.push(timed_get(&v, "/api/v1/cameras", Some(&access)).await?);
        token.push(timed_get(&v, "/api/v1/cameras", Some(&api_token)).await?);
        admin.push(timed_get(&v, "/api/v1/cameras", Some(&v.token)).await?);
    }
    let base = pct(&mut none, 0.5);

    // The credential check alone, in process.
    let dir = tempfile::tempdir()?;
    let db = vigil_db::Database::open(&dir.path().join("v.db"))?;
    let clock: Arc<dyn vigil_base::Clock> = Arc::new(vigil_base::SystemClock);
    let sessions = vigil_auth::users::Sessions::new();
    let admin_token = vigil_auth::AdminToken::load_or_create(dir.path(), None)?;
    let tokens =
        vigil_auth::TokenService::load(db.clone(), admin_token, clock.clone(), sessions.clone())?;
    let audit = vigil_auth::AuditLog::new(db.clone(), clock.clone());
    let users = vigil_auth::UserService::load(db.clone(), clock, sessions, audit)?;
    users
        .create(vigil_auth::UserCreate {
            username: "bench".into(),
            password: Some(pw.into()),
            display_name: None,
            role: vigil_auth::UserRole::Operator,
            cameras: None,
        })
        .await?;
    let s = users.login("bench", pw, None).await?;
    let t = tokens
        .create(vigil_auth::TokenCreate {
            name: "bench".into(),
            ..Default::default()
        })
        .await?;
    let n = 200_000;
    let per_call = |secret: &str| -> Result<f64> {
        let t0 = Instant::now();
        for _ in 0..n {
            std::hint::black_box(tokens.authenticate(std::hint::black_box(secret))?);
        }
        Ok(t0.elapsed().as_secs_f64() * 1e6 / n as f64)
    };
    let (c_user, c_token, c_admin) = (
        per_call(&s.session.access_token)?,
        per_call(&t.secret)?,
        per_call(tokens.admin_secret())?,
    );
    db.close()?;
    // argon2id alone: the cost the parameters set (tuned to ~100 ms here).
    let phc = vigil_auth::password::hash(pw)?;
    let mut argon = Vec::with_capacity(10);
    for _ in 0..10 {
        let t0 = Instant::now();
        std::hint::black_box(vigil_auth::password::verify(pw, &phc));
        argon.push(t0.elapsed());
    }
    let argon50 = pct(&mut argon, 0.5);

    println!("sign-in (POST /auth/login, argon2id included), {logins} in a row:");
    println!(
        "  p50 {l50:.1} ms, p95 {l95:.1} ms (of which argon2id verification alone: p50 {argon50:.1} ms)"
    );
    println!(
        "GET /api/v1/cameras, {requests} each, interleaved; baseline GET /api/v1/health (no credential):"
    );
    println!("  no credential (/health)   p50 {base:.3} ms");
    for (name, v) in [
        ("user access token", &mut user),
        ("API token", &mut token),
        ("admin token", &mut admin),
    ] {
        let p = pct(v, 0.5);
        println!(
            "  {name:<25} p50 {p:.3} ms ({:+.3} ms vs no credential)",
            p - base
        );
    }
    println!("the credential check alone (TokenService::authenticate, {n} calls each):");
    println!(
        "  user access token {c_user:.2} µs, API token {c_token:.2} µs, admin token {c_admin:.2} µs per request"
    );
    Ok(())
}
