// Why: Home Assistant and other smart-home systems hear Vigil over MQTT — the admin enters the broker, topic prefixes
// and credentials (the password write-only, kept in the credential store), tries them with "Send test" before
// saving, and sees whether the bridge is connected and why not; settings from config.toml are shown read-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';

type View = components['schemas']['MqttView'];
type Status = components['schemas']['MqttStatus'];
type TestResult = components['schemas']['MqttTestResult'];

const KEY = ['mqtt'] as const;

/** The bridge's state in a sentence. */
export function statusText(s: Status): string {
  switch (s.state) {
    case 'connected':
      return `Connected${s.connected_since ? ` since ${new Date(s.connected_since).toLocaleString()}` : ''} — ${s.queued} messages sent, ${s.dropped} dropped`;
    case 'connecting':
      return 'Connecting…';
    case 'failing':
      return `Not connected: ${s.last_error ?? 'unknown error'} (retrying every 2 s)`;
    default:
      return 'Off';
  }
}

export function MqttCard({ api }: { api: ApiClient }) {
  const qc = useQueryClient();
  const view = useQuery({ queryKey: KEY, queryFn: () => api.request<View>('GET', '/notifications/mqtt'), refetchInterval: 5_000 });
  const [enabled, setEnabled] = useState(true);
  const [url, setUrl] = useState('');
  const [topicPrefix, setTopicPrefix] = useState('vigil');
  const [discoveryPrefix, setDiscoveryPrefix] = useState('homeassistant');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [tested, setTested] = useState<TestResult | null>(null);
  const [saved, setSaved] = useState(false);

  // The form starts from the settings in force, once (later polls only refresh the status).
  useEffect(() => {
    const s = view.data?.settings;
    if (loaded || !view.data) return;
    setLoaded(true);
    if (!s) return;
    setEnabled(s.enabled);
    setUrl(s.url);
    setTopicPrefix(s.topic_prefix);
    setDiscoveryPrefix(s.discovery_prefix);
    setUsername(s.username ?? '');
  }, [view.data, loaded]);

  const body = () => ({
    enabled,
    url: url.trim(),
    topic_prefix: topicPrefix.trim() || null,
    discovery_prefix: discoveryPrefix.trim() || null,
    username: username.trim() || null,
    // Absent keeps the stored password; empty removes it.
    ...(clearPassword ? { password: '' } : password ? { password } : {}),
  });
  const onError = (e: unknown) => {
    const err = toApiError(e);
    setError({ message: `${err.message} (${err.code})`, fields: err.fields });
  };
  const save = useMutation({
    mutationFn: () => api.request<View>('PUT', '/notifications/mqtt', body()),
    onSuccess: (v) => {
      setError(null);
      setPassword('');
      setClearPassword(false);
      setSaved(true);
      qc.setQueryData(KEY, v);
    },
    onError,
  });
  const test = useMutation({
    mutationFn: () => api.request<TestResult>('POST', '/notifications/mqtt/test', body()),
    onSuccess: (r) => {
      setError(null);
      setTested(r);
    },
    onError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  };

  const v = view.data;
  const readOnly = v?.source === 'config_file';
  const f = error?.fields ?? {};
  return (
    <form className="card" onSubmit={submit} aria-label="MQTT and Home Assistant" data-testid="mqtt-form">
      <h2>MQTT and Home Assistant</h2>
      <p className="muted">
        Vigil publishes its availability, each camera’s state (online, recording, detection, people and cars present) and
        its alerts under the topic prefix, announces every camera to Home Assistant (discovery), and obeys{' '}
        <code>…/recording/set</code> and <code>…/detection/set</code>.
      </p>
      {v && (
        <p className={`banner ${v.status.state === 'failing' ? 'banner-error' : ''}`} role="status" data-testid="mqtt-status">
          {statusText(v.status)}
        </p>
      )}
      {readOnly && (
        <p className="banner" data-testid="mqtt-config-file">
          These settings come from <code>[mqtt]</code> in config.toml; change them there.
        </p>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error.message}
        </p>
      )}
      <fieldset disabled={readOnly}>
        <div className="form-row">
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="mqtt-enabled" />
            On
          </label>
          <label>
            Broker
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="mqtt://homeassistant.local:1883" data-testid="mqtt-url" />
            {f.url && <span className="field-error">{f.url}</span>}
          </label>
          <label>
            Topic prefix
            <input value={topicPrefix} onChange={(e) => setTopicPrefix(e.target.value)} data-testid="mqtt-topic-prefix" />
            {f.topic_prefix && <span className="field-error">{f.topic_prefix}</span>}
          </label>
          <label>
            Discovery prefix
            <input value={discoveryPrefix} onChange={(e) => setDiscoveryPrefix(e.target.value)} />
            {f.discovery_prefix && <span className="field-error">{f.discovery_prefix}</span>}
          </label>
          <label>
            User name
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" data-testid="mqtt-username" />
            {f.username && <span className="field-error">{f.username}</span>}
          </label>
          <label>
            Password{v?.password_set ? ' (stored; empty keeps it)' : ''}
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              disabled={clearPassword}
              data-testid="mqtt-password"
            />
            {f.password && <span className="field-error">{f.password}</span>}
          </label>
          {v?.password_set && (
            <label className="check">
              <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.target.checked)} />
              Remove the stored password
            </label>
          )}
        </div>
        <div className="form-row">
          <button type="button" className="btn" disabled={!url.trim() || test.isPending} onClick={() => test.mutate()} data-testid="mqtt-test">
            {test.isPending ? 'Testing…' : 'Send test'}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!url.trim() || save.isPending} data-testid="mqtt-save">
            Save
          </button>
          {saved && !save.isPending && <span className="muted">Saved; the bridge reconnects with these settings.</span>}
        </div>
      </fieldset>
      {tested && (
        <p className={`banner ${tested.ok ? '' : 'banner-error'}`} role="status" data-testid="mqtt-test-result">
          {tested.ok ? `✓ ${tested.message} (${tested.topic}, ${tested.elapsed_ms} ms)` : `✗ ${tested.message}`}
        </p>
      )}
    </form>
  );
}
