import { useCallback, useEffect, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Flex, Grid, Image, List, Result, Row, Space, Spin, Steps, Table, Tag, Timeline, Typography,
} from 'antd';
import { ArrowLeftOutlined, FileOutlined, ReloadOutlined } from '@ant-design/icons';
import { useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { describeError } from '../../api/errors';
import { attachmentUrl, ticketApi, type Attachment, type Milestone, type TicketDetail, type TimelineItem } from '../../api/tickets';
import { useLocale } from '../../i18n/I18nProvider';
import { NotFound } from '../Results';
import { ActionModal } from '../../tickets/ActionModal';
import { FollowUpsCard } from '../../tickets/FollowUpsCard';
import { RecordsCard } from '../../tickets/RecordsCard';
import { RepairLogCard } from '../../tickets/RepairLogCard';
import { CUSTOMER_STAGES, customerStage, DANGER_ACTIONS, formatDuration, OPEN_STATES, RISK_COLORS, visibleActions } from '../../tickets/model';
import { useAuth } from '../../auth/AuthProvider';
import { Countdown, formatTime, GradeTag, StateTag, useEnumLabel, useNow } from '../../tickets/ui';

const REFRESH_MS = 30_000;

/** Detail of one request. `portal`: the customer's plain-words view; `mobile`: technician on a phone. */
export default function TicketDetailPage({ portal = false, backTo }: { portal?: boolean; backTo?: string }) {
  const { id = '' } = useParams();
  const intl = useIntl();
  const t = (mid: string, values?: Record<string, string | number>) => intl.formatMessage({ id: mid }, values);
  const label = useEnumLabel();
  const { message } = AntApp.useApp();
  const { user } = useAuth();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [timeline, setTimeline] = useState<TimelineItem[]>([]);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [status, setStatus] = useState<'loading' | 'ok' | 'notFound' | 'error'>('loading');
  const [action, setAction] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  const load = useCallback(
    (signal?: AbortSignal) =>
      Promise.all([
        ticketApi.get(id, signal),
        ticketApi.timeline(id, signal).catch(() => ({ items: [] as TimelineItem[] })),
        ticketApi.attachments(id, signal).catch(() => ({ items: [] as Attachment[] })),
      ]).then(([tk, tl, at]) => {
        setTicket(tk);
        setTimeline(Array.isArray(tl.items) ? tl.items : []);
        setAttachments(Array.isArray(at.items) && at.items.length ? at.items : tk.attachments ?? []);
        setStatus('ok');
      }),
    [id],
  );

  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal).catch((e: unknown) => {
      if (ac.signal.aborted) return;
      if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 400)) {
        setStatus('notFound');
        return;
      }
      setStatus((s) => (s === 'ok' ? s : 'error'));
      const d = describeError(e);
      if (d) message.error({ content: intl.formatMessage({ id: d.id }, d.values), key: 'ticket-error' });
    });
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load, tick]);

  useEffect(() => {
    const h = setInterval(() => {
      if (!action) setTick((x) => x + 1);
    }, REFRESH_MS);
    return () => clearInterval(h);
  }, [action]);

  if (status === 'notFound') return <NotFound />;
  if (status === 'loading' || !ticket)
    return status === 'error' ? (
      <Result status="warning" title={t('ticket.detail.loadFailed')} extra={<Button onClick={() => setTick((x) => x + 1)}>{t('common.list.refresh')}</Button>} />
    ) : (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin size="large" />
      </Flex>
    );

  const actions = visibleActions(ticket.state, ticket.allowed_actions, user?.role);
  const back = backTo ?? (portal ? '/my/requests' : '/tickets');

  const actionBar = actions.length > 0 && (
    <Flex gap={8} wrap data-testid="action-bar" style={mobile ? { position: 'sticky', bottom: 0, background: '#fff', padding: '8px 0', zIndex: 5 } : undefined}>
      {actions.map((a, i) => (
        <Button
          key={a}
          data-testid={`action-${a}`}
          type={i === 0 && !DANGER_ACTIONS.includes(a) ? 'primary' : 'default'}
          danger={DANGER_ACTIONS.includes(a)}
          size={mobile ? 'large' : 'middle'}
          onClick={() => setAction(a)}
        >
          {label('action', a)}
        </Button>
      ))}
    </Flex>
  );

  return (
    <div data-testid="ticket-detail">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Link to={back}>
            <Button icon={<ArrowLeftOutlined />} type="text" aria-label={t('ticket.detail.back')} />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-number">
            {ticket.number}
          </Typography.Title>
          <StateTag state={ticket.state} />
          {!portal && <GradeTag grade={ticket.grade} />}
          {ticket.paused && <Tag color="purple">{t('ticket.detail.paused')}: {label('pauseReason', ticket.pause_reason)}</Tag>}
        </Space>
        <Button icon={<ReloadOutlined />} onClick={() => setTick((x) => x + 1)} aria-label={t('common.list.refresh')} />
      </Flex>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {ticket.title}
      </Typography.Title>

      {portal && <CustomerProgress ticket={ticket} />}
      {!mobile && actionBar}

      <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('ticket.detail.overview')}>
            <Descriptions size="small" column={mobile ? 1 : 2} data-testid="ticket-overview">
              <Descriptions.Item label={t('ticket.detail.customer')}>{ticket.customer?.name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.detail.project')}>{ticket.project?.name ?? '—'}</Descriptions.Item>
              {ticket.project?.address && <Descriptions.Item label={t('ticket.detail.address')}>{ticket.project.address}</Descriptions.Item>}
              <Descriptions.Item label={t('ticket.detail.asset')}>{ticket.asset?.name ?? '—'}</Descriptions.Item>
              {!portal && <Descriptions.Item label={t('ticket.intake.nature')}>{label('nature', ticket.nature)}</Descriptions.Item>}
              <Descriptions.Item label={t('ticket.intake.channel')}>{label('channel', ticket.channel)}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.list.reportedAt')}>{formatTime(ticket.reported_at)}</Descriptions.Item>
              <Descriptions.Item label={t('ticket.intake.contactName')}>
                {[ticket.contact_name, ticket.contact_phone].filter(Boolean).join(' · ') || '—'}
                {ticket.contact_phone && mobile && (
                  <a href={`tel:${ticket.contact_phone}`} style={{ marginInlineStart: 8 }}>
                    {t('ticket.detail.call')}
                  </a>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.detail.assignees')}>
                {ticket.assignees?.length ? ticket.assignees.map((a) => <Tag key={a.staff_id ?? a.id} color={a.lead ? 'blue' : undefined}>{a.name}</Tag>) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.detail.warranty')}>
                <WarrantyText ticket={ticket} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.detail.cost')} span={mobile ? 1 : 2}>
                <CostText ticket={ticket} />
              </Descriptions.Item>
              <Descriptions.Item label={t('ticket.intake.description')} span={mobile ? 1 : 2}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{ticket.description}</Typography.Paragraph>
              </Descriptions.Item>
              {ticket.demand && (
                <Descriptions.Item label={t('ticket.intake.demand')} span={mobile ? 1 : 2}>
                  {ticket.demand}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <MilestoneCard milestones={ticket.sla?.milestones ?? []} portal={portal} open={OPEN_STATES.includes(ticket.state)} />
          <RecordsCard ticket={ticket} />
          <RepairLogCard ticket={ticket} portal={portal} onLogged={() => setTick((x) => x + 1)} />
          <FollowUpsCard ticket={ticket} role={user?.role} portal={portal} />
          <AttachmentsCard items={attachments} />
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('ticket.detail.timeline')}>
            <TimelineList items={timeline} portal={portal} />
          </Card>
        </Col>
      </Row>
      {mobile && actionBar}

      <ActionModal
        ticket={ticket}
        action={action}
        compact={mobile}
        onClose={() => setAction(null)}
        onDone={(updated) => {
          setAction(null);
          setTicket((old) => ({ ...(old ?? updated), ...updated }));
          setTick((x) => x + 1);
        }}
      />
    </div>
  );
}

function CustomerProgress({ ticket }: { ticket: TicketDetail }) {
  const intl = useIntl();
  const stage = customerStage(ticket.state);
  const label = useEnumLabel();
  if (stage === 'cancelled') return <Alert type="warning" showIcon message={intl.formatMessage({ id: 'portal.stage.cancelled' })} />;
  const current = CUSTOMER_STAGES.indexOf(stage);
  const next = ticket.next_due_at && ticket.next_milestone;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="customer-progress">
      <Steps
        size="small"
        current={current}
        status={stage === 'done' ? 'finish' : 'process'}
        items={CUSTOMER_STAGES.map((s) => ({ title: intl.formatMessage({ id: `portal.stage.${s}` }) }))}
        responsive
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="plain-status">
        {intl.formatMessage({ id: `portal.explain.${stage}` })}
        {next ? ' ' + intl.formatMessage({ id: 'portal.explain.next' }, { milestone: label('milestone', ticket.next_milestone), due: formatTime(ticket.next_due_at) }) : ''}
      </Typography.Paragraph>
    </Card>
  );
}

function WarrantyText({ ticket }: { ticket: TicketDetail }) {
  const label = useEnumLabel();
  const w = ticket.warranty;
  if (!w) return <>—</>;
  const color = w.status === 'in_warranty' ? 'green' : w.status === 'expired' ? 'orange' : 'default';
  return (
    <Space size={4} wrap>
      <Tag color={color} data-testid="warranty-status">
        {label('warranty', w.status)}
      </Tag>
      {(w.start || w.end) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {w.start ?? '…'} ~ {w.end ?? '…'}
        </Typography.Text>
      )}
    </Space>
  );
}

function CostText({ ticket }: { ticket: TicketDetail }) {
  const label = useEnumLabel();
  const { locale } = useLocale();
  const intl = useIntl();
  const c = ticket.cost;
  if (!c) return <Typography.Text type="secondary">{intl.formatMessage({ id: 'ticket.detail.costPending' })}</Typography.Text>;
  const reason = locale === 'zh-CN' ? c.reason_zh : c.reason_en;
  return (
    <Space size={4} wrap data-testid="cost-decision">
      <Tag color={c.bearing === 'free' ? 'green' : c.bearing === 'disputed' ? 'red' : 'gold'}>{label('bearing', c.bearing)}</Tag>
      {reason && <Typography.Text>{reason}</Typography.Text>}
    </Space>
  );
}

/** The promised times; on a finished request nothing counts down any more. */
function MilestoneCard({ milestones, portal, open }: { milestones: Milestone[]; portal: boolean; open: boolean }) {
  const intl = useIntl();
  const label = useEnumLabel();
  const now = useNow();
  const rows = portal ? milestones.filter((m) => m.due_at) : milestones;
  return (
    <Card size="small" title={intl.formatMessage({ id: 'ticket.detail.clocks' })} style={{ marginTop: 16 }}>
      <Table<Milestone>
        size="small"
        rowKey="milestone"
        pagination={false}
        dataSource={rows}
        data-testid="milestones"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={intl.formatMessage({ id: 'ticket.detail.noClocks' })} /> }}
        columns={[
          { title: intl.formatMessage({ id: 'ticket.detail.milestone' }), dataIndex: 'milestone', render: (m: string) => label('milestone', m) },
          { title: intl.formatMessage({ id: 'ticket.detail.dueAt' }), dataIndex: 'due_at', render: (d: string | null) => formatTime(d) },
          {
            title: intl.formatMessage({ id: 'ticket.detail.status' }),
            dataIndex: 'status',
            render: (s: string, m) => (
              <Tag color={s === 'met' ? 'green' : s === 'breached' ? 'red' : 'blue'}>
                {label('milestoneStatus', s)}
                {m.is_paused ? ` · ${intl.formatMessage({ id: 'ticket.detail.paused' })}` : ''}
              </Tag>
            ),
          },
          {
            title: intl.formatMessage({ id: 'ticket.detail.remaining' }),
            key: 'remaining',
            render: (_: unknown, m) => {
              if (m.status === 'met') return <Typography.Text type="secondary">{formatTime(m.reached_at)}</Typography.Text>;
              if (!m.due_at || !open) return '—';
              if (m.is_paused && m.remaining_seconds !== null)
                return <span style={{ color: RISK_COLORS.none }}>{formatDuration(m.remaining_seconds)}</span>;
              const target = m.target_seconds ?? 0;
              const left = (Date.parse(m.due_at) - now) / 1000;
              const risk = left < 0 ? 'breached' : target > 0 && left < target * 0.25 ? 'at_risk' : 'on_track';
              return <Countdown dueAt={m.due_at} risk={risk} milestone={m.milestone} />;
            },
          },
        ]}
      />
    </Card>
  );
}

function AttachmentsCard({ items }: { items: Attachment[] }) {
  const intl = useIntl();
  const label = useEnumLabel();
  const images = items.filter((a) => a.content_type?.startsWith('image/'));
  const others = items.filter((a) => !a.content_type?.startsWith('image/'));
  return (
    <Card size="small" title={intl.formatMessage({ id: 'ticket.detail.attachments' }, { count: items.length })} style={{ marginTop: 16 }} data-testid="attachments">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={intl.formatMessage({ id: 'ticket.detail.noAttachments' })} />
      ) : (
        <>
          <Image.PreviewGroup>
            <Flex gap={8} wrap>
              {images.map((a) => (
                <div key={a.id} style={{ textAlign: 'center' }}>
                  <Image src={attachmentUrl(a.id)} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 4 }} alt={a.filename} />
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                      {a.purpose ? intl.messages[`ticket.purpose.${a.purpose}`] ? intl.formatMessage({ id: `ticket.purpose.${a.purpose}` }) : a.purpose : ''}
                    </Typography.Text>
                  </div>
                </div>
              ))}
            </Flex>
          </Image.PreviewGroup>
          {others.length > 0 && (
            <List
              size="small"
              dataSource={others}
              renderItem={(a) => (
                <List.Item>
                  <a href={attachmentUrl(a.id)} target="_blank" rel="noreferrer">
                    <FileOutlined /> {a.filename}
                  </a>
                  <Typography.Text type="secondary">{label('purpose', a.purpose)}</Typography.Text>
                </List.Item>
              )}
            />
          )}
        </>
      )}
    </Card>
  );
}

function TimelineList({ items, portal }: { items: TimelineItem[]; portal: boolean }) {
  const intl = useIntl();
  const label = useEnumLabel();
  const shown = portal ? items.filter((i) => !i.internal) : items;
  if (!shown.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={intl.formatMessage({ id: 'ticket.detail.noEvents' })} />;
  return (
    <Timeline
      data-testid="timeline"
      items={[...shown].reverse().map((e) => {
        const id = `ticket.event.${e.type}`;
        const title = intl.messages[id] ? intl.formatMessage({ id }) : e.type;
        return {
          key: e.id,
          color: e.type.includes('failed') || e.type.includes('rejected') || e.type.includes('cancelled') ? 'red' : e.to_state ? 'blue' : 'gray',
          children: (
            <div>
              <Typography.Text strong>{title}</Typography.Text>
              {e.to_state && e.from_state !== e.to_state && (
                <Typography.Text type="secondary"> → {label('state', e.to_state)}</Typography.Text>
              )}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(e.at)}
                  {e.actor ? ` · ${e.actor.startsWith('system') ? intl.formatMessage({ id: 'ticket.detail.systemActor' }) : e.actor}` : ''}
                  {!portal && e.actor_role && intl.messages[`common.role.${e.actor_role}`] ? ` (${intl.formatMessage({ id: `common.role.${e.actor_role}` })})` : ''}
                </Typography.Text>
              </div>
              {e.reason && <Typography.Text style={{ fontSize: 13 }}>{e.reason}</Typography.Text>}
            </div>
          ),
        };
      })}
    />
  );
}
