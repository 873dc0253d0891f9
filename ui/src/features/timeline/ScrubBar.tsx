// Why: the scrub bar on screen — recorded spans, gaps (only after the camera's first footage), markers with a tooltip that never sticks, and the playhead over a zoomable view; click or drag to seek, shift-drag to select, wheel to zoom at the cursor.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, PointerEvent as ReactPointerEvent, ReactNode, RefObject } from 'react';
import { clusterMarkers } from './markers';
import type { MarkerCluster } from './markers';
import { clusterKey, closeTip, openTip, tipAfterRender, tipCluster } from './markerTip';
import type { OpenTip } from './markerTip';
import {
  clockLabel,
  localOffset,
  msToPx,
  panView,
  preciseLabel,
  pxToMs,
  snapTime,
  spanOf,
  spanRects,
  ticks,
  wheelZoomFactor,
  zoomView,
} from './timeMath';
import type { OffsetFn, Range } from './timeMath';
import type { TimelineMarker, TimelineSpan } from './types';

export interface ScrubBarProps {
  view: Range;
  /** The day: how far the view may pan and zoom out. */
  bounds: Range;
  nowMs: number;
  segments: readonly TimelineSpan[];
  /** Real gaps only: between the camera's first footage and now (see footage.ts paintEmpty). */
  gaps: readonly Range[];
  /** Before the camera's first footage: painted neutral, not as a gap. */
  beforeFootage?: Range | null;
  /** Where the camera's footage begins (for the neutral stretch's title); +Infinity: none yet. */
  firstFootageMs?: number | null;
  markers: readonly TimelineMarker[];
  playheadMs: number | null;
  selection: Range | null;
  /** Kept (locked) footage, drawn as a band under the recorded spans. */
  kept?: readonly Range[];
  offset?: OffsetFn;
  onViewChange: (v: Range) => void;
  /** While dragging: the instant under the pointer. */
  onScrub: (ms: number) => void;
  /** A click, the end of a drag, or a key: go there. */
  onSeek: (ms: number) => void;
  onSelect: (r: Range | null) => void;
  onMarkerClick: (m: TimelineMarker) => void;
  renderMarkerTip?: (c: MarkerCluster) => ReactNode;
}

const toRange = (s: TimelineSpan): Range => ({ startMs: s.start_ms, endMs: s.end_ms });
const NO_KEPT: readonly Range[] = [];

/** Width of an element, kept up to date (a fixed guess where ResizeObserver is missing, as in jsdom). */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = el.getBoundingClientRect().width;
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

type Drag =
  | { kind: 'scrub'; pointerId: number; moved: boolean }
  | { kind: 'select'; pointerId: number; anchor: number }
  | { kind: 'pan'; pointerId: number; lastX: number };

export const ScrubBar = memo(function ScrubBar(p: ScrubBarProps) {
  const offset = p.offset ?? localOffset;
  const [barRef, width] = useWidth<HTMLDivElement>();
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [openedTip, setTip] = useState<OpenTip | null>(null);
  const drag = useRef<Drag | null>(null);
  const latest = useRef(p);
  latest.current = p;

  const segRanges = useMemo(() => p.segments.map(toRange), [p.segments]);
  const keptRanges = p.kept ?? NO_KEPT;
  const gapRanges = p.gaps;
  const segRects = useMemo(() => spanRects(segRanges, p.view, width), [segRanges, p.view, width]);
  const gapRects = useMemo(() => spanRects(gapRanges, p.view, width), [gapRanges, p.view, width]);
  const keptRects = useMemo(() => spanRects(keptRanges, p.view, width, 2), [keptRanges, p.view, width]);
  const tickSet = useMemo(() => ticks(p.view, width, offset), [p.view, width, offset]);
  const clusters = useMemo(() => clusterMarkers(p.markers, p.view, width), [p.markers, p.view, width]);
  // The markers were drawn again (a refresh, the view following playback): a tooltip whose marker
  // is gone or has moved from under the pointer closes — no pointerleave would ever come for it.
  const liveTip = tipAfterRender(openedTip, clusters);
  useEffect(() => {
    if (liveTip !== openedTip) setTip(liveTip);
  }, [liveTip, openedTip]);
  const tip = tipCluster(liveTip, clusters);
  useTipDismiss(liveTip, barRef, () => {
    setTip(null);
    setHoverPx(null);
  });
  const snapTargets = useMemo(
    () => [...p.markers.map((m) => m.at_ms), ...p.segments.map((s) => s.start_ms)],
    [p.markers, p.segments],
  );

  const xOf = (e: { clientX: number }) => {
    const r = barRef.current?.getBoundingClientRect();
    return r ? Math.min(Math.max(0, e.clientX - r.left), r.width) : 0;
  };
  const msAt = (x: number, snap: boolean) => {
    const ms = pxToMs(p.view, width, x);
    return snap ? snapTime(ms, snapTargets, p.view, width) : ms;
  };

  // React registers wheel listeners as passive; zooming must prevent the page from scrolling.
  useEffect(() => {
    const el = barRef.current?.parentElement;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const cur = latest.current;
      const r = barRef.current?.getBoundingClientRect();
      if (!r) return;
      e.preventDefault();
      const w = r.width || 1;
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        const d = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY;
        cur.onViewChange(panView(cur.view, (d / w) * spanOf(cur.view), cur.bounds));
        return;
      }
      const anchor = pxToMs(cur.view, w, Math.min(Math.max(0, e.clientX - r.left), w));
      cur.onViewChange(zoomView(cur.view, wheelZoomFactor(e.deltaY, e.deltaMode), anchor, cur.bounds));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [barRef]);

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const x = xOf(e);
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    if (e.shiftKey) {
      const anchor = msAt(x, true);
      drag.current = { kind: 'select', pointerId: e.pointerId, anchor };
      p.onSelect({ startMs: anchor, endMs: anchor });
    } else {
      drag.current = { kind: 'scrub', pointerId: e.pointerId, moved: false };
      p.onScrub(msAt(x, true));
    }
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const x = xOf(e);
    setHoverPx(x);
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (d.kind === 'scrub') {
      d.moved = true;
      p.onScrub(msAt(x, false));
    } else if (d.kind === 'select') {
      const ms = msAt(x, true);
      p.onSelect({ startMs: Math.min(d.anchor, ms), endMs: Math.max(d.anchor, ms) });
    }
  };
  const onPointerUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    drag.current = null;
    const x = xOf(e);
    if (d.kind === 'scrub') p.onSeek(msAt(x, !d.moved));
    else if (d.kind === 'select') {
      const ms = msAt(x, true);
      const r = { startMs: Math.min(d.anchor, ms), endMs: Math.max(d.anchor, ms) };
      p.onSelect(r.endMs - r.startMs >= 1000 ? r : null);
    }
  };

  // Dragging the ruler pans the view.
  const onRulerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    drag.current = { kind: 'pan', pointerId: e.pointerId, lastX: e.clientX };
  };
  const onRulerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.kind !== 'pan' || d.pointerId !== e.pointerId) return;
    const dx = e.clientX - d.lastX;
    d.lastX = e.clientX;
    p.onViewChange(panView(p.view, (-dx / width) * spanOf(p.view), p.bounds));
  };
  const onRulerUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId === e.pointerId) drag.current = null;
  };

  const onKeyDown = useCallback(
    (e: ReactKeyboardEvent<HTMLDivElement>) => {
      const cur = latest.current;
      const at = cur.playheadMs ?? cur.view.startMs;
      const step = spanOf(cur.view) / (e.shiftKey ? 10 : 100);
      let handled = true;
      if (e.key === 'ArrowRight') cur.onSeek(Math.min(cur.bounds.endMs, at + step));
      else if (e.key === 'ArrowLeft') cur.onSeek(Math.max(cur.bounds.startMs, at - step));
      else if (e.key === '+' || e.key === '=') cur.onViewChange(zoomView(cur.view, 0.5, at, cur.bounds));
      else if (e.key === '-') cur.onViewChange(zoomView(cur.view, 2, at, cur.bounds));
      else handled = false;
      if (handled) e.preventDefault();
    },
    [],
  );

  const px = (ms: number) => msToPx(p.view, width, ms);
  const nowPx = px(p.nowMs);
  const playPx = p.playheadMs !== null ? px(p.playheadMs) : null;
  const showPlayhead = playPx !== null && playPx >= 0 && playPx <= width;
  const sel = p.selection;
  const selLeft = sel ? Math.max(0, px(sel.startMs)) : 0;
  const selRight = sel ? Math.min(width, px(sel.endMs)) : 0;
  const hoverMs = hoverPx !== null ? pxToMs(p.view, width, hoverPx) : null;
  const beforeRect = p.beforeFootage ? spanRects([p.beforeFootage], p.view, width, 0)[0] ?? null : null;
  const ff = p.firstFootageMs;
  const beforeTitle =
    ff == null || !Number.isFinite(ff)
      ? 'No footage yet: the camera has not recorded anything'
      : `No footage yet: the camera's footage begins ${new Date(ff).toLocaleString()}`;

  return (
    <div className="tl-scrub" data-testid="scrub">
      <div
        className="tl-ruler"
        onPointerDown={onRulerDown}
        onPointerMove={onRulerMove}
        onPointerUp={onRulerUp}
        onPointerCancel={onRulerUp}
        title="Drag to pan; wheel to zoom"
      >
        {tickSet.minor.map((x) => (
          <span key={`m${x}`} className="tl-tick tl-tick-minor" style={{ left: x }} />
        ))}
        {tickSet.major.map((t) => (
          <span key={t.ms} className="tl-tick tl-tick-major" style={{ left: t.px }}>
            <span className={`tl-tick-label ${t.px < 24 ? 'tl-at-start' : t.px > width - 24 ? 'tl-at-end' : ''}`}>{t.label}</span>
          </span>
        ))}
      </div>
      <div
        ref={barRef}
        className="tl-bar"
        role="slider"
        tabIndex={0}
        aria-label="Timeline: click or drag to seek, shift-drag to select, wheel to zoom"
        aria-valuemin={p.bounds.startMs}
        aria-valuemax={p.bounds.endMs}
        aria-valuenow={p.playheadMs ?? undefined}
        aria-valuetext={p.playheadMs !== null ? preciseLabel(p.playheadMs, offset) : 'no position'}
        data-testid="scrub-bar"
        data-view-start={Math.round(p.view.startMs)}
        data-view-end={Math.round(p.view.endMs)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
        onPointerLeave={() => setHoverPx(null)}
        onKeyDown={onKeyDown}
      >
        {nowPx < width && <div className="tl-future" data-testid="tl-future" style={{ left: Math.max(0, nowPx) }} />}
        {beforeRect && (
          <div
            className="tl-nofootage"
            data-testid="tl-before-footage"
            title={beforeTitle}
            style={{ left: beforeRect.left, width: beforeRect.width }}
          />
        )}
        {gapRects.map((r) => (
          <div key={`g${r.left}`} className="tl-gap" data-testid="tl-gap" style={{ left: r.left, width: r.width }} />
        ))}
        {segRects.map((r) => (
          <div key={`s${r.left}`} className="tl-span" data-testid="tl-span" style={{ left: r.left, width: r.width }} />
        ))}
        {keptRects.map((r) => (
          <div key={`k${r.left}`} className="tl-kept" data-testid="tl-kept" style={{ left: r.left, width: r.width }} />
        ))}
        {sel && selRight > selLeft - 1 && (
          <div
            className="tl-selection"
            data-testid="tl-selection"
            style={{ left: selLeft, width: Math.max(2, selRight - selLeft) }}
          />
        )}
        {clusters.map((c) => {
          const first = c.markers[0];
          if (!first) return null;
          const single = c.markers.length === 1;
          const testId = single ? `marker-${first.kind}-${first.id ?? first.at_ms}` : `marker-cluster-${first.at_ms}`;
          const key = clusterKey(c);
          return (
            <div key={key}>
              {c.endPx !== null && c.kind === 'detection' && (
                <div
                  className="tl-marker-dur"
                  style={{ left: msToPx(p.view, width, first.at_ms), width: Math.max(2, c.endPx - msToPx(p.view, width, first.at_ms)) }}
                />
              )}
              <button
                type="button"
                className={`tl-marker tl-marker-${c.kind} ${c.severity ? `tl-sev-${c.severity}` : ''}`}
                style={{ left: c.px }}
                data-testid={testId}
                data-at={first.at_ms}
                data-tip-key={key}
                aria-label={`${c.markers.length > 1 ? `${c.markers.length} markers from ` : ''}${first.kind} ${first.label} at ${clockLabel(first.at_ms, true, offset)}`}
                onPointerDown={(e) => e.stopPropagation()}
                onClick={(e) => {
                  e.stopPropagation();
                  p.onMarkerClick(first);
                }}
                onPointerEnter={(e) => {
                  if (e.pointerType !== 'touch') setTip(openTip(c, 'pointer'));
                }}
                onPointerLeave={() => setTip((t) => closeTip(t, key))}
                onPointerCancel={() => setTip((t) => closeTip(t, key))}
                onFocus={(e) => {
                  // Only keyboard focus opens it; a click's focus would keep it after the pointer left.
                  if (focusVisible(e.currentTarget)) setTip(openTip(c, 'focus'));
                }}
                onBlur={() => setTip((t) => closeTip(t, key))}
              >
                {c.markers.length > 1 ? <span className="tl-marker-count">{c.markers.length}</span> : null}
              </button>
            </div>
          );
        })}
        {hoverMs !== null && hoverPx !== null && !tip && (
          <div className="tl-hover" style={{ left: hoverPx }}>
            <span className="tl-hover-label">{clockLabel(hoverMs, spanOf(p.view) <= 30 * 60_000, offset)}</span>
          </div>
        )}
        {showPlayhead && <div className="tl-playhead" data-testid="playhead" style={{ left: playPx }} />}
        {tip && liveTip && p.renderMarkerTip && (
          <div
            className={`tl-tip ${tip.px > width - 260 ? 'tl-tip-left' : ''}`}
            style={{ left: tip.px }}
            data-testid="marker-tip"
          >
            {p.renderMarkerTip(tip)}
          </div>
        )}
      </div>
    </div>
  );
});

function focusVisible(el: Element): boolean {
  try {
    return el.matches(':focus-visible');
  } catch {
    return true;
  }
}

/**
 * Close an open marker tooltip (and the hover line) on anything that means the pointer is no longer
 * resting on its marker: a pointer move or press elsewhere (onto the video, say), a scroll, the
 * window losing focus or being hidden, Escape.
 */
function useTipDismiss(tip: OpenTip | null, barRef: RefObject<HTMLDivElement | null>, hide: () => void) {
  const hideRef = useRef(hide);
  hideRef.current = hide;
  const key = tip?.key ?? null;
  const via = tip?.via ?? null;
  useEffect(() => {
    const close = () => hideRef.current();
    const onBlur = () => close();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') close();
    };
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    if (key === null) {
      return () => {
        window.removeEventListener('blur', onBlur);
        document.removeEventListener('visibilitychange', onVisibility);
      };
    }
    const onMine = (t: EventTarget | null) =>
      t instanceof Element && t.closest('[data-tip-key]')?.getAttribute('data-tip-key') === key;
    const onPointer = (e: PointerEvent) => {
      if (via === 'pointer' && !onMine(e.target)) close();
    };
    const onDown = (e: PointerEvent) => {
      if (!onMine(e.target)) close();
    };
    const onScroll = (e: Event) => {
      // Scrolling the page or any container the bar is in moves the marker from under the pointer.
      const t = e.target;
      if (t === document || t === window || (t instanceof Node && barRef.current && t.contains(barRef.current))) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('pointermove', onPointer, { capture: true, passive: true });
    document.addEventListener('pointerdown', onDown, { capture: true, passive: true });
    window.addEventListener('scroll', onScroll, { capture: true, passive: true });
    document.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('pointermove', onPointer, { capture: true });
      document.removeEventListener('pointerdown', onDown, { capture: true });
      window.removeEventListener('scroll', onScroll, { capture: true });
      document.removeEventListener('keydown', onKey);
    };
  }, [key, via, barRef]);
}
