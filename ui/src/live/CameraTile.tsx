// Why: one camera's live picture — asks stream/info, starts MSE when the browser can decode the codec (else MJPEG), and lets the user switch.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { StreamInfo } from '../api/types';
import { toApiError } from '../features/cameras/useCameras';
import { status } from './liveSocket';
import type { LiveStatus } from './liveSocket';
import { HlsVideo, MjpegImage, MseVideo } from './players';
import { LIVE_MODES, LIVE_MODE_LABELS, MJPEG_QUALITIES, browserTypeSupport, chooseMode, streamInfoPath } from './protocol';
import type { LiveConnection, LiveMode, MjpegQualityName, StreamName } from './protocol';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  camera: { id: number; name: string };
  onClose?: () => void;
  /** The grid's tile: the player switch and close go into a "⋯" menu, and the close says "Remove from layout". */
  menu?: boolean;
  /** The grid shows the camera's state itself (one state, with the reason): no overlay or message here. */
  quiet?: boolean;
  /** For tests: the browser's MediaSource.isTypeSupported, or null for none. */
  typeSupport?: ((mime: string) => boolean) | null;
  /** The camera's sub-stream (grid tiles) or main stream (an enlarged tile). A change starts the
   * other stream's player underneath and shows it once it plays: no black frame in between. */
  stream?: StreamName;
}

/** Longest wait for the next stream before switching anyway (its own state then shows). */
const SWITCH_WAIT_MS = 6_000;

const ignore = () => {};

export const STATE_LABELS: Record<LiveStatus['state'], string> = {
  connecting: 'Connecting…',
  waiting: 'Waiting for video…',
  playing: 'Live',
  reconnecting: 'Reconnecting…',
  error: 'Error',
  stopped: 'Stopped',
};

export function CameraTile({ api, conn, camera, onClose, menu = false, quiet = false, typeSupport, stream = 'main' }: Props) {
  const id = camera.id;
  const [shown, setShown] = useState<StreamName>(stream);
  const [hasSub, setHasSub] = useState<boolean | null>(null);
  // Without a sub-stream both are the main one: nothing to switch.
  const want: StreamName = hasSub === false ? 'main' : stream;
  const [info, setInfo] = useState<StreamInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [mode, setMode] = useState<LiveMode | null>(null);
  const [manual, setManual] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [st, setSt] = useState<LiveStatus>(status('connecting'));
  const [quality, setQuality] = useState<MjpegQualityName>('low');
  const [size, setSize] = useState<{ w: number | null; h: number | null }>({ w: null, h: null });
  const [menuOpen, setMenuOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  // The menu closes on Esc and on a press outside it.
  useEffect(() => {
    if (!menuOpen) return;
    // Into the menu at once, so the keys work without a pointer.
    menuRef.current?.querySelector<HTMLElement>('.live-menu button, .live-menu select')?.focus();
    const onDown = (e: PointerEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenuOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setMenuOpen(false);
        menuRef.current?.querySelector<HTMLElement>('[aria-haspopup="menu"]')?.focus();
        return;
      }
      // ↑/↓ move between the menu's controls; nothing else on the page hears them meanwhile.
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('.live-menu button, .live-menu select') ?? [])];
        if (items.length === 0) return;
        e.preventDefault();
        e.stopPropagation();
        const i = items.indexOf(document.activeElement as HTMLElement);
        const to = e.key === 'ArrowDown' ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
        items[to]?.focus();
      }
    };
    window.addEventListener('pointerdown', onDown, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [menuOpen]);

  const [support] = useState(() => (typeSupport === undefined ? browserTypeSupport() : typeSupport));

  const loadInfo = useCallback(async () => {
    setInfoError(null);
    try {
      const i = await api.request<StreamInfo>('GET', streamInfoPath(id, shown));
      setInfo(i);
      setHasSub(i.has_sub ?? null);
      return i;
    } catch (e) {
      const err = toApiError(e);
      setInfoError(`${err.code}: ${err.message}`);
      return null;
    }
  }, [api, id, shown]);

  // A pending switch: the next stream plays underneath; shown at its first picture, or after the wait.
  useEffect(() => {
    if (want === shown) return undefined;
    const t = setTimeout(() => setShown(want), SWITCH_WAIT_MS);
    return () => clearTimeout(t);
  }, [want, shown]);
  const onNextStatus = useCallback(
    (s: LiveStatus) => {
      if (s.state !== 'playing') return;
      setShown(want);
      setSt(s);
      setSize({ w: null, h: null });
    },
    [want],
  );

  useEffect(() => {
    let live = true;
    void loadInfo().then((i) => {
      // Without stream/info the codec is unknown: MSE is tried and its init message decides.
      if (live) setMode((m) => m ?? chooseMode(i, support));
    });
    return () => {
      live = false;
    };
  }, [loadInfo, support]);

  const pick = (m: LiveMode) => {
    setManual(true);
    if (m === mode) return; // The running player goes on.
    setNote(null);
    setSt(status('connecting'));
    setSize({ w: null, h: null });
    setMode(m);
  };

  const onUnsupported = useCallback(
    (mime: string) => {
      if (manual) return; // The user asked for MSE: leave the error on screen.
      setNote(`This browser cannot decode ${mime} through MSE; showing MJPEG.`);
      setSt(status('connecting'));
      setMode('mjpeg');
    },
    [manual],
  );
  const onSize = useCallback((w: number | null, h: number | null) => setSize({ w, h }), []);

  const label = `${camera.name} live`;
  // Quiet (the grid shows a down camera's state itself): the header says so rather than "Waiting for video…".
  const stateText = quiet && st.state !== 'playing' ? 'Offline' : STATE_LABELS[st.state];
  const error = st.message && (st.state === 'error' || st.state === 'reconnecting') ? st.message : null;
  const codec = info?.codec ? info.codec.toUpperCase() : null;
  const res = size.w && size.h ? `${size.w}×${size.h}` : info?.width && info.height ? `${info.width}×${info.height}` : null;

  // The player switch, MJPEG quality and close: inline in the header, or as the grid tile's menu.
  const controlsBody = (inMenu: boolean) => (
    <>
          <div className="segmented" role="group" aria-label="Player" data-testid={`live-mode-${id}`} data-mode={mode ?? ''}>
            {LIVE_MODES.map((m) => (
              <button
                key={m}
                type="button"
                className={`btn btn-small ${mode === m ? 'is-active' : ''}`}
                aria-pressed={mode === m}
                onClick={() => pick(m)}
                data-testid={`live-mode-${id}-${m}`}
              >
                {LIVE_MODE_LABELS[m]}
              </button>
            ))}
          </div>
          {mode === 'mjpeg' && (
            <select
              aria-label="MJPEG quality"
              value={quality}
              onChange={(e) => {
                setNote(null);
                setQuality(e.target.value as MjpegQualityName);
              }}
              data-testid={`live-quality-${id}`}
            >
              {MJPEG_QUALITIES.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          )}
          {onClose && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => {
                setMenuOpen(false);
                onClose();
              }}
              aria-label={inMenu ? `Remove ${camera.name} from the layout` : `Close ${camera.name} live view`}
              role={inMenu ? 'menuitem' : undefined}
              data-testid={`live-close-${id}`}
            >
              {inMenu ? 'Remove from layout' : '✕'}
            </button>
          )}
    </>
  );

  return (
    <section
      className={`live-tile card ${menuOpen ? 'is-menu-open' : ''}`}
      data-testid={`live-tile-${id}`}
      data-mode={mode ?? ''}
      data-state={st.state}
      aria-label={label}
    >
      <header className="live-head">
        <div className="live-title">
          <span className={`live-dot live-${st.state}`} aria-hidden="true" />
          <strong>{camera.name}</strong>
          <span className="muted small" data-testid={`live-status-${id}`}>
            {stateText}
          </span>
          {(codec || res) && <span className="muted small">{[codec, res].filter(Boolean).join(' · ')}</span>}
        </div>
        {menu ? (
          <div className="live-controls live-menu-wrap" ref={menuRef}>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              aria-haspopup="menu"
              aria-expanded={menuOpen}
              aria-label={`${camera.name}: player and layout`}
              onClick={() => setMenuOpen((o) => !o)}
              data-testid={`live-menu-${id}`}
            >
              ⋯
            </button>
            {menuOpen && (
              <div className="live-menu card" role="menu" aria-label={`${camera.name} menu`}>
                {controlsBody(true)}
              </div>
            )}
          </div>
        ) : (
          <div className="live-controls">{controlsBody(false)}</div>
        )}
      </header>
      <div className="live-frame" data-stream={shown}>
        {/* The shown stream, and while switching the next one underneath (the same key keeps its player when it
            comes to the front). */}
        {(want === shown ? [shown] : [shown, want]).map((s) => {
          const behind = s !== shown;
          const onStatus = behind ? onNextStatus : setSt;
          const key = `${mode}-${s}`;
          const common = { conn, cameraId: id, label, stream: s, behind };
          if (mode === 'mse') {
            return (
              <MseVideo key={key} {...common} onStatus={onStatus} onUnsupported={behind ? ignore : onUnsupported}
                onSize={behind ? ignore : onSize} />
            );
          }
          if (mode === 'hls') return <HlsVideo key={key} {...common} onStatus={onStatus} />;
          if (mode === 'mjpeg') {
            return (
              <MjpegImage key={key} {...common} onStatus={onStatus} quality={quality} onSize={behind ? ignore : onSize}
                onNotice={behind ? ignore : setNote} />
            );
          }
          return null;
        })}
        {st.state !== 'playing' && !quiet && <div className="live-overlay">{stateText}</div>}
      </div>
      {!quiet && (error || note || infoError) && (
        <p className="live-message" role="status" data-testid={`live-error-${id}`}>
          {error ?? note ?? `stream/info: ${infoError}`}
          {infoError && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void loadInfo()}>
              Retry
            </button>
          )}
        </p>
      )}
    </section>
  );
}
