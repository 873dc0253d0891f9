// Why: the top bar — product name, live-events connection state and camera count, visible on every screen.
import type { EventsState } from '../api/events';

interface Props {
  eventsState: EventsState;
  cameraCount: number | null;
  desktop: boolean;
  onSignOut?: () => void;
}

export function Header({ eventsState, cameraCount, desktop, onSignOut }: Props) {
  const connected = eventsState === 'connected';
  const label = connected ? 'connected' : 'connecting';
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>Vigil</h1>
      </div>
      <div className="header-meta">
        <span
          className={`events-state ${connected ? 'is-connected' : 'is-connecting'}`}
          title={connected ? 'Live updates connected' : 'Live updates reconnecting'}
        >
          <span className="dot" aria-hidden="true" />
          <span data-testid="events-state">{label}</span>
        </span>
        {cameraCount !== null && (
          <span className="camera-count" data-testid="camera-count">
            {cameraCount} {cameraCount === 1 ? 'camera' : 'cameras'}
          </span>
        )}
        {!desktop && onSignOut && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}
