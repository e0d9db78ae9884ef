import type { Role } from '../nav/roles';

export interface User {
  id: number | string;
  username: string;
  display_name: string;
  role: Role;
  customer_id: number | string | null;
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** false when there are more matches than were counted (a search counts only the next pages) */
  total_exact?: boolean;
}

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
}

export interface Customer {
  id: number | string;
  name: string;
  tier?: string;
  address?: string;
  notes?: string;
  contacts?: Contact[];
  version?: number;
}

export interface Project {
  id: number | string;
  name: string;
  type: string;
  customer_id: number | string;
  customer_name?: string;
  address?: string;
  completion_date?: string | null;
  warranty_months?: number | null;
}

export interface Staff {
  id: number | string;
  name: string;
  role: string;
  team_name?: string | null;
  skills?: string[];
}
