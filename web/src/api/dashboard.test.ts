import { describe, expect, it } from 'vitest';
import { AGEING_BUCKETS, isEmptyDashboard, monthRange, normalizeDashboard, openTotal, toPercent } from './dashboard';

const FIXTURE = {
  from: '2026-11-01T00:00:00Z',
  to: '2026-12-01T00:00:00Z',
  open_by_grade: [{ grade: 'emergency', count: 3 }, { grade: 'simple', count: 4 }],
  open_by_state: [{ state: 'dispatched', count: 5 }, { state: 'on_site', count: 2 }],
  sla_by_grade: [{ grade: 'simple', total: 10, breached: 2, compliance: 0.8 }, { grade: 'complex', total: 0, breached: 0, compliance: null }],
  sla_by_team: [{ team_id: 1, team: '机电维保一组', total: 7, breached: 1, compliance: 0.857 }],
  backlog_ageing: [{ bucket: 'gt_30d', count: 1 }, { bucket: 'lt_1d', count: 2 }],
  top_natures: [{ nature: 'hvac', count: 4 }],
  top_locations: [{ asset_id: 12, asset: '精密空调 1#', project: '张江数据中心', count: 3 }],
  satisfaction: { answers: 4, response_speed: 4.5, attitude: 4.75, competence: 4.25, effectiveness: 4.0, communication: null },
  resolution_rate: 0.82,
  reported: 40,
  resolved: 33,
};

describe('dashboard data', () => {
  it('keeps the server answer and fills the ageing buckets in order', () => {
    const d = normalizeDashboard(FIXTURE);
    expect(openTotal(d)).toBe(7);
    expect(d.backlog_ageing.map((b) => b.bucket)).toEqual([...AGEING_BUCKETS]);
    expect(d.backlog_ageing.map((b) => b.count)).toEqual([2, 0, 0, 0, 1]);
    expect(d.sla_by_grade[1].compliance).toBeNull();
    expect(d.satisfaction.communication).toBeNull();
    expect(d.satisfaction.attitude).toBe(4.75);
    expect(d.resolution_rate).toBe(0.82);
    expect(isEmptyDashboard(d)).toBe(false);
  });

  it('tolerates a missing or partial answer', () => {
    const d = normalizeDashboard({ reported: 0 });
    expect(d.open_by_grade).toEqual([]);
    expect(d.satisfaction.answers).toBe(0);
    expect(d.resolution_rate).toBeNull();
    expect(isEmptyDashboard(d)).toBe(true);
    expect(isEmptyDashboard(normalizeDashboard(null))).toBe(true);
  });

  it('formats ratios as percent', () => {
    expect(toPercent(0.857)).toBe(85.7);
    expect(toPercent(1)).toBe(100);
    expect(toPercent(null)).toBeNull();
  });

  it('gives the calendar month as [from, to)', () => {
    const { from, to } = monthRange(new Date(2026, 1, 15));
    expect(new Date(from).getMonth()).toBe(1);
    expect(new Date(from).getDate()).toBe(1);
    expect(new Date(to).getMonth()).toBe(2);
    expect(new Date(to).getDate()).toBe(1);
    expect(monthRange(new Date(2026, 11, 3)).to).toBe(new Date(2027, 0, 1).toISOString());
  });
});
