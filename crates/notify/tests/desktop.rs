//! Real desktop notifications end to end: `DesktopBackend` talking D-Bus to a real notification
//! daemon (dunst on a private Xvfb display and session bus), plus the two ways a desktop can be
//! missing (a bus without a daemon, no bus at all), which must give clean errors.
//!
//! The bus a process uses comes from `DBUS_SESSION_BUS_ADDRESS`, which a test cannot set for
//! itself (`set_var` is unsafe), so each parent test starts the daemons and re-runs this test
//! executable as a child with that variable set; the child runs one `#[ignore]`d `child_*` test.
//! Needs `dbus-daemon`, `dbus-send`, `Xvfb`, `dunst`, `dunstctl` (`scripts/dev.sh` installs them).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use vigil_notify::{
    AlertNotice, Backend, DesktopBackend, Notifications, NotifyConfig, Rendered, Severity,
};

/// Set in the children, so the `child_*` tests do nothing when run by hand with `--ignored`.
const CHILD_ENV: &str = "VIGIL_NOTIFY_TEST_CHILD";
const WAIT: Duration = Duration::from_secs(5);
const TITLE: &str = "Front door: person";
const GROUP_TITLE: &str = "Front door: 3 detections";

// ---------------------------------------------------------------------------------------------
// Parents: start the session, run a child, check what the daemon saw.

#[test]
fn shows_a_real_notification_in_dunst() {
    require(&["dbus-daemon", "dbus-send", "Xvfb", "dunst", "dunstctl"]);
    let mut s = Session::new();
    let addr = s.start_bus();
    let display = s.start_xvfb();
    s.start_dunst(&display, &addr);

    let out = run_child("child_shows_through_desktop_backend", &addr);
    let id: u32 = out
        .split("NOTIFICATION_ID=")
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("the child printed no NOTIFICATION_ID:\n{out}"));
    assert!(id > 0);

    // dunst puts it on screen (the grouped one replaced the first: one notification).
    wait_until("dunst to display the notification", || {
        dunstctl(&addr, &["count", "displayed"]).trim() == "1"
    });
    // Closing moves it to the history, which dunst lists with its fields.
    dunstctl(&addr, &["close-all"]);
    let mut history = serde_json::Value::Null;
    wait_until("the notification in dunst's history", || {
        history = serde_json::from_str(&dunstctl(&addr, &["history"])).unwrap_or_default();
        history["data"][0].as_array().is_some_and(|a| !a.is_empty())
    });
    let entries = history["data"][0].as_array().cloned().unwrap_or_default();
    assert_eq!(
        entries.len(),
        1,
        "the group replaced the first: {history:#}"
    );
    let n = &entries[0];
    assert_eq!(n["summary"]["data"], GROUP_TITLE, "{n:#}");
    assert_eq!(n["appname"]["data"], "Vigil", "{n:#}");
    assert_eq!(n["id"]["data"], id, "{n:#}");
    assert_eq!(n["default_action_name"]["data"], "default", "{n:#}");
    let body = n["body"]["data"].as_str().unwrap_or_default();
    assert!(body.starts_with("2 person, 1 car"), "{n:#}");
}

#[test]
fn clicking_a_notification_reports_its_alert() {
    require(&["dbus-daemon", "dbus-send", "Xvfb", "dunst", "dunstctl"]);
    let mut s = Session::new();
    let addr = s.start_bus();
    let display = s.start_xvfb();
    s.start_dunst(&display, &addr);
    let a = addr.clone();
    let out = run_child_with("child_waits_for_a_click", &addr, move || {
        wait_until("dunst to display the notification", || {
            dunstctl(&a, &["count", "displayed"]).trim() == "1"
        });
        // What a click does: invoke the notification's default action.
        dunstctl(&a, &["action", "0"]);
    });
    assert!(out.contains("CLICKED=42"), "{out}");
}

#[test]
fn a_bus_without_a_notification_daemon_is_reported() {
    require(&["dbus-daemon", "dbus-send"]);
    let mut s = Session::new();
    let addr = s.start_bus();
    run_child("child_bus_without_daemon", &addr);
}

#[test]
fn no_session_bus_is_a_clean_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let addr = format!("unix:path={}", dir.path().join("nowhere/bus").display());
    run_child("child_no_bus", &addr);
}

// ---------------------------------------------------------------------------------------------
// Children: run in the parent's session through `run_child`.

#[test]
#[ignore = "run by shows_a_real_notification_in_dunst in its own session"]
fn child_shows_through_desktop_backend() {
    if !is_child() {
        return;
    }
    let backend = DesktopBackend::new("Vigil");
    let first = backend.show(&rendered(TITLE, "A person & a <dog> at the door", 1), None);
    let id = first.unwrap_or_else(|e| panic!("show failed: {e}"));
    assert!(id > 0);
    let group = rendered(GROUP_TITLE, "2 person, 1 car\nFirst at 14:02:11", 3);
    let replaced = backend.show(&group, Some(id));
    assert_eq!(replaced, Ok(id), "replacing keeps the id");
    println!("NOTIFICATION_ID={id}");
}

#[test]
#[ignore = "run by clicking_a_notification_reports_its_alert in its own session"]
fn child_waits_for_a_click() {
    if !is_child() {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let backend = DesktopBackend::new("Vigil").on_click(std::sync::Arc::new(move |id| {
        if let Ok(tx) = tx.lock() {
            let _ = tx.send(id);
        }
    }));
    let mut n = rendered(TITLE, "Click me", 1);
    n.alert_id = 42;
    backend
        .show(&n, None)
        .unwrap_or_else(|e| panic!("show failed: {e}"));
    let clicked = rx
        .recv_timeout(Duration::from_secs(8))
        .unwrap_or_else(|e| panic!("no click reported: {e}"));
    println!("CLICKED={clicked}");
}

#[test]
#[ignore = "run by a_bus_without_a_notification_daemon_is_reported"]
fn child_bus_without_daemon() {
    if !is_child() {
        return;
    }
    let err = DesktopBackend::new("Vigil")
        .show(&rendered(TITLE, "body", 1), None)
        .expect_err("no daemon, no notification");
    println!("error: {err}");
    assert!(err.contains("org.freedesktop.Notifications"), "{err}");
    assert!(err.contains("ServiceUnknown"), "{err}");
    check_unavailable_through_notifications();
}

#[test]
#[ignore = "run by no_session_bus_is_a_clean_error"]
fn child_no_bus() {
    if !is_child() {
        return;
    }
    let err = DesktopBackend::new("Vigil")
        .show(&rendered(TITLE, "body", 1), None)
        .expect_err("no bus, no notification");
    println!("error: {err}");
    assert!(err.contains("org.freedesktop.Notifications"), "{err}");
    assert!(err.contains("nowhere/bus"), "the address is named: {err}");
    check_unavailable_through_notifications();
}

fn check_unavailable_through_notifications() {
    let n = Notifications::start(
        NotifyConfig::default(),
        Arc::new(DesktopBackend::new("Vigil")),
        Arc::new(vigil_base::SystemClock),
    );
    let t = Instant::now();
    for cam in 0..5 {
        n.offer(AlertNotice {
            alert_id: cam,
            camera_id: Some(cam),
            camera_name: None,
            kind: "camera_offline".into(),
            label: None,
            severity: Severity::Critical,
            title: "Camera offline".into(),
            body: String::new(),
            at_ms: 0,
        });
    }
    assert!(
        t.elapsed() < Duration::from_millis(100),
        "offer must not wait"
    );
    assert!(n.flush_timeout(WAIT));
    let s = n.stats();
    assert_eq!(s.available, Some(false), "{s:?}");
    assert_eq!((s.failed, s.skipped, s.shown), (1, 4, 0), "{s:?}");
    let e = s.last_error.unwrap_or_default();
    assert!(e.contains("org.freedesktop.Notifications"), "{e}");
}

fn is_child() -> bool {
    let child = std::env::var_os(CHILD_ENV).is_some();
    if !child {
        eprintln!("skipped: only meaningful when run by its parent test");
    }
    child
}

fn rendered(title: &str, body: &str, count: usize) -> Rendered {
    Rendered {
        title: title.into(),
        body: body.into(),
        severity: Severity::Warning,
        alert_id: 1,
        camera_id: Some(1),
        count,
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A private session: a temp dir and the daemons started in it, stopped when dropped.
struct Session {
    dir: tempfile::TempDir,
    procs: Vec<(&'static str, Child)>,
}

impl Session {
    fn new() -> Session {
        Session {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
            procs: Vec::new(),
        }
    }

    fn spawn(&mut self, name: &'static str, cmd: &mut Command, stdout: Stdio) -> &mut Child {
        let log = File::create(self.dir.path().join(format!("{name}.log")))
            .unwrap_or_else(|e| panic!("log file: {e}"));
        let child = cmd
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        self.procs.push((name, child));
        &mut self.procs.last_mut().unwrap_or_else(|| unreachable!()).1
    }

    /// How the newest process ended, if it did.
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.procs
            .last_mut()
            .and_then(|(_, c)| c.try_wait().ok().flatten())
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    /// A session bus on a socket in the temp dir; returns its address once it answers. Its config
    /// has no service directories: the stock session config would start (D-Bus-activate) the
    /// installed dunst whenever a notification is sent, and there would never be "no daemon".
    fn start_bus(&mut self) -> String {
        let addr = format!("unix:path={}", self.dir.path().join("bus").display());
        let config = self.dir.path().join("bus.conf");
        std::fs::write(&config, BUS_CONFIG.replace("ADDRESS", &addr))
            .unwrap_or_else(|e| panic!("bus.conf: {e}"));
        self.spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--nopidfile"]),
            Stdio::null(),
        );
        let deadline = Instant::now() + WAIT;
        while bus_call(&addr, &["org.freedesktop.DBus.GetId"]).is_none() {
            let exited = self.exited();
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "dbus-daemon did not start ({exited:?}):\n{}",
                    self.log("dbus-daemon")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        addr
    }

    /// Xvfb on a free display it picks itself (`-displayfd`); returns `:N` once it is ready.
    fn start_xvfb(&mut self) -> String {
        let mut cmd = Command::new("Xvfb");
        cmd.args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg("640x480x24");
        let child = self.spawn("xvfb", &mut cmd, Stdio::piped());
        let mut stdout = child.stdout.take().unwrap_or_else(|| unreachable!());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut s = String::new();
            let mut buf = [0u8; 16];
            while !s.contains('\n') {
                match stdout.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => s.push_str(&String::from_utf8_lossy(&buf[..n])),
                }
            }
            let _ = tx.send(s);
        });
        let n = rx.recv_timeout(WAIT).unwrap_or_default();
        let n = n.trim();
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            panic!("Xvfb reported no display: {n:?}\n{}", self.log("xvfb"));
        }
        format!(":{n}")
    }

    /// dunst (default settings) on `display`, serving notifications on the bus at `addr`.
    fn start_dunst(&mut self, display: &str, addr: &str) {
        let config = self.dir.path().join("dunstrc");
        std::fs::write(&config, "# defaults\n").unwrap_or_else(|e| panic!("dunstrc: {e}"));
        self.spawn(
            "dunst",
            Command::new("dunst")
                .arg("-config")
                .arg(&config)
                .env("DISPLAY", display)
                .env("DBUS_SESSION_BUS_ADDRESS", addr),
            Stdio::null(),
        );
        let deadline = Instant::now() + WAIT;
        loop {
            let owned = bus_call(
                addr,
                &[
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.Notifications",
                ],
            );
            if owned.is_some_and(|o| o.contains("boolean true")) {
                return;
            }
            let exited = self.exited();
            if exited.is_some() || Instant::now() > deadline {
                panic!(
                    "dunst did not take org.freedesktop.Notifications ({exited:?}):\n{}",
                    self.log("dunst")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Newest first (dunst before its display and bus); TERM lets Xvfb remove its lock file.
        for (_, child) in self.procs.iter_mut().rev() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + Duration::from_secs(2);
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A session bus without service activation, listening on `ADDRESS`.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>ADDRESS</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// Fail clearly when a tool is missing: this test must not pass without having run.
fn require(tools: &[&str]) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| !std::env::split_paths(&path).any(|d| is_executable(&d.join(t))))
        .collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?}: install the Debian packages dbus, xvfb and dunst \
         (scripts/dev.sh installs them)"
    );
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Call a method of the bus itself; the reply on success.
fn bus_call(addr: &str, method_and_args: &[&str]) -> Option<String> {
    let out = Command::new("dbus-send")
        .arg(format!("--bus={addr}"))
        .args([
            "--print-reply",
            "--reply-timeout=1000",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
        ])
        .args(method_and_args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn dunstctl(addr: &str, args: &[&str]) -> String {
    let out = Command::new("dunstctl")
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", addr)
        .output()
        .unwrap_or_else(|e| panic!("dunstctl: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Run one `child_*` test of this executable on the bus at `addr`; its output, once it passed.
fn run_child(test: &str, addr: &str) -> String {
    run_child_with(test, addr, || {})
}

/// As [`run_child`], doing `during` while the child runs.
fn run_child_with(test: &str, addr: &str, during: impl FnOnce()) -> String {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    let mut child = Command::new(exe)
        .args([
            "--exact",
            test,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .env("DBUS_SESSION_BUS_ADDRESS", addr)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("running the child test: {e}"));
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let _ = r.read_to_string(&mut s);
            }
            s
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    during();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break Some(st);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let all = format!("--- stdout\n{out}\n--- stderr\n{err}");
    assert!(
        status.is_some_and(|s| s.success()),
        "child test {test} failed ({status:?}):\n{all}"
    );
    assert!(
        out.contains("1 passed"),
        "child test {test} did not run:\n{all}"
    );
    all
}
