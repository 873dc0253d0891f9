// Why: one accessible actions menu per camera row — a menu button ("Actions for <camera>", aria-haspopup/expanded)
// whose menu items are reachable by keyboard (arrows, Home/End, Enter), close on Esc, Tab or a click outside, and
// float over the page so the table never has to be wide enough for every action.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
  testId?: string;
}

interface Props {
  /** The camera's name, for the button's accessible name. */
  name: string;
  items: MenuItem[];
  testId?: string;
}

/** Where the menu sits: under the button, right-aligned, or above it when there is no room below. */
function place(button: DOMRect, menu: { width: number; height: number }): { top: number; left: number } {
  const margin = 4;
  const below = button.bottom + margin;
  const top = below + menu.height > window.innerHeight && button.top - margin - menu.height > 0 ? button.top - margin - menu.height : below;
  // Right-aligned with the button; left-aligned when that would leave the window (a button near the left edge).
  const right = button.right - menu.width;
  const left = Math.max(margin, Math.min(right < margin ? button.left : right, window.innerWidth - menu.width - margin));
  return { top, left };
}

export function RowMenu({ name, items, testId }: Props) {
  const [open, setOpen] = useState(false);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  /** Which item gets focus when the menu opens: the first, or the last (ArrowUp on the button). */
  const focusOnOpen = useRef<'first' | 'last'>('first');

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    setPos(null);
    if (refocus) button.current?.focus();
  }, []);

  const enabledItems = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];

  // Measure the (still hidden) menu and place it; then, once it is visible, focus an item.
  useLayoutEffect(() => {
    if (!open || !button.current || !menu.current) return;
    const m = menu.current.getBoundingClientRect();
    setPos(place(button.current.getBoundingClientRect(), { width: m.width, height: m.height }));
  }, [open]);
  useLayoutEffect(() => {
    if (!open || !pos) return;
    const list = enabledItems();
    (focusOnOpen.current === 'last' ? list[list.length - 1] : list[0])?.focus();
  }, [open, pos]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (menu.current?.contains(t) || button.current?.contains(t)) return;
      close(false);
    };
    // The menu is placed against the viewport: a scroll or resize would leave it behind.
    const onMove = () => close(false);
    document.addEventListener('mousedown', onDown);
    window.addEventListener('resize', onMove);
    window.addEventListener('scroll', onMove, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('resize', onMove);
      window.removeEventListener('scroll', onMove, true);
    };
  }, [open, close]);

  const onMenuKey = (e: KeyboardEvent) => {
    const list = enabledItems();
    const i = list.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => list[(n + list.length) % list.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        go(i + 1);
        break;
      case 'ArrowUp':
        go(i - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(list.length - 1);
        break;
      case 'Escape':
        // Only the menu closes, not a dialog around it.
        e.stopPropagation();
        e.nativeEvent.stopImmediatePropagation();
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    e.preventDefault();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusOnOpen.current = e.key === 'ArrowUp' ? 'last' : 'first';
      setOpen(true);
    }
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className={`btn btn-small row-menu-button ${open ? 'is-active' : ''}`}
        aria-label={`Actions for ${name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          focusOnOpen.current = 'first';
          if (open) close(false);
          else setOpen(true);
        }}
        onKeyDown={onButtonKey}
        data-testid={testId}
      >
        Actions <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={`Actions for ${name}`}
          className="row-menu"
          style={pos ? { top: pos.top, left: pos.left } : { visibility: 'hidden', top: 0, left: 0 }}
          onKeyDown={onMenuKey}
          data-testid={testId && `${testId}-menu`}
        >
          {items.map((it) => (
            <li
              key={it.label}
              role="menuitem"
              tabIndex={-1}
              aria-disabled={it.disabled || undefined}
              className={`row-menu-item ${it.danger ? 'row-menu-danger' : ''}`}
              onClick={() => {
                if (it.disabled) return;
                // Back on the button first: a dialog the item opens takes focus and gives it back there.
                close(true);
                it.onSelect();
              }}
              onKeyDown={(e) => {
                if ((e.key === 'Enter' || e.key === ' ') && !it.disabled) {
                  e.preventDefault();
                  close(true);
                  it.onSelect();
                }
              }}
              data-testid={it.testId}
            >
              {it.label}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
