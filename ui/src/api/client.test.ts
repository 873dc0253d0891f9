// Why: proves the fetch client sends the token, unwraps envelopes and turns error bodies into ApiError.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, queryString, unwrap } from './client';
import { camera, errorResponse, jsonResponse } from '../test/fixtures';

function setup(...responses: Response[]) {
  const fetch = vi.fn<typeof globalThis.fetch>();
  for (const r of responses) fetch.mockResolvedValueOnce(r);
  const onUnauthorized = vi.fn();
  const api = createApiClient({ baseUrl: 'http://127.0.0.1:7878/', token: 'tok', fetch, onUnauthorized });
  return { api, fetch, onUnauthorized };
}

describe('api client', () => {
  it('sends the bearer token to /api/v1 and unwraps data', async () => {
    const { api, fetch } = setup(jsonResponse(200, { success: true, data: [camera()] }));
    const list = await api.cameras.list();
    expect(list).toHaveLength(1);
    expect(list[0]?.name).toBe('Front door');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://127.0.0.1:7878/api/v1/cameras');
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(init?.body).toBeUndefined();
  });

  it('posts JSON bodies with a content type', async () => {
    const { api, fetch } = setup(jsonResponse(201, { success: true, data: camera({ id: 7 }) }));
    const cam = await api.cameras.create({ name: 'X', source: { kind: 'rtmp_push' } });
    expect(cam.id).toBe(7);
    const [, init] = fetch.mock.calls[0]!;
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(JSON.parse(init?.body as string)).toEqual({ name: 'X', source: { kind: 'rtmp_push' } });
  });

  it('treats 204 on delete as success with no body', async () => {
    const { api, fetch } = setup(new Response(null, { status: 204 }));
    await expect(api.cameras.remove(3)).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]![0]).toBe('http://127.0.0.1:7878/api/v1/cameras/3');
    expect(fetch.mock.calls[0]![1]?.method).toBe('DELETE');
  });

  it('asks to keep the footage and lists removed cameras only when told', async () => {
    const { api, fetch } = setup(new Response(null, { status: 204 }));
    await api.cameras.remove(3, { keepFootage: true });
    expect(fetch.mock.calls[0]![0]).toBe('http://127.0.0.1:7878/api/v1/cameras/3?keep_footage=true');
    const list = setup(new Response(JSON.stringify({ success: true, data: [] }), { status: 200 }));
    await list.api.cameras.list({ includeRemoved: true });
    expect(list.fetch.mock.calls[0]![0]).toBe('http://127.0.0.1:7878/api/v1/cameras?include_removed=true');
  });

  it('builds ApiError with fields from a 400 VALIDATION_FAILED', async () => {
    const { api, onUnauthorized } = setup(
      errorResponse(400, 'VALIDATION_FAILED', 'invalid camera', {
        name: 'is required',
        'source.url': 'must start with rtsp:// or rtsps://',
      }),
    );
    const err = await api.cameras.create({ name: '', source: { kind: 'rtsp', url: 'http://x' } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('invalid camera');
    expect(err.fields).toEqual({ name: 'is required', 'source.url': 'must start with rtsp:// or rtsps://' });
    expect(err.requestId).toBe('req-1');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('carries the serial_number field of a 409 CAMERA_SERIAL_DUPLICATE', async () => {
    const { api } = setup(
      errorResponse(409, 'CAMERA_SERIAL_DUPLICATE', 'serial in use', { serial_number: 'is already used by camera 2' }),
    );
    const err: ApiError = await api.cameras.update(1, { serial_number: 'SN-2' }).catch((e) => e);
    expect(err.status).toBe(409);
    expect(err.code).toBe('CAMERA_SERIAL_DUPLICATE');
    expect(err.fields.serial_number).toBe('is already used by camera 2');
  });

  it('calls onUnauthorized on 401 and still rejects', async () => {
    const { api, onUnauthorized } = setup(errorResponse(401, 'AUTH_TOKEN_INVALID', 'invalid token'));
    const err: ApiError = await api.cameras.list().catch((e) => e);
    expect(err.code).toBe('AUTH_TOKEN_INVALID');
    expect(err.isUnauthorized).toBe(true);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(onUnauthorized.mock.calls[0]![0]).toBe(err);
  });

  it('maps a non-JSON error and a network failure to ApiError', async () => {
    const { api, fetch } = setup(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const e1: ApiError = await api.cameras.list().catch((e) => e);
    expect(e1.code).toBe('HTTP_502');
    expect(e1.fields).toEqual({});
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const e2: ApiError = await api.cameras.list().catch((e) => e);
    expect(e2.code).toBe('NETWORK_ERROR');
    expect(e2.status).toBe(0);
  });

  it('unwrap rejects a body that is not an envelope', async () => {
    await expect(unwrap(jsonResponse(200, { cameras: [] }))).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('layouts, alerts and blobs', () => {
  it('replaces a layout with PUT and the full body', async () => {
    const body = { name: 'Quad', layout: [{ camera_id: 1, position: { x: 0, y: 0 }, size: { width: 6, height: 6 } }], is_default: true };
    const { api, fetch } = setup(jsonResponse(200, { success: true, data: { id: 4, ...body, created_at: 'a', updated_at: 'b' } }));
    const l = await api.layouts.update(4, body);
    expect(l.id).toBe(4);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://127.0.0.1:7878/api/v1/layouts/4');
    expect(init?.method).toBe('PUT');
    expect(JSON.parse(init?.body as string)).toEqual(body);
  });

  it('lists alerts with only the filters that are set', async () => {
    const { api, fetch } = setup(jsonResponse(200, { success: true, data: { alerts: [], unacknowledged: 3 } }));
    const r = await api.alerts.list({ severity: 'critical', camera_id: 2, acknowledged: false, limit: 50 });
    expect(r.unacknowledged).toBe(3);
    expect(fetch.mock.calls[0]![0]).toBe(
      'http://127.0.0.1:7878/api/v1/alerts?severity=critical&camera_id=2&acknowledged=false&limit=50',
    );
  });

  it('acknowledges with POST /alerts/{id}/ack', async () => {
    const { api, fetch } = setup(jsonResponse(200, { success: true, data: { id: 9, acknowledged: true } }));
    await api.alerts.acknowledge(9);
    expect(fetch.mock.calls[0]![0]).toBe('http://127.0.0.1:7878/api/v1/alerts/9/ack');
    expect(fetch.mock.calls[0]![1]?.method).toBe('POST');
  });

  it('fetches a blob with the token, accepting a full /api/v1 path', async () => {
    const { api, fetch } = setup(new Response('jpeg', { status: 200, headers: { 'Content-Type': 'image/jpeg' } }));
    const b = await api.blob('/api/v1/detections/5/snapshot');
    expect(await b.text()).toBe('jpeg');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://127.0.0.1:7878/api/v1/detections/5/snapshot');
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('builds query strings from defined values only', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ a: 1, b: undefined, c: null, d: '', e: false, f: 'x y' })).toBe('?a=1&e=false&f=x+y');
  });
});
