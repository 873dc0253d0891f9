// Why: the app shell — finds the server and token (Tauri or browser), asks for a token when needed, then runs one session: one query cache, one events socket, the header and the page the URL names.
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client';
import type { ApiClient } from './api/client';
import { clearStoredToken, resolveConnection, storeToken, takeTokenFromHash } from './api/connection';
import type { Connection } from './api/connection';
import { EventsClient, eventsUrl } from './api/events';
import { createQueryClient, useCamerasState, useEventsState, useEventsSync, useUnacknowledged } from './api/queries';
import { Header } from './components/Header';
import { PageBoundary } from './components/PageBoundary';
import { navigate, useRoute } from './components/routes';
import { SignIn } from './components/SignIn';
import { AlertsPage } from './features/alerts/AlertsPage';
import { useAlertSound } from './features/alerts/sound';
import { GridPage } from './features/grid/GridPage';
import type { LiveConnection } from './live/protocol';

// Pages other than the live grid load on first visit, keeping the first screen's script small.
const CamerasPage = lazy(() => import('./features/cameras/CamerasPage').then((m) => ({ default: m.CamerasPage })));
const TimelinePage = lazy(() => import('./features/timeline/TimelinePage').then((m) => ({ default: m.TimelinePage })));
const ReviewPage = lazy(() => import('./features/review/ReviewPage').then((m) => ({ default: m.ReviewPage })));
const StoragePage = lazy(() => import('./features/storage/StoragePage').then((m) => ({ default: m.StoragePage })));
const SystemPage = lazy(() => import('./features/system/SystemPage').then((m) => ({ default: m.SystemPage })));

interface SessionProps {
  conn: Connection & { token: string };
  onUnauthorized: () => void;
  onSignOut: () => void;
}

function Session({ conn, onUnauthorized, onSignOut }: SessionProps) {
  const { baseUrl, token } = conn;
  const api = useMemo(() => createApiClient({ baseUrl, token, onUnauthorized }), [baseUrl, token, onUnauthorized]);
  // One socket for every view; a new token is a new session (new cache, new socket).
  const events = useMemo(
    () => new EventsClient({ url: eventsUrl(baseUrl), token: () => token, onUnauthorized }),
    [baseUrl, token, onUnauthorized],
  );
  // A new client (new server or token) starts with an empty cache.
  const queryClient = useMemo(createQueryClient, [api]);
  useEffect(() => {
    events.start();
    return () => events.stop();
  }, [events]);
  useEffect(() => () => queryClient.clear(), [queryClient]);
  const live = useMemo(() => ({ baseUrl, token }), [baseUrl, token]);
  return (
    <QueryClientProvider client={queryClient}>
      <Shell api={api} events={events} live={live} desktop={conn.desktop} onSignOut={onSignOut} />
    </QueryClientProvider>
  );
}

interface ShellProps {
  api: ApiClient;
  events: EventsClient;
  live: LiveConnection;
  desktop: boolean;
  onSignOut: () => void;
}

function Shell({ api, events, live, desktop, onSignOut }: ShellProps) {
  useEventsSync(events);
  useAlertSound(events);
  const route = useRoute();
  const eventsState = useEventsState(events);
  const cams = useCamerasState(api);
  const unacknowledged = useUnacknowledged(api);
  // In the desktop window, a clicked notification (the shell brings the window forward) opens its alert.
  useEffect(() => {
    if (!desktop) return;
    return events.subscribe((ev) => {
      if (ev.type === 'notification:clicked') {
        navigate({ page: 'alerts', alertId: ev.alert_id });
      }
    });
  }, [desktop, events]);
  const onTimeline = useCallback(
    (cameraId: number, at: number) => navigate({ page: 'timeline', cameraId, at }, true),
    [],
  );

  let page;
  switch (route.page) {
    case 'live':
      page = <GridPage api={api} conn={live} cameras={cams.loading ? null : cams.cameras} />;
      break;
    case 'timeline':
      page = (
        <TimelinePage
          api={api}
          events={events}
          cameras={cams.cameras}
          cameraId={route.cameraId}
          at={route.at}
          onNavigate={onTimeline}
          conn={live}
        />
      );
      break;
    case 'cameras':
      page = <CamerasPage api={api} events={events} cams={cams} live={live} />;
      break;
    case 'alerts':
      page = <AlertsPage api={api} cameras={cams.cameras} focusId={route.alertId} />;
      break;
    case 'review':
      page = <ReviewPage api={api} conn={live} cameras={cams.cameras} />;
      break;
    case 'storage':
      page = <StoragePage api={api} events={events} cameras={cams.cameras} />;
      break;
    case 'system':
      page = <SystemPage api={api} />;
      break;
  }
  return (
    <div className="app">
      <Header
        route={route}
        eventsState={eventsState}
        cameraCount={cams.loading ? null : cams.cameras.length}
        unacknowledged={unacknowledged}
        desktop={desktop}
        onSignOut={onSignOut}
      />
      {/* A new boundary per page: leaving a page that failed clears its error. */}
      <PageBoundary key={route.page}>
        <Suspense fallback={<p className="muted centered">Loading…</p>}>{page}</Suspense>
      </PageBoundary>
    </div>
  );
}

export function App() {
  const [conn, setConn] = useState<Connection | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const connect = useCallback(() => {
    setFatal(null);
    resolveConnection().then(setConn, (e: unknown) =>
      setFatal(`Cannot get the connection details: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, []);
  useEffect(connect, [connect]);

  const desktop = conn?.desktop ?? false;
  const onUnauthorized = useCallback(() => {
    if (desktop) {
      // The desktop shell owns the token; a refusal means the server and shell disagree.
      setFatal('The Vigil server refused the desktop token (AUTH_TOKEN_INVALID). Restart Vigil or retry.');
      return;
    }
    clearStoredToken();
    setNotice('That token was not accepted. Paste a valid token to continue.');
    setConn((c) => (c ? { ...c, token: null } : c));
  }, [desktop]);

  const onToken = useCallback((token: string) => {
    storeToken(token);
    setNotice(null);
    setConn((c) => (c ? { ...c, token } : c));
  }, []);

  // A #token= link opened in a tab that is already showing the UI changes only the fragment.
  useEffect(() => {
    if (desktop) return;
    const onHash = () => {
      const t = takeTokenFromHash();
      if (t) onToken(t);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [desktop, onToken]);

  const onSignOut = useCallback(() => {
    clearStoredToken();
    setNotice(null);
    setConn((c) => (c ? { ...c, token: null } : c));
  }, []);

  if (fatal) {
    return (
      <main className="signin">
        <div className="card signin-card" role="alert">
          <h1>Vigil</h1>
          <p className="banner banner-error">{fatal}</p>
          <button type="button" className="btn btn-primary" onClick={connect}>
            Retry
          </button>
        </div>
      </main>
    );
  }
  if (!conn) return <p className="muted centered">Connecting to Vigil…</p>;
  if (!conn.token) return <SignIn onToken={onToken} notice={notice} />;
  return <Session conn={{ ...conn, token: conn.token }} onUnauthorized={onUnauthorized} onSignOut={onSignOut} />;
}
