// Why: footage per tier over time from /storage/usage as a hand-drawn SVG line chart, with a range switch and plain-text empty states (also for a server that does not have the endpoint yet).
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import { humanBytes, humanWhen } from './format';
import { CHART_BOX, buildChart } from './usageChart';
import { useUsageHistory } from './useStorage';

const RANGES = [
  { ms: 86_400_000, label: '24 h' },
  { ms: 7 * 86_400_000, label: '7 days' },
  { ms: 30 * 86_400_000, label: '30 days' },
] as const;

interface Props {
  api: ApiClient;
  /** A tier's colour, shared with its bar. */
  colorOf: (tier: string, index: number) => string;
}

/** The element's width in CSS pixels, kept up to date (the default where ResizeObserver is missing, as in jsdom). */
function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.round(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

export function UsageChart({ api, colorOf }: Props) {
  const [rangeMs, setRangeMs] = useState<number>(RANGES[1].ms);
  const q = useUsageHistory(api, rangeMs);
  const toMs = q.dataUpdatedAt || Date.now();
  const fromMs = toMs - rangeMs;
  const samples = q.data?.samples;
  // Drawn at the size it is shown, so the labels keep their size at any width.
  const frame = useRef<HTMLDivElement>(null);
  const measured = useWidth(frame, CHART_BOX.width);
  const box = useMemo(() => ({ ...CHART_BOX, width: Math.max(320, measured) }), [measured]);
  const model = useMemo(() => (samples ? buildChart(samples, fromMs, toMs, box) : null), [samples, fromMs, toMs, box]);
  const err = q.error ? toApiError(q.error) : null;
  // An older server has no usage history: say so instead of failing.
  const missing = err !== null && (err.status === 404 || err.status === 405);
  const { width, height, left, right, top, bottom } = box;
  const label = model
    ? `Footage per tier over the last ${RANGES.find((r) => r.ms === rangeMs)?.label}: ${model.series
        .map((s) => `${s.tier} ${s.last ? humanBytes(s.last.bytes) : 'no samples'}`)
        .join(', ')}`
    : 'Usage over time';

  return (
    <section className="st-chart card" aria-labelledby="st-chart-h" data-testid="usage-chart">
      <div className="st-section-head">
        <h3 id="st-chart-h">Usage over time</h3>
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button
              key={r.ms}
              type="button"
              className={`btn btn-small ${rangeMs === r.ms ? 'is-active' : ''}`}
              aria-pressed={rangeMs === r.ms}
              onClick={() => setRangeMs(r.ms)}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <div ref={frame} className="st-chart-frame">
      {missing ? (
        <p className="muted small st-chart-empty" data-testid="usage-unavailable">
          This server does not keep a usage history yet.
        </p>
      ) : err ? (
        <p className="field-error" role="alert" data-testid="usage-error">
          {err.code}: {err.message}
        </p>
      ) : !model ? (
        <p className="muted small st-chart-empty">Loading…</p>
      ) : model.empty ? (
        <p className="muted small st-chart-empty" data-testid="usage-empty">
          No samples in this range yet: one is taken per tier at every maintenance pass.
        </p>
      ) : (
        <>
          <svg
            className="st-chart-svg"
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-label={label}
            data-testid="usage-chart-svg"
          >
            {model.yTicks.map((t) => (
              <g key={t.pos}>
                <line x1={left} x2={width - right} y1={t.pos} y2={t.pos} className="st-grid-line" />
                <text x={left - 6} y={t.pos + 4} textAnchor="end" className="st-axis-label">
                  {t.label}
                </text>
              </g>
            ))}
            {model.xTicks.map((t) => (
              <g key={t.pos}>
                <line x1={t.pos} x2={t.pos} y1={top} y2={height - bottom} className="st-grid-line st-grid-x" />
                <text x={t.pos} y={height - bottom + 15} textAnchor="middle" className="st-axis-label">
                  {t.label}
                </text>
              </g>
            ))}
            {model.series.map((s, i) => (
              <g key={s.tier} data-testid={`usage-series-${s.tier}`} data-points={s.points.length}>
                {s.points.length > 1 && <path d={s.path} fill="none" stroke={colorOf(s.tier, i)} strokeWidth={2} />}
                {s.last && (
                  <circle cx={s.last.x} cy={s.last.y} r={3} fill={colorOf(s.tier, i)}>
                    <title>
                      {s.tier}: {humanBytes(s.last.bytes)} at {humanWhen(s.last.atMs)}
                    </title>
                  </circle>
                )}
              </g>
            ))}
          </svg>
          <ul className="st-chart-legend small">
            {model.series.map((s, i) => (
              <li key={s.tier}>
                <span className="st-swatch" style={{ background: colorOf(s.tier, i) }} aria-hidden="true" /> {s.tier}{' '}
                <span className="muted">{s.last ? humanBytes(s.last.bytes) : '—'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      </div>
    </section>
  );
}
