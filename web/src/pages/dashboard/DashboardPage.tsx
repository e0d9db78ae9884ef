// Manager dashboard 工作台: statistic cards and charts for one calendar month, from GET /api/v1/dashboard.
// Roles: admin, service manager, dispatcher, tech lead, quality inspector, project manager.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Col, DatePicker, Empty, Flex, Result, Row, Skeleton, Space, Statistic, Table, Typography, theme } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useIntl } from 'react-intl';
import { ApiError } from '../../api/client';
import { describeError } from '../../api/errors';
import {
  dashboardApi,
  isEmptyDashboard,
  monthRange,
  openTotal,
  SATISFACTION_DIMENSIONS,
  toPercent,
  type Dashboard,
  type LocationCount,
  type SlaRow,
} from '../../api/dashboard';
import { useEnumLabel } from '../../tickets/ui';
import { GRADE_COLORS } from '../../tickets/model';
import { EChart, type ChartOption } from './EChart';

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ok'; data: Dashboard }
  | { kind: 'unavailable' }
  | { kind: 'error'; message: string };

function ChartCard({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card title={title} size="small" data-testid={testId} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

const NoData = ({ text }: { text: string }) => (
  <Flex align="center" justify="center" style={{ height: 280 }}>
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />
  </Flex>
);

export default function DashboardPage() {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const label = useEnumLabel();
  const gradeLabel = (g: string) => (g === 'ungraded' ? t('dashboard.chart.ungraded') : label('grade', g));
  const { token } = theme.useToken();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<LoadState>({ kind: 'loading' });

  useEffect(() => {
    const ac = new AbortController();
    setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }));
    dashboardApi
      .get(monthRange(month.toDate()), ac.signal)
      .then((data) => setState({ kind: 'ok', data }))
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        // 404 (endpoint not there yet) or the SPA fallback answering with HTML: a friendly empty state
        if (e instanceof ApiError && (e.status === 404 || e.status === 200 || e.status === 501)) {
          setState({ kind: 'unavailable' });
          return;
        }
        const d = describeError(e);
        setState({ kind: 'error', message: d ? intl.formatMessage({ id: d.id }, d.values) : String(e) });
      });
    return () => ac.abort();
  }, [month, tick, intl]);

  const data = state.kind === 'ok' ? state.data : null;
  const pct = (r: number | null) => (r === null ? '—' : `${toPercent(r)}%`);

  const charts = useMemo(() => {
    if (!data) return null;
    const axisLabel = { color: token.colorTextSecondary, fontFamily: token.fontFamily };
    const grid = { left: 8, right: 16, top: 16, bottom: 8, containLabel: true };
    const countTip = { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };

    const byGrade: ChartOption = {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '50%'],
          label: { formatter: '{b}: {c}', color: token.colorText },
          data: data.open_by_grade.map((r) => ({
            name: gradeLabel(r.grade),
            value: r.count,
            itemStyle: GRADE_COLORS[r.grade] ? { color: gradeColor(GRADE_COLORS[r.grade]) } : undefined,
          })),
        },
      ],
    };

    const byState: ChartOption = {
      tooltip: countTip,
      grid,
      xAxis: { type: 'category', data: data.open_by_state.map((r) => label('state', r.state)), axisLabel: { ...axisLabel, interval: 0, rotate: data.open_by_state.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel },
      series: [{ type: 'bar', name: t('dashboard.chart.count'), data: data.open_by_state.map((r) => r.count), itemStyle: { color: token.colorPrimary }, barMaxWidth: 36 }],
    };

    const slaBar = (names: string[], rows: SlaRow[]): ChartOption => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const p = (Array.isArray(params) ? params[0] : params) as { dataIndex: number; name: string };
          const r = rows[p.dataIndex];
          return `${p.name}<br/>${t('dashboard.chart.compliance')}: ${pct(r.compliance)}<br/>${t('dashboard.chart.slaTooltip', { total: r.total, breached: r.breached })}`;
        },
      },
      grid,
      xAxis: { type: 'category', data: names, axisLabel: { ...axisLabel, interval: 0, rotate: names.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          name: t('dashboard.chart.compliance'),
          barMaxWidth: 36,
          label: { show: true, position: 'top', formatter: (p: { value: unknown }) => (p.value === null || p.value === undefined || p.value === '-' ? '—' : `${p.value}%`), color: token.colorTextSecondary },
          data: rows.map((r) => {
            const v = toPercent(r.compliance);
            return {
              value: v ?? '-',
              itemStyle: { color: v === null ? token.colorFillSecondary : v >= 90 ? token.colorSuccess : v >= 70 ? token.colorWarning : token.colorError },
            };
          }),
        },
      ],
    });

    const ageing: ChartOption = {
      tooltip: countTip,
      grid,
      xAxis: { type: 'category', data: data.backlog_ageing.map((b) => t(`dashboard.ageing.age_${b.bucket}`)), axisLabel },
      yAxis: { type: 'value', minInterval: 1, axisLabel },
      series: [
        {
          type: 'bar',
          name: t('dashboard.chart.count'),
          barMaxWidth: 40,
          data: data.backlog_ageing.map((b, i) => ({
            value: b.count,
            itemStyle: { color: [token.colorSuccess, token.colorPrimary, token.colorWarning, '#fa8c16', token.colorError][i] },
          })),
        },
      ],
    };

    const natures = [...data.top_natures].reverse();
    const topNatures: ChartOption = {
      tooltip: countTip,
      // fixed label column: the canvas measures text before the web font's CJK subset is in
      grid: { left: 104, right: 32, top: 8, bottom: 24, containLabel: false },
      xAxis: { type: 'value', minInterval: 1, axisLabel },
      yAxis: { type: 'category', data: natures.map((r) => label('nature', r.nature)), axisLabel: { ...axisLabel, width: 96, overflow: 'truncate' } },
      series: [{ type: 'bar', name: t('dashboard.chart.count'), data: natures.map((r) => r.count), itemStyle: { color: '#13c2c2' }, barMaxWidth: 22, label: { show: true, position: 'right' } }],
    };

    const s = data.satisfaction;
    const satisfaction: ChartOption = {
      tooltip: { trigger: 'item' },
      radar: {
        center: ['50%', '52%'],
        radius: '65%',
        indicator: SATISFACTION_DIMENSIONS.map((d) => ({ name: t(`survey.dimension.${d}`), min: 0, max: 5 })),
        axisName: { color: token.colorTextSecondary },
        splitNumber: 5,
      },
      series: [
        {
          type: 'radar',
          name: t('dashboard.chart.satisfaction'),
          data: [{ value: SATISFACTION_DIMENSIONS.map((d) => s[d] ?? 0), name: t('dashboard.stat.answers'), areaStyle: { opacity: 0.25 } }],
          itemStyle: { color: token.colorPrimary },
        },
      ],
    };

    return {
      byGrade,
      byState,
      slaGrade: slaBar(data.sla_by_grade.map((r) => gradeLabel(r.grade)), data.sla_by_grade),
      slaTeam: slaBar(data.sla_by_team.map((r) => r.team ?? t('dashboard.chart.noTeam')), data.sla_by_team),
      ageing,
      topNatures,
      satisfaction,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, intl.locale, token]);

  const picker = (
    <Space wrap>
      <Typography.Text type="secondary">{t('dashboard.page.month')}</Typography.Text>
      <DatePicker
        picker="month"
        value={month}
        allowClear={false}
        disabledDate={(d) => d.isAfter(dayjs().endOf('month'))}
        onChange={(d) => d && setMonth(d.startOf('month'))}
        data-testid="dashboard-month"
      />
      <Button icon={<ReloadOutlined />} onClick={() => setTick((n) => n + 1)} aria-label={t('dashboard.page.refresh')} />
    </Space>
  );

  const header = (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('dashboard.page.title')}
      </Typography.Title>
      {picker}
    </Flex>
  );

  if (state.kind === 'loading') {
    return (
      <div>
        {header}
        <Skeleton active paragraph={{ rows: 10 }} />
      </div>
    );
  }
  if (state.kind === 'unavailable') {
    return (
      <div>
        {header}
        <Result status="info" title={t('dashboard.page.unavailable')} subTitle={t('dashboard.page.unavailableHint')} data-testid="dashboard-unavailable" />
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <div>
        {header}
        <Result status="warning" title={state.message} extra={<Button onClick={() => setTick((n) => n + 1)}>{t('dashboard.page.refresh')}</Button>} />
      </div>
    );
  }

  const d = state.data;
  const noData = t('dashboard.page.noData');
  const avg = (() => {
    const vals = SATISFACTION_DIMENSIONS.map((k) => d.satisfaction[k]).filter((v): v is number => v !== null);
    return vals.length ? (vals.reduce((a, b) => a + b, 0) / vals.length).toFixed(2) : null;
  })();
  const anyCompliance = (rows: SlaRow[]) => rows.some((r) => r.total > 0);

  return (
    <div data-testid="dashboard-page">
      {header}
      {isEmptyDashboard(d) && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Empty description={t('dashboard.page.empty')} />
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stat.open')} value={openTotal(d)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stat.reported')} value={d.reported} />
            <Typography.Text type="secondary">{t('dashboard.stat.resolved', { count: d.resolved })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stat.resolutionRate')} value={toPercent(d.resolution_rate) ?? '—'} suffix={d.resolution_rate === null ? undefined : '%'} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stat.answers')} value={d.satisfaction.answers} />
            {avg && <Typography.Text type="secondary">{t('dashboard.stat.avgScore', { score: avg })}</Typography.Text>}
          </Card>
        </Col>

        <Col xs={24} lg={10}>
          <ChartCard title={t('dashboard.chart.openByGrade')} testId="chart-open-by-grade">
            {d.open_by_grade.length ? <EChart option={charts!.byGrade} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>
        <Col xs={24} lg={14}>
          <ChartCard title={t('dashboard.chart.openByState')} testId="chart-open-by-state">
            {d.open_by_state.length ? <EChart option={charts!.byState} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>

        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.slaByGrade')} testId="chart-sla-by-grade">
            {anyCompliance(d.sla_by_grade) ? <EChart option={charts!.slaGrade} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.slaByTeam')} testId="chart-sla-by-team">
            {anyCompliance(d.sla_by_team) ? <EChart option={charts!.slaTeam} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>

        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.backlogAgeing')} testId="chart-backlog-ageing">
            <EChart option={charts!.ageing} />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.satisfaction')} testId="chart-satisfaction">
            {d.satisfaction.answers > 0 ? <EChart option={charts!.satisfaction} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>

        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.topNatures')} testId="chart-top-natures">
            {d.top_natures.length ? <EChart option={charts!.topNatures} /> : <NoData text={noData} />}
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.chart.topLocations')} testId="chart-top-locations">
            <Table<LocationCount>
              size="small"
              pagination={false}
              rowKey={(r) => `${r.asset_id ?? 'x'}-${r.asset ?? ''}-${r.project ?? ''}`}
              dataSource={d.top_locations}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={noData} /> }}
              columns={[
                { title: t('dashboard.col.asset'), dataIndex: 'asset', render: (v: string | null) => v ?? '—' },
                { title: t('dashboard.col.project'), dataIndex: 'project', render: (v: string | null) => v ?? '—' },
                { title: t('dashboard.col.count'), dataIndex: 'count', align: 'right', width: 80 },
              ]}
            />
          </ChartCard>
        </Col>
      </Row>
    </div>
  );
}

/** GRADE_COLORS holds antd tag colour names; map them to hex for ECharts. */
function gradeColor(name: string): string {
  const map: Record<string, string> = {
    red: '#f5222d', volcano: '#fa541c', orange: '#fa8c16', gold: '#faad14', yellow: '#fadb14', lime: '#a0d911',
    green: '#52c41a', cyan: '#13c2c2', blue: '#1677ff', geekblue: '#2f54eb', purple: '#722ed1', magenta: '#eb2f96', default: '#8c8c8c',
  };
  return map[name] ?? (name.startsWith('#') ? name : '#1677ff');
}
