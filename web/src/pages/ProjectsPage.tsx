import { Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useIntl } from 'react-intl';
import { listApi } from '../api/endpoints';
import type { Project } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { usePagedList } from '../hooks/usePagedList';
import { PROJECT_TYPES, projectTypeLabelId } from '../nav/roles';
import { ListPage } from './ListPage';

const NONE = '—';
const FILTERS = ['type'] as const;

/** Projects; `mine` is the customer's view (own organisation only, no customer column). */
export default function ProjectsPage({ mine = false }: { mine?: boolean }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const { user } = useAuth();
  const fixed: Record<string, string> = mine && user?.customer_id != null ? { customer_id: String(user.customer_id) } : {};
  const list = usePagedList<Project>(listApi.projects, FILTERS, fixed);
  const typeLabel = (type: string) => {
    const id = projectTypeLabelId(type);
    return id ? t(id) : type;
  };

  const columns: ColumnsType<Project> = [
    { title: t('master.projects.name'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('master.projects.type'), dataIndex: 'type', key: 'type', render: (v: string) => <Tag color="geekblue">{typeLabel(v)}</Tag> },
    ...(mine
      ? []
      : [{ title: t('master.projects.customer'), dataIndex: 'customer_name', key: 'customer_name', render: (v?: string) => v || NONE }]),
    { title: t('master.projects.address'), dataIndex: 'address', key: 'address', render: (v?: string) => v || NONE },
    { title: t('master.projects.completionDate'), dataIndex: 'completion_date', key: 'completion_date', render: (v?: string | null) => v || NONE },
    {
      title: t('master.projects.warranty'),
      dataIndex: 'warranty_months',
      key: 'warranty_months',
      render: (v?: number | null) => (v != null ? intl.formatMessage({ id: 'master.projects.warrantyMonths' }, { months: v }) : NONE),
    },
  ];

  return (
    <ListPage<Project>
      testId="projects-page"
      title={t(mine ? 'master.projects.mineTitle' : 'master.projects.title')}
      searchPlaceholder={t('master.projects.search')}
      columns={columns}
      params={list.params}
      data={list.data}
      loading={list.loading}
      onChange={list.update}
      onReload={list.reload}
      filters={
        <Select<string>
          data-testid="project-type-filter"
          style={{ width: 160 }}
          value={list.params.filters.type ?? ''}
          onChange={(type) => list.update({ filters: { type } })}
          options={[
            { value: '', label: t('master.projects.typeAll') },
            ...PROJECT_TYPES.map((type) => ({ value: type, label: typeLabel(type) })),
          ]}
        />
      }
    />
  );
}
