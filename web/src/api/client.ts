// Thin fetch wrapper for the Aftersales JSON API.
// Authentication is the HttpOnly `as_session` cookie set by POST /api/v1/auth/login,
// so requests only need `credentials: 'same-origin'`; the app never touches the token.

export interface FieldError {
  field: string;
  rule?: string;
  message?: string;
}

/** RFC 9457 problem details as returned by the server (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds from a Retry-After header, when the server sent one (e.g. with 429). */
  readonly retryAfter?: number;

  constructor(status: number, problem: Problem, retryAfter?: number) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get fieldErrors(): FieldError[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/** Thrown when the server cannot be reached at all (network down, proxy error page...). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('network error');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** The auth layer registers here; called on any 401 from a request not marked `authProbe`. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /**
   * A 401 from this request is an expected answer (login, session probe), not an
   * expired session: do not trigger the global "session expired" redirect.
   */
  authProbe?: boolean;
  /** extra request headers (e.g. Idempotency-Key) */
  headers?: Record<string, string>;
}

export const API_BASE = '/api/v1';

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.set(k, String(v));
    }
  }
  const s = qs.toString();
  return `${API_BASE}${path}${s ? `?${s}` : ''}`;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return undefined;
}

export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e);
  }

  if (res.status === 204) return undefined as T;

  const type = res.headers.get('Content-Type') ?? '';
  const isJson = type.includes('json');
  let data: unknown = undefined;
  if (isJson) {
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object' ? (data as Problem) : { title: res.statusText, status: res.status };
    const err = new ApiError(res.status, problem, parseRetryAfter(res.headers.get('Retry-After')));
    if (res.status === 401 && !opts.authProbe && onUnauthorized) onUnauthorized();
    throw err;
  }
  if (!isJson) {
    // e.g. the SPA fallback answering an unknown /api path with index.html
    throw new ApiError(res.status, { title: 'Unexpected response', status: res.status });
  }
  return data as T;
}
