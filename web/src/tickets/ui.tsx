// Small shared pieces of the service-request pages: live clock, countdown, tags, enum labels.
import { useEffect, useState } from 'react';
import { Tag, Tooltip, Typography } from 'antd';
import { ClockCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useIntl } from 'react-intl';
import { formatDuration, GRADE_COLORS, riskOf, RISK_COLORS, secondsUntil } from './model';

const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, re-rendering every second (one shared interval for the whole page). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    listeners.add(setNow);
    if (!timer) timer = setInterval(() => { const t = Date.now(); listeners.forEach((l) => l(t)); }, 1000);
    return () => {
      listeners.delete(setNow);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return now;
}

/** `ticket.grade.emergency`-style label, or the raw code when the id is unknown. */
export function useEnumLabel() {
  const intl = useIntl();
  return (area: string, value: string | null | undefined): string => {
    if (!value) return intl.formatMessage({ id: 'common.value.none' });
    const id = `ticket.${area}.${value}`;
    return intl.messages[id] ? intl.formatMessage({ id }) : value;
  };
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dayjs(iso).format('YYYY-MM-DD HH:mm');
}

export function GradeTag({ grade }: { grade: string | null | undefined }) {
  const label = useEnumLabel();
  if (!grade) return <Typography.Text type="secondary">{label('grade', null)}</Typography.Text>;
  return <Tag color={GRADE_COLORS[grade] ?? 'default'}>{label('grade', grade)}</Tag>;
}

const STATE_COLORS: Record<string, string> = {
  intake: 'default', resolved: 'green', closed: 'green', archived: 'default', cancelled: 'default', rework: 'orange',
};

export function StateTag({ state }: { state: string }) {
  const label = useEnumLabel();
  return (
    <Tag color={STATE_COLORS[state] ?? 'processing'} data-testid="state-tag" data-state={state}>
      {label('state', state)}
    </Tag>
  );
}

/** Live countdown to `dueAt`, coloured green / orange / red by risk. */
export function Countdown({ dueAt, risk, paused, milestone }: { dueAt: string | null; risk?: string | null; paused?: boolean; milestone?: string | null }) {
  const now = useNow();
  const intl = useIntl();
  const label = useEnumLabel();
  if (!dueAt) return <Typography.Text type="secondary">—</Typography.Text>;
  const r = riskOf(risk, dueAt, now);
  const secs = secondsUntil(dueAt, now);
  return (
    <Tooltip title={`${milestone ? `${label('milestone', milestone)} · ` : ''}${intl.formatMessage({ id: 'ticket.list.dueAt' })} ${formatTime(dueAt)}`}>
      <span data-testid="countdown" data-risk={r} style={{ color: RISK_COLORS[r], fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontWeight: 500 }}>
        {paused ? <PauseCircleOutlined /> : <ClockCircleOutlined />} {formatDuration(secs)}
      </span>
    </Tooltip>
  );
}
