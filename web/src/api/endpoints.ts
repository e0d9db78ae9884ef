import { apiRequest } from './client';
import type { Customer, LoginResponse, Page, Project, Staff, User } from './types';

export interface ListQuery {
  limit: number;
  offset: number;
  q?: string;
  [key: string]: string | number | undefined;
}

export const authApi = {
  login: (username: string, password: string) =>
    apiRequest<LoginResponse>('/auth/login', { method: 'POST', body: { username, password }, authProbe: true }),
  logout: () => apiRequest<void>('/auth/logout', { method: 'POST', authProbe: true }),
  me: (signal?: AbortSignal) => apiRequest<{ user: User }>('/auth/me', { authProbe: true, signal }),
};

export const listApi = {
  customers: (query: ListQuery, signal?: AbortSignal) =>
    apiRequest<Page<Customer>>('/customers', { query: { sort: 'name', ...query }, signal }),
  projects: (query: ListQuery, signal?: AbortSignal) =>
    apiRequest<Page<Project>>('/projects', { query, signal }),
  staff: (query: ListQuery, signal?: AbortSignal) => apiRequest<Page<Staff>>('/staff', { query, signal }),
};
