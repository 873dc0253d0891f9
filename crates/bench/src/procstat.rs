//! CPU time and resident memory of processes, read from /proc (Linux).

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
