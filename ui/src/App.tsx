// Why: the app shell — finds the server and credential (the Tauri shell's token; in a browser a signed-in user's renewing session or a pasted API token), asks to sign in when needed, then runs one session: one query cache, one events socket, the header and the page the URL names — only pages the caller's permissions allow.
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApiClient } from './api/client';
import type { ApiClient } from './api/client';
import { clearStoredToken, resolveConnection, storeToken, takeTokenFromHash } from './api/connection';
import type { Connection } from './api/connection';
import { EventsClient, eventsUrl } from './api/events';
import { createQueryClient, useCamerasState, useEventsState, useEventsSync, useRemovedCameras, useUnacknowledged } from './api/queries';
import { Header } from './components/Header';
import { PageBoundary } from './components/PageBoundary';
import { navigate, useRoute } from './components/routes';
import { SetupAccount, setupCode } from './components/SetupAccount';
import { SignIn } from './components/SignIn';
import { SessionKeeper, clearSession, loadSession, saveSession, signIn } from './api/session';
import type { StoredSession } from './api/session';
import { PermissionsContext } from './features/access/can';
import { NoAccess, pageAllowed, useMe } from './features/access/permissions';
import { LockedDesk, OwnerBanner, readLocked, useDesktopStartsLocked, useIdleLock, useIdleLockSetting, writeLocked } from './features/access/lock';
import { ReauthGate } from './features/access/ReauthPrompt';
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
const AccessPage = lazy(() => import('./features/access/AccessPage').then((m) => ({ default: m.AccessPage })));

/** The credential of a session: a token (desktop, pasted) or a signed-in user's renewing one. */
interface Auth {
  token: () => string;
  /** Get a new access token after a 401 (users only); false when the session is over. */
  renew?: () => Promise<boolean>;
}

interface SessionProps {
  conn: Connection;
  auth: Auth;
  onUnauthorized: () => void;
  onSignOut: () => void;
  locked: boolean;
  onLock: () => void;
  onUnlock: (username: string, password: string) => Promise<void>;
}

function Session({ conn, auth, onUnauthorized, onSignOut, locked, onLock, onUnlock }: SessionProps) {
  const { baseUrl } = conn;
  const eventsRef = useRef<EventsClient | null>(null);
  // A user's 401 first tries the refresh token (a restarted server forgets access tokens; a role
  // change closes sockets): the socket reconnects with the new token; only a refused refresh ends it.
  const on401 = useCallback(() => {
    if (!auth.renew) return onUnauthorized();
    void auth.renew().then((ok) => {
      if (ok) eventsRef.current?.start();
    });
  }, [auth, onUnauthorized]);
  const api = useMemo(() => createApiClient({ baseUrl, token: auth.token, onUnauthorized: on401 }), [baseUrl, auth, on401]);
  // One socket for every view; a new credential is a new session (new cache, new socket).
  const events = useMemo(
    () => new EventsClient({ url: eventsUrl(baseUrl), token: auth.token, onUnauthorized: on401 }),
    [baseUrl, auth, on401],
  );
  eventsRef.current = events;
  // A new client (new server or token) starts with an empty cache.
  const queryClient = useMemo(createQueryClient, [api]);
  useEffect(() => {
    events.start();
    return () => events.stop();
  }, [events]);
  useEffect(() => () => queryClient.clear(), [queryClient]);
  // Players read the token when they connect: a user's is renewed every few minutes.
  const live = useMemo(
    () => ({
      baseUrl,
      get token() {
        return auth.token();
      },
    }),
    [baseUrl, auth],
  );
  return (
    <QueryClientProvider client={queryClient}>
      {locked ? (
        <LockedDesk api={api} live={live} onUnlock={onUnlock} />
      ) : (
        <Shell api={api} events={events} live={live} desktop={conn.desktop} onSignOut={onSignOut} onLock={onLock} />
      )}
    </QueryClientProvider>
  );
}

interface ShellProps {
  api: ApiClient;
  events: EventsClient;
  live: LiveConnection;
  desktop: boolean;
  onSignOut: () => void;
  onLock: () => void;
}

function Shell({ api, events, live, desktop, onSignOut, onLock }: ShellProps) {
  useEventsSync(events);
  useAlertSound(events);
  const route = useRoute();
  const eventsState = useEventsState(events);
  const cams = useCamerasState(api);
  // The player also offers cameras deleted with their footage kept.
  const removedCams = useRemovedCameras(api, route.page === 'timeline');
  const playable = useMemo(() => [...cams.cameras, ...removedCams], [cams.cameras, removedCams]);
  const unacknowledged = useUnacknowledged(api);
  const me = useMe(api);
  const [idleMinutes, setIdleMinutes] = useIdleLockSetting();
  // The desktop window opens as its admin token; once someone can sign in it opens locked, and
  // whoever sits down signs in (the window then has their rights).
  const desk = useDesktopStartsLocked(api, desktop, me.data?.kind ?? null, onLock);
  // Locking needs someone able to unlock: a signed-in person, or on the desktop an account with a password.
  const canLock = me.data?.kind === 'user' || (desk?.canUnlock ?? false);
  // Left alone while locking is possible: lock.
  useIdleLock(canLock ? idleMinutes : 0, onLock);
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
  const allowed = pageAllowed(route.page, me.data?.permissions ?? null);
  // Until the server says who this is, admin pages wait (an error leaves it to the server to refuse).
  if (!allowed.ok && !me.data && !me.error) page = <p className="muted centered">Loading…</p>;
  else if (!allowed.ok && me.data) page = <NoAccess need={allowed.need} />;
  else switch (route.page) {
    case 'live':
      page = <GridPage api={api} conn={live} cameras={cams.loading ? null : cams.cameras} />;
      break;
    case 'timeline':
      page = (
        <TimelinePage
          api={api}
          events={events}
          cameras={playable}
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
      page = (
        <ReauthGate api={api} className="storage-page">
          <StoragePage api={api} events={events} cameras={cams.cameras} />
        </ReauthGate>
      );
      break;
    case 'system':
      page = <SystemPage api={api} desktop={desktop} />;
      break;
    case 'users':
    case 'tokens':
    case 'audit':
    case 'notifications':
      page = <AccessPage api={api} tab={route.page} cameras={cams.cameras} />;
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
        permissions={me.data?.permissions ?? null}
        who={me.data?.kind === 'user' ? me.data.name : null}
        onLock={canLock ? onLock : undefined}
        idleMinutes={idleMinutes}
        onIdleMinutes={canLock ? setIdleMinutes : undefined}
      />
      {desk && !desk.canUnlock && route.page !== 'users' && <OwnerBanner api={api} accounts={desk} />}
      {/* A new boundary per page: leaving a page that failed clears its error. */}
      <PermissionsContext.Provider value={me.data?.permissions ?? null}>
        <PageBoundary key={route.page}>
          <Suspense fallback={<p className="muted centered">Loading…</p>}>{page}</Suspense>
        </PageBoundary>
      </PermissionsContext.Provider>
    </div>
  );
}

export function App() {
  const [conn, setConn] = useState<Connection | null>(null);
  const [user, setUser] = useState<StoredSession | null>(() => loadSession());
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

  const baseUrl = conn?.baseUrl ?? null;
  // A signed-in user's session: renewed before it expires, kept for the tab, ended when refused.
  const keeper = useMemo(() => {
    if (!user || !baseUrl) return null;
    return new SessionKeeper({
      baseUrl,
      initial: user,
      onChange: (s) => saveSession(s),
      onExpired: (why) => {
        clearSession();
        setNotice(why);
        setUser(null);
      },
    });
    // A renewal changes the stored pair, not the session: only a new sign-in makes a new keeper.
  }, [user?.refresh, baseUrl]);
  useEffect(() => {
    if (!keeper) return;
    keeper.start();
    return () => keeper.stop();
  }, [keeper]);

  const onSignIn = useCallback(
    async (username: string, password: string) => {
      if (!baseUrl) return;
      const s = await signIn(baseUrl, username, password);
      saveSession(s);
      setNotice(null);
      setUser(s);
    },
    [baseUrl],
  );

  const onSignOut = useCallback(() => {
    if (desktop) {
      // The desktop window keeps showing the live grid: signing out there locks the desk.
      if (keeper && baseUrl) {
        const token = keeper.token();
        void fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(
          () => undefined,
        );
      }
      clearSession();
      setUser(null);
      writeLocked(true);
      setLocked(true);
      return;
    }
    if (keeper && baseUrl) {
      // Tell the server (ends the refresh family and closes sockets); leaving does not wait for it.
      const token = keeper.token();
      void fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
    }
    clearSession();
    setUser(null);
    clearStoredToken();
    setNotice(null);
    setConn((c) => (c ? { ...c, token: null } : c));
  }, [keeper, baseUrl, desktop]);

  // A signed-in person comes first (on the desktop too: the window then runs with their rights);
  // else the desktop's or a pasted token.
  const auth: Auth | null = useMemo(() => {
    if (keeper) return { token: () => keeper.token(), renew: () => keeper.renew() };
    if (conn?.token) {
      const t = conn.token;
      return { token: () => t };
    }
    return null;
  }, [conn?.token, keeper]);

  // The desk lock: the live grid stays, read-only, until someone signs in. Kept for the tab, so
  // a reload does not unlock.
  const [locked, setLocked] = useState(() => readLocked());
  const lock = useCallback(() => {
    const t = auth?.token();
    if (t && baseUrl) {
      void fetch(`${baseUrl}/api/v1/auth/lock`, { method: 'POST', headers: { Authorization: `Bearer ${t}` } }).catch(
        () => undefined,
      );
    }
    writeLocked(true);
    setLocked(true);
  }, [auth, baseUrl]);
  const onUnlock = useCallback(
    async (username: string, password: string) => {
      if (!baseUrl) return;
      const s = await signIn(baseUrl, username, password);
      // The person before (if another) is signed out: the desk is someone else's now.
      if (keeper && keeper.username.toLowerCase() !== s.username.toLowerCase()) {
        const old = keeper.token();
        void fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${old}` } }).catch(
          () => undefined,
        );
      }
      void fetch(`${baseUrl}/api/v1/auth/unlock`, { method: 'POST', headers: { Authorization: `Bearer ${s.access}` } }).catch(
        () => undefined,
      );
      saveSession(s);
      writeLocked(false);
      setLocked(false);
      setUser(s);
    },
    [baseUrl, keeper],
  );

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
  const setup = !auth ? setupCode(location.hash) : null;
  if (setup)
    return (
      <SetupAccount
        baseUrl={conn.baseUrl}
        code={setup}
        onDone={(s) => {
          saveSession(s);
          // The code is spent: leave it out of the address (and the history).
          history.replaceState(null, '', `${location.pathname}${location.search}#/live`);
          setNotice(null);
          setUser(s);
        }}
      />
    );
  if (!auth) return <SignIn onSignIn={onSignIn} onToken={onToken} notice={notice} />;
  return (
    <Session
      conn={conn}
      auth={auth}
      onUnauthorized={onUnauthorized}
      onSignOut={onSignOut}
      locked={locked}
      onLock={lock}
      onUnlock={onUnlock}
    />
  );
}
