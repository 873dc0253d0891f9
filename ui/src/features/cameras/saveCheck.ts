// Why: whether saving a camera should ask first — after a failed connection test, or when the source or credentials
// changed and were never tested — and the question in words. Pure, so the rule is tested without React.
import type { Camera } from '../../api/types';
import type { CameraFormValues } from './formState';
import { sameSource } from './probe';
import type { ProbeResult } from './probe';
import { sourceHint } from './sourceHints';

/** The form's "Test connection" state. */
export type ProbeState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'ok'; result: ProbeResult; note: string | null }
  /** The test ran (or could not be sent) and failed: the typed code, the raw message. */
  | { phase: 'failed'; code: string | null; message: string; placedAtField: boolean }
  /** Nothing to test before saving (a new push camera): not a failure. */
  | { phase: 'unavailable'; reason: string };

/** Whether the source or the credentials differ from the saved camera's (always, for a new camera). */
export function sourceChanged(v: CameraFormValues, camera: Camera | null): boolean {
  if (!camera) return true;
  if (!sameSource(v, camera)) return true;
  if (v.sourceKind !== 'rtsp') return false;
  return v.username.trim() !== (camera.username ?? '') || v.password !== '' || v.removePassword;
}

export interface SaveQuestion {
  title: string;
  /** The question, in one or two sentences. */
  message: string;
  /** What to check, when the test failed. */
  hint: string | null;
}

/** The question to ask before saving, or null to save at once. */
export function saveQuestion(v: CameraFormValues, camera: Camera | null, probe: ProbeState): SaveQuestion | null {
  switch (probe.phase) {
    case 'ok':
    case 'unavailable':
      return null;
    case 'failed': {
      const { title, hint } = sourceHint(probe.code, v.sourceKind);
      return {
        title: 'Save a camera that failed its test?',
        message: `The last connection test failed: ${title}. Save anyway?`,
        hint,
      };
    }
    case 'idle':
    case 'running': {
      // A push camera cannot be tested before it is saved; an unchanged source was tested when it was saved.
      if (v.sourceKind === 'rtmp_push' || !sourceChanged(v, camera)) return null;
      const what = camera ? 'The source or credentials changed and have not been tested' : 'The connection has not been tested';
      return {
        title: 'Save without a connection test?',
        message: probe.phase === 'running' ? 'The connection test has not finished yet. Save anyway?' : `${what}. Save anyway?`,
        hint: null,
      };
    }
  }
}
