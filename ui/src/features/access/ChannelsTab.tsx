// Why: alerts reach people away from the desk — the admin adds webhooks (signed with a per-hook secret, shown once
// when Vigil makes it) and email over SMTP (password kept in the credential store), sends a test, sees every delivery (sent, retrying with the last error, given up), and sets
// which alerts go where and when (types, severity, cameras, labels, armed hours per weekday).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';
import { CopyField } from '../../components/CopyField';
import { RulesEditor } from './RulesEditor';

type Channel = components['schemas']['Channel'];
type ChannelCreated = components['schemas']['ChannelCreated'];
type Delivery = components['schemas']['Delivery'];
type Security = components['schemas']['SmtpSecurity'];

/** Where the channel sends, in a few words. */
export function channelTarget(c: Channel): string {
  if (c.kind === 'email' && c.email) return `${c.email.to.join(', ')} via ${c.email.host}:${c.email.port} (${c.email.security})`;
  return c.url ?? '';
}

/** The address people reach this Vigil at, for links in mails (empty inside the desktop's own scheme). */
function defaultLinkBase(): string {
  const o = globalThis.location?.origin ?? '';
  return /^https?:\/\//.test(o) ? o : '';
}

const KEY = ['notification-channels'] as const;

interface Props {
  api: ApiClient;
  cameras: readonly Camera[];
}

/** One line about a delivery, as the list shows it. */
export function deliveryText(d: Delivery): string {
  const what = d.test ? 'Test' : d.alert_id !== null && d.alert_id !== undefined ? `Alert ${d.alert_id}` : 'Message';
  const tries = d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`;
  switch (d.state) {
    case 'sent':
      return `${what}: sent (${tries})`;
    case 'failed':
      return `${what}: failed — ${d.last_error ?? 'unknown error'}`;
    default:
      return d.attempts === 0
        ? `${what}: sending…`
        : `${what}: retrying (${tries}; last: ${d.last_error ?? 'unknown error'})`;
  }
}

function Deliveries({ api, channel }: { api: ApiClient; channel: Channel }) {
  const q = useQuery({
    queryKey: [...KEY, channel.id, 'deliveries'],
    queryFn: () => api.request<Delivery[]>('GET', `/notifications/channels/${channel.id}/deliveries?limit=20`),
    refetchInterval: 3_000,
  });
  if (q.isLoading) return <p className="muted">Loading…</p>;
  if (!q.data?.length) return <p className="muted">Nothing sent yet.</p>;
  return (
    <ul className="delivery-list" data-testid={`deliveries-${channel.id}`}>
      {q.data.map((d) => (
        <li key={d.id} className={`delivery delivery-${d.state}`} data-testid={`delivery-${d.id}`}>
          <span className="muted">{new Date(d.created_at).toLocaleString()}</span> {deliveryText(d)}
        </li>
      ))}
    </ul>
  );
}

export function ChannelsTab({ api, cameras }: Props) {
  const qc = useQueryClient();
  const channels = useQuery({ queryKey: KEY, queryFn: () => api.request<Channel[]>('GET', '/notifications/channels') });
  const [kind, setKind] = useState<'webhook' | 'email'>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [security, setSecurity] = useState<Security>('starttls');
  const [username, setUsername] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [linkBase, setLinkBase] = useState(defaultLinkBase);
  const [created, setCreated] = useState<ChannelCreated | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });

  const create = useMutation({
    mutationFn: () =>
      api.request<ChannelCreated>(
        'POST',
        '/notifications/channels',
        kind === 'webhook'
          ? { kind, name: name.trim(), url: url.trim(), secret: secret ? secret : null }
          : {
              kind,
              name: name.trim(),
              host: host.trim(),
              port: port.trim() ? Number(port) : null,
              security,
              username: username.trim() || null,
              password: secret ? secret : null,
              from: from.trim(),
              to: to
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
              link_base: linkBase.trim() || null,
            },
      ),
    onSuccess: (c) => {
      setCreated(c);
      setError(null);
      setName('');
      setUrl('');
      setSecret('');
      refresh();
    },
    onError: (e) => {
      const err = toApiError(e);
      setError({ message: `${err.message} (${err.code})`, fields: err.fields });
    },
  });
  const toggle = useMutation({
    mutationFn: (c: Channel) => api.request<Channel>('PATCH', `/notifications/channels/${c.id}`, { enabled: !c.enabled }),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: (c: Channel) => api.request('POST', `/notifications/channels/${c.id}/test`),
    onSuccess: (_, c) => {
      setOpen(c.id);
      void qc.invalidateQueries({ queryKey: [...KEY, c.id, 'deliveries'] });
    },
  });
  const remove = useMutation({
    mutationFn: (c: Channel) => api.request<void>('DELETE', `/notifications/channels/${c.id}`),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const f = error?.fields ?? {};

  return (
    <section aria-label="Alert channels">
      <form className="card" onSubmit={submit} data-testid="channel-form">
        <h2>New alert channel</h2>
        <div className="form-row" role="radiogroup" aria-label="Kind">
          <label className="check">
            <input type="radio" checked={kind === 'webhook'} onChange={() => setKind('webhook')} data-testid="channel-kind-webhook" />
            Webhook
          </label>
          <label className="check">
            <input type="radio" checked={kind === 'email'} onChange={() => setKind('email')} data-testid="channel-kind-email" />
            Email
          </label>
        </div>
        <p className="muted">
          {kind === 'webhook' ? (
            <>
              Each alert the rules below send here is POSTed as JSON (the events socket’s <code>alert</code> message),
              signed as <code>X-Vigil-Signature: sha256=…</code> (HMAC-SHA256 of the body with the secret), and retried
              until the receiver answers 2xx.
            </>
          ) : (
            <>Each alert is one mail: the camera and what happened, a link to the moment on the timeline, and the detection’s picture.</>
          )}
        </p>
        {error && (
          <p className="banner banner-error" role="alert">
            {error.message}
          </p>
        )}
        <div className="form-row">
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="channel-name" />
            {f.name && <span className="field-error">{f.name}</span>}
          </label>
          {kind === 'webhook' ? (
            <>
              <label>
                URL
                <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" data-testid="channel-url" />
                {f.url && <span className="field-error">{f.url}</span>}
              </label>
              <label>
                Secret (empty: Vigil makes one)
                <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />
                {f.secret && <span className="field-error">{f.secret}</span>}
              </label>
            </>
          ) : (
            <>
              <label>
                SMTP server
                <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="smtp.example.org" data-testid="channel-host" />
                {f.host && <span className="field-error">{f.host}</span>}
              </label>
              <label>
                Security
                <select value={security} onChange={(e) => setSecurity(e.target.value as Security)}>
                  <option value="starttls">STARTTLS (587)</option>
                  <option value="tls">TLS (465)</option>
                  <option value="none">none (a relay on this network)</option>
                </select>
              </label>
              <label>
                Port (empty: the usual)
                <input inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
                {f.port && <span className="field-error">{f.port}</span>}
              </label>
              <label>
                User name
                <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
              </label>
              <label>
                Password
                <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />
                {f.password && <span className="field-error">{f.password}</span>}
              </label>
              <label>
                From
                <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="vigil@example.org" data-testid="channel-from" />
                {f.from && <span className="field-error">{f.from}</span>}
              </label>
              <label>
                To (comma-separated)
                <input value={to} onChange={(e) => setTo(e.target.value)} data-testid="channel-to" />
                {f.to && <span className="field-error">{f.to}</span>}
              </label>
              <label>
                Vigil’s address, for links
                <input value={linkBase} onChange={(e) => setLinkBase(e.target.value)} placeholder="https://nvr.example:7878" />
                {f.link_base && <span className="field-error">{f.link_base}</span>}
              </label>
            </>
          )}
        </div>
        <div className="form-row">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!name.trim() || (kind === 'webhook' ? !url.trim() : !host.trim() || !to.trim()) || create.isPending}
            data-testid="channel-add"
          >
            Add {kind === 'webhook' ? 'webhook' : 'email channel'}
          </button>
        </div>
        {created?.secret && (
          <div className="banner" role="status" data-testid="channel-secret">
            <CopyField label={`Signing secret of “${created.channel.name}” — shown only now`} value={created.secret} />
          </div>
        )}
      </form>
      <div className="table-wrap">
        <table data-testid="channels-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Sends to</th>
              <th>On</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(channels.data ?? []).map((c) => (
              <tr key={c.id} data-testid={`channel-row-${c.id}`}>
                <td>
                  <strong>{c.name}</strong>
                  <div className="muted">
                    {c.kind === 'email' ? 'email' : c.has_secret ? 'webhook, signed' : 'webhook, unsigned'}
                  </div>
                </td>
                <td className="wrap">
                  {channelTarget(c)}
                  {open === c.id && <Deliveries api={api} channel={c} />}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${c.name} on`}
                    checked={c.enabled}
                    onChange={() => toggle.mutate(c)}
                    data-testid={`channel-enabled-${c.id}`}
                  />
                </td>
                <td className="actions">
                  <button type="button" className="btn btn-small" onClick={() => test.mutate(c)} data-testid={`channel-test-${c.id}`}>
                    Send test
                  </button>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(open === c.id ? null : c.id)}>
                    {open === c.id ? 'Hide deliveries' : 'Deliveries'}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger-text"
                    onClick={() => {
                      if (globalThis.confirm?.(`Delete ${c.name}? Deliveries waiting for it are dropped.`) ?? true) remove.mutate(c);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {channels.data?.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No channels: alerts show on this desk only.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <RulesEditor api={api} channels={channels.data ?? []} cameras={cameras} />
    </section>
  );
}
