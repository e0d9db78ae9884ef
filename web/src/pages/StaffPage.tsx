import { Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useIntl } from 'react-intl';
import { listApi } from '../api/endpoints';
import type { Staff } from '../api/types';
import { usePagedList } from '../hooks/usePagedList';
import { roleLabelId } from '../nav/roles';
import { ListPage } from './ListPage';

const NONE = '—';

export default function StaffPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const list = usePagedList<Staff>(listApi.staff);

  const columns: ColumnsType<Staff> = [
    { title: t('master.staff.name'), dataIndex: 'name', key: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    {
      title: t('master.staff.role'),
      dataIndex: 'role',
      key: 'role',
      render: (v: string | null) => {
        if (!v) return NONE;
        const id = roleLabelId(v);
        return <Tag color="blue">{id ? t(id) : v}</Tag>;
      },
    },
    { title: t('master.staff.team'), dataIndex: 'team_name', key: 'team_name', render: (v?: string | null) => v || NONE },
    {
      title: t('master.staff.skills'),
      dataIndex: 'skills',
      key: 'skills',
      render: (v?: string[]) =>
        v && v.length > 0 ? (
          <Space size={[0, 4]} wrap>
            {v.map((s) => (
              <Tag key={s}>{intl.messages[`dispatch.skill.${s}`] ? t(`dispatch.skill.${s}`) : s}</Tag>
            ))}
          </Space>
        ) : (
          NONE
        ),
    },
  ];

  return (
    <ListPage<Staff>
      testId="staff-page"
      title={t('master.staff.title')}
      searchPlaceholder={t('master.staff.search')}
      columns={columns}
      params={list.params}
      data={list.data}
      loading={list.loading}
      onChange={list.update}
      onReload={list.reload}
    />
  );
}
