// Repair work log (维修记录) of a request and the stock it draws parts from:
// GET/POST /api/v1/tickets/{id}/repair-logs, GET /api/v1/stock.
import { apiRequest } from './client';
import type { Id, Ref } from './tickets';
import type { Page } from './types';

export interface RepairPart {
  part_id: Id;
  part_code?: string;
  part_name: string;
  spec?: string;
  unit?: string;
  quantity: number;
  location_id?: Id;
  location_name?: string;
  replaced?: boolean;
  warranty_until?: string | null;
}

export interface RepairMaterial {
  name: string;
  quantity: number;
  unit?: string;
}

export interface RepairLog {
  id: Id;
  ticket_id: Id;
  work_done: string;
  progress_note?: string;
  /** staff only */
  problems?: string;
  started_at: string;
  ended_at: string | null;
  staff: Ref[];
  parts: RepairPart[];
  materials: RepairMaterial[];
  attachment_ids: Id[];
  visible_to_customer: boolean;
  created_at: string;
  created_by_name?: string;
}

export interface RepairLogBody {
  work_done: string;
  started_at: string;
  ended_at?: string;
  progress_note?: string;
  problems?: string;
  visible_to_customer?: boolean;
  materials?: RepairMaterial[];
  parts?: { part_id: Id; location_id: Id; quantity: number; replaced?: boolean }[];
  attachment_ids?: Id[];
}

export interface StockLevel {
  part_id: Id;
  part_code: string;
  part_name: string;
  spec?: string;
  unit?: string;
  location_id: Id;
  location_name: string;
  quantity: number;
}

export const repairApi = {
  list: (ticketId: Id | string, signal?: AbortSignal) =>
    apiRequest<{ items: RepairLog[] }>(`/tickets/${ticketId}/repair-logs`, { signal }),
  create: (ticketId: Id | string, body: RepairLogBody) =>
    apiRequest<RepairLog>(`/tickets/${ticketId}/repair-logs`, { method: 'POST', body }),
  stock: (q: string, signal?: AbortSignal) =>
    apiRequest<Page<StockLevel>>('/stock', { query: { limit: 100, q: q || undefined }, signal }),
};
