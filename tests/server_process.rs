//! Tests of the `vigil serve` process itself: the one start-up line and `runtime.json`, the admin
//! token from `VIGIL_TOKEN`, the credential fallback when no Secret Service exists, a camera
//! password that reaches neither the database nor the logs, SIGTERM, and a second instance refused.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

const PASSWORD: &str = "Zebra-Quartz-7731";
const URL_PASSWORD: &str = "Inline-Pw-9942";

struct Proc {
    child: Child,
    url: String,
    stderr: std::thread::JoinHandle<String>,
    /// The lines printed after the start-up line.
    stdout: mpsc::Receiver<String>,
}

fn spawn(data_dir: &Path, extra_env: &[(&str, &str)]) -> Proc {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigil"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("VIGIL_TOKEN")
        .env_remove("VIGIL_CREDENTIAL_STORE")
        // No Secret Service here: the bus address points nowhere.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/vigil-test-bus",
        )
        .env("RUST_LOG", "debug")
        .env("VIGIL_RTMP_LISTEN", "127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn vigil");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("vigil prints its start-up line");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("URL in the start-up line")
        .to_string();
    Proc {
        child,
        url,
        stderr,
        stdout: rx,
    }
}

fn terminate(mut p: Proc) -> (i32, String) {
    let pid = p.child.id().to_string();
    let ok = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(ok.success());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(p.child.wait());
    });
    let status = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("exits within 20 s of SIGTERM")
        .expect("wait");
    (
        status.code().unwrap_or(-1),
        p.stderr.join().unwrap_or_default(),
    )
}

fn runtime(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("runtime.json")).expect("runtime.json"))
        .expect("json")
}

fn every_file(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(every_file(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn serve_runtime_file_fallback_store_no_leaks_and_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let p = spawn(&dir, &[]);

    let rt = runtime(&dir);
    assert_eq!(rt["url"], p.url.as_str());
    assert_eq!(rt["pid"], p.child.id());
    let token = rt["token"].as_str().expect("token").to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("runtime.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "runtime.json is readable by the user only"
        );
    }

    let http = reqwest::Client::new();
    // Two cameras: one with a password field, one with the password inline in its URL.
    for body in [
        json!({"name": "Gate", "source": {"kind": "rtsp", "url": "rtsp://gate.local/s"}, "username": "admin", "password": PASSWORD}),
        json!({"name": "Yard", "source": {"kind": "rtsp", "url": format!("rtsp://admin:{URL_PASSWORD}@yard.local:554/live")}}),
    ] {
        let r = http
            .post(format!("{}/api/v1/cameras", p.url))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let text = r.text().await.unwrap();
        assert!(
            !text.contains(PASSWORD) && !text.contains(URL_PASSWORD),
            "{text}"
        );
    }
    // A validation failure must not echo the password either.
    let r = http
        .post(format!("{}/api/v1/cameras", p.url))
        .bearer_auth(&token)
        .json(&json!({"name": "", "source": {"kind": "rtsp", "url": format!("rtsp://u:{URL_PASSWORD}@x/s")}, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains(PASSWORD) && !text.contains(URL_PASSWORD),
        "{text}"
    );

    let metrics = http
        .get(format!("{}/api/v1/metrics", p.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("vigil_credential_store_info{backend=\"encrypted_file\"} 1"),
        "no Secret Service ⇒ encrypted file store: {metrics}"
    );

    let (code, stderr) = terminate(p);
    assert_eq!(code, 0, "clean exit on SIGTERM; stderr:\n{stderr}");
    assert!(stderr.contains("Vigil stopped cleanly"), "{stderr}");
    assert!(
        stderr.contains("no usable Secret Service"),
        "the fallback is logged: {stderr}"
    );
    assert!(
        !dir.join("runtime.json").exists(),
        "runtime.json removed on clean stop"
    );
    assert!(
        !stderr.contains(PASSWORD) && !stderr.contains(URL_PASSWORD),
        "password in stderr"
    );

    // Nothing on disk holds a password in clear: database (and WAL), logs, credential store.
    let files = every_file(&dir);
    assert!(files.iter().any(|f| f.ends_with("vigil.db")));
    assert!(
        files.iter().any(|f| f.starts_with(dir.join("logs"))),
        "log files written"
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !contains(&bytes, PASSWORD),
            "{} holds the password",
            f.display()
        );
        assert!(
            !contains(&bytes, URL_PASSWORD),
            "{} holds the URL password",
            f.display()
        );
    }

    // The database closed cleanly (WAL checkpointed) and kept the cameras; the passwords are
    // recoverable only through the credential store.
    let db = vigil_db::Database::open(&dir.join("vigil.db")).unwrap();
    let cams = db.read_blocking(vigil_db::cameras::list).unwrap();
    assert_eq!(cams.len(), 2);
    assert!(cams.iter().all(|c| c.has_password));
    assert_eq!(cams[1].username.as_deref(), Some("admin"));
    assert!(!cams[1].source_json.contains(URL_PASSWORD));
    db.close().unwrap();
    let store =
        vigil_secrets::CredentialStore::open(&dir, vigil_secrets::StoreChoice::File).unwrap();
    assert_eq!(
        store.camera_password(cams[0].id).unwrap().as_deref(),
        Some(PASSWORD)
    );
    assert_eq!(
        store.camera_password(cams[1].id).unwrap().as_deref(),
        Some(URL_PASSWORD)
    );
}

#[tokio::test]
async fn admin_token_from_env_and_one_instance_per_data_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let token = "env-admin-token-0123456789";
    let p = spawn(
        &dir,
        &[("VIGIL_TOKEN", token), ("VIGIL_CREDENTIAL_STORE", "file")],
    );
    // runtime.json (group-readable under the system service) carries the desktop credential, not
    // the admin token; both work from this computer.
    let desktop = runtime(&dir)["token"].as_str().unwrap().to_string();
    assert!(desktop.starts_with("vgd_") && desktop != token, "{desktop}");
    let http = reqwest::Client::new();
    for t in [token, desktop.as_str()] {
        let r = http
            .get(format!("{}/api/v1/cameras", p.url))
            .bearer_auth(t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    // A second server on the same data dir refuses with a clear message and changes nothing.
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--credential-store",
            "file",
            "--data-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use by another Vigil process"), "{err}");
    assert_eq!(
        runtime(&dir)["pid"],
        p.child.id(),
        "the first server's runtime.json is untouched"
    );

    let (code, _) = terminate(p);
    assert_eq!(code, 0);
}

#[test]
fn bad_settings_fail_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("config.toml"),
        "listen = \"not an address\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--data-dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.toml"));

    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["serve", "--credential-store", "vault", "--data-dir"])
        .arg(tmp.path().join("x"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("credential store must be"));

    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["openapi"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["paths"]["/api/v1/cameras"].is_object());
}

fn user_cmd(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("user")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `vigil user` works offline on the data dir, refuses while a server runs on it, and the user it
/// made signs in to the server afterwards.
#[tokio::test]
async fn users_are_managed_offline_and_sign_in() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let out = user_cmd(
        &dir,
        &["add", "root", "--role", "admin", "--password-stdin"],
        "correct horse battery\n",
    );
    assert!(out.status.success(), "{out:?}");
    let out = user_cmd(&dir, &["add", "x", "--role", "boss"], "whatever1\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("role must be"));
    let out = user_cmd(&dir, &["add", "shorty", "--password-stdin"], "short\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("password: must be at least 8"));
    let out = user_cmd(&dir, &["list"], "");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("root") && list.contains("admin"), "{list}");
    // Passwords are never stored as given.
    let db = std::fs::read(dir.join("vigil.db")).unwrap();
    assert!(!contains(&db, "correct horse battery"));

    let p = spawn(&dir, &[("VIGIL_CREDENTIAL_STORE", "file")]);
    let out = user_cmd(&dir, &["list"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Users page"),
        "{out:?}"
    );
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/v1/auth/login", p.url))
        .json(&serde_json::json!({"username": "root", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["data"]["user"]["role"], "admin");
    let (code, _) = terminate(p);
    assert_eq!(code, 0);
}

/// First run: `vigil serve` prints a one-time set-up link; its code makes the first admin (who
/// is signed in at once), and works only once.
#[tokio::test]
async fn first_run_prints_a_one_time_set_up_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let p = spawn(&dir, &[("VIGIL_CREDENTIAL_STORE", "file")]);
    let line = p
        .stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("the set-up line");
    assert!(line.contains("No user accounts yet"), "{line}");
    let link = line
        .split_whitespace()
        .find(|w| w.contains("#/setup?code="))
        .expect("a link");
    let code = link.split("code=").nth(1).unwrap();
    let http = reqwest::Client::new();
    let setup = |code: &str| {
        http.post(format!("{}/api/v1/auth/setup", p.url))
            .json(&json!({"code": code, "username": "owner", "password": "correct horse battery"}))
            .send()
    };
    let r = setup("wrong").await.unwrap();
    assert_eq!(r.status(), 401);
    let r = setup(code).await.unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["data"]["user"]["role"], "admin");
    let r = setup(code).await.unwrap();
    assert_eq!(r.status(), 401, "the link works once");
    let (code, _) = terminate(p);
    assert_eq!(code, 0);
}
