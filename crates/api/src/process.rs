//! The process's own CPU time and resident memory for `/metrics`, under the names every
//! Prometheus client library uses (`process_cpu_seconds_total`, `process_resident_memory_bytes`),
//! so the System page and any Prometheus dashboard read them without knowing Vigil. Read from
//! `/proc/self` at scrape time (Linux; elsewhere they are left out rather than reported as zero).

/// CPU seconds (user + system) the whole process has used since it started.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_seconds_of(&stat, rustix::param::clock_ticks_per_second())
}

/// Resident memory in bytes.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    resident_bytes_of(&status)
}

/// utime + stime (fields 14 and 15 of `/proc/PID/stat`) in seconds. The command name (field 2)
/// may hold spaces and parentheses, so fields are counted after its last `)`.
fn cpu_seconds_of(stat: &str, ticks_per_second: u64) -> Option<f64> {
    let after = &stat[stat.rfind(')')? + 1..];
    let mut fields = after.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    if ticks_per_second == 0 {
        return None;
    }
    Some((utime + stime) as f64 / ticks_per_second as f64)
}

/// `VmRSS:   12345 kB` of `/proc/PID/status`.
fn resident_bytes_of(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line["VmRSS:".len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_after_an_awkward_command_name() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        let stat = "4242 (vigil (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0";
        assert_eq!(cpu_seconds_of(stat, 100), Some(3.0));
        assert_eq!(cpu_seconds_of("4242 (vigil) S 1", 100), None);
        assert_eq!(cpu_seconds_of(stat, 0), None);
    }

    #[test]
    fn parses_rss() {
        let status = "Name:\tvigil\nVmPeak:\t  9000 kB\nVmRSS:\t   2048 kB\nThreads:\t9\n";
        assert_eq!(resident_bytes_of(status), Some(2048 * 1024));
        assert_eq!(resident_bytes_of("Name:\tvigil\n"), None);
    }

    #[test]
    fn reads_this_process() {
        if cfg!(target_os = "linux") {
            assert!(resident_bytes().is_some_and(|b| b > 0));
            assert!(cpu_seconds().is_some_and(|s| s >= 0.0));
        }
    }
}
