// Turn a failed request into a user-facing message descriptor. Pure; unit-tested.
import { ApiError, NetworkError } from './client';

export interface MessageDescriptorWithValues {
  id: string;
  values?: Record<string, string | number>;
}

/**
 * null means "say nothing here": 401 is handled globally (redirect to login with a notice),
 * aborted requests are not errors.
 */
export function describeError(err: unknown): MessageDescriptorWithValues | null {
  if (err instanceof DOMException && err.name === 'AbortError') return null;
  if (err instanceof NetworkError) return { id: 'common.error.network' };
  if (err instanceof ApiError) {
    if (err.status === 401) return null;
    if (err.status === 403) return { id: 'common.error.forbidden' };
    if (err.status >= 500) return { id: 'common.error.server', values: { status: err.status } };
    const detail = err.problem.detail || err.problem.title || `HTTP ${err.status}`;
    return { id: 'common.error.generic', values: { detail } };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { id: 'common.error.generic', values: { detail } };
}
