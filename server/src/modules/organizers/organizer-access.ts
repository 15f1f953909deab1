import type { TDb } from '../../adapters/database/database.js';
import type { TMemberRole } from '../../adapters/database/schema.js';
import { AppError } from '../../errors.js';
import type { TActor, TSignedInActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';

/** What a member of an organizer may do. Every organizer-side service call asks for one of these. */
export type TPermission =
  | 'organizer:read'
  | 'members:read'
  | 'members:manage'
  | 'events:read'
  | 'events:write'
  | 'orders:manage'
  | 'checkin:scan'
  | 'checkin:undo'
  | 'reports:read'
  | 'audit:read';

const staff: TPermission[] = ['organizer:read', 'events:read', 'checkin:scan'];
const manager: TPermission[] = [
  ...staff,
  'members:read',
  'events:write',
  'orders:manage',
  'checkin:undo',
  'reports:read',
  'audit:read',
];
const owner: TPermission[] = [...manager, 'members:manage'];

export const rolePermissions: Record<TMemberRole, ReadonlySet<TPermission>> = {
  owner: new Set(owner),
  manager: new Set(manager),
  staff: new Set(staff),
};

export type TAccess = { actor: TSignedInActor; role: TMemberRole | 'admin' };

/** The caller's role in the organizer, or null when they are not a member. */
export async function findRole(
  db: TDb,
  userId: string,
  organizerId: string,
): Promise<TMemberRole | null> {
  const row = await db
    .selectFrom('organizer_members')
    .select('role')
    .where('organizer_id', '=', organizerId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/**
 * Authorizes an organizer-side action: 401 when signed out, 404 when the caller is not a member
 * (so other organizers' ids reveal nothing), 403 when the role does not allow it. Platform
 * administrators may do everything.
 *
 * `resource` names what the caller asked for (an event, a ticket type): a non-member's 404 must
 * read exactly like the 404 of an id that does not exist, or its details would confirm that the
 * event exists and belongs to some organizer.
 */
export async function requirePermission(
  db: TDb,
  actor: TActor,
  organizerId: string,
  permission: TPermission,
  resource = 'organizer',
): Promise<TAccess> {
  const user = requireUser(actor);
  if (user.isAdmin) {
    const exists = await db
      .selectFrom('organizers')
      .select('id')
      .where('id', '=', organizerId)
      .executeTakeFirst();
    if (!exists) throw new AppError('not_found', { resource });
    return { actor: user, role: 'admin' };
  }
  const role = await findRole(db, user.userId, organizerId);
  if (!role) throw new AppError('not_found', { resource });
  if (!rolePermissions[role].has(permission)) throw new AppError('forbidden', { permission });
  return { actor: user, role };
}
