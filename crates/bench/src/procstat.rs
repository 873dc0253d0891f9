//! CPU time and resident memory of processes, and how busy the rest of the machine is, read
//! from /proc (Linux).

use anyhow::{Context, Result};

/// User + system CPU seconds of `pids` and their reaped children.
pub fn cpu_seconds(pids: &[u32]) -> Result<f64> {
    let tick = clk_tck();
    let mut total = 0.0;
    for pid in pids {
        let s = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .with_context(|| format!("process {pid}"))?;
        // Fields after the command name (which may contain spaces) start after the last ')'.
        let rest = s.rsplit_once(')').map(|r| r.1).context("stat format")?;
        let f: Vec<&str> = rest.split_whitespace().collect();
        // utime, stime, cutime, cstime are fields 14–17 of stat; here at 11–14.
        for i in 11..=14 {
            total += f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / tick;
        }
    }
    Ok(total)
}

/// User + system CPU seconds of the whole machine since boot (/proc/stat), all cores summed.
pub fn machine_busy_seconds() -> Result<f64> {
    let s = std::fs::read_to_string("/proc/stat")?;
    let line = s.lines().next().context("/proc/stat is empty")?;
    let f: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| f.get(i).copied().unwrap_or(0.0))
        .sum();
    Ok(busy / clk_tck())
}

/// CPU used by everything but `pids` (and their reaped children) between `start` and now: how
/// busy the rest of a shared machine was during a measurement.
pub struct OtherLoad {
    pids: Vec<u32>,
    machine: f64,
    ours: f64,
    at: std::time::Instant,
}

impl OtherLoad {
    pub fn start(pids: &[u32]) -> Result<OtherLoad> {
        Ok(OtherLoad {
            pids: pids.to_vec(),
            machine: machine_busy_seconds()?,
            ours: cpu_seconds(pids)?,
            at: std::time::Instant::now(),
        })
    }

    /// CPU seconds of the other processes so far.
    pub fn seconds(&self) -> Result<f64> {
        let machine = machine_busy_seconds()? - self.machine;
        let ours = cpu_seconds(&self.pids)? - self.ours;
        Ok((machine - ours).max(0.0))
    }

    pub fn elapsed_s(&self) -> f64 {
        self.at.elapsed().as_secs_f64()
    }

    /// The same as % of one core over the time since `start`.
    pub fn pct(&self) -> Result<f64> {
        Ok(self.seconds()? / self.elapsed_s() * 100.0)
    }
}

pub fn rss_kb(pid: u32) -> Result<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("VmRSS")
}

fn clk_tck() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Waits, up to `max`, until the processes other than this one used less than `pct`% of one core
/// over 2 s (a shared machine's builds and tests come and go). Returns the last reading.
pub fn wait_quiet(pct: f64, max: std::time::Duration) -> Result<f64> {
    let start = std::time::Instant::now();
    let mut said = false;
    loop {
        let load = OtherLoad::start(&[std::process::id()])?;
        std::thread::sleep(std::time::Duration::from_secs(2));
        let now = load.pct()?;
        if now < pct || start.elapsed() >= max {
            if said {
                eprintln!(
                    "   other load {now:.0}% after {:.0} s",
                    start.elapsed().as_secs_f64()
                );
            }
            return Ok(now);
        }
        if !said {
            eprintln!("   waiting for a quieter machine (other processes at {now:.0}% of a core)");
            said = true;
        }
    }
}

/// CPU seconds (user + system) of each live thread of `pid`, summed by thread name with
/// trailing digits and separators dropped (`tokio-runtime-worker`, `rec-12` → `rec`): where a
/// process spends its time. Threads that ended are not listed (their time stays in
/// [`cpu_seconds`] of the process).
pub fn threads(pid: u32) -> Result<std::collections::BTreeMap<String, f64>> {
    let tick = clk_tck();
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let Ok(s) = std::fs::read_to_string(e?.path().join("stat")) else {
            continue; // ended while listed
        };
        let (Some(open), Some((head, rest))) = (s.find('('), s.rsplit_once(')')) else {
            continue;
        };
        let name = head[open + 1..]
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == ':' || c == '#')
            .to_string();
        let f: Vec<&str> = rest.split_whitespace().collect();
        let cpu: f64 = (11..=12)
            .map(|i| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / tick)
            .sum();
        *out.entry(name).or_insert(0.0) += cpu;
    }
    Ok(out)
}
