// Why: the Storage page's calls through the shared ApiClient — tiers and settings, the S3 archive's access keys, a maintenance pass, the move/delete history, usage over time and footage locks.
import { queryString } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { ArchiveKeys, Lock, LockInput, PassView, StorageConfig, StorageOp, StorageView, UsageHistory } from './types';

export const getStorage = (api: ApiClient) => api.request<StorageView>('GET', '/storage');

/** A full replace; the answer is the storage as it now is. */
export const saveStorage = (api: ApiClient, body: StorageConfig) => api.request<StorageView>('PUT', '/storage', body);

/** Keep the archive's access keys on the server (204); they are never given back. */
export const setArchiveKeys = (api: ApiClient, body: ArchiveKeys) =>
  api.request<void>('PUT', '/storage/archive/credentials', body);

/** Forget them (204): the AWS environment variables apply, if any. */
export const forgetArchiveKeys = (api: ApiClient) => api.request<void>('DELETE', '/storage/archive/credentials');

export const runMaintenance = (api: ApiClient) => api.request<PassView>('POST', '/storage/maintenance');

/** Newest first; `before` is the id of the last row of the previous page. */
export const listOps = (api: ApiClient, q: { limit: number; before?: number | null }) =>
  api.request<StorageOp[]>('GET', `/storage/ops${queryString({ limit: q.limit, before: q.before })}`);

export const getUsage = (api: ApiClient, sinceMs: number) =>
  api.request<UsageHistory>('GET', `/storage/usage${queryString({ since: new Date(sinceMs).toISOString() })}`);

export const listLocks = (api: ApiClient, cameraId?: number) =>
  api.request<Lock[]>('GET', `/locks${queryString({ camera_id: cameraId })}`);

export const createLock = (api: ApiClient, body: LockInput) => api.request<Lock>('POST', '/locks', body);

export const removeLock = (api: ApiClient, id: number) =>
  api.request<void>('DELETE', `/locks/${encodeURIComponent(String(id))}`);
