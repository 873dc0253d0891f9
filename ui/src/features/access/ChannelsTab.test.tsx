// Why: proves the Alert channels tab against a fake API — a webhook is added with the body the server takes and its
// made secret shown once, an email channel sends its SMTP settings, "Send test" queues a delivery and the list says
// how each went, and the rules editor saves armed hours and shows the server's field errors at their rule.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import { camera } from '../../test/fixtures';
import { ChannelsTab, channelTarget, deliveryText } from './ChannelsTab';
import { newRule, ruleText } from './RulesEditor';
import type { Rule } from './RulesEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
type Channel = components['schemas']['Channel'];
type Delivery = components['schemas']['Delivery'];

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

const hook: Channel = {
  id: 1,
  kind: 'webhook',
  name: 'Guard phone',
  enabled: true,
  url: 'https://hooks.example/x',
  email: null,
  has_secret: true,
  created_at: '2026-12-04T00:00:00Z',
  updated_at: '2026-12-04T00:00:00Z',
};
const delivery = (over: Partial<Delivery>): Delivery => ({
  id: 5,
  channel_id: 1,
  alert_id: 7,
  test: false,
  state: 'sent',
  attempts: 1,
  last_error: null,
  created_at: '2026-12-04T00:00:00Z',
  next_attempt_at: null,
  done_at: null,
  ...over,
});

function render(request: ApiClient['request']) {
  const api = { request } as unknown as ApiClient;
  act(() =>
    root.render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ChannelsTab api={api} cameras={[camera({ id: 3, name: 'Gate' })]} />
      </QueryClientProvider>,
    ),
  );
}

describe('alert channels', () => {
  it('words deliveries and targets', () => {
    expect(deliveryText(delivery({}))).toBe('Alert 7: sent (1 attempt)');
    expect(deliveryText(delivery({ state: 'pending', attempts: 2, last_error: 'HTTP 500' }))).toBe(
      'Alert 7: retrying (2 attempts; last: HTTP 500)',
    );
    expect(deliveryText(delivery({ state: 'failed', test: true, last_error: 'gave up after 8 attempts: HTTP 404' }))).toBe(
      'Test: failed — gave up after 8 attempts: HTTP 404',
    );
    expect(channelTarget(hook)).toBe('https://hooks.example/x');
    const mail: Channel = {
      ...hook,
      kind: 'email',
      url: null,
      email: { host: 'smtp.example', port: 587, security: 'starttls', username: null, from: 'v@x', to: ['a@x', 'b@x'], link_base: null },
    };
    expect(channelTarget(mail)).toBe('a@x, b@x via smtp.example:587 (starttls)');
    const rule: Rule = {
      ...newRule(),
      channels: [1],
      types: ['detection'],
      labels: ['person'],
      cameras: [3],
      schedule: [{ days: ['sat'], start: '22:00', end: '06:00' }],
    };
    expect(ruleText(rule, [hook], [camera({ id: 3, name: 'Gate' })])).toBe(
      'detection (person) from Gate, warning or worse → Guard phone — sat 22:00–06:00',
    );
  });

  it('adds a webhook, shows the made secret once, sends a test and lists the deliveries', async () => {
    const calls: [string, string, unknown][] = [];
    let channels: Channel[] = [];
    const request = vi.fn(async (method: string, path: string, body?: unknown) => {
      calls.push([method, path, body]);
      if (method === 'GET' && path === '/notifications/channels') return channels;
      if (method === 'GET' && path === '/notifications/rules') return [];
      if (method === 'POST' && path === '/notifications/channels') {
        channels = [hook];
        return { channel: hook, secret: 'ab'.repeat(24) };
      }
      if (method === 'POST' && path === '/notifications/channels/1/test') return { delivery_id: 5 };
      if (path.startsWith('/notifications/channels/1/deliveries')) return [delivery({ test: true, alert_id: null, state: 'pending', attempts: 1, last_error: 'HTTP 500' })];
      throw new Error(`unexpected ${method} ${path}`);
    }) as unknown as ApiClient['request'];
    render(request);
    await until(() => expect(host.textContent).toContain('No channels'));
    type('[data-testid="channel-name"]', 'Guard phone');
    type('[data-testid="channel-url"]', 'https://hooks.example/x');
    await act(async () => $('[data-testid="channel-add"]')!.click());
    await until(() => expect(($('[data-testid="channel-secret"] input') as HTMLInputElement | null)?.value).toBe('ab'.repeat(24)));
    expect(calls).toContainEqual(['POST', '/notifications/channels', { kind: 'webhook', name: 'Guard phone', url: 'https://hooks.example/x', secret: null }]);
    await until(() => expect($('[data-testid="channel-row-1"]')).not.toBeNull());
    await act(async () => $('[data-testid="channel-test-1"]')!.click());
    await until(() => expect($('[data-testid="deliveries-1"]')?.textContent).toContain('Test: retrying (1 attempt; last: HTTP 500)'));
  });

  it('sends an email channel’s SMTP settings', async () => {
    const posted: unknown[] = [];
    const request = vi.fn(async (method: string, _path: string, body?: unknown) => {
      if (method === 'POST') {
        posted.push(body);
        throw new ApiError(400, 'VALIDATION_FAILED', 'invalid channel', { fields: { to: '"x" is not an email address' } });
      }
      return [];
    }) as unknown as ApiClient['request'];
    render(request);
    await act(async () => $('[data-testid="channel-kind-email"]')!.click());
    type('[data-testid="channel-name"]', 'Night shift');
    type('[data-testid="channel-host"]', 'smtp.example.org');
    type('[data-testid="channel-from"]', 'vigil@example.org');
    type('[data-testid="channel-to"]', 'x, guard@example.org');
    await act(async () => $('[data-testid="channel-add"]')!.click());
    await until(() => expect(host.textContent).toContain('"x" is not an email address'));
    expect(posted[0]).toMatchObject({
      kind: 'email',
      name: 'Night shift',
      host: 'smtp.example.org',
      port: null,
      security: 'starttls',
      from: 'vigil@example.org',
      to: ['x', 'guard@example.org'],
    });
  });

  it('saves rules with armed hours and shows a field error at its rule', async () => {
    const puts: unknown[] = [];
    const request = vi.fn(async (method: string, path: string, body?: unknown) => {
      if (method === 'GET' && path === '/notifications/channels') return [hook];
      if (method === 'GET' && path === '/notifications/rules') return [];
      if (method === 'PUT') {
        puts.push(body);
        if (puts.length === 1) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'invalid rules', { fields: { 'rules[0].schedule[0].start': 'must be HH:MM' } });
        }
        return body;
      }
      return [];
    }) as unknown as ApiClient['request'];
    render(request);
    await until(() => expect(host.textContent).toContain('No rules'));
    await act(async () => $('[data-testid="rule-add"]')!.click());
    const addHours = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add hours')!;
    await act(async () => addHours.click());
    await act(async () => $('[data-testid="rules-save"]')!.click());
    await until(() => expect(host.textContent).toContain('must be HH:MM'));
    expect(puts[0]).toEqual([{ ...newRule(), schedule: [{ days: [], start: '22:00', end: '06:00' }] }]);
    await act(async () => $('[data-testid="rules-save"]')!.click());
    await until(() => expect(puts).toHaveLength(2));
  });
});
