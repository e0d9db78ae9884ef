import { Button, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { ticketApi, type TicketRow } from '../../api/tickets';
import type { ListQuery } from '../../api/endpoints';
import { usePagedList } from '../../hooks/usePagedList';
import { ListPage } from '../ListPage';
import { customerStage } from '../../tickets/model';
import { formatTime, useEnumLabel } from '../../tickets/ui';

const fetchMine = (q: ListQuery, signal: AbortSignal) => ticketApi.list({ sort: '-reported_at', ...q }, signal);
const STAGE_COLORS: Record<string, string> = { done: 'green', cancelled: 'default', acceptance: 'orange' };

/** 我的工单: the customer's own requests (the server limits the list to his organisation). */
export default function MyRequestsPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const label = useEnumLabel();
  const navigate = useNavigate();
  const list = usePagedList<TicketRow>(fetchMine, ['open']);

  const columns: ColumnsType<TicketRow> = [
    { title: t('ticket.list.number'), dataIndex: 'number', key: 'number', render: (v: string, r) => <Link to={`/my/requests/${r.id}`} data-testid="ticket-link">{v}</Link> },
    { title: t('ticket.list.titleCol'), dataIndex: 'title', key: 'title', render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }}>{v}</Typography.Text> },
    { title: t('ticket.list.project'), key: 'project', render: (_: unknown, r) => r.project?.name ?? '—' },
    {
      title: t('portal.list.progress'),
      key: 'progress',
      render: (_: unknown, r) => {
        const s = customerStage(r.state);
        return <Tag color={STAGE_COLORS[s] ?? 'processing'} data-testid="portal-stage">{t(`portal.stage.${s}`)}</Tag>;
      },
    },
    {
      title: t('portal.list.next'),
      key: 'next',
      render: (_: unknown, r) =>
        r.next_due_at ? (
          <Space direction="vertical" size={0}>
            <span>{label('milestone', r.next_milestone)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(r.next_due_at)}</Typography.Text>
          </Space>
        ) : '—',
    },
    { title: t('ticket.list.reportedAt'), dataIndex: 'reported_at', key: 'reported_at', render: (v: string) => formatTime(v) },
  ];

  return (
    <ListPage<TicketRow>
      testId="my-requests-page"
      title={t('portal.list.title')}
      searchPlaceholder={t('portal.list.search')}
      columns={columns}
      params={list.params}
      data={list.data}
      loading={list.loading}
      onChange={list.update}
      onReload={list.reload}
      filters={
        <>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('ticket.list.openAll')}
            value={list.params.filters.open || undefined}
            onChange={(v?: string) => list.update({ filters: { open: v ?? '' } })}
            options={[
              { value: 'true', label: t('ticket.list.openOnly') },
              { value: 'false', label: t('ticket.list.closedOnly') },
            ]}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/my/requests/new')} data-testid="portal-new">
            {t('portal.list.new')}
          </Button>
        </>
      }
    />
  );
}
