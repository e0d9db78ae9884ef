// Follow-up rounds (回访) of a closed request and their survey links:
// GET /api/v1/tickets/{id}/follow-ups, POST /api/v1/follow-ups/{id}/send-survey.
import { apiRequest } from './client';
import type { Id } from './tickets';

export interface FollowUpSurvey {
  response_speed?: number;
  attitude?: number;
  competence?: number;
  effectiveness?: number;
  communication?: number;
  average?: number;
  comment?: string;
  source?: string;
}

export interface FollowUp {
  id: Id;
  offset_months: number;
  round?: string;
  state: 'scheduled' | 'done' | 'missed' | 'cancelled' | string;
  due_date: string;
  due_at: string;
  survey: FollowUpSurvey | null;
  survey_sent_at?: string | null;
  completed_at?: string | null;
  version?: number;
}

export const followUpApi = {
  forTicket: (ticketId: Id | string, signal?: AbortSignal) =>
    apiRequest<{ items: FollowUp[] }>(`/tickets/${ticketId}/follow-ups`, { signal }),
  /** a fresh survey link for the round (the previous one stops working); answers `survey_url` */
  sendSurvey: (id: Id) => apiRequest<FollowUp & { survey_url?: string }>(`/follow-ups/${id}/send-survey`, { method: 'POST', body: {} }),
};
