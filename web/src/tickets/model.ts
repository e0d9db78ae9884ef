// Service request vocabulary and pure helpers (no React): enum lists as the server names them,
// countdown formatting and risk colours, plain-words progress for customers. Unit-tested.

export const STATES = [
  'intake', 'triaged', 'responded', 'dispatched', 'en_route', 'on_site', 'diagnosed',
  'plan_review', 'plan_approval', 'plan_chief_approval', 'plan_approved', 'plan_confirmed',
  'in_repair', 'self_checked', 'internally_accepted', 'rework', 'resolved', 'closed',
  'archived', 'cancelled',
] as const;

export const GRADES = ['emergency', 'consultation', 'simple', 'medium', 'complex', 'general_defect', 'feedback', 'complaint'] as const;

export const NATURES = [
  'structural_safety', 'deformation', 'loose_connection', 'coating_damage', 'leakage',
  'hardware_damage', 'electrical', 'hvac', 'plumbing', 'fire_safety', 'equipment_failure',
  'consultation', 'other',
] as const;

export const CHANNELS = ['hotline', 'portal', 'email', 'wechat', 'api', 'monitoring', 'maintenance_plan'] as const;
export const SLA_RISKS = ['breached', 'at_risk', 'on_track'] as const;
export const MILESTONES = ['acknowledge', 'respond', 'propose_solution', 'depart', 'arrive_on_site', 'resolve', 'first_opinion'] as const;
export const MILESTONE_STATUSES = ['pending', 'met', 'breached'] as const;
export const CAUSES = [
  'design', 'material', 'construction', 'installation', 'improper_use_or_maintenance',
  'environment', 'force_majeure', 'unknown',
] as const;
export const SEVERITIES = ['minor', 'moderate', 'major', 'critical'] as const;
export const CONTACT_METHODS = ['phone', 'sms', 'wechat', 'email', 'visit'] as const;
export const PAUSE_REASONS = ['waiting_customer', 'waiting_parts', 'customer_requested', 'other'] as const;
export const COST_BEARINGS = ['free', 'at_cost', 'paid', 'disputed'] as const;
export const WARRANTY_STATUSES = ['in_warranty', 'expired', 'not_started', 'unknown'] as const;

export const ACTIONS = [
  'acknowledge', 'triage', 'regrade', 'contact_customer', 'answer_consultation', 'remote_fix',
  'dispatch', 'reassign', 'depart', 'arrive', 'leave_site', 'record_diagnosis', 'submit_plan',
  'review_plan', 'reject_plan', 'approve_plan', 'chief_approve_plan', 'confirm_plan',
  'customer_reject_plan', 'start_repair', 'change_plan', 'complete_self_check',
  'internal_accept', 'internal_reject', 'customer_accept', 'customer_reject', 'close',
  'archive', 'reopen', 'cancel', 'pause', 'resume',
] as const;

/** Actions that undo or stop work: shown as danger buttons. */
export const DANGER_ACTIONS: readonly string[] = [
  'cancel', 'reject_plan', 'customer_reject_plan', 'internal_reject', 'customer_reject',
];

export const OPEN_STATES: readonly string[] = STATES.filter((s) => !['resolved', 'closed', 'archived', 'cancelled'].includes(s));

export type Risk = 'breached' | 'at_risk' | 'on_track' | 'none';

/** Colour of a clock: red breached, orange at risk, green on track (live: past due is breached). */
export function riskOf(serverRisk: string | null | undefined, dueAt: string | null | undefined, now: number): Risk {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 'none';
  if (due <= now) return 'breached';
  if (serverRisk === 'breached' || serverRisk === 'at_risk') return 'at_risk';
  return 'on_track';
}

export const RISK_COLORS: Record<Risk, string> = {
  breached: '#cf1322',
  at_risk: '#d46b08',
  on_track: '#389e0d',
  none: 'rgba(0,0,0,0.45)',
};

export const GRADE_COLORS: Record<string, string> = {
  emergency: 'red',
  complex: 'volcano',
  medium: 'orange',
  simple: 'gold',
  general_defect: 'cyan',
  consultation: 'blue',
  feedback: 'geekblue',
  complaint: 'magenta',
};

/**
 * A signed duration as "1d 02:03:04" / "02:03:04" / "-00:05:00" (negative = overdue).
 * Days are shown only when there are some.
 */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.floor(Math.abs(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${d > 0 ? `${d}d ` : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Seconds from now to `dueAt` (negative when past). */
export function secondsUntil(dueAt: string, now: number): number {
  return Math.round((Date.parse(dueAt) - now) / 1000);
}

/** The customer's view of the state: a handful of plain steps instead of twenty states. */
export type CustomerStage = 'received' | 'scheduled' | 'onSite' | 'planning' | 'repairing' | 'acceptance' | 'done' | 'cancelled';

export const CUSTOMER_STAGES: readonly CustomerStage[] = ['received', 'scheduled', 'onSite', 'planning', 'repairing', 'acceptance', 'done'];

export function customerStage(state: string): CustomerStage {
  switch (state) {
    case 'intake':
    case 'triaged':
    case 'responded':
      return 'received';
    case 'dispatched':
    case 'en_route':
      return 'scheduled';
    case 'on_site':
    case 'diagnosed':
      return 'onSite';
    case 'plan_review':
    case 'plan_approval':
    case 'plan_chief_approval':
    case 'plan_approved':
      return 'planning';
    case 'plan_confirmed':
    case 'in_repair':
    case 'self_checked':
    case 'rework':
      return 'repairing';
    case 'internally_accepted':
      return 'acceptance';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'done';
  }
}

/** Flatten an asset tree into antd TreeSelect data (title, value, children). */
export interface TreeOption {
  title: string;
  value: number;
  children?: TreeOption[];
}
export function toTreeOptions(nodes: readonly { id: number; name: string; children?: readonly unknown[] }[] | undefined): TreeOption[] {
  return (nodes ?? []).map((n) => {
    const children = toTreeOptions(n.children as { id: number; name: string; children?: unknown[] }[] | undefined);
    return children.length ? { title: n.name, value: n.id, children } : { title: n.name, value: n.id };
  });
}

/** A new Idempotency-Key for one intake attempt (kept across retries of that attempt). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `k-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Antd form field errors from a problem+json `errors[]` (field paths like `measurements[0].value`). */
export function fieldErrorsFor(errors: readonly { field: string; message?: string; rule?: string }[]): {
  name: (string | number)[];
  errors: string[];
}[] {
  const byField = new Map<string, string[]>();
  for (const e of errors) {
    const list = byField.get(e.field) ?? [];
    list.push(e.message || e.rule || 'invalid');
    byField.set(e.field, list);
  }
  return [...byField].map(([field, errs]) => ({
    name: field
      .split(/[.[\]]/)
      .filter((p) => p !== '')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    errors: errs,
  }));
}

/**
 * The action buttons to show: exactly the server's allowed_actions, except that the server
 * (as of this writing) leaves `dispatch` out of allowed_actions for a request in `responded`
 * — its has_assignee guard is evaluated before anyone is chosen — although POST …/actions/dispatch
 * accepts it from a dispatcher or service manager. Added back here until the server lists it.
 */
export function visibleActions(state: string, allowed: readonly string[] | undefined, role: string | undefined): string[] {
  const out = [...(allowed ?? [])];
  if (state === 'responded' && role && ['dispatcher', 'service_manager'].includes(role) && !out.includes('dispatch')) out.unshift('dispatch');
  return out;
}
