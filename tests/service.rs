//! Vigil as a systemd service, where systemd itself does not run (CI containers): the unit
//! `vigil service` writes passes `systemd-analyze verify` without a complaint, and `vigil serve`
//! speaks the notification protocol to a socket standing in for systemd's — `READY=1` once it
//! serves, `WATCHDOG=1` at half the asked interval while the engine is alive, `STOPPING=1` on
//! SIGTERM.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::Duration;

fn vigil() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
}

/// `systemd-analyze verify` exits 0 even for bad keys; it complains on stderr, naming the file.
fn verify(unit: &std::path::Path) {
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(unit)
        .output()
        .expect("systemd-analyze (Debian's systemd package; scripts/dev.sh setup installs it)");
    let err = String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("vigil.service"))
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "{}: {err}",
        unit.display()
    );
}

#[test]
fn the_units_pass_systemd_analyze_verify() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigil()
        .args(["service", "install", "--user", "--no-enable", "--unit-dir"])
        .arg(dir.path().join("user"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let user = dir.path().join("user/vigil.service");
    verify(&user);
    assert!(
        std::fs::read_to_string(&user)
            .unwrap()
            .contains("Type=notify")
    );

    let out = vigil().args(["service", "unit"]).output().unwrap();
    assert!(out.status.success());
    let system = dir.path().join("system");
    std::fs::create_dir_all(&system).unwrap();
    std::fs::write(system.join("vigil.service"), &out.stdout).unwrap();
    verify(&system.join("vigil.service"));

    // A unit with a mistake is caught by the same check.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace("WatchdogSec=60", "WatchdogSec=soon");
    std::fs::write(bad.join("vigil.service"), text).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(bad.join("vigil.service"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("vigil.service"));

    // Uninstall removes what install wrote (systemctl is not asked to enable anything here).
    let out = vigil()
        .args(["service", "uninstall", "--user", "--unit-dir"])
        .arg(dir.path().join("user"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!user.exists());
}

#[test]
fn serve_notifies_ready_pings_the_watchdog_and_says_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let sock_path = dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut child = vigil()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env("NOTIFY_SOCKET", &sock_path)
        .env("WATCHDOG_USEC", "1000000")
        .env("VIGIL_CREDENTIAL_STORE", "file")
        .env("VIGIL_RTMP_LISTEN", "127.0.0.1:0")
        .env("VIGIL_DETECTION", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 512];
    let mut recv = || {
        let n = sock.recv(&mut buf).expect("a notification within 30 s");
        String::from_utf8_lossy(&buf[..n]).to_string()
    };
    let ready = recv();
    assert!(
        ready.starts_with("READY=1\nSTATUS=serving http://127.0.0.1:"),
        "{ready:?}"
    );
    // Pings at half of WATCHDOG_USEC (1 s), while the engine is alive.
    for _ in 0..3 {
        assert_eq!(recv(), "WATCHDOG=1");
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let mut said = recv();
    while said == "WATCHDOG=1" {
        said = recv();
    }
    assert_eq!(said, "STOPPING=1");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
