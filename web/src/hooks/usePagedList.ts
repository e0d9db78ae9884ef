import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App as AntApp } from 'antd';
import { useIntl } from 'react-intl';
import type { ListQuery } from '../api/endpoints';
import type { Page } from '../api/types';
import { describeError } from '../api/errors';
import { parseListParams, toApiQuery, toSearchParams, type ListParams } from './listParams';

export type Fetcher<T> = (query: ListQuery, signal: AbortSignal) => Promise<Page<T>>;

/**
 * A server-paged list whose page, page size, search text and filters live in the URL,
 * so back/forward and reload keep the view.
 */
export function usePagedList<T>(fetcher: Fetcher<T>, filterKeys: readonly string[] = [], fixed: Record<string, string> = {}) {
  const intl = useIntl();
  const { message } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  const filterKey = filterKeys.join(',');
  const params = useMemo(() => parseListParams(search, filterKey ? filterKey.split(',') : []), [search, filterKey]);
  const [data, setData] = useState<Page<T>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [reloadTick, setReloadTick] = useState(0);
  const silentRef = useRef(false);
  const fixedKey = JSON.stringify(fixed);

  useEffect(() => {
    const ac = new AbortController();
    // a background refresh keeps the rows on screen (no spinner)
    if (!silentRef.current) setLoading(true);
    silentRef.current = false;
    fetcher({ ...toApiQuery(params), ...JSON.parse(fixedKey) }, ac.signal)
      .then((page) => {
        setData({
          items: Array.isArray(page?.items) ? page.items : [],
          total: Number(page?.total) || 0,
          total_exact: page?.total_exact !== false,
        });
        setFailed(false);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        setFailed(true);
        const d = describeError(e);
        if (d) message.error({ content: intl.formatMessage({ id: d.id }, d.values), key: 'list-error' });
      });
    return () => ac.abort();
  }, [fetcher, params, fixedKey, reloadTick]);

  const update = useCallback(
    (patch: Partial<ListParams>) => {
      // from the URL as it is now, not as last rendered: two quick changes (a filter, then a sort
      // before the re-render) must not undo each other (react-router's functional form reads the
      // rendered params too)
      const cur = parseListParams(new URLSearchParams(window.location.search), filterKey ? filterKey.split(',') : []);
      const next: ListParams = { ...cur, ...patch, filters: { ...cur.filters, ...(patch.filters ?? {}) } };
      // a new search or filter starts again at page 1
      if (patch.q !== undefined || patch.filters !== undefined || patch.sort !== undefined || (patch.size !== undefined && patch.size !== cur.size)) {
        if (patch.page === undefined) next.page = 1;
      }
      setSearch(toSearchParams(next));
    },
    [filterKey, setSearch],
  );

  const reload = useCallback(() => setReloadTick((t) => t + 1), []);
  const refresh = useCallback(() => {
    silentRef.current = true;
    setReloadTick((t) => t + 1);
  }, []);

  return { params, data, loading, failed, update, reload, refresh };
}
