//! The timeline of a camera over a window: recorded spans (contiguous segments merged) and the gaps
//! between them, explicit, so the operator sees exactly when nothing was recorded.

use serde::Serialize;
use vigil_db::recordings::RecordingRow;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timeline {
    pub segments: Vec<Span>,
    pub gaps: Vec<Span>,
}

/// Segments closer than `join_ms` are one span; a gap is reported only if at least `min_gap_ms`.
/// The window is clipped to `now_ms` so the future is not a gap.
pub fn build(
    rows: &[RecordingRow],
    start_ms: i64,
    end_ms: i64,
    now_ms: i64,
    join_ms: i64,
) -> Timeline {
    let end = end_ms.min(now_ms).max(start_ms);
    let mut spans: Vec<Span> = vec![];
    let mut sorted: Vec<&RecordingRow> = rows.iter().filter(|r| r.state != "missing").collect();
    sorted.sort_by_key(|r| r.start_ms);
    for r in sorted {
        let (s, e) = (r.start_ms.max(start_ms), r.end_ms.min(end));
        if e <= s {
            continue;
        }
        match spans.last_mut() {
            Some(last) if s - last.end_ms <= join_ms => last.end_ms = last.end_ms.max(e),
            _ => spans.push(Span {
                start_ms: s,
                end_ms: e,
            }),
        }
    }
    let mut gaps = vec![];
    let mut cursor = start_ms;
    for sp in &spans {
        if sp.start_ms - cursor > join_ms {
            gaps.push(Span {
                start_ms: cursor,
                end_ms: sp.start_ms,
            });
        }
        cursor = sp.end_ms;
    }
    if end - cursor > join_ms {
        gaps.push(Span {
            start_ms: cursor,
            end_ms: end,
        });
    }
    Timeline {
        segments: spans,
        gaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playlist::tests::row;

    #[test]
    fn merges_contiguous_and_reports_gaps() {
        let rows = vec![row(1, 10_000, 60), row(2, 70_500, 60), row(3, 200_000, 60)];
        let t = build(&rows, 0, 300_000, 280_000, 1_500);
        assert_eq!(
            t.segments,
            vec![
                Span {
                    start_ms: 10_000,
                    end_ms: 130_500
                },
                Span {
                    start_ms: 200_000,
                    end_ms: 260_000
                }
            ]
        );
        assert_eq!(
            t.gaps,
            vec![
                Span {
                    start_ms: 0,
                    end_ms: 10_000
                },
                Span {
                    start_ms: 130_500,
                    end_ms: 200_000
                },
                Span {
                    start_ms: 260_000,
                    end_ms: 280_000
                }
            ]
        );
    }
}
