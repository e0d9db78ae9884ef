// Type-to-search selects backed by the API (customers, projects by customer, asset tree). Searching
// is pinyin-insensitive: the server's matches for the text come first, then the preloaded options
// whose names match by pinyin ("hx" → 华鑫…), see pinyinSearch.ts.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import type { SelectProps } from 'antd';
import { listApi } from '../api/endpoints';
import { ticketApi } from '../api/tickets';
import { toTreeOptions, type TreeOption } from './model';
import { loadPinyinMatcher, mergeOptions, substringMatch, type MatchFn } from './pinyinSearch';

interface Option {
  value: number;
  label: string;
}

/** The pinyin matcher once its chunk is loaded (substring until then); `warm` starts the load. */
function usePinyinMatcher() {
  const [match, setMatch] = useState<MatchFn>(() => substringMatch);
  const warm = useCallback(() => {
    loadPinyinMatcher()
      .then((m) => setMatch(() => m))
      .catch(() => undefined); // stays on substring matching
  }, []);
  return { match, warm };
}

/** Debounced server search for `q`, plus the unfiltered first page kept for local (pinyin) matching. */
function useRemoteOptions(load: (q: string, signal: AbortSignal) => Promise<Option[]>, deps: unknown[]) {
  const [q, setQ] = useState('');
  const [base, setBase] = useState<Option[]>([]);
  const [found, setFound] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const { match, warm } = usePinyinMatcher();
  const depKey = JSON.stringify(deps);

  // the first page without a query (what the picker shows when opened)
  useEffect(() => {
    const ac = new AbortController();
    load('', ac.signal)
      .then(setBase)
      .catch(() => undefined);
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [depKey]);

  useEffect(() => {
    if (!q.trim()) {
      setFound([]);
      setLoading(false);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    const h = setTimeout(() => {
      load(q.trim(), ac.signal)
        .then((o) => {
          setFound(o);
          setLoading(false);
        })
        .catch(() => {
          if (!ac.signal.aborted) setLoading(false);
        });
    }, 200);
    return () => {
      clearTimeout(h);
      ac.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, depKey]);

  const options = useMemo(() => (q.trim() ? mergeOptions(found, base, q, match) : base), [q, found, base, match]);
  const onSearch = useCallback(
    (text: string) => {
      warm();
      setQ(text);
    },
    [warm],
  );
  return { options, loading, onSearch, onFocus: warm };
}

type Common = Omit<SelectProps<number>, 'options' | 'onSearch' | 'loading' | 'showSearch' | 'filterOption'>;

const CUSTOMER_PAGE = 200;
const PROJECT_PAGE = 200;

export function CustomerSelect(props: Common) {
  const { options, loading, onSearch, onFocus } = useRemoteOptions(
    (q, signal) => listApi.customers({ limit: CUSTOMER_PAGE, offset: 0, q }, signal).then((p) => p.items.map((c) => ({ value: Number(c.id), label: c.name }))),
    [],
  );
  return <Select<number> showSearch allowClear filterOption={false} onSearch={onSearch} onFocus={onFocus} loading={loading} options={options} {...props} />;
}

export function ProjectSelect({ customerId, ...props }: Common & { customerId?: number | null }) {
  const { options, loading, onSearch, onFocus } = useRemoteOptions(
    (q, signal) =>
      listApi
        .projects({ limit: PROJECT_PAGE, offset: 0, q, customer_id: customerId ? String(customerId) : undefined }, signal)
        .then((p) => p.items.map((c) => ({ value: Number(c.id), label: c.name, customer_id: Number(c.customer_id) }))),
    [customerId],
  );
  return <Select<number> showSearch allowClear filterOption={false} onSearch={onSearch} onFocus={onFocus} loading={loading} options={options} {...props} />;
}

export function AssetTreeSelect({
  projectId,
  value,
  onChange,
  ...rest
}: { projectId?: number | null; value?: number; onChange?: (v: number | undefined) => void; placeholder?: string; id?: string; 'data-testid'?: string }) {
  const [tree, setTree] = useState<TreeOption[]>([]);
  const [loading, setLoading] = useState(false);
  const { match, warm } = usePinyinMatcher();
  useEffect(() => {
    if (!projectId) {
      setTree([]);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    ticketApi
      .assetTree(projectId, ac.signal)
      .then((r) => {
        setTree(toTreeOptions(r.nodes as never));
        setLoading(false);
      })
      .catch(() => {
        if (!ac.signal.aborted) setLoading(false);
      });
    return () => ac.abort();
  }, [projectId]);
  const data = useMemo(() => tree, [tree]);
  return (
    <TreeSelect
      showSearch
      allowClear
      treeDefaultExpandAll
      filterTreeNode={(input, node) => match(String(node.title ?? ''), input)}
      onSearch={warm}
      onFocus={warm}
      disabled={!projectId}
      loading={loading}
      treeData={data}
      value={value}
      onChange={(v) => onChange?.(v as number | undefined)}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}
