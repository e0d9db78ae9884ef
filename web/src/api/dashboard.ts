// Manager dashboard 工作台: one endpoint, GET /api/v1/dashboard?from=&to= (default: the current month).
import { apiRequest } from './client';

export interface GradeCount { grade: string; count: number }
export interface StateCount { state: string; count: number }
export interface SlaRow { total: number; breached: number; compliance: number | null }
export interface SlaByGrade extends SlaRow { grade: string }
export interface SlaByTeam extends SlaRow { team_id: number | null; team: string | null }
export interface BucketCount { bucket: string; count: number }
export interface NatureCount { nature: string; count: number }
export interface LocationCount { asset_id: number | null; asset: string | null; project: string | null; count: number }
export interface Satisfaction {
  answers: number;
  response_speed: number | null;
  attitude: number | null;
  competence: number | null;
  effectiveness: number | null;
  communication: number | null;
}

export interface Dashboard {
  from: string;
  to: string;
  open_by_grade: GradeCount[];
  open_by_state: StateCount[];
  sla_by_grade: SlaByGrade[];
  sla_by_team: SlaByTeam[];
  backlog_ageing: BucketCount[];
  top_natures: NatureCount[];
  top_locations: LocationCount[];
  satisfaction: Satisfaction;
  resolution_rate: number | null;
  reported: number;
  resolved: number;
}

export const AGEING_BUCKETS = ['lt_1d', '1_3d', '3_7d', '7_30d', 'gt_30d'] as const;
export const SATISFACTION_DIMENSIONS = ['response_speed', 'attitude', 'competence', 'effectiveness', 'communication'] as const;

const arr = <T,>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Defensive copy of the server answer: missing lists become empty, missing numbers 0 / null. */
export function normalizeDashboard(raw: unknown): Dashboard {
  const d = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const s = (d.satisfaction && typeof d.satisfaction === 'object' ? d.satisfaction : {}) as Record<string, unknown>;
  const byBucket = new Map(arr<BucketCount>(d.backlog_ageing).map((b) => [b.bucket, num(b.count)]));
  return {
    from: String(d.from ?? ''),
    to: String(d.to ?? ''),
    open_by_grade: arr<GradeCount>(d.open_by_grade).map((r) => ({ grade: String(r.grade), count: num(r.count) })),
    open_by_state: arr<StateCount>(d.open_by_state).map((r) => ({ state: String(r.state), count: num(r.count) })),
    sla_by_grade: arr<SlaByGrade>(d.sla_by_grade).map((r) => ({
      grade: String(r.grade), total: num(r.total), breached: num(r.breached), compliance: numOrNull(r.compliance),
    })),
    sla_by_team: arr<SlaByTeam>(d.sla_by_team).map((r) => ({
      team_id: r.team_id ?? null, team: r.team ?? null, total: num(r.total), breached: num(r.breached), compliance: numOrNull(r.compliance),
    })),
    // always the five buckets, in order, so the chart's axis never changes shape
    backlog_ageing: AGEING_BUCKETS.map((bucket) => ({ bucket, count: byBucket.get(bucket) ?? 0 })),
    top_natures: arr<NatureCount>(d.top_natures).map((r) => ({ nature: String(r.nature), count: num(r.count) })),
    top_locations: arr<LocationCount>(d.top_locations).map((r) => ({
      asset_id: r.asset_id ?? null, asset: r.asset ?? null, project: r.project ?? null, count: num(r.count),
    })),
    satisfaction: {
      answers: num(s.answers),
      response_speed: numOrNull(s.response_speed),
      attitude: numOrNull(s.attitude),
      competence: numOrNull(s.competence),
      effectiveness: numOrNull(s.effectiveness),
      communication: numOrNull(s.communication),
    },
    resolution_rate: numOrNull(d.resolution_rate),
    reported: num(d.reported),
    resolved: num(d.resolved),
  };
}

/** Total open requests (sum over grades). */
export function openTotal(d: Dashboard): number {
  return d.open_by_grade.reduce((n, r) => n + r.count, 0);
}

/** Nothing at all to show for the period (fresh install, empty month). */
export function isEmptyDashboard(d: Dashboard): boolean {
  return (
    openTotal(d) === 0 &&
    d.reported === 0 &&
    d.satisfaction.answers === 0 &&
    d.sla_by_grade.every((r) => r.total === 0) &&
    d.top_natures.length === 0
  );
}

/** Ratio 0..1 → percent rounded to 0.1, or null. */
export function toPercent(ratio: number | null | undefined): number | null {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return null;
  return Math.round(ratio * 1000) / 10;
}

/** [from, to) of the calendar month containing `month` (local time), as ISO strings. */
export function monthRange(month: Date): { from: string; to: string } {
  const from = new Date(month.getFullYear(), month.getMonth(), 1);
  const to = new Date(month.getFullYear(), month.getMonth() + 1, 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

export const dashboardApi = {
  get: (range: { from: string; to: string }, signal?: AbortSignal) =>
    apiRequest<unknown>('/dashboard', { query: range, signal }).then(normalizeDashboard),
};
