// Why: the admin's #/users, #/tokens and #/audit pages under one "Access" entry — who may sign in and with what rights, which API tokens exist, and who did what.
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import { ReauthGate } from './ReauthPrompt';
import { AuditTab } from './AuditTab';
import { TokensTab } from './TokensTab';
import { ChannelsTab } from './ChannelsTab';
import { MqttCard } from './MqttCard';
import { UsersTab } from './UsersTab';
import './access.css';

interface Props {
  api: ApiClient;
  tab: 'users' | 'tokens' | 'audit' | 'notifications';
  cameras: readonly Camera[];
}

const TABS = [
  { tab: 'users', label: 'Users' },
  { tab: 'tokens', label: 'API tokens' },
  { tab: 'audit', label: 'Audit log' },
  { tab: 'notifications', label: 'Alert channels' },
] as const;

export function AccessPage({ api, tab, cameras }: Props) {
  return (
    <ReauthGate api={api} className="access-page">
      <AccessTabs api={api} tab={tab} cameras={cameras} />
    </ReauthGate>
  );
}

function AccessTabs({ api, tab, cameras }: Props) {
  return (
    <main className="page access-page">
      <nav className="access-tabs" aria-label="Access">
        {TABS.map((t) => (
          <a
            key={t.tab}
            href={`#/${t.tab}`}
            className={`access-tab ${t.tab === tab ? 'is-current' : ''}`}
            aria-current={t.tab === tab ? 'page' : undefined}
            data-testid={`access-tab-${t.tab}`}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'users' && <UsersTab api={api} cameras={cameras} />}
      {tab === 'tokens' && <TokensTab api={api} cameras={cameras} />}
      {tab === 'audit' && <AuditTab api={api} cameras={cameras} />}
      {tab === 'notifications' && (
        <>
          <ChannelsTab api={api} cameras={cameras} />
          <MqttCard api={api} />
        </>
      )}
    </main>
  );
}

/** "All cameras" or the names of the chosen ones (ids of deleted ones as #id). */
export function camerasText(ids: readonly number[] | null | undefined, cameras: readonly Camera[]): string {
  if (ids === null || ids === undefined) return 'All cameras';
  if (ids.length === 0) return 'No cameras';
  return ids.map((id) => cameras.find((c) => c.id === id)?.name ?? `#${id}`).join(', ');
}

interface PickerProps {
  id: string;
  value: number[] | null;
  onChange: (v: number[] | null) => void;
  cameras: readonly Camera[];
}

/** Every camera (also those added later), or a chosen set. */
export function CameraScopePicker({ id, value, onChange, cameras }: PickerProps) {
  const all = value === null;
  return (
    <fieldset className="scope-picker" data-testid={`${id}-cameras`}>
      <legend>Cameras</legend>
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? null : [])} />
        All cameras, also those added later
      </label>
      {!all && (
        <div className="scope-list">
          {cameras.length === 0 && <p className="muted">No cameras yet.</p>}
          {cameras.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={value.includes(c.id)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, c.id] : value.filter((x) => x !== c.id))
                }
                data-testid={`${id}-camera-${c.id}`}
              />
              {c.name}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
