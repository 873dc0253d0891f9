// Why: steering a PTZ camera from its tile — arrows and zoom held down to move (released to stop), its presets to go
// to and the current view saved as a new one. Shown on the selected or enlarged tile of an ONVIF camera when the
// caller may steer; a camera whose ONVIF service has no PTZ (409 PTZ_UNSUPPORTED) shows no pad.
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';

type PtzInfo = components['schemas']['PtzInfo'];
export type PtzCommand = components['schemas']['PtzCommand'];

/** The speed of a move from the pad or the keyboard (half: fine control on most domes). */
export const PTZ_SPEED = 0.5;

export function ptzPath(cameraId: number): string {
  return `/cameras/${encodeURIComponent(String(cameraId))}/ptz`;
}

/** Send one PTZ command; failures are the camera's and shown where the pad is. */
export function sendPtz(api: ApiClient, cameraId: number, cmd: PtzCommand): Promise<unknown> {
  return api.request('POST', ptzPath(cameraId), cmd);
}

const MOVES: { label: string; title: string; pan: number; tilt: number; zoom: number; cls: string }[] = [
  { label: '▲', title: 'Tilt up', pan: 0, tilt: PTZ_SPEED, zoom: 0, cls: 'up' },
  { label: '◀', title: 'Pan left', pan: -PTZ_SPEED, tilt: 0, zoom: 0, cls: 'left' },
  { label: '▶', title: 'Pan right', pan: PTZ_SPEED, tilt: 0, zoom: 0, cls: 'right' },
  { label: '▼', title: 'Tilt down', pan: 0, tilt: -PTZ_SPEED, zoom: 0, cls: 'down' },
  { label: '+', title: 'Zoom in', pan: 0, tilt: 0, zoom: PTZ_SPEED, cls: 'zoom-in' },
  { label: '−', title: 'Zoom out', pan: 0, tilt: 0, zoom: -PTZ_SPEED, cls: 'zoom-out' },
];

export function PtzPad({ api, cameraId, name }: { api: ApiClient; cameraId: number; name: string }) {
  const [info, setInfo] = useState<PtzInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);

  const load = useCallback(() => {
    let live = true;
    api.request<PtzInfo>('GET', ptzPath(cameraId)).then(
      (i) => live && setInfo(i),
      () => live && setInfo(null),
    );
    return () => {
      live = false;
    };
  }, [api, cameraId]);
  useEffect(load, [load]);

  const run = (cmd: PtzCommand) =>
    sendPtz(api, cameraId, cmd).then(
      (r) => {
        setError(null);
        return r;
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e));
        return null;
      },
    );
  const start = (m: (typeof MOVES)[number]) => {
    setMoving(true);
    void run({ action: 'move', pan: m.pan, tilt: m.tilt, zoom: m.zoom });
  };
  const stop = () => {
    if (!moving) return;
    setMoving(false);
    void run({ action: 'stop' });
  };

  if (!info) return null;
  return (
    <div className="ptz-pad" data-no-drag data-testid={`ptz-pad-${cameraId}`} aria-label={`Steer ${name}`} role="group">
      {MOVES.map((m) => (
        <button
          key={m.cls}
          type="button"
          className={`btn btn-small ptz-${m.cls}`}
          title={m.title}
          aria-label={m.title}
          data-testid={`ptz-${m.cls}-${cameraId}`}
          onPointerDown={(e) => {
            e.stopPropagation();
            start(m);
          }}
          onPointerUp={stop}
          onPointerLeave={stop}
          onPointerCancel={stop}
        >
          {m.label}
        </button>
      ))}
      <select
        className="ptz-presets"
        aria-label="Go to preset"
        value=""
        data-testid={`ptz-presets-${cameraId}`}
        onChange={(e) => {
          if (e.target.value) void run({ action: 'goto_preset', preset: e.target.value });
        }}
      >
        <option value="">Presets…</option>
        {info.presets.map((p) => (
          <option key={p.token} value={p.token}>
            {p.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-small"
        data-testid={`ptz-save-${cameraId}`}
        onClick={() => {
          const n = globalThis.prompt?.('Name this view as a preset:')?.trim();
          if (n) void run({ action: 'set_preset', name: n }).then((r) => r && load());
        }}
      >
        Save view
      </button>
      {error && (
        <span className="ptz-error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
