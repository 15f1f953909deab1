import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { request } from './http.js';

/** Session tokens are random 43-character strings; the database keeps only their SHA-256. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

/**
 * Signed-in users without the e-mail round trip: rows in `users` and `sessions` exactly as a
 * verified sign-in code would leave them (auth.repository.ts `createSession`).
 */
export async function createSignedInUsers(
  client: pg.Client,
  emails: string[],
  sessionsPerUser = 1,
): Promise<{ email: string; userId: string; tokens: string[] }[]> {
  const users = await client.query<{ id: string; email: string }>(
    `INSERT INTO users (email) SELECT unnest($1::text[]) RETURNING id, email`,
    [emails],
  );
  const out = users.rows.map((u) => ({
    email: u.email,
    userId: u.id,
    tokens: [] as string[],
    hashes: [] as string[],
  }));
  for (const user of out) {
    for (let i = 0; i < sessionsPerUser; i++) {
      const { token, hash } = newSessionToken();
      user.tokens.push(token);
      user.hashes.push(hash);
    }
  }
  await client.query(
    `INSERT INTO sessions (user_id, token_hash, expires_at)
     SELECT unnest($1::uuid[]), unnest($2::text[]), now() + interval '1 day'`,
    [out.flatMap((u) => u.hashes.map(() => u.userId)), out.flatMap((u) => u.hashes)],
  );
  return out.map(({ email, userId, tokens }) => ({ email, userId, tokens }));
}

async function expectStatus(
  promise: ReturnType<typeof request>,
  status: number,
  what: string,
): Promise<Record<string, unknown>> {
  const res = await promise;
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

export async function createOrganizer(baseUrl: string, ownerToken: string, staffEmail: string) {
  const organizer = await expectStatus(
    request(baseUrl, 'POST', '/api/v1/organizers', {
      token: ownerToken,
      body: { name: 'Bench Arena' },
    }),
    201,
    'create organizer',
  );
  const id = String(organizer['id']);
  await expectStatus(
    request(baseUrl, 'POST', `/api/v1/organizers/${id}/members`, {
      token: ownerToken,
      body: { email: staffEmail, role: 'staff' },
    }),
    201,
    'add staff member',
  );
  return id;
}

const categories = ['music', 'theatre', 'sports', 'conference', 'workshop'];
const cities = ['Lisbon', 'Porto', 'Berlin', 'Madrid'];

/** A published event (and optionally one ticket type); returns ids and the public slug. */
export async function createPublishedEvent(
  baseUrl: string,
  ownerToken: string,
  organizerId: string,
  n: number,
  ticketType?: { capacity: number; priceCents: number; maxPerOrder: number },
) {
  const day = 1 + (n % 27);
  const event = await expectStatus(
    request(baseUrl, 'POST', `/api/v1/organizers/${organizerId}/events`, {
      token: ownerToken,
      body: {
        title: `${n % 2 ? 'Harbour Jazz Night' : 'Summer Open Air'} ${n}`,
        description: 'Live **music** by the water. A benchmark event with a realistic description.',
        category: categories[n % categories.length],
        tags: ['jazz', 'live', `tag${n % 7}`],
        startsAt: `2031-06-${String(day).padStart(2, '0')}T19:00:00+01:00`,
        endsAt: `2031-06-${String(day).padStart(2, '0')}T23:00:00+01:00`,
        timezone: 'Europe/Lisbon',
        venue: {
          name: 'Armazém 16',
          address: 'Rua 16',
          city: cities[n % cities.length],
          country: 'PT',
        },
      },
    }),
    201,
    'create event',
  );
  const eventId = String(event['id']);
  let ticketTypeId: string | null = null;
  if (ticketType) {
    const created = await expectStatus(
      request(baseUrl, 'POST', `/api/v1/events/${eventId}/ticket-types`, {
        token: ownerToken,
        body: { name: 'General admission', currency: 'EUR', ...ticketType },
      }),
      201,
      'create ticket type',
    );
    ticketTypeId = String(created['id']);
  }
  const published = await expectStatus(
    request(baseUrl, 'POST', `/api/v1/events/${eventId}/publish`, { token: ownerToken }),
    200,
    'publish event',
  );
  return { eventId, slug: String(published['slug']), ticketTypeId };
}
