import { Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useIntl } from 'react-intl';
import { listApi } from '../api/endpoints';
import type { Customer } from '../api/types';
import { usePagedList } from '../hooks/usePagedList';
import { sortOrderOf } from '../hooks/listParams';
import { ListPage } from './ListPage';

const NONE = '—';

export default function CustomersPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const list = usePagedList<Customer>(listApi.customers);

  const columns: ColumnsType<Customer> = [
    {
      title: t('master.customers.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true, // server-side: sort=name / sort=-name (name is the default order)
      sortDirections: ['ascend', 'descend', 'ascend'],
      sortOrder: sortOrderOf(list.params.sort, 'name', 'name'),
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    { title: t('master.customers.tier'), dataIndex: 'tier', key: 'tier', render: (v?: string) => (v ? <Tag color="gold">{intl.messages[`master.tier.${v}`] ? t(`master.tier.${v}`) : v}</Tag> : NONE) },
    { title: t('master.customers.address'), dataIndex: 'address', key: 'address', render: (v?: string) => v || NONE },
    {
      title: t('master.customers.contacts'),
      key: 'contacts',
      render: (_: unknown, c: Customer) =>
        c.contacts && c.contacts.length > 0 ? (
          <Space direction="vertical" size={0}>
            {c.contacts.slice(0, 3).map((ct, i) => (
              <span key={i}>
                {ct.name}
                {ct.phone ? ` · ${ct.phone}` : ''}
                {ct.email ? <Typography.Text type="secondary">{` · ${ct.email}`}</Typography.Text> : null}
              </span>
            ))}
            {c.contacts.length > 3 && <Typography.Text type="secondary">+{c.contacts.length - 3}</Typography.Text>}
          </Space>
        ) : (
          NONE
        ),
    },
    {
      title: t('master.customers.notes'),
      dataIndex: 'notes',
      key: 'notes',
      render: (v?: string) => (v ? <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 240 }}>{v}</Typography.Text> : NONE),
    },
  ];

  return (
    <ListPage<Customer>
      testId="customers-page"
      title={t('master.customers.title')}
      searchPlaceholder={t('master.customers.search')}
      columns={columns}
      params={list.params}
      data={list.data}
      loading={list.loading}
      onChange={list.update}
      onReload={list.reload}
    />
  );
}
