// Why: the app shell — finds the server and token (Tauri or browser), asks for a token when needed, then shows the cameras.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client';
import { clearStoredToken, resolveConnection, storeToken, takeTokenFromHash } from './api/connection';
import type { Connection } from './api/connection';
import { EventsClient, eventsUrl } from './api/events';
import { Header } from './components/Header';
import { SignIn } from './components/SignIn';
import { CamerasPage } from './features/cameras/CamerasPage';
import { useCameras, useEventsState } from './features/cameras/useCameras';

interface SessionProps {
  conn: Connection & { token: string };
  onUnauthorized: () => void;
  onSignOut: () => void;
}

function Session({ conn, onUnauthorized, onSignOut }: SessionProps) {
  const { baseUrl, token } = conn;
  const api = useMemo(() => createApiClient({ baseUrl, token, onUnauthorized }), [baseUrl, token, onUnauthorized]);
  const events = useMemo(
    () => new EventsClient({ url: eventsUrl(baseUrl), token: () => token, onUnauthorized }),
    [baseUrl, token, onUnauthorized],
  );
  useEffect(() => {
    events.start();
    return () => events.stop();
  }, [events]);

  const live = useMemo(() => ({ baseUrl, token }), [baseUrl, token]);
  const eventsState = useEventsState(events);
  const cams = useCameras(api, events);
  return (
    <div className="app">
      <Header
        eventsState={eventsState}
        cameraCount={cams.loading ? null : cams.cameras.length}
        desktop={conn.desktop}
        onSignOut={onSignOut}
      />
      <CamerasPage api={api} events={events} cams={cams} live={live} />
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
