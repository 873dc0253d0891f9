// Why: the System page's calls through the shared ApiClient — health, the detection service, a camera's stream status, and the Prometheus text of /metrics (health and metrics are read raw: neither is a JSON envelope).
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { DetectionStatus, Health, StreamStatus } from './types';

/** `GET /health`: plain JSON `{status, version, detection}`, not in the `{success, data}` envelope. */
export async function getHealth(api: ApiClient): Promise<Health> {
  const text = await (await api.blob('/health')).text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(200, 'BAD_RESPONSE', 'The server sent a health answer that is not JSON');
  }
  const h = body as Partial<Health> | null;
  if (!h || typeof h.status !== 'string' || typeof h.version !== 'string') {
    throw new ApiError(200, 'BAD_RESPONSE', 'The server sent an unexpected health answer');
  }
  return {
    status: h.status,
    version: h.version,
    detection: typeof h.detection === 'string' ? h.detection : '',
    tls_fingerprint: typeof h.tls_fingerprint === 'string' ? h.tls_fingerprint : null,
  };
}

export const getDetectionStatus = (api: ApiClient) => api.request<DetectionStatus>('GET', '/detection/status');

export const getStreamStatus = (api: ApiClient, cameraId: number) =>
  api.request<StreamStatus>('GET', `/cameras/${encodeURIComponent(String(cameraId))}/status`);

/** `GET /metrics`: Prometheus text exposition, fetched with the bearer token like any other call. */
export async function getMetricsText(api: ApiClient): Promise<string> {
  return (await api.blob('/metrics')).text();
}
