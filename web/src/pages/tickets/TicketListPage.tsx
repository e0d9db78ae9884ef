import { useCallback, useEffect } from 'react';
import { Button, Select, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { ticketApi, type TicketRow } from '../../api/tickets';
import type { ListQuery } from '../../api/endpoints';
import { usePagedList } from '../../hooks/usePagedList';
import { sortOrderOf } from '../../hooks/listParams';
import { useAuth } from '../../auth/AuthProvider';
import { ListPage } from '../ListPage';
import { GRADES, SLA_RISKS, STATES } from '../../tickets/model';
import { Countdown, formatTime, GradeTag, StateTag, useEnumLabel } from '../../tickets/ui';
import { ProjectSelect } from '../../tickets/selects';
import { SavedViewsBar } from '../../tickets/SavedViewsBar';

const FILTERS = ['state', 'grade', 'project_id', 'sla_risk', 'open'] as const;
const REFRESH_MS = 30_000;
export const INTAKE_ROLES = ['agent', 'service_manager', 'dispatcher', 'admin'];

const fetchTickets = (q: ListQuery, signal: AbortSignal) => ticketApi.list({ sort: '-reported_at', ...q }, signal);

export default function TicketListPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const label = useEnumLabel();
  const navigate = useNavigate();
  const { user } = useAuth();
  const list = usePagedList<TicketRow>(fetchTickets, FILTERS);
  const { refresh } = list;

  // keep the clocks and states fresh without a spinner
  useEffect(() => {
    const h = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(h);
  }, [refresh]);

  const f = list.params.filters;
  const setFilter = useCallback((key: string, value: string | undefined) => list.update({ filters: { [key]: value ?? '' } }), [list]);
  const multi = (v?: string) => (v ? v.split(',') : []);

  const columns: ColumnsType<TicketRow> = [
    {
      title: t('ticket.list.number'),
      dataIndex: 'number',
      key: 'number',
      render: (v: string, r) => <Link to={`/tickets/${r.id}`} data-testid="ticket-link">{v}</Link>,
    },
    {
      title: t('ticket.list.titleCol'),
      dataIndex: 'title',
      key: 'title',
      render: (v: string, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 280 }}>{v}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {label('channel', r.channel)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('ticket.list.state'), dataIndex: 'state', key: 'state', render: (v: string) => <StateTag state={v} /> },
    { title: t('ticket.list.grade'), dataIndex: 'grade', key: 'grade', render: (v: string | null) => <GradeTag grade={v} /> },
    {
      title: t('ticket.list.customerProject'),
      key: 'project',
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <span>{r.customer?.name ?? '—'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.project?.name }}>
            {r.project?.name ?? ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('ticket.list.assignee'), key: 'assignee', render: (_: unknown, r) => r.assignee?.name ?? r.team?.name ?? '—' },
    {
      title: t('ticket.list.nextMilestone'),
      key: 'next_due_at',
      sorter: true,
      sortOrder: sortOrderOf(list.params.sort, 'next_due_at'),
      render: (_: unknown, r) =>
        r.next_due_at ? (
          <Space direction="vertical" size={0}>
            <Typography.Text style={{ fontSize: 12 }}>{label('milestone', r.next_milestone)}</Typography.Text>
            <Countdown dueAt={r.next_due_at} risk={r.sla_risk} paused={r.paused} milestone={r.next_milestone} />
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('ticket.list.reportedAt'),
      dataIndex: 'reported_at',
      key: 'reported_at',
      sorter: true,
      sortOrder: sortOrderOf(list.params.sort, 'reported_at', '-reported_at'),
      render: (v: string) => formatTime(v),
    },
  ];

  const filters = (
    <>
      {user && <SavedViewsBar userId={user.id} filterKeys={FILTERS} />}
      <Select
        data-testid="filter-state"
        mode="multiple"
        allowClear
        maxTagCount={1}
        style={{ minWidth: 160 }}
        placeholder={t('ticket.list.state')}
        value={multi(f.state)}
        onChange={(v: string[]) => setFilter('state', v.join(','))}
        options={STATES.map((s) => ({ value: s, label: label('state', s) }))}
      />
      <Select
        data-testid="filter-grade"
        mode="multiple"
        allowClear
        maxTagCount={1}
        style={{ minWidth: 140 }}
        placeholder={t('ticket.list.grade')}
        value={multi(f.grade)}
        onChange={(v: string[]) => setFilter('grade', v.join(','))}
        options={GRADES.map((s) => ({ value: s, label: label('grade', s) }))}
      />
      <ProjectSelect
        style={{ width: 200 }}
        placeholder={t('ticket.list.project')}
        value={f.project_id ? Number(f.project_id) : undefined}
        onChange={(v) => setFilter('project_id', v ? String(v) : undefined)}
      />
      <Select
        data-testid="filter-risk"
        allowClear
        style={{ width: 130 }}
        placeholder={t('ticket.list.slaRisk')}
        value={f.sla_risk || undefined}
        onChange={(v?: string) => setFilter('sla_risk', v)}
        options={SLA_RISKS.map((s) => ({ value: s, label: label('risk', s) }))}
      />
      <Select
        data-testid="filter-open"
        allowClear
        style={{ width: 120 }}
        placeholder={t('ticket.list.openAll')}
        value={f.open || undefined}
        onChange={(v?: string) => setFilter('open', v)}
        options={[
          { value: 'true', label: t('ticket.list.openOnly') },
          { value: 'false', label: t('ticket.list.closedOnly') },
        ]}
      />
      {user && INTAKE_ROLES.includes(user.role) && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')} data-testid="new-ticket">
          {t('ticket.list.new')}
        </Button>
      )}
    </>
  );

  return (
    <ListPage<TicketRow>
      testId="tickets-page"
      title={t('ticket.list.title')}
      searchPlaceholder={t('ticket.list.search')}
      columns={columns}
      params={list.params}
      data={list.data}
      loading={list.loading}
      onChange={list.update}
      onReload={list.reload}
      filters={filters}
    />
  );
}
