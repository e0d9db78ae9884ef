// Dispatch board 派工看板 (dispatcher, service manager, admin): requests waiting for a technician and
// at-risk ones on the left; on the right each technician's day (skills, team and centre, load, today's
// jobs on a timeline — TechTimeline.tsx). Select a request to see the ranked suggestions (also on each
// technician's row) and assign by button, "auto", or by dragging the request onto a technician's row.
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { App, Badge, Button, Card, Col, Empty, Flex, List, Row, Space, Spin, Tag, Typography, theme } from 'antd';
import { ReloadOutlined, ThunderboltOutlined, UserAddOutlined } from '@ant-design/icons';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { apiRequest } from '../../api/client';
import { describeError } from '../../api/errors';
import { ticketApi, type DispatchSuggestions, type TicketDetail, type TicketRow } from '../../api/tickets';
import type { Page } from '../../api/types';
import { useLocale } from '../../i18n/I18nProvider';
import { Countdown, GradeTag, StateTag } from '../../tickets/ui';
import { assignedAtFor } from './timeline';
import { TechTimeline, type TechRow, type TechSuggestion } from './TechTimeline';

interface Tech {
  id: number;
  name: string;
  active?: boolean;
  skills?: string[];
  team_id?: number | null;
  team_name?: string | null;
  home_centre_id?: number | null;
}

const REFRESH_MS = 30_000;
const DRAG_TYPE = 'application/x-aftersales-ticket';
/** Request details read for the timeline (when each technician was assigned), at most. */
const MAX_DETAILS = 60;

async function loadBoard(signal: AbortSignal) {
  const [waiting, atRisk, breached, staff, centres] = await Promise.all([
    ticketApi.list({ state: 'responded,triaged', sort: 'next_due_at', limit: 100 }, signal),
    ticketApi.list({ sla_risk: 'at_risk', open: true, sort: 'next_due_at', limit: 50 }, signal),
    ticketApi.list({ sla_risk: 'breached', open: true, sort: 'next_due_at', limit: 50 }, signal),
    apiRequest<Page<Tech>>('/staff', { query: { limit: 200, active: 'true', sort: 'name' }, signal }),
    apiRequest<Page<{ id: number; name: string }>>('/service-centres', { query: { limit: 200 }, signal }).catch(() => ({ items: [], total: 0 })),
  ]);
  const techs = staff.items.filter((s) => s.active !== false && (s.team_id || (s.skills?.length ?? 0) > 0));
  // each technician's open jobs (their count is his load)
  const open = await Promise.all(
    techs.map((s) => ticketApi.list({ assignee_staff_id: s.id, open: true, sort: 'next_due_at', limit: 20 }, signal).catch(() => null)),
  );
  // when was each job assigned to whom: from the request details (assignees[].assigned_at)
  const ids = [...new Set(open.flatMap((p) => p?.items.map((r) => r.id) ?? []))].slice(0, MAX_DETAILS);
  const details = await Promise.all(ids.map((id) => ticketApi.get(id, signal).catch(() => null)));
  const byId = new Map(details.filter((d): d is TicketDetail => !!d).map((d) => [d.id, d]));
  const centreName = new Map(centres.items.map((c) => [Number(c.id), c.name]));
  const waitingIds = new Set(waiting.items.map((r) => r.id));
  const risky = [...breached.items, ...atRisk.items].filter((r) => !waitingIds.has(r.id));
  const rows: TechRow[] = techs.map((s, i) => ({
    id: Number(s.id),
    name: s.name,
    skills: s.skills,
    team_name: s.team_name,
    centre: s.home_centre_id ? centreName.get(Number(s.home_centre_id)) ?? null : null,
    load: open[i]?.total ?? null,
    jobs: (open[i]?.items ?? []).map((row) => ({ row, assignedAt: assignedAtFor(byId.get(row.id)?.assignees as never, Number(s.id)) })),
  }));
  return { waiting: waiting.items, risky, techs: rows };
}

type Board = Awaited<ReturnType<typeof loadBoard>>;

export default function DispatchBoardPage() {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [board, setBoard] = useState<Board | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<TicketRow | null>(null);
  const [suggestions, setSuggestions] = useState<DispatchSuggestions | null>(null);
  const [sugLoading, setSugLoading] = useState(false);
  const [sugError, setSugError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<number | null>(null);

  const showError = useCallback(
    (e: unknown) => {
      const d = describeError(e);
      if (d) message.error(intl.formatMessage({ id: d.id }, d.values));
    },
    [intl, message],
  );

  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    loadBoard(ac.signal)
      .then((b) => {
        setBoard(b);
        setLoading(false);
      })
      .catch((e) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        showError(e);
      });
    return () => ac.abort();
  }, [tick, showError]);

  useEffect(() => {
    const h = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(h);
  }, [refresh]);

  useEffect(() => {
    setSuggestions(null);
    setSugError(null);
    if (!selected) return;
    const ac = new AbortController();
    setSugLoading(true);
    ticketApi
      .dispatchSuggestions(selected.id, ac.signal)
      .then((d) => {
        setSuggestions(d);
        setSugLoading(false);
      })
      .catch((e) => {
        if (ac.signal.aborted) return;
        setSugLoading(false);
        const d = describeError(e);
        setSugError(d ? intl.formatMessage({ id: d.id }, d.values) : String(e));
      });
    return () => ac.abort();
  }, [selected, intl]);

  const dispatch = async (ticket: TicketRow, body: { staff_ids: number[] } | { auto: true }, key: string) => {
    setBusy(key);
    try {
      await ticketApi.action(ticket.id, 'dispatch', body);
      message.success(t('dispatch.board.assigned', { number: ticket.number }));
      setSelected(null);
      refresh();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const allRows = useMemo(() => [...(board?.waiting ?? []), ...(board?.risky ?? [])], [board]);
  const reasonText = (r: { zh: string; en: string }) => (locale === 'zh-CN' ? r.zh : r.en);
  const skillLabel = (s: string) => (intl.messages[`dispatch.skill.${s}`] ? t(`dispatch.skill.${s}`) : s);

  const ranked = useMemo(
    () =>
      suggestions
        ? new Map<number, TechSuggestion>(suggestions.technicians.map((s, i) => [Number(s.staff_id), { rank: i + 1, score: s.score, reasons: s.reasons }]))
        : null,
    [suggestions],
  );

  const onDrop = (e: DragEvent, tech: TechRow) => {
    e.preventDefault();
    setDropTarget(null);
    const id = Number(e.dataTransfer.getData(DRAG_TYPE) || e.dataTransfer.getData('text/plain'));
    const row = allRows.find((r) => r.id === id);
    if (row) void dispatch(row, { staff_ids: [tech.id] }, `drop-${tech.id}`);
  };

  const ticketList = (rows: TicketRow[], testId: string, empty: string) => (
    <List
      size="small"
      data-testid={testId}
      dataSource={rows}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      renderItem={(r) => {
        const active = selected?.id === r.id;
        return (
          <List.Item
            data-testid="board-ticket"
            data-number={r.number}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, String(r.id));
              e.dataTransfer.setData('text/plain', String(r.id));
              e.dataTransfer.effectAllowed = 'move';
            }}
            onClick={() => setSelected(active ? null : r)}
            style={{
              cursor: 'pointer',
              padding: '8px 12px',
              borderRadius: token.borderRadius,
              background: active ? token.controlItemBgActive : undefined,
              borderLeft: `3px solid ${active ? token.colorPrimary : 'transparent'}`,
            }}
          >
            <Flex vertical gap={2} style={{ width: '100%', minWidth: 0 }}>
              <Flex justify="space-between" gap={8}>
                <Space size={4} wrap>
                  <Link to={`/tickets/${r.id}`} onClick={(e) => e.stopPropagation()}>{r.number}</Link>
                  <GradeTag grade={r.grade} />
                  <StateTag state={r.state} />
                </Space>
                <Countdown dueAt={r.next_due_at} risk={r.sla_risk} paused={r.paused} milestone={r.next_milestone} />
              </Flex>
              <Typography.Text ellipsis={{ tooltip: r.title }}>{r.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {r.project?.name ?? '—'}
                {r.assignee ? ` · ${r.assignee.name}` : r.team ? ` · ${r.team.name}` : ''}
              </Typography.Text>
            </Flex>
          </List.Item>
        );
      }}
    />
  );

  const suggestionCard = selected && (
    <Card
      size="small"
      data-testid="dispatch-panel"
      title={t('dispatch.board.suggestionsFor', { number: selected.number })}
      extra={
        <Button
          type="primary"
          ghost
          size="small"
          icon={<ThunderboltOutlined />}
          loading={busy === 'auto'}
          disabled={!!busy && busy !== 'auto'}
          onClick={() => dispatch(selected, { auto: true }, 'auto')}
          data-testid="board-auto"
        >
          <FormattedMessage id="ticket.dispatch.auto" />
        </Button>
      }
      style={{ marginBottom: 16 }}
    >
      {sugLoading ? (
        <Spin />
      ) : sugError ? (
        <Typography.Text type="danger">{sugError}</Typography.Text>
      ) : (
        <>
          {suggestions?.team_name && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('ticket.dispatch.team', { team: suggestions.team_name })}
            </Typography.Paragraph>
          )}
          <List
            size="small"
            data-testid="board-suggestions"
            dataSource={suggestions?.technicians ?? []}
            locale={{ emptyText: t('ticket.dispatch.none') }}
            renderItem={(s, i) => (
              <List.Item
                data-testid="board-suggestion"
                actions={[
                  <Button
                    key="assign"
                    type={i === 0 ? 'primary' : 'default'}
                    size="small"
                    icon={<UserAddOutlined />}
                    loading={busy === `assign-${s.staff_id}`}
                    disabled={!!busy && busy !== `assign-${s.staff_id}`}
                    onClick={() => dispatch(selected, { staff_ids: [s.staff_id] }, `assign-${s.staff_id}`)}
                    data-testid="board-assign"
                  >
                    <FormattedMessage id="dispatch.board.assign" />
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={4} wrap>
                      <Typography.Text strong>{s.name}</Typography.Text>
                      <Tag color="blue">{t('ticket.dispatch.score', { score: s.score })}</Tag>
                      {s.team_name && <Typography.Text type="secondary">{s.team_name}</Typography.Text>}
                    </Space>
                  }
                  description={
                    <span style={{ fontSize: 12 }}>
                      {s.reasons.filter((r) => r.points !== 0).map(reasonText).join(locale === 'zh-CN' ? '；' : '; ')}
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );

  const techs = board?.techs ?? [];
  return (
    <div data-testid="dispatch-board">
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }} wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <FormattedMessage id="dispatch.board.title" />
        </Typography.Title>
        <Space>
          <Typography.Text type="secondary">
            <FormattedMessage id="dispatch.board.dragHint" />
          </Typography.Text>
          <Button icon={<ReloadOutlined />} onClick={refresh} loading={loading} data-testid="board-reload">
            <FormattedMessage id="dispatch.board.reload" />
          </Button>
        </Space>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card
            size="small"
            title={<Badge count={board?.waiting.length ?? 0} offset={[14, 0]} color={token.colorPrimary} showZero>{t('dispatch.board.waiting')}</Badge>}
            style={{ marginBottom: 16 }}
            loading={loading && !board}
          >
            {ticketList(board?.waiting ?? [], 'board-waiting', t('dispatch.board.noWaiting'))}
          </Card>
          {/* below the list, so selecting a request moves neither it nor the technicians' rows */}
          {suggestionCard}
          <Card
            size="small"
            title={<Badge count={board?.risky.length ?? 0} offset={[14, 0]} showZero>{t('dispatch.board.atRisk')}</Badge>}
            loading={loading && !board}
          >
            {ticketList(board?.risky ?? [], 'board-at-risk', t('dispatch.board.noAtRisk'))}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card
            size="small"
            title={t('dispatch.board.technicians', { date: new Date().toLocaleDateString(locale) })}
            loading={loading && !board}
          >
            <TechTimeline
              techs={techs}
              suggestions={ranked}
              dropTarget={dropTarget}
              busy={busy}
              onDragOver={(id) => dropTarget !== id && setDropTarget(id)}
              onDragLeave={(id) => setDropTarget((v) => (v === id ? null : v))}
              onDrop={onDrop}
              reasonText={reasonText}
              skillLabel={skillLabel}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
