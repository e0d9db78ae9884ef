// Saved views of the request list: named filter + sort combinations, one optional default, stored per
// user in localStorage (the API has no user preferences yet). Pure functions over a Storage-like
// object; no React here, unit-tested.

export interface SavedView {
  id: string;
  name: string;
  /** the list's URL query without paging, normalised (see `viewQuery`) */
  query: string;
}

export interface ViewStore {
  views: SavedView[];
  defaultId: string | null;
}

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export const MAX_VIEW_NAME = 40;
export const MAX_VIEWS = 30;
const EMPTY: ViewStore = { views: [], defaultId: null };

/** localStorage key of one user's views of one list. */
export function storageKey(userId: string | number, list = 'tickets'): string {
  return `aftersales.views.${list}.${userId}`;
}

/**
 * The part of a list URL a view keeps: search text, sort, page size and the given filter keys, in a
 * fixed order (so equal views compare equal); the page number is not part of a view.
 */
export function viewQuery(search: URLSearchParams | string, filterKeys: readonly string[]): string {
  const s = typeof search === 'string' ? new URLSearchParams(search) : search;
  const out = new URLSearchParams();
  for (const key of ['q', 'sort', 'size', ...[...filterKeys].sort()]) {
    const v = s.get(key);
    if (v) out.set(key, v);
  }
  return out.toString();
}

function isView(v: unknown): v is SavedView {
  const o = v as SavedView;
  return !!o && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.query === 'string' && o.name.trim() !== '';
}

/** The stored views of a user; anything unreadable counts as none. */
export function loadViews(storage: StorageLike | undefined, userId: string | number): ViewStore {
  try {
    const raw = storage?.getItem(storageKey(userId));
    if (!raw) return EMPTY;
    const parsed = JSON.parse(raw) as Partial<ViewStore>;
    const views = Array.isArray(parsed.views) ? parsed.views.filter(isView).slice(0, MAX_VIEWS) : [];
    const defaultId = views.some((v) => v.id === parsed.defaultId) ? (parsed.defaultId as string) : null;
    return { views, defaultId };
  } catch {
    return EMPTY;
  }
}

/** Saves; false when the storage refused (private mode, quota). */
export function saveViews(storage: StorageLike | undefined, userId: string | number, store: ViewStore): boolean {
  try {
    if (!storage) return false;
    storage.setItem(storageKey(userId), JSON.stringify(store));
    return true;
  } catch {
    return false;
  }
}

export type ViewError = 'empty' | 'tooLong' | 'duplicate' | 'tooMany' | 'notFound';

export function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

function checkName(store: ViewStore, name: string, exceptId?: string): ViewError | null {
  if (!name) return 'empty';
  if (name.length > MAX_VIEW_NAME) return 'tooLong';
  const lower = name.toLowerCase();
  if (store.views.some((v) => v.id !== exceptId && v.name.toLowerCase() === lower)) return 'duplicate';
  return null;
}

function newId(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === 'function' ? c.randomUUID() : `v${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

type Result = { ok: true; store: ViewStore; view?: SavedView } | { ok: false; error: ViewError };

/**
 * Adds a view. A view with the same name (case-insensitive) is replaced when `overwrite` is set,
 * else refused as a duplicate.
 */
export function addView(store: ViewStore, rawName: string, query: string, opts: { makeDefault?: boolean; overwrite?: boolean; id?: string } = {}): Result {
  const name = cleanName(rawName);
  const existing = store.views.find((v) => v.name.toLowerCase() === name.toLowerCase());
  if (existing && opts.overwrite) {
    const view = { ...existing, query };
    const views = store.views.map((v) => (v.id === existing.id ? view : v));
    return { ok: true, view, store: { views, defaultId: opts.makeDefault ? view.id : store.defaultId } };
  }
  const err = checkName(store, name);
  if (err) return { ok: false, error: err };
  if (store.views.length >= MAX_VIEWS) return { ok: false, error: 'tooMany' };
  const view: SavedView = { id: opts.id ?? newId(), name, query };
  return { ok: true, view, store: { views: [...store.views, view], defaultId: opts.makeDefault ? view.id : store.defaultId } };
}

export function renameView(store: ViewStore, id: string, rawName: string): Result {
  if (!store.views.some((v) => v.id === id)) return { ok: false, error: 'notFound' };
  const name = cleanName(rawName);
  const err = checkName(store, name, id);
  if (err) return { ok: false, error: err };
  return { ok: true, store: { ...store, views: store.views.map((v) => (v.id === id ? { ...v, name } : v)) } };
}

export function removeView(store: ViewStore, id: string): ViewStore {
  return { views: store.views.filter((v) => v.id !== id), defaultId: store.defaultId === id ? null : store.defaultId };
}

/** Makes `id` the default view (null: no default). Unknown ids leave the store as it is. */
export function setDefaultView(store: ViewStore, id: string | null): ViewStore {
  if (id !== null && !store.views.some((v) => v.id === id)) return store;
  return { ...store, defaultId: id };
}

/** The saved view showing exactly this query, if any. */
export function matchingView(store: ViewStore, query: string): SavedView | undefined {
  return store.views.find((v) => v.query === query);
}

/** The default view's query to open when the list is opened without any list parameters. */
export function initialQuery(store: ViewStore, currentSearch: string): string | null {
  if (new URLSearchParams(currentSearch).toString() !== '') return null;
  const def = store.views.find((v) => v.id === store.defaultId);
  return def && def.query ? def.query : null;
}
