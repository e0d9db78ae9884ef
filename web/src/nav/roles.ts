// Roles as the server names them, and the message ids of their display labels.

export const ROLES = [
  'admin',
  'service_manager',
  'agent',
  'dispatcher',
  'technician',
  'tech_lead',
  'quality_inspector',
  'project_manager',
  'procurement',
  'customer',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Message id for a role label, e.g. `common.role.service_manager`; unknown roles fall back to the raw code. */
export function roleLabelId(role: string): string | null {
  return isRole(role) ? `common.role.${role}` : null;
}

export const PROJECT_TYPES = [
  'building',
  'decoration',
  'mep',
  'curtain_wall',
  'steel_structure',
  'data_centre',
  'other',
] as const;

export type ProjectType = (typeof PROJECT_TYPES)[number];

export function projectTypeLabelId(type: string): string | null {
  return (PROJECT_TYPES as readonly string[]).includes(type) ? `common.projectType.${type}` : null;
}
