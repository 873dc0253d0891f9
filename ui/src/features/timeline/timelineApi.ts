// Why: the timeline's calls through the shared ApiClient — timeline, bookmarks, exports, the segment index — and the VOD playlist's path.
import { API_PREFIX } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { Bookmark, BookmarkCreate, ExportJob, RecordingItem, TimelineData } from './types';

/** Server origin and token: what hls.js needs for the playlist's media requests. */
export interface MediaConnection {
  baseUrl: string;
  token: string;
}

const cam = (id: number) => encodeURIComponent(String(id));
const range = (startMs: number, endMs: number) =>
  `start=${Math.floor(startMs)}&end=${Math.ceil(endMs)}`;

export function timelinePath(cameraId: number, startMs: number, endMs: number): string {
  return `/cameras/${cam(cameraId)}/timeline?${range(startMs, endMs)}`;
}

/** Root-relative (`/api/v1/...`), as ApiClient.blob and absolute URLs take it. */
export function vodPath(cameraId: number, startMs: number, endMs: number): string {
  return `${API_PREFIX}/cameras/${cam(cameraId)}/vod.m3u8?${range(startMs, endMs)}`;
}

export const getTimeline = (api: ApiClient, cameraId: number, startMs: number, endMs: number) =>
  api.request<TimelineData>('GET', timelinePath(cameraId, startMs, endMs));

export const listBookmarks = (api: ApiClient, cameraId: number, startMs: number, endMs: number) =>
  api.request<Bookmark[] | { items: Bookmark[] }>('GET', `/cameras/${cam(cameraId)}/bookmarks?${range(startMs, endMs)}`).then(
    (r) => (Array.isArray(r) ? r : (r?.items ?? [])),
  );

export const createBookmark = (api: ApiClient, cameraId: number, body: BookmarkCreate) =>
  api.request<Bookmark>('POST', `/cameras/${cam(cameraId)}/bookmarks`, body);

export const deleteBookmark = (api: ApiClient, id: number) =>
  api.request<void>('DELETE', `/bookmarks/${encodeURIComponent(String(id))}`);

export const startExport = (api: ApiClient, cameraId: number, startMs: number, endMs: number) =>
  api.request<ExportJob>('POST', '/exports', { camera_id: cameraId, start: Math.floor(startMs), end: Math.ceil(endMs) });

export const getExport = (api: ApiClient, id: number) =>
  api.request<ExportJob>('GET', `/exports/${encodeURIComponent(String(id))}`);

export const listRecordings = (api: ApiClient, cameraId: number, startMs: number, endMs: number) =>
  api.request<{ items: RecordingItem[] }>('GET', `/recordings?camera_id=${cam(cameraId)}&${range(startMs, endMs)}&limit=1000`);
