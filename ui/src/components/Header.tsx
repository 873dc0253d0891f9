// Why: the top bar on every screen — product name, page navigation, the live-events connection state, the unacknowledged-alert badge and camera count.
import type { EventsState } from '../api/events';
import { IDLE_CHOICES } from '../features/access/lock';
import { pageAllowed } from '../features/access/permissions';
import type { Permission } from '../features/access/permissions';
import { PAGES } from './routes';
import type { Route } from './routes';

interface Props {
  route: Route;
  eventsState: EventsState;
  cameraCount: number | null;
  /** Unacknowledged alerts, null until known. */
  unacknowledged: number | null;
  desktop: boolean;
  onSignOut?: () => void;
  /** The caller's permissions (null until known: every page shows). */
  permissions?: readonly Permission[] | null;
  /** Who is signed in. */
  who?: string | null;
  onLock?: () => void;
  /** Idle-lock minutes (0: never) and how to change them. */
  idleMinutes?: number;
  onIdleMinutes?: (m: number) => void;
}

export function Header({
  route,
  eventsState,
  cameraCount,
  unacknowledged,
  desktop,
  onSignOut,
  permissions = null,
  who = null,
  onLock,
  idleMinutes = 0,
  onIdleMinutes,
}: Props) {
  const current = route.page === 'tokens' || route.page === 'audit' || route.page === 'notifications' ? 'users' : route.page;
  const connected = eventsState === 'connected';
  const label = connected ? 'connected' : eventsState === 'unauthorized' ? 'signed out' : 'connecting';
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>Vigil</h1>
      </div>
      <nav className="app-nav" aria-label="Pages">
        {PAGES.filter(({ page }) => pageAllowed(page, permissions).ok).map(({ page, label: text }) => (
          <a
            key={page}
            href={`#/${page}`}
            className={`nav-link ${current === page ? 'is-current' : ''}`}
            aria-current={current === page ? 'page' : undefined}
            data-testid={`nav-${page}`}
          >
            {text}
            {page === 'alerts' && unacknowledged !== null && (
              <span
                className={`alert-badge ${unacknowledged === 0 ? 'is-zero' : ''}`}
                data-testid="alert-badge"
                data-count={unacknowledged}
                aria-label={`${unacknowledged} unacknowledged`}
              >
                {unacknowledged > 99 ? '99+' : unacknowledged}
              </span>
            )}
          </a>
        ))}
      </nav>
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
        {who && (
          <span className="who" data-testid="who">
            {who}
          </span>
        )}
        {onLock && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onLock} data-testid="lock" title="Keep the live grid on screen, read-only, until someone signs in">
            Lock
          </button>
        )}
        {onIdleMinutes && (
          <select
            className="idle-select"
            aria-label="Lock when idle"
            title="Lock when nobody has used this screen for"
            value={idleMinutes}
            onChange={(e) => onIdleMinutes(Number(e.target.value))}
            data-testid="idle-lock"
          >
            {IDLE_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? 'Idle lock: off' : `Idle lock: ${m} min`}
              </option>
            ))}
          </select>
        )}
        {(!desktop || who) && onSignOut && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onSignOut}>
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}
