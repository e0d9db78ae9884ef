// Public satisfaction survey (no account): GET/POST /api/v1/surveys/{token}.
import { apiRequest } from './client';

export const SURVEY_DIMENSIONS = ['response_speed', 'attitude', 'competence', 'effectiveness', 'communication'] as const;
export type SurveyDimension = (typeof SURVEY_DIMENSIONS)[number];

export interface SurveyInfo {
  answered: boolean;
  expired: boolean;
  number: string;
  title: string;
  project: string;
  closed_at: string | null;
}

export type SurveyAnswer = Record<SurveyDimension, number> & { comment?: string };

const path = (token: string) => `/surveys/${encodeURIComponent(token)}`;

export const surveyApi = {
  // authProbe: a 401 here must never trigger the "session expired" redirect to the login page
  get: (token: string, signal?: AbortSignal) => apiRequest<SurveyInfo>(path(token), { signal, authProbe: true }),
  answer: (token: string, body: SurveyAnswer) =>
    apiRequest<unknown>(path(token), { method: 'POST', body, authProbe: true }),
};
