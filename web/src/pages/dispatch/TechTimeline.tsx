// The right side of the dispatch board: one row per technician — name, team and service centre,
// skills, open load, the automatic suggestion for the selected request — and a line of today's working
// hours with his assigned jobs as blocks. A request dropped on a row is assigned to him.
import { useMemo, type DragEvent } from 'react';
import { Empty, Flex, Space, Spin, Tag, Tooltip, Typography, theme } from 'antd';
import { EnvironmentOutlined, TrophyOutlined } from '@ant-design/icons';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router';
import type { LocalizedReason, TicketRow } from '../../api/tickets';
import { useEnumLabel, useNow } from '../../tickets/ui';
import { RISK_COLORS, riskOf } from '../../tickets/model';
import { dayWindow, hourTicks, jobBlock, lanes, pctOf } from './timeline';

export interface TimelineJob {
  row: TicketRow;
  assignedAt: string | null;
}

export interface TechRow {
  id: number;
  name: string;
  skills?: string[];
  team_name?: string | null;
  centre?: string | null;
  load: number | null;
  jobs: TimelineJob[];
}

export interface TechSuggestion {
  rank: number;
  score: number;
  reasons: LocalizedReason[];
}

const INFO_WIDTH = 230;
const LANE = 22;
/** States in which the technician is on site or working: drawn solid. */
const WORKING = ['on_site', 'diagnosed', 'in_repair', 'rework', 'self_checked'];

interface Props {
  techs: TechRow[];
  suggestions: Map<number, TechSuggestion> | null;
  dropTarget: number | null;
  busy: string | null;
  onDragOver: (techId: number) => void;
  onDragLeave: (techId: number) => void;
  onDrop: (e: DragEvent, tech: TechRow) => void;
  reasonText: (r: { zh: string; en: string }) => string;
  skillLabel: (s: string) => string;
}

export function TechTimeline(props: Props) {
  const intl = useIntl();
  const now = useNow();
  // the window moves once a minute at most: no re-layout every second
  const minute = Math.floor(now / 60_000);
  const w = useMemo(() => dayWindow(minute * 60_000), [minute]);
  const ticks = useMemo(() => hourTicks(w), [w]);
  const rows = useMemo(() => {
    const s = props.suggestions;
    if (!s) return props.techs;
    return [...props.techs].sort((a, b) => (s.get(a.id)?.rank ?? 1e9) - (s.get(b.id)?.rank ?? 1e9));
  }, [props.techs, props.suggestions]);

  if (props.techs.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={intl.formatMessage({ id: 'dispatch.board.noTechs' })} />;

  return (
    <div data-testid="board-techs">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }} data-testid="timeline-legend">
        {intl.formatMessage({ id: 'dispatch.timeline.legend' })}
      </Typography.Paragraph>
      <Flex gap={12} style={{ marginBottom: 4 }}>
        <div style={{ width: INFO_WIDTH, flex: 'none' }} />
        <div style={{ position: 'relative', flex: 1, height: 16, minWidth: 240 }} data-testid="timeline-scale">
          {ticks.map((tk, i) =>
            i % 2 === 0 || ticks.length <= 8 ? (
              <span
                key={tk.at}
                style={{ position: 'absolute', left: `${tk.pct}%`, transform: i === 0 ? 'none' : i === ticks.length - 1 ? 'translateX(-100%)' : 'translateX(-50%)', fontSize: 11, color: 'rgba(0,0,0,0.45)' }}
              >
                {tk.label}
              </span>
            ) : null,
          )}
        </div>
      </Flex>
      {rows.map((tech) => (
        <TechLine key={tech.id} tech={tech} {...props} w={w} ticks={ticks} now={now} />
      ))}
    </div>
  );
}

function TechLine({
  tech,
  w,
  ticks,
  now,
  suggestions,
  dropTarget,
  busy,
  onDragOver,
  onDragLeave,
  onDrop,
  reasonText,
  skillLabel,
}: Props & { tech: TechRow; w: ReturnType<typeof dayWindow>; ticks: ReturnType<typeof hourTicks>; now: number }) {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  const label = useEnumLabel();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const suggestion = suggestions?.get(tech.id);
  const blocks = tech.jobs.map((j) => jobBlock({ assignedAt: j.assignedAt, reportedAt: j.row.reported_at, dueAt: j.row.next_due_at }, w, now));
  const { lane, count } = lanes(blocks);
  const active = dropTarget === tech.id;
  const hhmm = (ms: number) => new Date(ms).toLocaleTimeString(intl.locale, { hour: '2-digit', minute: '2-digit', hour12: false });

  return (
    <Flex
      gap={12}
      wrap
      data-testid="board-tech"
      data-staff-id={tech.id}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        onDragOver(tech.id);
      }}
      onDragLeave={() => onDragLeave(tech.id)}
      onDrop={(e) => onDrop(e, tech)}
      style={{
        padding: '8px 4px',
        borderTop: `1px solid ${token.colorBorderSecondary}`,
        borderRadius: token.borderRadius,
        outline: active ? `2px dashed ${token.colorPrimary}` : undefined,
        background: active ? token.colorPrimaryBg : suggestion?.rank === 1 ? token.colorWarningBg : undefined,
      }}
    >
      <Flex vertical gap={2} style={{ width: INFO_WIDTH, flex: 'none', minWidth: 0 }}>
        <Flex justify="space-between" align="center" gap={4}>
          <Typography.Text strong ellipsis>
            {tech.name}
          </Typography.Text>
          {busy === `drop-${tech.id}` ? (
            <Spin size="small" />
          ) : (
            <Tag color={tech.load ? (tech.load >= 3 ? 'orange' : 'blue') : 'green'} data-testid="tech-load" style={{ marginInlineEnd: 0 }}>
              {tech.load === null ? '—' : t('dispatch.board.load', { count: tech.load })}
            </Tag>
          )}
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis data-testid="tech-team">
          {[tech.team_name, tech.centre].filter(Boolean).join(' · ') || '—'}
          {tech.centre && <EnvironmentOutlined style={{ marginInlineStart: 4 }} />}
        </Typography.Text>
        <Space size={[4, 4]} wrap>
          {(tech.skills ?? []).map((k) => (
            <Tag key={k} style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '18px', paddingInline: 4 }}>
              {skillLabel(k)}
            </Tag>
          ))}
        </Space>
        {suggestion && (
          <div data-testid="tech-suggestion" data-rank={suggestion.rank}>
            <Tag color={suggestion.rank === 1 ? 'gold' : 'default'} icon={suggestion.rank === 1 ? <TrophyOutlined /> : undefined} style={{ marginInlineEnd: 0 }}>
              {t('dispatch.timeline.rank', { rank: suggestion.rank, score: suggestion.score })}
            </Tag>
            <Typography.Paragraph type="secondary" style={{ fontSize: 11, margin: '2px 0 0' }} ellipsis={{ rows: 2, tooltip: true }}>
              {suggestion.reasons
                .filter((r) => (r.points ?? 0) !== 0)
                .map(reasonText)
                .join(intl.locale === 'zh-CN' ? '；' : '; ')}
            </Typography.Paragraph>
          </div>
        )}
      </Flex>
      <div
        data-testid="tech-timeline"
        style={{
          position: 'relative',
          flex: 1,
          minWidth: 240,
          height: count * LANE + 8,
          alignSelf: 'center',
          background: token.colorFillQuaternary,
          borderRadius: token.borderRadiusSM,
        }}
      >
        {ticks.map((tk) => (
          <div key={tk.at} style={{ position: 'absolute', left: `${tk.pct}%`, top: 0, bottom: 0, width: 1, background: token.colorBorderSecondary }} />
        ))}
        {tech.jobs.length === 0 && (
          <Typography.Text type="secondary" style={{ position: 'absolute', left: 8, top: 4, fontSize: 12 }}>
            {t('dispatch.timeline.noJobs')}
          </Typography.Text>
        )}
        {tech.jobs.map((j, i) => {
          const b = blocks[i];
          const risk = riskOf(j.row.sla_risk, j.row.next_due_at, now);
          const color = RISK_COLORS[risk === 'none' ? 'on_track' : risk];
          const working = WORKING.includes(j.row.state);
          return (
            <Tooltip
              key={j.row.id}
              title={
                <div>
                  <div>
                    <strong>{j.row.number}</strong> · {label('state', j.row.state)}
                  </div>
                  <div>{j.row.title}</div>
                  <div>
                    {t('dispatch.timeline.assigned', { time: hhmm(b.start) })}
                    {j.row.next_due_at ? ` · ${t('dispatch.timeline.due', { milestone: label('milestone', j.row.next_milestone), time: new Date(j.row.next_due_at).toLocaleString(intl.locale, { hour12: false }) })}` : ''}
                  </div>
                </div>
              }
            >
              <div
                data-testid="timeline-job"
                data-number={j.row.number}
                data-risk={risk}
                role="link"
                tabIndex={0}
                onClick={() => navigate(`/tickets/${j.row.id}`)}
                onKeyDown={(e) => e.key === 'Enter' && navigate(`/tickets/${j.row.id}`)}
                style={{
                  position: 'absolute',
                  left: `${b.left}%`,
                  width: `${b.width}%`,
                  top: 4 + lane[i] * LANE,
                  height: LANE - 4,
                  background: working ? color : `${color}33`,
                  color: working ? '#fff' : token.colorText,
                  border: `1px solid ${color}`,
                  borderLeftWidth: b.fromBefore ? 1 : 3,
                  borderRadius: 3,
                  fontSize: 11,
                  lineHeight: `${LANE - 6}px`,
                  paddingInline: 3,
                  overflow: 'hidden',
                  whiteSpace: 'nowrap',
                  cursor: 'pointer',
                }}
              >
                {b.fromBefore ? '‹ ' : ''}
                {j.row.number.slice(-4)} {j.row.title}
              </div>
            </Tooltip>
          );
        })}
        <div
          data-testid="timeline-now"
          title={t('dispatch.timeline.now')}
          style={{ position: 'absolute', left: `${pctOf(w, now)}%`, top: -2, bottom: -2, width: 2, background: token.colorError, opacity: 0.8 }}
        />
      </div>
    </Flex>
  );
}
