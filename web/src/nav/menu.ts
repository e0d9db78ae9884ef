// Role → side menu mapping. Pure data and functions: no React here, so it is unit-tested directly.
import { isRole, type Role } from './roles';

export type MenuIcon = 'dispatch' | 'jobs' | 'dashboard' | 'tickets' | 'customers' | 'projects' | 'staff' | 'settings' | 'myRequests' | 'myProjects';

export interface MenuItemDef {
  key: string;
  path: string;
  /** message id of the label, `shell.menu.<key>` */
  labelId: string;
  icon: MenuIcon;
  /** roles that see the item and may open its page */
  roles: readonly Role[];
  /** page exists (false → the route shows the "coming soon" result) */
  implemented: boolean;
}

const STAFF: readonly Role[] = [
  'admin',
  'service_manager',
  'agent',
  'dispatcher',
  'technician',
  'tech_lead',
  'quality_inspector',
  'project_manager',
  'procurement',
];

/** Roles that see the manager dashboard 工作台 (/dashboard). */
export const DASHBOARD_ROLES: readonly Role[] = [
  'admin',
  'service_manager',
  'dispatcher',
  'tech_lead',
  'quality_inspector',
  'project_manager',
];

export const MENU_ITEMS: readonly MenuItemDef[] = [
  // first for technicians, so they land on today's jobs (on a phone)
  { key: 'myJobs', path: '/jobs', labelId: 'shell.menu.myJobs', icon: 'jobs', roles: ['technician', 'tech_lead'], implemented: true },
  { key: 'workbench', path: '/dashboard', labelId: 'shell.menu.workbench', icon: 'dashboard', roles: DASHBOARD_ROLES, implemented: true },
  { key: 'tickets', path: '/tickets', labelId: 'shell.menu.tickets', icon: 'tickets', roles: STAFF, implemented: true },
  { key: 'dispatch', path: '/dispatch', labelId: 'shell.menu.dispatch', icon: 'dispatch', roles: ['dispatcher', 'service_manager', 'admin'], implemented: true },
  { key: 'customers', path: '/customers', labelId: 'shell.menu.customers', icon: 'customers', roles: STAFF, implemented: true },
  { key: 'projects', path: '/projects', labelId: 'shell.menu.projects', icon: 'projects', roles: STAFF, implemented: true },
  { key: 'staff', path: '/staff', labelId: 'shell.menu.staff', icon: 'staff', roles: STAFF, implemented: true },
  { key: 'settings', path: '/settings', labelId: 'shell.menu.settings', icon: 'settings', roles: ['admin'], implemented: false },
  { key: 'myRequests', path: '/my/requests', labelId: 'shell.menu.myRequests', icon: 'myRequests', roles: ['customer'], implemented: true },
  { key: 'myProjects', path: '/my/projects', labelId: 'shell.menu.myProjects', icon: 'myProjects', roles: ['customer'], implemented: true },
];

/** Menu items a role sees, in display order. Unknown roles see nothing. */
export function menuForRole(role: string): MenuItemDef[] {
  if (!isRole(role)) return [];
  return MENU_ITEMS.filter((item) => item.roles.includes(role));
}

/** Where a user lands after login when no other page was asked for. */
export function homePathForRole(role: string): string {
  return menuForRole(role)[0]?.path ?? '/forbidden';
}

/** The menu item whose page is `pathname` (exact or a sub-path of it). */
export function menuItemForPath(pathname: string): MenuItemDef | undefined {
  return MENU_ITEMS.find((item) => pathname === item.path || pathname.startsWith(`${item.path}/`));
}

/** May `role` open `pathname`? Paths outside the menu are left to the router (404 etc.). */
export function canAccessPath(role: string, pathname: string): boolean {
  const item = menuItemForPath(pathname);
  if (!item) return true;
  return isRole(role) && item.roles.includes(role);
}

/**
 * Sanitise the `next` URL kept across the login page: only same-origin absolute paths,
 * never protocol-relative (`//evil`) or backslash tricks, never back to /login.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return null;
  return next;
}

/** Target after a successful login: the kept URL if this role may open it, else the role's home. */
export function postLoginPath(role: string, next: string | null | undefined): string {
  const safe = safeNextPath(next);
  if (safe && safe !== '/') {
    const pathname = safe.split(/[?#]/)[0];
    if (canAccessPath(role, pathname) && menuItemForPath(pathname)) return safe;
  }
  return homePathForRole(role);
}
