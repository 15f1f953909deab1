import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  makeOrganizer,
  signIn,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  who?: TSignedIn,
  payload?: object,
) =>
  ctx.app.inject({
    method,
    url: `/api/v1${url}`,
    ...(who ? { headers: who.headers } : {}),
    ...(payload !== undefined ? { payload } : {}),
  });

describe('organizers', () => {
  it('makes the creator the owner and lists it under /me/organizers', async () => {
    const owner = await signIn(ctx);
    const res = await call('POST', '/organizers', owner, { name: 'Café Örebro Events' });
    expect(res.statusCode).toBe(201);
    const organizer = res.json<{ id: string; slug: string; role: string }>();
    expect(organizer).toMatchObject({
      name: 'Café Örebro Events',
      slug: 'cafe-orebro-events',
      role: 'owner',
    });
    const mine = await call('GET', '/me/organizers', owner);
    expect(mine.json()).toMatchObject({
      items: [{ id: organizer.id, role: 'owner' }],
      nextCursor: null,
    });
  });

  it('derives unique slugs', async () => {
    const owner = await signIn(ctx);
    const a = await makeOrganizer(ctx, owner, 'Same Name');
    const b = await makeOrganizer(ctx, owner, 'Same Name');
    const c = await makeOrganizer(ctx, owner, 'same-name!!');
    expect(new Set([a.slug, b.slug, c.slug]).size).toBe(3);
    expect(a.slug).toBe('same-name');
  });

  it('requires sign-in and a valid name', async () => {
    expect((await call('POST', '/organizers', undefined, { name: 'X' })).statusCode).toBe(401);
    const owner = await signIn(ctx);
    const empty = await call('POST', '/organizers', owner, { name: '   ' });
    expect(empty.json()).toMatchObject({
      error: 'validation_failed',
      details: { issues: [{ path: ['name'] }] },
    });
    expect((await call('POST', '/organizers', owner, { name: 'x'.repeat(121) })).statusCode).toBe(
      400,
    );
    expect((await call('POST', '/organizers', owner, { name: ['x'] })).statusCode).toBe(400);
  });

  it('hides an organizer without published events from everyone but its team', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    const stranger = await signIn(ctx);
    expect((await call('GET', `/organizers/${organizer.id}`, owner)).json()).toMatchObject({
      role: 'owner',
    });
    expect((await call('GET', `/organizers/${organizer.id}`, stranger)).statusCode).toBe(404);
    expect((await call('GET', `/organizers/${organizer.id}`)).statusCode).toBe(404);
    expect((await call('GET', '/organizers/not-a-uuid', owner)).statusCode).toBe(400);
  });
});

describe('team members', () => {
  it('owner adds members by e-mail (account created if needed) and they get an e-mail', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner, 'Invite Co');
    const email = uniqueEmail('invitee');
    const res = await call('POST', `/organizers/${organizer.id}/members`, owner, {
      email: email.toUpperCase(),
      role: 'manager',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email, role: 'manager' });
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .selectAll()
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Invite Co');
    const list = await call('GET', `/organizers/${organizer.id}/members`, owner);
    expect(list.json<{ items: { email: string }[] }>().items.map((m) => m.email)).toEqual([
      owner.email,
      email,
    ]);
    const again = await call('POST', `/organizers/${organizer.id}/members`, owner, {
      email,
      role: 'staff',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_member' });
  });

  it('enforces roles: managers read the team, only owners change it, staff neither', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    const manager = await addMember(ctx, owner, organizer.id, 'manager');
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    expect((await call('GET', `/organizers/${organizer.id}/members`, manager)).statusCode).toBe(
      200,
    );
    expect((await call('GET', `/organizers/${organizer.id}/members`, staff)).json()).toMatchObject({
      error: 'forbidden',
    });
    const byManager = await call('POST', `/organizers/${organizer.id}/members`, manager, {
      email: uniqueEmail(),
      role: 'staff',
    });
    expect(byManager.statusCode).toBe(403);
    const promote = await call(
      'PATCH',
      `/organizers/${organizer.id}/members/${staff.userId}`,
      manager,
      { role: 'owner' },
    );
    expect(promote.statusCode).toBe(403);
    const remove = await call(
      'DELETE',
      `/organizers/${organizer.id}/members/${manager.userId}`,
      staff,
    );
    expect(remove.statusCode).toBe(403);
    const members = await call('GET', `/organizers/${organizer.id}/members`, owner);
    expect(members.json<{ items: unknown[] }>().items).toHaveLength(3);
  });

  it("never shows or changes another organizer's team (404, nothing revealed)", async () => {
    const ownerA = await signIn(ctx);
    const ownerB = await signIn(ctx);
    const a = await makeOrganizer(ctx, ownerA, 'A');
    await makeOrganizer(ctx, ownerB, 'B');
    const read = await call('GET', `/organizers/${a.id}/members`, ownerB);
    expect(read.statusCode).toBe(404);
    expect(read.json()).toMatchObject({ error: 'not_found' });
    const add = await call('POST', `/organizers/${a.id}/members`, ownerB, {
      email: ownerB.email,
      role: 'owner',
    });
    expect(add.statusCode).toBe(404);
    const remove = await call('DELETE', `/organizers/${a.id}/members/${ownerA.userId}`, ownerB);
    expect(remove.statusCode).toBe(404);
    const missing = await call(
      'GET',
      `/organizers/00000000-0000-4000-8000-000000000000/members`,
      ownerB,
    );
    expect(missing.body).toBe(read.body);
    expect(
      (await call('GET', `/organizers/${a.id}/members`, ownerA)).json<{ items: unknown[] }>().items,
    ).toHaveLength(1);
  });

  it('keeps at least one owner, also when two owners remove each other at once', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    const solo = await call('DELETE', `/organizers/${organizer.id}/members/${owner.userId}`, owner);
    expect(solo.statusCode).toBe(409);
    expect(solo.json()).toMatchObject({ error: 'last_owner' });
    const demote = await call(
      'PATCH',
      `/organizers/${organizer.id}/members/${owner.userId}`,
      owner,
      { role: 'staff' },
    );
    expect(demote.json()).toMatchObject({ error: 'last_owner' });

    const second = await addMember(ctx, owner, organizer.id, 'owner');
    const results = await Promise.all([
      call('DELETE', `/organizers/${organizer.id}/members/${second.userId}`, owner),
      call('DELETE', `/organizers/${organizer.id}/members/${owner.userId}`, second),
    ]);
    // One removal wins; the other finds either no other owner left (409) or that its own
    // caller was just removed (404). Never both.
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(204);
    expect([404, 409]).toContain(statuses[1]);
    const owners = await ctx.db
      .selectFrom('organizer_members')
      .select('user_id')
      .where('organizer_id', '=', organizer.id)
      .where('role', '=', 'owner')
      .execute();
    expect(owners).toHaveLength(1);
  });

  it('lets a member leave and an owner change roles, all audited', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    const promoted = await call(
      'PATCH',
      `/organizers/${organizer.id}/members/${staff.userId}`,
      owner,
      { role: 'manager' },
    );
    expect(promoted.json()).toMatchObject({ role: 'manager' });
    expect(
      (await call('DELETE', `/organizers/${organizer.id}/members/${staff.userId}`, staff))
        .statusCode,
    ).toBe(204);
    const badRole = await call('POST', `/organizers/${organizer.id}/members`, owner, {
      email: uniqueEmail(),
      role: 'admin',
    });
    expect(badRole.statusCode).toBe(400);

    const log = await call('GET', `/organizers/${organizer.id}/audit-log`, owner);
    const actions = log.json<{ items: { action: string }[] }>().items.map((e) => e.action);
    expect(actions).toEqual(['member.remove', 'member.update', 'member.add', 'organizer.create']);
    expect(
      log.json<{ items: { actor: { email: string } | null }[] }>().items[0]?.actor?.email,
    ).toBe(staff.email);
  });

  it('pages the audit log with a cursor and refuses a forged cursor', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    for (let i = 0; i < 3; i++) await addMember(ctx, owner, organizer.id, 'staff');
    const first = await call('GET', `/organizers/${organizer.id}/audit-log?limit=2`, owner);
    const page1 = first.json<{ items: { id: number }[]; nextCursor: string }>();
    expect(page1.items).toHaveLength(2);
    const second = await call(
      'GET',
      `/organizers/${organizer.id}/audit-log?limit=2&cursor=${page1.nextCursor}`,
      owner,
    );
    const page2 = second.json<{ items: { id: number }[]; nextCursor: string | null }>();
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    expect(Math.max(...page2.items.map((i) => i.id))).toBeLessThan(
      Math.min(...page1.items.map((i) => i.id)),
    );
    const forged = await call('GET', `/organizers/${organizer.id}/audit-log?cursor=bm9wZQ`, owner);
    expect(forged.statusCode).toBe(400);
  });

  it('the audit log is append-only in the database itself', async () => {
    const owner = await signIn(ctx);
    await makeOrganizer(ctx, owner);
    await expect(ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
