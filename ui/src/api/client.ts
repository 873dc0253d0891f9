// Why: the one typed fetch client for /api/v1 — base URL, bearer token, envelope unwrapping, ApiError.
import type {
  AckRequest,
  AckResult,
  Alert,
  AlertList,
  AlertQuery,
  ApiErrorBody,
  Camera,
  CameraCreate,
  CameraPatch,
  ClientErrorCode,
  ErrorCode,
  Layout,
  LayoutInput,
} from './types';

export const API_PREFIX = '/api/v1';

/** A failed API call: the server's error code and message, plus per-field messages when it sent any. */
export class ApiError extends Error {
  /** The server's code, or one the client made up when there was no server error to report. */
  readonly code: ErrorCode | ClientErrorCode;
  readonly status: number;
  readonly fields: Record<string, string>;
  readonly details: Record<string, unknown> | null;
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    details: Record<string, unknown> | null = null,
    requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.fields = stringFields(details?.fields);
  }

  /** Build from a non-2xx response, whether or not its body is the JSON error envelope. */
  static async fromResponse(res: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON (a proxy's error page, an empty body): fall through to a generic error.
    }
    if (isErrorBody(body)) {
      const e = body.error;
      return new ApiError(res.status, e.code, e.message, e.details ?? null, e.requestId);
    }
    const text = res.statusText || 'request failed';
    return new ApiError(res.status, `HTTP_${res.status}`, `HTTP ${res.status}: ${text}`);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

function stringFields(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, msg] of Object.entries(v)) {
      if (typeof msg === 'string') out[k] = msg;
    }
  }
  return out;
}

function isErrorBody(b: unknown): b is ApiErrorBody {
  if (!b || typeof b !== 'object') return false;
  const o = b as { success?: unknown; error?: { code?: unknown; message?: unknown } };
  return (
    o.success === false &&
    typeof o.error === 'object' &&
    o.error !== null &&
    typeof o.error.code === 'string' &&
    typeof o.error.message === 'string'
  );
}

export interface ApiClientOptions {
  /** Origin of the Vigil server, e.g. http://127.0.0.1:7878 (no trailing slash needed). */
  baseUrl: string;
  /** The bearer token, or a getter so a new sign-in takes effect without a new client. */
  token: string | (() => string | null);
  fetch?: typeof fetch;
  /** Called on every 401 so the app can drop the token and ask for a new one. */
  onUnauthorized?: (err: ApiError) => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  cameras: {
    /** The cameras in service; with `includeRemoved`, also those deleted with their footage kept. */
    list(opts?: { includeRemoved?: boolean }): Promise<Camera[]>;
    get(id: number): Promise<Camera>;
    create(body: CameraCreate): Promise<Camera>;
    update(id: number, body: CameraPatch): Promise<Camera>;
    /** `keepFootage`: the camera leaves service and its recordings stay until retention ages them out. */
    remove(id: number, opts?: { keepFootage?: boolean }): Promise<void>;
    start(id: number): Promise<Camera>;
    stop(id: number): Promise<Camera>;
  };
  layouts: {
    list(): Promise<Layout[]>;
    get(id: number): Promise<Layout>;
    create(body: LayoutInput): Promise<Layout>;
    /** A full replace. */
    update(id: number, body: LayoutInput): Promise<Layout>;
    remove(id: number): Promise<void>;
  };
  alerts: {
    list(query?: AlertQuery): Promise<AlertList>;
    acknowledge(id: number): Promise<Alert>;
    /** Many at once: by ids, a filter, or all. */
    acknowledgeMany(body: AckRequest): Promise<AckResult>;
  };
  /** A binary resource (e.g. a detection snapshot) with the bearer token; `path` may start with /api/v1. */
  blob(path: string, signal?: AbortSignal): Promise<Blob>;
}

/** `?a=1&b=x` from the defined values (empty string when there are none). */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const token = () => (typeof opts.token === 'function' ? opts.token() : opts.token);

  async function send(method: HttpMethod, path: string, accept: string, body?: unknown, signal?: AbortSignal) {
    const headers: Record<string, string> = { Accept: accept };
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    const init: RequestInit = { method, headers };
    if (signal) init.signal = signal;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${API_PREFIX}${path}`, init);
    } catch (e) {
      if (signal?.aborted) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new ApiError(0, 'NETWORK_ERROR', `Cannot reach the Vigil server: ${why}`);
    }
    if (!res.ok) {
      const err = await ApiError.fromResponse(res);
      if (err.isUnauthorized) opts.onUnauthorized?.(err);
      throw err;
    }
    return res;
  }

  async function request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    return unwrap<T>(await send(method, path, 'application/json', body));
  }

  async function blob(path: string, signal?: AbortSignal): Promise<Blob> {
    const rel = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : path;
    return (await send('GET', rel, '*/*', undefined, signal)).blob();
  }

  const id = (n: number) => encodeURIComponent(String(n));
  return {
    request,
    cameras: {
      list: (o) => request<Camera[]>('GET', o?.includeRemoved ? '/cameras?include_removed=true' : '/cameras'),
      get: (n) => request<Camera>('GET', `/cameras/${id(n)}`),
      create: (b) => request<Camera>('POST', '/cameras', b),
      update: (n, b) => request<Camera>('PATCH', `/cameras/${id(n)}`, b),
      remove: (n, o) => request<void>('DELETE', `/cameras/${id(n)}${o?.keepFootage ? '?keep_footage=true' : ''}`),
      start: (n) => request<Camera>('POST', `/cameras/${id(n)}/start`),
      stop: (n) => request<Camera>('POST', `/cameras/${id(n)}/stop`),
    },
    layouts: {
      list: () => request<Layout[]>('GET', '/layouts'),
      get: (n) => request<Layout>('GET', `/layouts/${id(n)}`),
      create: (b) => request<Layout>('POST', '/layouts', b),
      update: (n, b) => request<Layout>('PUT', `/layouts/${id(n)}`, b),
      remove: (n) => request<void>('DELETE', `/layouts/${id(n)}`),
    },
    alerts: {
      list: (q = {}) => request<AlertList>('GET', `/alerts${queryString(q)}`),
      acknowledge: (n) => request<Alert>('POST', `/alerts/${id(n)}/ack`),
      acknowledgeMany: (b) => request<AckResult>('POST', '/alerts/ack', b),
    },
    blob,
  };
}

/** Take `data` out of a success envelope; a 204 or empty body yields undefined. */
export async function unwrap<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent a response that is not JSON');
  }
  if (body && typeof body === 'object' && (body as { success?: unknown }).success === true) {
    return (body as { data: T }).data;
  }
  if (isErrorBody(body)) {
    const e = body.error;
    throw new ApiError(res.status, e.code, e.message, e.details ?? null, e.requestId);
  }
  throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent an unexpected response');
}
