// Why: on the desktop, "Start Vigil when I log in" — an XDG autostart entry the shell writes (Tauri commands
// `autostart` / `set_autostart`), so the desk PC comes back with Vigil open after a reboot.
import { invoke } from '@tauri-apps/api/core';
import { useEffect, useState } from 'react';

export interface AutostartShell {
  get: () => Promise<boolean>;
  set: (on: boolean) => Promise<boolean>;
}

/** The desktop shell's commands. */
export const tauriAutostart: AutostartShell = {
  get: () => invoke<boolean>('autostart'),
  set: (on) => invoke<boolean>('set_autostart', { on }),
};

export function Autostart({ shell = tauriAutostart }: { shell?: AutostartShell }) {
  const [on, setOn] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    shell
      .get()
      .then((v) => live && setOn(v))
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [shell]);
  return (
    <label className="check" data-testid="autostart">
      <input
        type="checkbox"
        checked={on ?? false}
        disabled={on === null}
        onChange={(e) => {
          const want = e.target.checked;
          setError(null);
          shell
            .set(want)
            .then(setOn)
            .catch((err: unknown) => setError(String(err)));
        }}
        data-testid="autostart-toggle"
      />
      Start Vigil when I log in
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
