// Why: "only people at night, only the gate camera, to the guard's phone" — the rules that route alerts to channels,
// edited as forms (types, lowest severity, cameras, labels, armed hours per weekday in this PC's time); with no rule,
// every warning-or-worse alert goes to every channel, and the page says so.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';

type Channel = components['schemas']['Channel'];
export type Rule = components['schemas']['Rule'];
type Window = components['schemas']['Window'];

const KEY = ['notification-rules'] as const;
export const ALERT_TYPES = [
  'detection',
  'camera_offline',
  'recording_failed',
  'storage_full',
  'storage_tier_offline',
  'storage_locked_only',
  'detection_unavailable',
  'auth_failures',
  'database_restored',
] as const;
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function newRule(): Rule {
  return { channels: [], types: [], min_severity: 'warning', cameras: null, labels: [], schedule: [] };
}

/** A rule in one sentence, as the list shows it. */
export function ruleText(r: Rule, channels: readonly Channel[], cameras: readonly Camera[]): string {
  const to = r.channels?.length ? r.channels.map((id) => channels.find((c) => c.id === id)?.name ?? `#${id}`).join(', ') : 'every channel';
  const types = r.types?.length ? r.types.join(', ') : 'any alert';
  const cams = r.cameras ? ` from ${r.cameras.map((id) => cameras.find((c) => c.id === id)?.name ?? `#${id}`).join(', ')}` : '';
  const labels = r.labels?.length ? ` (${r.labels.join(', ')})` : '';
  const when = r.schedule?.length
    ? ` — ${r.schedule.map((w) => `${w.days?.length ? w.days.join(' ') : 'every day'} ${w.start}–${w.end}`).join('; ')}`
    : ' — at any hour';
  return `${types}${labels}${cams}, ${r.min_severity ?? 'warning'} or worse → ${to}${when}`;
}

function toggle<T>(list: readonly T[] | undefined, v: T): T[] {
  const l = list ?? [];
  return l.includes(v) ? l.filter((x) => x !== v) : [...l, v];
}

function RuleForm({
  rule,
  index,
  channels,
  cameras,
  errors,
  onChange,
  onRemove,
}: {
  rule: Rule;
  index: number;
  channels: readonly Channel[];
  cameras: readonly Camera[];
  errors: Record<string, string>;
  onChange: (r: Rule) => void;
  onRemove: () => void;
}) {
  const err = (k: string) => errors[`rules[${index}].${k}`];
  const setWindow = (j: number, w: Window) => onChange({ ...rule, schedule: (rule.schedule ?? []).map((x, i) => (i === j ? w : x)) });
  return (
    <fieldset className="card rule" data-testid={`rule-${index}`}>
      <legend>Rule {index + 1}</legend>
      <div className="check-row">
        <span>Send to</span>
        {channels.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={rule.channels?.includes(c.id) ?? false} onChange={() => onChange({ ...rule, channels: toggle(rule.channels, c.id) })} />
            {c.name}
          </label>
        ))}
        <span className="muted">{rule.channels?.length ? '' : '(none ticked: every channel)'}</span>
        {err('channels') && <span className="field-error">{err('channels')}</span>}
      </div>
      <div className="check-row">
        <span>Alerts</span>
        {ALERT_TYPES.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" checked={rule.types?.includes(t) ?? false} onChange={() => onChange({ ...rule, types: toggle(rule.types, t) })} />
            {t.replace(/_/g, ' ')}
          </label>
        ))}
      </div>
      <div className="form-row">
        <label>
          At least
          <select value={rule.min_severity ?? 'warning'} onChange={(e) => onChange({ ...rule, min_severity: e.target.value })}>
            <option value="info">info</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </select>
        </label>
        <label>
          Labels (comma-separated; empty: any)
          <input
            value={(rule.labels ?? []).join(', ')}
            onChange={(e) => onChange({ ...rule, labels: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) })}
            data-testid={`rule-${index}-labels`}
          />
        </label>
        <label>
          Cameras
          <select
            multiple
            value={(rule.cameras ?? []).map(String)}
            onChange={(e) => {
              const ids = [...e.target.selectedOptions].map((o) => Number(o.value));
              onChange({ ...rule, cameras: ids.length ? ids : null });
            }}
          >
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <span className="muted">{rule.cameras ? '' : 'none chosen: every camera and system alerts'}</span>
        </label>
      </div>
      <div>
        <span>Armed hours (this PC’s time; none: always)</span>
        {(rule.schedule ?? []).map((w, j) => (
          <div key={j} className="check-row" data-testid={`rule-${index}-window-${j}`}>
            {DAYS.map((d) => (
              <label key={d} className="check">
                <input type="checkbox" checked={w.days?.includes(d) ?? false} onChange={() => setWindow(j, { ...w, days: toggle(w.days, d) })} />
                {d}
              </label>
            ))}
            <input type="time" aria-label="from" value={w.start} onChange={(e) => setWindow(j, { ...w, start: e.target.value })} />
            <input type="time" aria-label="until" value={w.end} onChange={(e) => setWindow(j, { ...w, end: e.target.value })} />
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange({ ...rule, schedule: (rule.schedule ?? []).filter((_, i) => i !== j) })}>
              Remove
            </button>
            {(err(`schedule[${j}].start`) ?? err(`schedule[${j}].end`) ?? err(`schedule[${j}].days`)) && (
              <span className="field-error">{err(`schedule[${j}].start`) ?? err(`schedule[${j}].end`) ?? err(`schedule[${j}].days`)}</span>
            )}
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange({ ...rule, schedule: [...(rule.schedule ?? []), { days: [], start: '22:00', end: '06:00' }] })}
        >
          Add hours
        </button>
      </div>
      <button type="button" className="btn btn-small btn-danger-text" onClick={onRemove}>
        Remove rule
      </button>
    </fieldset>
  );
}

export function RulesEditor({ api, channels, cameras }: { api: ApiClient; channels: readonly Channel[]; cameras: readonly Camera[] }) {
  const qc = useQueryClient();
  const saved = useQuery({ queryKey: KEY, queryFn: () => api.request<Rule[]>('GET', '/notifications/rules') });
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  useEffect(() => {
    if (saved.data && rules === null) setRules(saved.data);
  }, [saved.data, rules]);
  const save = useMutation({
    mutationFn: (r: Rule[]) => api.request<Rule[]>('PUT', '/notifications/rules', r),
    onSuccess: (r) => {
      setError(null);
      setRules(r);
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => {
      const err = toApiError(e);
      setError({ message: `${err.message} (${err.code})`, fields: err.fields });
    },
  });
  const list = rules ?? [];
  return (
    <section className="card" aria-label="Rules" data-testid="rules-editor">
      <h2>Which alerts go where</h2>
      {list.length === 0 && <p className="muted">No rules: every warning or critical alert goes to every channel that is on.</p>}
      {list.map((r, i) => (
        <p key={`t${i}`} className="muted" data-testid={`rule-text-${i}`}>
          {ruleText(r, channels, cameras)}
        </p>
      ))}
      {error && (
        <p className="banner banner-error" role="alert">
          {error.message}
        </p>
      )}
      {list.map((r, i) => (
        <RuleForm
          key={i}
          rule={r}
          index={i}
          channels={channels}
          cameras={cameras}
          errors={error?.fields ?? {}}
          onChange={(nr) => setRules(list.map((x, j) => (j === i ? nr : x)))}
          onRemove={() => setRules(list.filter((_, j) => j !== i))}
        />
      ))}
      <div className="form-row">
        <button type="button" className="btn" onClick={() => setRules([...list, newRule()])} data-testid="rule-add">
          Add rule
        </button>
        <button type="button" className="btn btn-primary" onClick={() => save.mutate(list)} disabled={save.isPending} data-testid="rules-save">
          Save rules
        </button>
      </div>
    </section>
  );
}
