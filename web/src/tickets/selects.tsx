// Type-to-search selects backed by the API (customers, projects by customer, asset tree).
import { useEffect, useMemo, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import type { SelectProps } from 'antd';
import { listApi } from '../api/endpoints';
import { ticketApi } from '../api/tickets';
import { toTreeOptions, type TreeOption } from './model';

interface Option {
  value: number;
  label: string;
}

function useRemoteOptions(load: (q: string, signal: AbortSignal) => Promise<Option[]>, deps: unknown[]) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    const h = setTimeout(() => {
      load(q, ac.signal)
        .then((o) => {
          setOptions(o);
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
  }, [q, ...deps]);
  return { options, loading, onSearch: setQ };
}

type Common = Omit<SelectProps<number>, 'options' | 'onSearch' | 'loading' | 'showSearch' | 'filterOption'>;

export function CustomerSelect(props: Common) {
  const { options, loading, onSearch } = useRemoteOptions(
    (q, signal) => listApi.customers({ limit: 50, offset: 0, q }, signal).then((p) => p.items.map((c) => ({ value: Number(c.id), label: c.name }))),
    [],
  );
  return <Select<number> showSearch allowClear filterOption={false} onSearch={onSearch} loading={loading} options={options} {...props} />;
}

export function ProjectSelect({ customerId, ...props }: Common & { customerId?: number | null }) {
  const { options, loading, onSearch } = useRemoteOptions(
    (q, signal) =>
      listApi
        .projects({ limit: 100, offset: 0, q, customer_id: customerId ? String(customerId) : undefined }, signal)
        .then((p) => p.items.map((c) => ({ value: Number(c.id), label: c.name, customer_id: Number(c.customer_id) }))),
    [customerId],
  );
  return <Select<number> showSearch allowClear filterOption={false} onSearch={onSearch} loading={loading} options={options} {...props} />;
}

export function AssetTreeSelect({
  projectId,
  value,
  onChange,
  ...rest
}: { projectId?: number | null; value?: number; onChange?: (v: number | undefined) => void; placeholder?: string; id?: string; 'data-testid'?: string }) {
  const [tree, setTree] = useState<TreeOption[]>([]);
  const [loading, setLoading] = useState(false);
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
      treeNodeFilterProp="title"
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
