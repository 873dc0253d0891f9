// Why: the #/alerts page — the alert widget given the whole page, with the alert a link (or a clicked desktop notification) named picked out.
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import { AlertWidget } from './AlertWidget';

interface Props {
  api: ApiClient;
  cameras: Camera[];
  focusId: number | null;
}

export function AlertsPage({ api, cameras, focusId }: Props) {
  return (
    <main className="page" data-testid="alerts-page">
      <AlertWidget api={api} cameras={cameras} focusId={focusId} />
    </main>
  );
}
