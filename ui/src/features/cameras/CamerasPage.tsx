// Why: the camera screen — ties the live list, the Start/Stop/Delete calls (delete confirmed with what happens to the
// camera's recordings), the cameras' last errors and the add/edit dialog together.
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { Camera } from '../../api/types';
import { LiveView, openCameras, toggleLive } from '../../live/LiveView';
import type { LiveConnection } from '../../live/protocol';
import { CameraForm } from './CameraForm';
import { DetectionEditor } from './DetectionEditor';
import { navigate } from '../../components/routes';
import { CameraTable } from './CameraTable';
import type { ToggleField } from './CameraTable';
import { ConfirmDialog } from './ConfirmDialog';
import { deleteText } from './deleteText';
import type { CameraFootage } from './deleteText';
import { getStorage } from '../storage/storageApi';
import type { CamerasState } from './useCameras';
import { toApiError } from './useCameras';
import { useStreamErrors } from './useStreamErrors';
import { useCan } from '../access/can';

interface Props {
  api: ApiClient;
  events: EventsClient;
  cams: CamerasState;
  /** Server and token for the live players' WebSockets and HLS requests. */
  live: LiveConnection;
}

/** `null` = closed, `'new'` = adding, a camera = editing it. */
type Editing = null | 'new' | Camera;

export function CamerasPage({ api, events, cams, live }: Props) {
  const { cameras, loading, error, upsert, remove, refetch } = cams;
  const [editing, setEditing] = useState<Editing>(null);
  const [detectionFor, setDetectionFor] = useState<Camera | null>(null);
  const [liveIds, setLiveIds] = useState<number[]>([]);
  const onLive = useCallback((cam: Camera) => setLiveIds((ids) => toggleLive(ids, cam.id)), []);
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const streamErrors = useStreamErrors(api, cameras);
  /** The camera whose deletion is being confirmed, and what GET /storage says about its footage (null: unknown). */
  const [deleting, setDeleting] = useState<Camera | null>(null);
  const [footage, setFootage] = useState<CameraFootage | null>(null);

  useEffect(() => {
    setFootage(null);
    if (!deleting) return;
    let live = true;
    getStorage(api)
      .then((v) => {
        if (!live) return;
        setFootage({ usage: v.cameras.find((c) => c.camera_id === deleting.id) ?? null, tiers: v.tiers });
      })
      .catch(() => {
        // Not allowed to read storage, or it failed: the dialog says it in plain words, without sizes.
      });
    return () => {
      live = false;
    };
  }, [api, deleting]);

  const withBusy = useCallback(async (id: number, work: () => Promise<void>) => {
    setBusy((b) => new Set(b).add(id));
    setActionError(null);
    try {
      await work();
    } catch (e) {
      const err = toApiError(e);
      if (err.status !== 401) setActionError(`${err.code}: ${err.message}`);
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(id);
        return next;
      });
    }
  }, []);

  const onRun = useCallback(
    (cam: Camera, action: 'start' | 'stop') =>
      void withBusy(cam.id, async () => {
        const updated = await (action === 'start' ? api.cameras.start(cam.id) : api.cameras.stop(cam.id));
        // With live events on, stream:status brings the status in order; the reply could be stale by then.
        if (events.state !== 'connected') upsert(updated);
      }),
    [api, events, upsert, withBusy],
  );

  const onDelete = useCallback(
    (cam: Camera, keepFootage: boolean) =>
      void withBusy(cam.id, async () => {
        await api.cameras.remove(cam.id, { keepFootage });
        remove(cam.id);
      }),
    [api, remove, withBusy],
  );
  const canDeleteFootage = useCan('recording:delete');
  const text = deleting ? deleteText(deleting.name, footage, canDeleteFootage) : null;
  const cancelDelete = useCallback(() => setDeleting(null), []);

  const onToggle = useCallback(
    (cam: Camera, field: ToggleField, on: boolean) =>
      void withBusy(cam.id, async () => {
        upsert(await api.cameras.update(cam.id, { [field]: on }));
      }),
    [api, upsert, withBusy],
  );

  const onTimeline = useCallback(
    (cam: Camera) => navigate({ page: 'timeline', cameraId: cam.id, at: null }),
    [],
  );

  const onSaved = useCallback(
    (cam: Camera, created: boolean) => {
      upsert(cam);
      // A new push camera's publish URL and key only exist now: keep the dialog open to show them.
      setEditing(created && cam.source.kind === 'rtmp_push' ? cam : null);
    },
    [upsert],
  );
  const onClose = useCallback(() => setEditing(null), []);

  return (
    <main className="page">
      <div className="page-head">
        <h2>Cameras</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="add-camera">
          Add camera
        </button>
      </div>

      {actionError && (
        <div className="banner banner-error" role="alert" data-testid="action-error">
          {actionError}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setActionError(null)}>
            Dismiss
          </button>
        </div>
      )}
      {error && error.status !== 401 && (
        <div className="banner banner-error" role="alert" data-testid="list-error">
          <strong>{error.code}</strong> {error.message}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void refetch()}>
            Retry
          </button>
        </div>
      )}

      <LiveView
        api={api}
        conn={live}
        cameras={openCameras(liveIds, cameras)}
        onClose={(id) => setLiveIds((ids) => ids.filter((x) => x !== id))}
      />

      {loading ? (
        <p className="muted" data-testid="loading">
          Loading cameras…
        </p>
      ) : cameras.length === 0 ? (
        <div className="empty card" data-testid="empty-list">
          <p>No cameras yet.</p>
          <p className="muted">Add an RTSP camera, let a camera push RTMP to Vigil, or play a file for testing.</p>
        </div>
      ) : (
        <CameraTable
          cameras={cameras}
          busy={busy}
          live={liveIds}
          onLive={onLive}
          onRun={onRun}
          onEdit={(cam) => setEditing(cam)}
          errors={streamErrors}
          onDelete={setDeleting}
          onToggle={onToggle}
          onTimeline={onTimeline}
          onDetection={setDetectionFor}
        />
      )}

      {deleting && text && (
        <ConfirmDialog
          title={text.question}
          confirmLabel={text.confirm}
          danger
          onConfirm={() => {
            setDeleting(null);
            onDelete(deleting, text.confirmKeeps);
          }}
          alternative={
            text.keep
              ? {
                  label: text.keep.label,
                  onClick: () => {
                    setDeleting(null);
                    onDelete(deleting, true);
                  },
                }
              : undefined
          }
          onCancel={cancelDelete}
          testId="confirm-delete"
        >
          {text.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </ConfirmDialog>
      )}

      {detectionFor && (
        <DetectionEditor
          key={detectionFor.id}
          camera={cameras.find((c) => c.id === detectionFor.id) ?? detectionFor}
          api={api}
          onClose={() => setDetectionFor(null)}
        />
      )}

      {editing !== null && (
        <CameraForm
          key={editing === 'new' ? 'new' : editing.id}
          camera={editing === 'new' ? null : editing}
          api={api}
          events={events}
          onSaved={onSaved}
          onClose={onClose}
        />
      )}
    </main>
  );
}
