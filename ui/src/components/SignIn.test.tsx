// Why: the sign-in form says what went wrong in words (wrong password, a lockout and for how long) and offers API tokens for scripts.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { SignIn, signInMessage } from './SignIn';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function type(el: Element | null, value: string) {
  const input = el as HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function mount(node: React.ReactNode) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  act(() => root.render(node));
  return { host, root };
}

describe('signInMessage', () => {
  it('explains refusals', () => {
    expect(signInMessage(new ApiError(401, 'AUTH_CREDENTIALS_INVALID', 'x'))).toBe('Wrong username or password.');
    expect(signInMessage(new ApiError(429, 'RATE_LIMIT_EXCEEDED', 'x', { retry_after_s: 8 }))).toContain('8 s');
    expect(signInMessage(new ApiError(429, 'RATE_LIMIT_EXCEEDED', 'x', { retry_after_s: 600 }))).toContain('10 min');
  });
});

describe('SignIn', () => {
  it('signs in with a username and password and shows a refusal', async () => {
    const onSignIn = vi.fn(async () => {
      throw new ApiError(401, 'AUTH_CREDENTIALS_INVALID', 'wrong');
    });
    const { host, root } = mount(<SignIn onSignIn={onSignIn} onToken={vi.fn()} />);
    act(() => type(host.querySelector('#signin-username'), 'alice'));
    act(() => type(host.querySelector('#signin-password'), 'pw pw pw pw'));
    await act(async () => {
      (host.querySelector('[data-testid="signin-submit"]') as HTMLButtonElement).click();
    });
    expect(onSignIn).toHaveBeenCalledWith('alice', 'pw pw pw pw');
    expect(host.querySelector('[data-testid="signin-error"]')?.textContent).toBe('Wrong username or password.');
    expect((host.querySelector('#signin-password') as HTMLInputElement).value).toBe('');
    act(() => root.unmount());
  });

  it('still takes an API token', () => {
    const onToken = vi.fn();
    const { host, root } = mount(<SignIn onSignIn={vi.fn()} onToken={onToken} />);
    const toToken = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Use an API token instead');
    act(() => toToken?.click());
    act(() => type(host.querySelector('#signin-token'), ' vgl_x '));
    act(() => (host.querySelector('form') as HTMLFormElement).requestSubmit());
    expect(onToken).toHaveBeenCalledWith('vgl_x');
    act(() => root.unmount());
  });
});
