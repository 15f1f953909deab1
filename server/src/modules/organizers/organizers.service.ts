import type { TDb } from '../../adapters/database/database.js';
import type { TMailer } from '../../adapters/mail/mailer.js';
import { AppError } from '../../errors.js';
import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';
import { insertWithUniqueSlug, slugify } from '../../lib/slug.js';
import type { TActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import type { TUsersRepository } from '../users/users.repository.js';
import { findRole, requirePermission, type TPermission } from './organizer-access.js';
import type {
  TAddMember,
  TCreateOrganizer,
  TMember,
  TOrganizer,
  TUpdateMember,
} from './organizers.schema.js';
import type { TOrganizersRepository } from './organizers.repository.js';

type TMemberRow = {
  id: string;
  email: string;
  name: string;
  role: TMember['role'];
  created_at: Date;
};

const presentMember = (row: TMemberRow): TMember => ({
  userId: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.created_at.toISOString(),
});

export type TOrganizersServiceDeps = {
  db: TDb;
  repo: TOrganizersRepository;
  users: TUsersRepository;
  audit: TAuditRepository;
  mailer: TMailer;
  publicUrl: string;
};

export function createOrganizersService(deps: TOrganizersServiceDeps) {
  const { db, repo, users, audit, mailer, publicUrl } = deps;

  /**
   * Membership changes serialise per organizer on its row lock, and re-check the caller's role
   * under that lock: an owner demoted or removed a moment ago cannot still act on the team.
   */
  async function lockAndRecheck(
    trx: TDb,
    actor: TActor,
    organizerId: string,
    permission: TPermission,
  ) {
    if (!(await repo.lock(trx, organizerId)))
      throw new AppError('not_found', { resource: 'organizer' });
    await requirePermission(trx, actor, organizerId, permission);
  }

  return {
    /** Creates an organizer; the caller becomes its first owner. */
    async createOrganizer(actor: TActor, input: TCreateOrganizer): Promise<TOrganizer> {
      const user = requireUser(actor);
      return db.transaction().execute(async (trx) => {
        const organizer = await insertWithUniqueSlug(
          slugify(input.name),
          (base) => repo.slugsLike(trx, base),
          (slug) => repo.insertIfSlugFree(trx, input.name, slug),
        );
        await repo.insertMember(trx, organizer.id, user.userId, 'owner');
        const presented = {
          id: organizer.id,
          name: organizer.name,
          slug: organizer.slug,
          role: 'owner' as const,
        };
        await audit.record(trx, {
          organizerId: organizer.id,
          actorUserId: user.userId,
          action: 'organizer.create',
          entityType: 'organizer',
          entityId: organizer.id,
          after: { name: organizer.name, slug: organizer.slug },
        });
        return presented;
      });
    },

    /**
     * Members (and admins) always see their organizer; anyone else only once it has published an
     * event, since its name is public from then on. Otherwise 404, revealing nothing.
     */
    async getOrganizer(actor: TActor, id: string): Promise<TOrganizer> {
      const organizer = await repo.findById(db, id);
      if (!organizer) throw new AppError('not_found', { resource: 'organizer' });
      const role = actor ? (actor.isAdmin ? 'admin' : await findRole(db, actor.userId, id)) : null;
      if (!role && !(await repo.hasPublishedEvents(db, id)))
        throw new AppError('not_found', { resource: 'organizer' });
      return { id: organizer.id, name: organizer.name, slug: organizer.slug, role };
    },

    async listMyOrganizers(actor: TActor): Promise<TOrganizer[]> {
      const user = requireUser(actor);
      const rows = await repo.listForUser(db, user.userId);
      return rows.map((r) => ({ id: r.id, name: r.name, slug: r.slug, role: r.role }));
    },

    async listMembers(actor: TActor, organizerId: string): Promise<TMember[]> {
      await requirePermission(db, actor, organizerId, 'members:read');
      return (await repo.listMembers(db, organizerId)).map(presentMember);
    },

    /** Invites a person by e-mail (creating their account if needed) and tells them by mail. */
    async addMember(actor: TActor, organizerId: string, input: TAddMember): Promise<TMember> {
      const { actor: user } = await requirePermission(db, actor, organizerId, 'members:manage');
      const { member, organizerName } = await db.transaction().execute(async (trx) => {
        await lockAndRecheck(trx, actor, organizerId, 'members:manage');
        const invitee = await users.findOrCreateByEmail(trx, input.email);
        if (!(await repo.insertMember(trx, organizerId, invitee.id, input.role))) {
          throw new AppError('already_member', { userId: invitee.id });
        }
        await audit.record(trx, {
          organizerId,
          actorUserId: user.userId,
          action: 'member.add',
          entityType: 'member',
          entityId: invitee.id,
          after: { email: invitee.email, role: input.role },
        });
        const row = await repo.findMember(trx, organizerId, invitee.id);
        const name = (await repo.findById(trx, organizerId))?.name ?? '';
        return { member: row ? presentMember(row) : undefined, organizerName: name };
      });
      if (!member) throw new Error('member vanished after insert');
      await mailer.send(
        renderInvitation({ to: member.email, organizerName, role: member.role, publicUrl }),
      );
      return member;
    },

    async updateMember(
      actor: TActor,
      organizerId: string,
      userId: string,
      input: TUpdateMember,
    ): Promise<TMember> {
      const { actor: user } = await requirePermission(db, actor, organizerId, 'members:manage');
      return db.transaction().execute(async (trx) => {
        await lockAndRecheck(trx, actor, organizerId, 'members:manage');
        const current = await repo.findMember(trx, organizerId, userId);
        if (!current) throw new AppError('not_found', { resource: 'member' });
        if (
          current.role === 'owner' &&
          input.role !== 'owner' &&
          (await repo.countOwners(trx, organizerId)) <= 1
        ) {
          throw new AppError('last_owner');
        }
        await repo.updateMemberRole(trx, organizerId, userId, input.role);
        await audit.record(trx, {
          organizerId,
          actorUserId: user.userId,
          action: 'member.update',
          entityType: 'member',
          entityId: userId,
          before: { role: current.role },
          after: { role: input.role },
        });
        return presentMember({ ...current, role: input.role });
      });
    },

    /** Owners remove anyone; any member may remove themselves (leave). The last owner stays. */
    async removeMember(actor: TActor, organizerId: string, userId: string): Promise<void> {
      const user = requireUser(actor);
      const isLeaving = user.userId === userId;
      const permission = isLeaving ? 'organizer:read' : 'members:manage';
      await requirePermission(db, actor, organizerId, permission);
      await db.transaction().execute(async (trx) => {
        await lockAndRecheck(trx, actor, organizerId, permission);
        const current = await repo.findMember(trx, organizerId, userId);
        if (!current) throw new AppError('not_found', { resource: 'member' });
        if (current.role === 'owner' && (await repo.countOwners(trx, organizerId)) <= 1)
          throw new AppError('last_owner');
        await repo.deleteMember(trx, organizerId, userId);
        await audit.record(trx, {
          organizerId,
          actorUserId: user.userId,
          action: 'member.remove',
          entityType: 'member',
          entityId: userId,
          before: { email: current.email, role: current.role },
        });
      });
    },
  };
}

export type TOrganizersService = ReturnType<typeof createOrganizersService>;

function renderInvitation(input: {
  to: string;
  organizerName: string;
  role: string;
  publicUrl: string;
}) {
  const signIn = `${input.publicUrl}/sign-in?email=${encodeURIComponent(input.to)}`;
  return {
    to: input.to,
    subject: `You have been added to ${input.organizerName} on TickItNow`,
    text: `You are now a ${input.role} of ${input.organizerName} on TickItNow.\n\nSign in with this e-mail address: ${signIn}\n`,
    html: renderMailLayout({
      title: `You joined ${input.organizerName}`,
      publicUrl: input.publicUrl,
      body: `<p>You are now a <strong>${escapeHtml(input.role)}</strong> of ${escapeHtml(input.organizerName)} on TickItNow.</p>
<p><a href="${escapeHtml(signIn)}" style="display:inline-block;background:#3b2db3;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Sign in</a></p>`,
    }),
  };
}
