import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Empty, Flex, List, Segmented, Space, Spin, Typography } from 'antd';
import { EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router';
import { listApi } from '../../api/endpoints';
import { ticketApi, type TicketRow } from '../../api/tickets';
import { describeError } from '../../api/errors';
import { useAuth } from '../../auth/AuthProvider';
import { Countdown, GradeTag, StateTag } from '../../tickets/ui';

const REFRESH_MS = 30_000;
const FIELD_STATES = 'dispatched,en_route,on_site,diagnosed,plan_review,plan_approval,plan_chief_approval,plan_approved,plan_confirmed,in_repair,self_checked,rework';

/** 我的任务: the logged-in technician's open jobs, soonest due first, as big tappable cards. */
export default function TechJobsPage() {
  const intl = useIntl();
  const t = (id: string, v?: Record<string, string | number>) => intl.formatMessage({ id }, v);
  const { user } = useAuth();
  const navigate = useNavigate();
  const [staffId, setStaffId] = useState<number | null | undefined>(undefined);
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [items, setItems] = useState<TicketRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  // the staff row of this user (staff.user_id = user.id)
  useEffect(() => {
    if (!user) return;
    const ac = new AbortController();
    listApi
      .staff({ limit: 1, offset: 0, user_id: String(user.id) }, ac.signal)
      .then((p) => setStaffId(p.items[0] ? Number(p.items[0].id) : null))
      .catch(() => !ac.signal.aborted && setStaffId(null));
    return () => ac.abort();
  }, [user]);

  const load = useCallback(
    (signal: AbortSignal) => {
      const mine = scope === 'mine' && staffId;
      return ticketApi.list(
        { open: true, sort: 'next_due_at', limit: 50, offset: 0, ...(mine ? { assignee_staff_id: staffId } : { state: FIELD_STATES }) },
        signal,
      );
    },
    [scope, staffId],
  );

  useEffect(() => {
    if (staffId === undefined) return;
    const ac = new AbortController();
    if (tick === 0) setLoading(true);
    load(ac.signal)
      .then((p) => {
        setItems(p.items);
        setError(null);
        setLoading(false);
      })
      .catch((e) => {
        if (ac.signal.aborted) return;
        setLoading(false);
        const d = describeError(e);
        setError(d ? intl.formatMessage({ id: d.id }, d.values) : null);
      });
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load, tick, staffId]);

  useEffect(() => {
    const h = setInterval(() => setTick((x) => x + 1), REFRESH_MS);
    return () => clearInterval(h);
  }, []);

  return (
    <div data-testid="tech-jobs" style={{ maxWidth: 640, margin: '0 auto' }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('tech.jobs.title')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => setTick((x) => x + 1)} aria-label={t('common.list.refresh')} />
      </Flex>
      <Segmented
        block
        value={scope}
        onChange={(v) => setScope(v as 'mine' | 'all')}
        options={[
          { value: 'mine', label: t('tech.jobs.mine') },
          { value: 'all', label: t('tech.jobs.team') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {staffId === null && scope === 'mine' && <Alert type="info" showIcon message={t('tech.jobs.noStaff')} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {loading ? (
        <Flex justify="center" style={{ padding: 32 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty description={t('tech.jobs.empty')} />
      ) : (
        <List
          dataSource={items}
          split={false}
          renderItem={(r) => (
            <Card
              size="small"
              hoverable
              style={{ marginBottom: 12 }}
              onClick={() => navigate(`/jobs/${r.id}`)}
              data-testid="job-card"
              data-number={r.number}
            >
              <Flex justify="space-between" align="start" gap={8}>
                <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.number}
                  </Typography.Text>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {r.title}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    <EnvironmentOutlined /> {r.project?.name}
                    {r.asset ? ` · ${r.asset.name}` : ''}
                  </Typography.Text>
                </Space>
                <Space direction="vertical" size={4} align="end">
                  <StateTag state={r.state} />
                  <GradeTag grade={r.grade} />
                </Space>
              </Flex>
              {r.next_due_at && (
                <div style={{ marginTop: 8 }}>
                  <Countdown dueAt={r.next_due_at} risk={r.sla_risk} paused={r.paused} milestone={r.next_milestone} />
                </div>
              )}
            </Card>
          )}
        />
      )}
    </div>
  );
}
