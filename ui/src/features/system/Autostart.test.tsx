// Why: proves the desktop's "Start Vigil when I log in" shows what the shell says and asks it to change, and says
// why when the shell cannot write the entry.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autostart } from './Autostart';

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

const toggle = () => host.querySelector('[data-testid="autostart-toggle"]') as HTMLInputElement;

describe('start at login', () => {
  it('shows the entry as the shell has it and switches it', async () => {
    const shell = { get: vi.fn(async () => false), set: vi.fn(async (on: boolean) => on) };
    await act(async () => root.render(<Autostart shell={shell} />));
    expect(toggle().checked).toBe(false);
    await act(async () => toggle().click());
    expect(shell.set).toHaveBeenCalledWith(true);
    expect(toggle().checked).toBe(true);
  });

  it('says why when the entry cannot be written', async () => {
    const shell = { get: vi.fn(async () => true), set: vi.fn(async () => Promise.reject('writing the autostart entry: read-only')) };
    await act(async () => root.render(<Autostart shell={shell} />));
    await act(async () => toggle().click());
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('read-only');
    expect(toggle().checked).toBe(true);
  });
});
