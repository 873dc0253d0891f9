// Why: a page that throws (or whose code is gone after an update) shows a message with Reload instead of unmounting the whole app.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { PageBoundary, isStaleBuild } from './PageBoundary';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Broken({ message }: { message: string }): never {
  throw new Error(message);
}

describe('PageBoundary', () => {
  it('tells a stale build from another error', () => {
    expect(isStaleBuild(new TypeError('Failed to fetch dynamically imported module: http://x/assets/a.js'))).toBe(true);
    expect(isStaleBuild(new Error('x is undefined'))).toBe(false);
  });

  it('keeps the rest of the app and offers Reload', () => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    act(() =>
      root.render(
        <div>
          <header data-testid="header">Vigil</header>
          <PageBoundary>
            <Broken message="Failed to fetch dynamically imported module: /assets/CamerasPage-old.js" />
          </PageBoundary>
        </div>,
      ),
    );
    expect(host.querySelector('[data-testid="header"]')).not.toBeNull();
    expect(host.querySelector('[data-testid="page-error"]')?.textContent).toContain('Vigil was updated');
    expect(host.querySelector('[data-testid="page-error"] button')?.textContent).toBe('Reload');
    quiet.mockRestore();
    act(() => root.unmount());
    host.remove();
  });
});
