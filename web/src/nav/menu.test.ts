import { describe, expect, it } from 'vitest';
import { ROLES } from './roles';
import { MENU_ITEMS, canAccessPath, homePathForRole, menuForRole, postLoginPath, safeNextPath } from './menu';

const keys = (role: string) => menuForRole(role).map((i) => i.key);

describe('menuForRole', () => {
  it('gives customers only their own requests and projects', () => {
    expect(keys('customer')).toEqual(['myRequests', 'myProjects']);
  });

  it('gives staff the master data, but not settings', () => {
    for (const role of ROLES.filter((r) => r !== 'customer' && r !== 'admin')) {
      const k = keys(role);
      expect(k).toEqual(expect.arrayContaining(['customers', 'projects', 'staff']));
      expect(k).not.toContain('settings');
      expect(k).not.toContain('myRequests');
    }
  });

  it('adds settings for the admin', () => {
    expect(keys('admin')).toEqual(['workbench', 'tickets', 'dispatch', 'customers', 'projects', 'staff', 'settings']);
  });

  it('shows the dispatch board to dispatchers and managers only', () => {
    expect(keys('dispatcher')).toContain('dispatch');
    expect(keys('service_manager')).toContain('dispatch');
    expect(keys('technician')).not.toContain('dispatch');
    expect(keys('agent')).not.toContain('dispatch');
    expect(canAccessPath('customer', '/dispatch')).toBe(false);
  });

  it('shows the manager dashboard to managers and leads only', () => {
    for (const role of ['admin', 'service_manager', 'dispatcher', 'tech_lead', 'quality_inspector', 'project_manager']) {
      expect(keys(role), role).toContain('workbench');
    }
    for (const role of ['agent', 'technician', 'procurement', 'customer']) expect(keys(role), role).not.toContain('workbench');
    expect(canAccessPath('agent', '/dashboard')).toBe(false);
    expect(canAccessPath('service_manager', '/dashboard')).toBe(true);
  });

  it('gives an unknown role nothing', () => {
    expect(menuForRole('hacker')).toEqual([]);
    expect(homePathForRole('hacker')).toBe('/forbidden');
  });

  it('uses unique keys and paths with shell.menu.* labels', () => {
    expect(new Set(MENU_ITEMS.map((i) => i.key)).size).toBe(MENU_ITEMS.length);
    expect(new Set(MENU_ITEMS.map((i) => i.path)).size).toBe(MENU_ITEMS.length);
    for (const i of MENU_ITEMS) expect(i.labelId).toBe(`shell.menu.${i.key}`);
  });
});

describe('access and redirects', () => {
  it('keeps customers out of staff pages', () => {
    expect(canAccessPath('customer', '/customers')).toBe(false);
    expect(canAccessPath('customer', '/staff')).toBe(false);
    expect(canAccessPath('customer', '/my/projects')).toBe(true);
    expect(canAccessPath('technician', '/settings')).toBe(false);
    expect(canAccessPath('admin', '/settings/users')).toBe(true);
  });

  it('sends users home by role', () => {
    expect(homePathForRole('customer')).toBe('/my/requests');
    expect(homePathForRole('agent')).toBe('/tickets');
    expect(homePathForRole('service_manager')).toBe('/dashboard');
  });

  it('returns to the kept URL only when safe and allowed', () => {
    expect(postLoginPath('admin', '/customers?q=abc&page=2')).toBe('/customers?q=abc&page=2');
    expect(postLoginPath('customer', '/customers')).toBe('/my/requests');
    expect(postLoginPath('admin', '//evil.example.com/x')).toBe('/dashboard');
    expect(postLoginPath('admin', 'https://evil.example.com/')).toBe('/dashboard');
    expect(postLoginPath('admin', null)).toBe('/dashboard');
    expect(safeNextPath('/\\evil')).toBeNull();
    expect(safeNextPath('/login?next=/x')).toBeNull();
  });
});

describe('technician home', () => {
  it('lands technicians on their jobs', () => {
    expect(homePathForRole('technician')).toBe('/jobs');
    expect(canAccessPath('customer', '/jobs')).toBe(false);
    expect(canAccessPath('customer', '/tickets/1')).toBe(false);
  });
});
