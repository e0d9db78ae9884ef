// Service requests (服务工单): types and endpoints of /api/v1/tickets and attachments.
import { API_BASE, ApiError, NetworkError, apiRequest, type Problem } from './client';
import type { Page } from './types';

export type Id = number;
export interface Ref {
  id: Id;
  name: string;
}

export interface TicketRow {
  id: Id;
  number: string;
  state: string;
  grade: string | null;
  nature: string | null;
  channel: string;
  title: string;
  customer: Ref | null;
  project: (Ref & { type?: string }) | null;
  asset: Ref | null;
  assignee: Ref | null;
  team: Ref | null;
  next_milestone: string | null;
  next_due_at: string | null;
  sla_risk: string;
  paused: boolean;
  reported_at: string;
  closed_at: string | null;
  version: number;
}

export interface Milestone {
  milestone: string;
  due_at: string | null;
  status: string;
  remaining_seconds: number | null;
  reached_at: string | null;
  target_seconds?: number;
  is_paused?: boolean;
  calendar?: string;
}

export interface LocalizedReason {
  code?: string;
  zh: string;
  en: string;
  points?: number;
}

export interface Suggestion {
  grade: string | null;
  nature: string | null;
  reasons: string[];
}

export interface DuplicateRef {
  id: Id;
  number: string;
  title: string;
  state?: string;
  score?: number;
  reported_at?: string;
}

export interface Attachment {
  id: Id;
  filename: string;
  content_type: string;
  size?: number;
  purpose?: string;
  created_at?: string;
}

export interface Visit {
  id?: Id;
  departed_at?: string | null;
  arrived_at?: string | null;
  left_at?: string | null;
  staff?: Ref[] | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface TicketDetail extends TicketRow {
  description: string;
  demand: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
  project: (Ref & { type?: string; address?: string; calendar?: string; time_zone?: string }) | null;
  allowed_actions: string[];
  assignees: (Ref & { lead?: boolean; staff_id?: Id })[];
  attachments: Attachment[];
  visits: Visit[];
  records: Record<string, Record<string, unknown>[]>;
  facts: Record<string, number | boolean>;
  cost: { bearing: string; reason_zh?: string; reason_en?: string; [k: string]: unknown } | null;
  warranty: { status: string; start?: string | null; end?: string | null; days_left?: number; source?: string } | null;
  sla: { grade: string | null; milestones: Milestone[]; paused?: boolean; pause_reason?: string | null } | null;
  suggestion: Suggestion | null;
  duplicate_of_id: Id | null;
  pause_reason: string | null;
  remote_site?: boolean;
}

export interface CreatedTicket extends TicketDetail {
  duplicates: DuplicateRef[];
  next_step: { milestone: string; due_at: string | null } | null;
}

export interface TimelineItem {
  id: Id;
  type: string;
  action: string | null;
  actor: string | null;
  actor_role: string | null;
  at: string;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  internal?: boolean;
  data?: Record<string, unknown>;
}

export interface DispatchTech {
  staff_id: Id;
  name: string;
  score: number;
  team_id?: Id | null;
  team_name?: string | null;
  reasons: LocalizedReason[];
}

export interface DispatchSuggestions {
  team_id: Id | null;
  team_name: string | null;
  team_reasons: LocalizedReason[];
  technicians: DispatchTech[];
  required_skills: string[];
}

export interface AssetNode {
  id: Id;
  name: string;
  kind?: string;
  category?: string;
  children?: AssetNode[];
}

export interface IntakeBody {
  project_id: Id;
  asset_id?: Id;
  channel: string;
  title: string;
  description: string;
  demand?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
  grade?: string;
  nature?: string;
  duplicate_of_id?: Id;
  attachment_ids?: Id[];
}

export type TicketQuery = Record<string, string | number | boolean | undefined>;

export const ticketApi = {
  list: (query: TicketQuery, signal?: AbortSignal) => apiRequest<Page<TicketRow>>('/tickets', { query, signal }),
  get: (id: Id | string, signal?: AbortSignal) => apiRequest<TicketDetail>(`/tickets/${id}`, { signal }),
  timeline: (id: Id | string, signal?: AbortSignal) =>
    apiRequest<{ items: TimelineItem[] }>(`/tickets/${id}/timeline`, { signal }),
  attachments: (id: Id | string, signal?: AbortSignal) =>
    apiRequest<{ items: Attachment[] }>(`/tickets/${id}/attachments`, { signal }),
  suggest: (body: { project_id: Id; asset_id?: Id; title?: string; description?: string }, signal?: AbortSignal) =>
    apiRequest<{ suggestion: Suggestion | null; duplicates: DuplicateRef[] }>('/tickets/suggest', {
      method: 'POST',
      body,
      signal,
    }),
  create: (body: IntakeBody, idempotencyKey: string) =>
    apiRequest<CreatedTicket>('/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }),
  action: (id: Id | string, action: string, data: Record<string, unknown>) =>
    apiRequest<TicketDetail>(`/tickets/${id}/actions/${action}`, { method: 'POST', body: data }),
  dispatchSuggestions: (id: Id | string, signal?: AbortSignal) =>
    apiRequest<DispatchSuggestions>(`/tickets/${id}/dispatch-suggestions`, { signal }),
  assetTree: (projectId: Id | string, signal?: AbortSignal) =>
    apiRequest<{ nodes: AssetNode[] }>(`/projects/${projectId}/asset-tree`, { signal }),
};

export const attachmentUrl = (id: Id) => `${API_BASE}/attachments/${id}/content`;

/** Upload a file as the raw request body (POST /attachments); answers the stored attachment. */
export async function uploadAttachment(
  file: Blob & { name?: string },
  opts: { purpose: string; ticketId?: Id; filename?: string },
): Promise<Attachment> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Content-Type': file.type || 'application/octet-stream',
    'X-Filename': encodeURIComponent(opts.filename ?? file.name ?? 'file'),
    'X-Purpose': opts.purpose,
  };
  if (opts.ticketId !== undefined) headers['X-Ticket-Id'] = String(opts.ticketId);
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/attachments`, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch (e) {
    throw new NetworkError(e);
  }
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, (data as Problem) ?? { status: res.status, title: res.statusText });
  return data as Attachment;
}
