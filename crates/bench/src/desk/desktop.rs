//! A private desktop for the `desk` bench, so Vigil's desktop notifications are really shown
//! rather than failing for want of a desktop: a session bus (`dbus-daemon`, no service
//! activation) in a temp dir, `Xvfb` on a display it picks, and `dunst` serving
//! `org.freedesktop.Notifications` on that bus — the set-up of `crates/notify/tests/desktop.rs`.
//! `dbus-monitor` on the same bus counts the `Notify` calls that reach the desktop, a count
//! independent of Vigil's own `/metrics`. Everything is stopped when the value is dropped.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::live::now_ms;

/// The programs the desktop needs (Debian packages dbus, dbus-bin, xvfb, dunst).
pub const TOOLS: &[&str] = &["dbus-daemon", "dbus-send", "dbus-monitor", "Xvfb", "dunst"];

const WAIT: Duration = Duration::from_secs(10);

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

/// The tools of [`TOOLS`] not found on `PATH`.
pub fn missing_tools() -> Vec<&'static str> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    TOOLS
        .iter()
        .copied()
        .filter(|t| !std::env::split_paths(&path).any(|d| is_executable(&d.join(t))))
        .collect()
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The running desktop.
pub struct Desktop {
    dir: tempfile::TempDir,
    /// Started processes, oldest first.
    procs: Vec<(&'static str, Child)>,
    /// The bus address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub addr: String,
    /// Wall ms at which dbus-monitor printed each `Notify` call.
    notify_calls: Arc<Mutex<Vec<f64>>>,
}

impl Desktop {
    /// Start the bus, Xvfb, dunst and the monitor; fails with the daemon's log if one does not
    /// come up.
    pub fn start() -> Result<Desktop> {
        let mut d = Desktop {
            dir: tempfile::tempdir()?,
            procs: Vec::new(),
            addr: String::new(),
            notify_calls: Arc::default(),
        };
        d.start_bus()?;
        let display = d.start_xvfb()?;
        d.start_dunst(&display)?;
        d.start_monitor()?;
        Ok(d)
    }

    /// `Notify` calls seen on the bus with wall time in `[from_ms, to_ms)`.
    pub fn notify_calls(&self, from_ms: f64, to_ms: f64) -> usize {
        self.notify_calls
            .lock()
            .map(|v| v.iter().filter(|&&t| t >= from_ms && t < to_ms).count())
            .unwrap_or(0)
    }

    fn spawn(
        &mut self,
        name: &'static str,
        cmd: &mut Command,
        stdout: Stdio,
    ) -> Result<&mut Child> {
        let log = File::create(self.dir.path().join(format!("{name}.log")))?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        self.procs.push((name, child));
        match self.procs.last_mut() {
            Some((_, c)) => Ok(c),
            None => bail!("{name} vanished"),
        }
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    /// Whether the newest process has exited.
    fn exited(&mut self) -> bool {
        self.procs
            .last_mut()
            .is_some_and(|(_, c)| matches!(c.try_wait(), Ok(Some(_))))
    }

    /// Poll `ready` until it holds, the newest process exits, or [`WAIT`] passes.
    fn wait_for(&mut self, name: &str, mut ready: impl FnMut(&str) -> bool) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while !ready(&self.addr) {
            if self.exited() || Instant::now() > deadline {
                bail!("{name} did not start:\n{}", self.log(name));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    fn start_bus(&mut self) -> Result<()> {
        self.addr = format!("unix:path={}", self.dir.path().join("bus").display());
        let config = self.dir.path().join("bus.conf");
        std::fs::write(&config, BUS_CONFIG.replace("ADDRESS", &self.addr))?;
        self.spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--nopidfile"]),
            Stdio::null(),
        )?;
        self.wait_for("dbus-daemon", |addr| {
            bus_call(addr, &["org.freedesktop.DBus.GetId"]).is_some()
        })
    }

    /// Xvfb on a free display it picks itself (`-displayfd`); returns `:N`.
    fn start_xvfb(&mut self) -> Result<String> {
        let mut cmd = Command::new("Xvfb");
        cmd.args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
            .arg("640x480x24");
        let child = self.spawn("xvfb", &mut cmd, Stdio::piped())?;
        let mut stdout = child.stdout.take().context("Xvfb's stdout")?;
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
            bail!("Xvfb reported no display ({n:?}):\n{}", self.log("xvfb"));
        }
        Ok(format!(":{n}"))
    }

    /// dunst with default settings on `display`, serving notifications on the bus.
    fn start_dunst(&mut self, display: &str) -> Result<()> {
        let config = self.dir.path().join("dunstrc");
        std::fs::write(&config, "# defaults\n")?;
        let addr = self.addr.clone();
        self.spawn(
            "dunst",
            Command::new("dunst")
                .arg("-config")
                .arg(&config)
                .env("DISPLAY", display)
                .env("DBUS_SESSION_BUS_ADDRESS", &addr),
            Stdio::null(),
        )?;
        self.wait_for("dunst", |addr| {
            bus_call(
                addr,
                &[
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.Notifications",
                ],
            )
            .is_some_and(|o| o.contains("boolean true"))
        })
    }

    /// dbus-monitor of the `Notify` method calls; a thread stamps each as it is printed.
    fn start_monitor(&mut self) -> Result<()> {
        let addr = self.addr.clone();
        let child = self.spawn(
            "dbus-monitor",
            Command::new("dbus-monitor")
                .arg("--address")
                .arg(&addr)
                .arg(
                    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                ),
            Stdio::piped(),
        )?;
        let stdout = child.stdout.take().context("dbus-monitor's stdout")?;
        let (calls, (tx, rx)) = (self.notify_calls.clone(), mpsc::channel());
        std::thread::spawn(move || {
            let mut started = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Its first lines are its own NameAcquired/NameLost: it is listening.
                if let Some(tx) = started.take() {
                    let _ = tx.send(());
                }
                if line.starts_with("method call")
                    && line.contains("member=Notify")
                    && let Ok(mut c) = calls.lock()
                {
                    c.push(now_ms());
                }
            }
        });
        if rx.recv_timeout(WAIT).is_err() {
            bail!(
                "dbus-monitor printed nothing:\n{}",
                self.log("dbus-monitor")
            );
        }
        Ok(())
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Newest first (the monitor and dunst before their display and bus); TERM lets Xvfb
        // remove its lock file.
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
