import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, buildUrl } from './client';
import { describeError } from './errors';

describe('describeError', () => {
  it('stays silent for 401 and aborts, which are handled elsewhere', () => {
    expect(describeError(new ApiError(401, { title: 'Unauthorized' }))).toBeNull();
    expect(describeError(new DOMException('x', 'AbortError'))).toBeNull();
  });

  it('names network, permission and server failures', () => {
    expect(describeError(new NetworkError())).toEqual({ id: 'common.error.network' });
    expect(describeError(new ApiError(403, {}))).toEqual({ id: 'common.error.forbidden' });
    expect(describeError(new ApiError(503, {}))).toEqual({ id: 'common.error.server', values: { status: 503 } });
  });

  it('shows the problem detail otherwise', () => {
    const e = new ApiError(422, { title: 'Invalid', detail: 'limit must be ≤ 100' });
    expect(describeError(e)).toEqual({ id: 'common.error.generic', values: { detail: 'limit must be ≤ 100' } });
  });
});

describe('buildUrl', () => {
  it('drops empty parameters', () => {
    expect(buildUrl('/customers', { limit: 20, offset: 0, q: '', x: undefined })).toBe('/api/v1/customers?limit=20&offset=0');
    expect(buildUrl('/auth/me')).toBe('/api/v1/auth/me');
  });
});
