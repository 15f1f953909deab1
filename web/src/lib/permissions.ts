import type { TOrganizer } from '../api/client';

type TOrganizerRole = TOrganizer['role'];

/**
 * What the UI offers each role; mirrors the server's role permissions (the server still decides).
 * Staff may look at events only; managers run events and see the team and audit log; owners
 * also manage the team. Platform administrators may do everything.
 */
export function permissionsFor(role: TOrganizerRole) {
  const isOwner = role === 'owner' || role === 'admin';
  const isManager = isOwner || role === 'manager';
  return {
    canEditEvents: isManager,
    canSeeMembers: isManager,
    canManageMembers: isOwner,
    canSeeAuditLog: isManager,
  };
}
