//! Frame pacing by presentation time, shared by live view (a rate per quality) and detection
//! (`detect_fps`): which decoded frames to take so the long-run rate is the target.

/// Picks frames for one output rate by presentation time: a frame is taken once the schedule
/// reaches it (with a quarter-interval allowance for timestamp jitter), and the schedule then
/// advances by one interval, so the long-run rate is the target whatever the arrival pattern.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pacer {
    next_due: Option<i64>,
    last: Option<i64>,
}

/// A jump of more than this between two frames restarts the schedule (a gap or a new timeline).
const RESYNC_US: i64 = 5_000_000;

impl Pacer {
    pub fn reset(&mut self) {
        *self = Pacer::default();
    }

    /// Whether the frame at `t` µs is taken at one frame per `interval` µs.
    pub fn due(&mut self, t: i64, interval: i64) -> bool {
        if let Some(last) = self.last
            && (t < last || t - last > RESYNC_US)
        {
            self.next_due = None;
        }
        self.last = Some(t);
        match self.next_due {
            Some(due) if t < due - interval / 4 => false,
            Some(due) => {
                let next = due + interval;
                self.next_due = Some(if next <= t { t + interval } else { next });
                true
            }
            None => {
                self.next_due = Some(t + interval);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(source_fps: i64, target_fps: i64, secs: i64) -> usize {
        let mut p = Pacer::default();
        let (step, interval) = (1_000_000 / source_fps, 1_000_000 / target_fps);
        (0..source_fps * secs)
            .filter(|i| p.due(i * step, interval))
            .count()
    }

    #[test]
    fn pacing_keeps_the_target_rate() {
        // 10 s of media: the target rate, give or take the frame at the edge.
        for (source, target) in [(25, 5), (25, 10), (25, 15), (30, 15), (30, 10), (50, 15)] {
            let n = taken(source, target, 10) as i64;
            assert!(
                (n - target * 10).abs() <= 1,
                "{source} -> {target} fps: {n}"
            );
        }
        // A slower source: every frame.
        assert_eq!(taken(10, 15, 10), 100);
        assert_eq!(taken(10, 10, 10), 100);
    }

    #[test]
    fn jitter_does_not_halve_the_rate() {
        let mut p = Pacer::default();
        let jitter = [0, -900, 700, -300, 1_000];
        let n = (0..100)
            .filter(|&i| p.due(i * 100_000 + jitter[i as usize % 5], 100_000))
            .count();
        assert_eq!(n, 100);
    }

    #[test]
    fn timeline_jumps_restart_the_schedule() {
        let mut p = Pacer::default();
        assert!(p.due(10_000_000, 200_000));
        assert!(!p.due(10_040_000, 200_000));
        // Backwards (a looped file): taken at once.
        assert!(p.due(0, 200_000));
        assert!(!p.due(40_000, 200_000));
        // Far forward: taken at once.
        assert!(p.due(60_000_000, 200_000));
    }
}
