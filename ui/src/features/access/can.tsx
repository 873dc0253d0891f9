// Why: actions the caller's role lacks are not offered (acknowledge, mark reviewed, bookmark, export, keep footage) — read from one context the shell fills from GET /auth/me; the server refuses them anyway.
import { createContext, useContext } from 'react';
import { has } from './permissions';
import type { Permission } from './permissions';

/** The caller's permissions; `null` while unknown (actions show; the server decides). */
export const PermissionsContext = createContext<readonly Permission[] | null>(null);

export function useCan(p: Permission): boolean {
  const perms = useContext(PermissionsContext);
  return perms === null || has(perms, p);
}
