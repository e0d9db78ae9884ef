// URL <-> list query (server-side paging by limit/offset). Pure; unit-tested.

export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, 100] as const;

export interface ListParams {
  page: number; // 1-based
  size: number;
  q: string;
  /** server sort: a field name, '-' prefix for descending; '' = the server's default */
  sort: string;
  filters: Record<string, string>;
}

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function parseListParams(search: URLSearchParams, filterKeys: readonly string[] = []): ListParams {
  const size = positiveInt(search.get('size'), DEFAULT_PAGE_SIZE);
  const filters: Record<string, string> = {};
  for (const key of filterKeys) {
    const v = search.get(key);
    if (v) filters[key] = v;
  }
  return {
    page: positiveInt(search.get('page'), 1),
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    q: (search.get('q') ?? '').trim(),
    sort: /^-?[a-z_]+$/.test(search.get('sort') ?? '') ? (search.get('sort') as string) : '',
    filters,
  };
}

export function toSearchParams(p: ListParams): URLSearchParams {
  const s = new URLSearchParams();
  if (p.q) s.set('q', p.q);
  if (p.sort) s.set('sort', p.sort);
  for (const [k, v] of Object.entries(p.filters)) if (v) s.set(k, v);
  if (p.page > 1) s.set('page', String(p.page));
  if (p.size !== DEFAULT_PAGE_SIZE) s.set('size', String(p.size));
  return s;
}

/** The API query for a page: `limit`, `offset`, and `q`/filters only when set. */
export function toApiQuery(p: ListParams): { limit: number; offset: number; q?: string } & Record<string, string | number | undefined> {
  return {
    limit: p.size,
    offset: (p.page - 1) * p.size,
    ...(p.q ? { q: p.q } : {}),
    ...(p.sort ? { sort: p.sort } : {}),
    ...p.filters,
  };
}

/** antd sort order of `field` under the current sort (`fallback` = the server's default sort). */
export function sortOrderOf(sort: string, field: string, fallback = ''): 'ascend' | 'descend' | null {
  const s = sort || fallback;
  if (s === field) return 'ascend';
  if (s === `-${field}`) return 'descend';
  return null;
}

/** The `sort` parameter for an antd sorter change. */
export function sortParam(field: string, order: 'ascend' | 'descend' | null | undefined): string {
  if (!order) return '';
  return order === 'descend' ? `-${field}` : field;
}
