// Why: the audible part of alerts — a WebAudio beep for new alerts at or above warning, with the on/off choice kept in localStorage and shared by every view.
import { useEffect, useSyncExternalStore } from 'react';
import type { EventsClient } from '../../api/events';
import type { AlertSeverity } from '../../api/types';
import { shouldSound } from './alertState';

export const SOUND_KEY = 'vigil.alertSound';

const listeners = new Set<() => void>();
let beeps = 0;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** On unless the user turned it off. */
export function soundOn(): boolean {
  return storage()?.getItem(SOUND_KEY) !== 'off';
}

export function setSoundOn(on: boolean): void {
  storage()?.setItem(SOUND_KEY, on ? 'on' : 'off');
  if (on) unlockAudio();
  for (const l of [...listeners]) l();
}

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export function useSoundOn(): boolean {
  return useSyncExternalStore(subscribe, soundOn);
}

/** How many beeps this page has played (shown on the toggle for tests and the curious). */
export function useBeepCount(): number {
  return useSyncExternalStore(subscribe, () => beeps);
}

let ctx: AudioContext | null = null;
function audio(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = globalThis.AudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** Browsers start audio suspended until a user gesture; the toggle's click is one. */
export function unlockAudio(): void {
  const a = audio();
  if (a && a.state === 'suspended') void a.resume().catch(() => {});
}

let lastBeepAt = 0;
/** Two short tones for critical, one for warning; at most one beep a second however many alerts come. */
export function beep(severity: AlertSeverity, now = Date.now()): boolean {
  if (now - lastBeepAt < 1000) return false;
  lastBeepAt = now;
  beeps += 1;
  for (const l of [...listeners]) l();
  const a = audio();
  if (!a) return true;
  if (a.state === 'suspended') void a.resume().catch(() => {});
  const tones = severity === 'critical' ? [0, 0.22] : [0];
  for (const offset of tones) {
    const osc = a.createOscillator();
    const gain = a.createGain();
    const t0 = a.currentTime + offset;
    osc.type = 'sine';
    osc.frequency.value = severity === 'critical' ? 988 : 784;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.16);
    osc.connect(gain).connect(a.destination);
    osc.start(t0);
    osc.stop(t0 + 0.18);
  }
  return true;
}

/** Beep on each new `alert` from the events socket that deserves it, while the sound is on. */
export function useAlertSound(events: EventsClient): void {
  useEffect(
    () =>
      events.subscribe((ev) => {
        if (ev.type !== 'alert' || !soundOn()) return;
        if (shouldSound(ev.alert)) beep(ev.alert.severity);
      }),
    [events],
  );
}
