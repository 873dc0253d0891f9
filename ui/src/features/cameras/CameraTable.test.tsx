// Why: renders the camera table in jsdom to prove the row menu is an accessible menu button (name, haspopup, expanded,
// menuitems, arrows, Esc and click-outside) that runs the row's actions, and that a failing camera's status is explained
// in plain words with the raw error behind Details.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { camera } from '../../test/fixtures';
import { CameraTable } from './CameraTable';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

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

const q = (sel: string) => host.querySelector(sel) as HTMLElement | null;
const key = (el: Element, k: string) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });

function render(over: Partial<Parameters<typeof CameraTable>[0]> = {}) {
  const props = {
    cameras: [camera({ id: 3, name: 'Gate' })],
    busy: new Set<number>(),
    live: [],
    onLive: vi.fn(),
    onRun: vi.fn(),
    onEdit: vi.fn(),
    onDelete: vi.fn(),
    onToggle: vi.fn(),
    onTimeline: vi.fn(),
    onDetection: vi.fn(),
    ...over,
  };
  act(() => root.render(<CameraTable {...props} />));
  return props;
}

describe('CameraTable row menu', () => {
  it('is a menu button named for the camera, with the actions as menu items', () => {
    const props = render();
    const button = q('[data-testid="actions-3"]')!;
    expect(button.getAttribute('aria-label')).toBe('Actions for Gate');
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(q('[role="menu"]')).toBeNull();
    act(() => button.click());
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const menu = q('[role="menu"]')!;
    expect(button.getAttribute('aria-controls')).toBe(menu.id);
    const items = [...menu.querySelectorAll('[role="menuitem"]')].map((i) => i.textContent);
    expect(items).toEqual(['Edit…', 'Stop', 'Recordings', 'Detection…', 'Delete…']);
    // Focus goes to the first item; arrows move it, wrapping.
    expect(document.activeElement?.textContent).toBe('Edit…');
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement?.textContent).toBe('Stop');
    key(document.activeElement!, 'ArrowUp');
    key(document.activeElement!, 'ArrowUp');
    expect(document.activeElement?.textContent).toBe('Delete…');
    key(document.activeElement!, 'Enter');
    expect(props.onDelete).toHaveBeenCalledWith(expect.objectContaining({ id: 3 }));
    expect(q('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('closes on Esc (focus back on the button) and on a click outside', () => {
    const props = render();
    const button = q('[data-testid="actions-3"]')!;
    act(() => button.click());
    key(document.activeElement!, 'Escape');
    expect(q('[role="menu"]')).toBeNull();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
    act(() => button.click());
    act(() => {
      document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    expect(q('[role="menu"]')).toBeNull();
    // The keyboard opens it too: ArrowUp lands on the last item.
    key(button, 'ArrowUp');
    expect(document.activeElement?.textContent).toBe('Delete…');
    act(() => (q('[data-testid="edit-3"]') as HTMLElement).click());
    expect(props.onEdit).toHaveBeenCalledTimes(1);
  });

  it('keeps Live inline and disables Stop and Delete while a request runs', () => {
    const props = render({ busy: new Set([3]) });
    act(() => q('[data-testid="live-3"]')!.click());
    expect(props.onLive).toHaveBeenCalled();
    act(() => q('[data-testid="actions-3"]')!.click());
    expect(q('[data-testid="delete-3"]')!.getAttribute('aria-disabled')).toBe('true');
    act(() => q('[data-testid="delete-3"]')!.click());
    expect(props.onDelete).not.toHaveBeenCalled();
  });
});

describe('CameraTable status', () => {
  it('explains a failing camera by its code, with the raw error behind Details', () => {
    render({
      cameras: [camera({ id: 3, name: 'Gate', status: 'reconnecting' })],
      errors: new Map([[3, { code: 'SOURCE_NOT_FOUND', message: '404 Not Found on DESCRIBE CSeq=2' }]]),
    });
    expect(q('[data-testid="status-error-3-title"]')?.textContent).toBe('No stream at that path');
    const details = q('[data-testid="status-error-3-details"]') as HTMLDetailsElement;
    expect(details.tagName).toBe('DETAILS');
    expect(details.querySelector('summary')?.textContent).toBe('Details');
    expect(details.textContent).toContain('404 Not Found on DESCRIBE CSeq=2');
    expect(details.textContent).toContain('SOURCE_NOT_FOUND');
  });

  it('shows no error for a running camera, even if one is still known', () => {
    render({
      cameras: [camera({ id: 3, status: 'running' })],
      errors: new Map([[3, { code: 'SOURCE_NOT_FOUND', message: 'old' }]]),
    });
    expect(q('[data-testid="status-error-3"]')).toBeNull();
  });

  it('cuts long names and URLs with an ellipsis and keeps the full text in a title', () => {
    const long = 'A camera with a very long name '.repeat(5);
    render({ cameras: [camera({ id: 3, name: long })] });
    const name = q('.cam-name')!;
    expect(name.classList.contains('clip')).toBe(true);
    expect(name.getAttribute('title')).toBe(long);
    expect(q('.source-detail')!.getAttribute('title')).toBe('rtsp://192.0.2.10:554/stream1');
  });
});
