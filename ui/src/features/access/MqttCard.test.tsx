// Why: proves the MQTT card against a fake API — it starts from the settings in force, "Send test" posts what the
// form says (the password only when typed) and shows why a test failed, Save keeps the stored password unless it is
// typed or removed, field errors land at their field, and settings from config.toml cannot be edited.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import { MqttCard, statusText } from './MqttCard';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
type View = components['schemas']['MqttView'];

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const $ = (sel: string) => host.querySelector(sel) as HTMLElement | null;
const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });
function type(sel: string, value: string) {
  const el = $(sel) as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const status = { state: 'off', last_error: null, connected_since: null, queued: 0, dropped: 0 } as const;
const view = (over: Partial<View>): View => ({ source: 'unset', settings: null, password_set: false, status, ...over });
const settings = {
  enabled: true,
  url: 'mqtt://ha.local:1883',
  topic_prefix: 'vigil',
  discovery_prefix: 'homeassistant',
  username: 'vigil',
  client_id: null,
};

function render(request: ApiClient['request']) {
  const api = { request } as unknown as ApiClient;
  act(() =>
    root.render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MqttCard api={api} />
      </QueryClientProvider>,
    ),
  );
}

describe('MQTT card', () => {
  it('words the bridge’s state', () => {
    expect(statusText(status)).toBe('Off');
    expect(statusText({ ...status, state: 'failing', last_error: 'nothing answers at mqtt://x:1883 (connection refused)' })).toBe(
      'Not connected: nothing answers at mqtt://x:1883 (connection refused) (retrying every 2 s)',
    );
    expect(statusText({ ...status, state: 'connected', queued: 12, dropped: 1 })).toBe('Connected — 12 messages sent, 1 dropped');
  });

  it('tests and saves, keeping the stored password unless one is typed', async () => {
    const calls: [string, string, unknown][] = [];
    let current = view({ source: 'ui', settings, password_set: true, status: { ...status, state: 'connected', queued: 3 } });
    const request = vi.fn(async (method: string, path: string, body?: unknown) => {
      calls.push([method, path, body]);
      if (method === 'GET' && path === '/notifications/mqtt') return current;
      if (method === 'POST' && path === '/notifications/mqtt/test') {
        return { ok: false, message: 'the broker at mqtt://ha.local:1883 refused the username or password', topic: 'vigil/test', elapsed_ms: 4 };
      }
      if (method === 'PUT' && path === '/notifications/mqtt') {
        const b = body as { topic_prefix: string };
        if (b.topic_prefix === 'a/#') {
          throw new ApiError(400, 'VALIDATION_FAILED', 'invalid', { fields: { topic_prefix: 'no wildcards' } });
        }
        current = view({ source: 'ui', settings: { ...settings, topic_prefix: b.topic_prefix }, password_set: true });
        return current;
      }
      throw new Error(`unexpected ${method} ${path}`);
    }) as unknown as ApiClient['request'];
    render(request);
    await until(() => expect(($('[data-testid="mqtt-url"]') as HTMLInputElement).value).toBe('mqtt://ha.local:1883'));
    expect($('[data-testid="mqtt-status"]')?.textContent).toContain('Connected');
    expect(host.textContent).toContain('stored; empty keeps it');

    type('[data-testid="mqtt-password"]', 'wrong');
    await act(async () => $('[data-testid="mqtt-test"]')!.click());
    await until(() => expect($('[data-testid="mqtt-test-result"]')?.textContent).toContain('refused the username or password'));
    expect(calls).toContainEqual([
      'POST',
      '/notifications/mqtt/test',
      { enabled: true, url: 'mqtt://ha.local:1883', topic_prefix: 'vigil', discovery_prefix: 'homeassistant', username: 'vigil', password: 'wrong' },
    ]);

    type('[data-testid="mqtt-password"]', '');
    type('[data-testid="mqtt-topic-prefix"]', 'a/#');
    await act(async () => $('[data-testid="mqtt-save"]')!.click());
    await until(() => expect(host.querySelector('.field-error')?.textContent).toBe('no wildcards'));

    type('[data-testid="mqtt-topic-prefix"]', 'desk');
    await act(async () => $('[data-testid="mqtt-save"]')!.click());
    await until(() => expect(host.textContent).toContain('Saved; the bridge reconnects'));
    const put = calls.filter(([m]) => m === 'PUT').pop()!;
    expect(put[2]).toEqual({ enabled: true, url: 'mqtt://ha.local:1883', topic_prefix: 'desk', discovery_prefix: 'homeassistant', username: 'vigil' });
  });

  it('shows settings from config.toml read-only', async () => {
    const request = vi.fn(async () => view({ source: 'config_file', settings })) as unknown as ApiClient['request'];
    render(request);
    await until(() => expect($('[data-testid="mqtt-config-file"]')).not.toBeNull());
    expect(($('[data-testid="mqtt-url"]') as HTMLInputElement).value).toBe('mqtt://ha.local:1883');
    expect(($('[data-testid="mqtt-form"] fieldset') as HTMLFieldSetElement).disabled).toBe(true);
  });
});
