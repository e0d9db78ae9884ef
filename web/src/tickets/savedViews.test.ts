import { describe, expect, it } from 'vitest';
import {
  addView, initialQuery, loadViews, matchingView, MAX_VIEW_NAME, removeView, renameView, saveViews, setDefaultView, storageKey, viewQuery,
  type StorageLike, type ViewStore,
} from './savedViews';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const KEYS = ['state', 'grade', 'project_id', 'sla_risk', 'open'];
const empty: ViewStore = { views: [], defaultId: null };

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

describe('saved views', () => {
  it('normalise a list URL: known keys in a fixed order, no paging', () => {
    expect(viewQuery('page=3&grade=emergency&sort=-reported_at&junk=1&q=空调&state=triaged,responded', KEYS)).toBe(
      'q=%E7%A9%BA%E8%B0%83&sort=-reported_at&grade=emergency&state=triaged%2Cresponded',
    );
    expect(viewQuery('state=a&grade=b', KEYS)).toBe(viewQuery('grade=b&state=a', KEYS));
    expect(viewQuery('', KEYS)).toBe('');
    expect(viewQuery('size=50', KEYS)).toBe('size=50');
  });

  it('are stored per user', () => {
    const storage = memoryStorage();
    const a = must(addView(empty, '紧急待办', 'grade=emergency&open=true', { id: 'v1' }));
    expect(saveViews(storage, 7, a.store)).toBe(true);
    expect(storage.data.has(storageKey(7))).toBe(true);
    expect(loadViews(storage, 7).views).toEqual([{ id: 'v1', name: '紧急待办', query: 'grade=emergency&open=true' }]);
    expect(loadViews(storage, 8)).toEqual(empty);
  });

  it('survive garbage in the storage and a storage that throws', () => {
    const storage = memoryStorage();
    storage.setItem(storageKey(1), '{not json');
    expect(loadViews(storage, 1)).toEqual(empty);
    storage.setItem(storageKey(1), JSON.stringify({ views: [{ id: 'x', name: ' ', query: '' }, { id: 'y', name: 'ok', query: 'open=true' }, 5], defaultId: 'gone' }));
    expect(loadViews(storage, 1)).toEqual({ views: [{ id: 'y', name: 'ok', query: 'open=true' }], defaultId: null });
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadViews(broken, 1)).toEqual(empty);
    expect(saveViews(broken, 1, empty)).toBe(false);
    expect(loadViews(undefined, 1)).toEqual(empty);
  });

  it('refuse empty, too long and duplicate names; overwrite on request', () => {
    expect(addView(empty, '   ', 'open=true')).toEqual({ ok: false, error: 'empty' });
    expect(addView(empty, 'x'.repeat(MAX_VIEW_NAME + 1), '')).toEqual({ ok: false, error: 'tooLong' });
    const one = must(addView(empty, 'My  view', 'open=true', { id: 'v1' })).store;
    expect(one.views[0].name).toBe('My view');
    expect(addView(one, 'my view', 'grade=simple')).toEqual({ ok: false, error: 'duplicate' });
    const over = must(addView(one, 'MY VIEW', 'grade=simple', { overwrite: true, makeDefault: true }));
    expect(over.store.views).toEqual([{ id: 'v1', name: 'My view', query: 'grade=simple' }]);
    expect(over.store.defaultId).toBe('v1');
  });

  it('rename, delete and the default view', () => {
    let s = must(addView(empty, 'A', 'grade=emergency', { id: 'a', makeDefault: true })).store;
    s = must(addView(s, 'B', 'open=false', { id: 'b' })).store;
    expect(s.defaultId).toBe('a');
    expect(renameView(s, 'b', 'a')).toEqual({ ok: false, error: 'duplicate' });
    expect(renameView(s, 'zz', 'C')).toEqual({ ok: false, error: 'notFound' });
    s = must(renameView(s, 'b', ' Closed ')).store;
    expect(s.views.map((v) => v.name)).toEqual(['A', 'Closed']);
    expect(setDefaultView(s, 'nope')).toBe(s);
    s = setDefaultView(s, 'b');
    expect(s.defaultId).toBe('b');
    s = removeView(s, 'b');
    expect(s).toEqual({ views: [{ id: 'a', name: 'A', query: 'grade=emergency' }], defaultId: null });
    expect(setDefaultView(s, null).defaultId).toBeNull();
  });

  it('find the view on screen and open the default only on a bare list URL', () => {
    const s = must(addView(empty, 'A', 'grade=emergency', { id: 'a', makeDefault: true })).store;
    expect(matchingView(s, 'grade=emergency')?.id).toBe('a');
    expect(matchingView(s, 'grade=simple')).toBeUndefined();
    expect(initialQuery(s, '')).toBe('grade=emergency');
    expect(initialQuery(s, '?state=closed')).toBeNull();
    expect(initialQuery({ ...s, defaultId: null }, '')).toBeNull();
  });
});
