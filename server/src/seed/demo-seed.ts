import sharp from 'sharp';
import type { TDb } from '../adapters/database/database.js';
import type { TClock } from '../lib/clock.js';
import type { TActor } from '../modules/auth/actor.js';
import { createUsersRepository } from '../modules/users/users.repository.js';
import type { TServices } from '../services.js';
import type { TActivityRecord, TActivityStore } from '../adapters/activity/activity-store.js';
import { createDatabaseActivityStore } from '../adapters/activity/database-activity-store.js';
import type { TCreateEvent } from '../modules/events/events.schema.js';

export const demoOwnerEmail = 'demo@tickitnow.localhost';
const demoOrganizerSlug = 'tickitnow-demo';
const DAY = 86_400_000;

type TDemoTicketType = {
  name: string;
  priceCents: number;
  capacity: number;
  maxPerOrder?: number;
  description?: string;
};
type TDemoEvent = Omit<TCreateEvent, 'startsAt' | 'endsAt'> & {
  inDays: number;
  hour: number;
  hours: number;
  colors: [string, string];
  currency: string;
  ticketTypes: TDemoTicketType[];
};

const demoEvents: TDemoEvent[] = [
  {
    title: 'Harbour Lights Jazz Night',
    description:
      'An evening of **live jazz** on the waterfront with the Harbour Lights Quartet.\n\n- Doors 19:00\n- First set 20:00\n- Bar open all night',
    category: 'music',
    tags: ['jazz', 'live', 'nightlife'],
    language: 'en',
    ageRating: '18+',
    timezone: 'Europe/Lisbon',
    venue: {
      name: 'Armazém 16',
      address: 'Rua da Cintura do Porto 16',
      city: 'Lisbon',
      country: 'PT',
    },
    onlineUrl: null,
    inDays: 9,
    hour: 20,
    hours: 4,
    colors: ['#1b1464', '#f7b733'],
    currency: 'EUR',
    ticketTypes: [
      { name: 'Standing', priceCents: 1800, capacity: 200 },
      {
        name: 'Table for two',
        priceCents: 6000,
        capacity: 12,
        maxPerOrder: 2,
        description: 'A table by the stage; the price is per seat.',
      },
    ],
  },
  {
    title: 'TypeScript Berlin Conference',
    description:
      'Two tracks of talks on **type-level programming**, tooling and large codebases, followed by a community mixer.',
    category: 'conference',
    tags: ['typescript', 'programming', 'web'],
    language: 'en',
    ageRating: 'all',
    timezone: 'Europe/Berlin',
    venue: {
      name: 'Kulturbrauerei',
      address: 'Schönhauser Allee 36',
      city: 'Berlin',
      country: 'DE',
    },
    onlineUrl: null,
    inDays: 21,
    hour: 9,
    hours: 9,
    colors: ['#3178c6', '#00d2ff'],
    currency: 'EUR',
    ticketTypes: [
      { name: 'Conference pass', priceCents: 14900, capacity: 400, maxPerOrder: 5 },
      { name: 'Student pass', priceCents: 4900, capacity: 50, maxPerOrder: 1 },
    ],
  },
  {
    title: 'Sourdough Baking Workshop',
    description:
      'Learn to keep a starter alive and bake a crusty loaf. All ingredients included; take your bread home.',
    category: 'workshop',
    tags: ['baking', 'food', 'hands-on'],
    language: 'en',
    ageRating: 'all',
    timezone: 'Europe/London',
    venue: { name: 'The Flour Room', address: '12 Mill Lane', city: 'London', country: 'GB' },
    onlineUrl: null,
    inDays: 12,
    hour: 10,
    hours: 3,
    colors: ['#c79081', '#dfa579'],
    currency: 'GBP',
    ticketTypes: [
      {
        name: 'Workshop place',
        priceCents: 6500,
        capacity: 3,
        maxPerOrder: 2,
        description: 'Small group: three bakers per session.',
      },
    ],
  },
  {
    title: 'Canal Run 10K',
    description:
      'A flat and fast 10 km along the canals. Chip timing, medals for every finisher and a pancake stand.',
    category: 'sports',
    tags: ['running', 'outdoor', '10k'],
    language: 'nl',
    ageRating: 'all',
    timezone: 'Europe/Amsterdam',
    venue: { name: 'Westerpark', address: 'Haarlemmerweg 8', city: 'Amsterdam', country: 'NL' },
    onlineUrl: null,
    inDays: 30,
    hour: 9,
    hours: 3,
    colors: ['#11998e', '#38ef7d'],
    currency: 'EUR',
    ticketTypes: [
      { name: 'Runner', priceCents: 2500, capacity: 800 },
      { name: 'Kids 1K', priceCents: 500, capacity: 200 },
    ],
  },
  {
    title: 'A Midsummer Night’s Dream — Open Air',
    description: 'Shakespeare’s comedy under the stars. Bring a blanket; the park opens at 18:30.',
    category: 'theatre',
    tags: ['shakespeare', 'open-air', 'comedy'],
    language: 'en',
    ageRating: 'all',
    timezone: 'America/New_York',
    venue: { name: 'Delacorte Theater', address: 'Central Park', city: 'New York', country: 'US' },
    onlineUrl: null,
    inDays: 40,
    hour: 19,
    hours: 3,
    colors: ['#5f2c82', '#49a09d'],
    currency: 'USD',
    ticketTypes: [{ name: 'Lawn (free)', priceCents: 0, capacity: 500, maxPerOrder: 4 }],
  },
  {
    title: 'Street Food Festival',
    description:
      'Forty stalls, three stages, one weekend. Vegetarian and vegan options everywhere.',
    category: 'food',
    tags: ['street-food', 'festival', 'family'],
    language: 'es',
    ageRating: 'all',
    timezone: 'Europe/Madrid',
    venue: { name: 'Matadero', address: 'Paseo de la Chopera 14', city: 'Madrid', country: 'ES' },
    onlineUrl: null,
    inDays: 16,
    hour: 12,
    hours: 10,
    colors: ['#f12711', '#f5af19'],
    currency: 'EUR',
    ticketTypes: [
      { name: 'Day ticket', priceCents: 800, capacity: 2000 },
      { name: 'Weekend ticket', priceCents: 1400, capacity: 1000 },
    ],
  },
  {
    title: 'Intro to Astrophotography (Online)',
    description:
      'A live online class: choosing a camera and lens, planning a night, and stacking your first images.',
    category: 'workshop',
    tags: ['astronomy', 'photography', 'online'],
    language: 'en',
    ageRating: 'all',
    timezone: 'America/Los_Angeles',
    venue: null,
    onlineUrl: 'https://meet.example.org/astro-101',
    inDays: 6,
    hour: 18,
    hours: 2,
    colors: ['#0f2027', '#2c5364'],
    currency: 'USD',
    ticketTypes: [{ name: 'Online seat', priceCents: 0, capacity: 300, maxPerOrder: 1 }],
  },
  {
    title: 'Stand-up Comedy Showcase',
    description: 'Six comedians, one microphone, no mercy. Contains strong language.',
    category: 'comedy',
    tags: ['stand-up', 'nightlife'],
    language: 'en',
    ageRating: '16+',
    timezone: 'Europe/Dublin',
    venue: { name: 'The Laughter Lounge', address: '4-8 Eden Quay', city: 'Dublin', country: 'IE' },
    onlineUrl: null,
    inDays: 11,
    hour: 21,
    hours: 2,
    colors: ['#ee0979', '#ff6a00'],
    currency: 'EUR',
    ticketTypes: [{ name: 'Seat', priceCents: 1500, capacity: 80 }],
  },
];

/** A colourful 1600×900 PNG made from an SVG, so the demo has images without any download. */
async function makeDemoImage(colors: [string, string], seed: number): Promise<Buffer> {
  const circles = Array.from({ length: 7 }, (_, i) => {
    const x = (seed * 211 + i * 263) % 1600;
    const y = (seed * 97 + i * 151) % 900;
    const r = 60 + ((seed + i * 37) % 220);
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="#ffffff" fill-opacity="${(0.06 + (i % 4) * 0.04).toFixed(2)}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colors[0]}"/><stop offset="1" stop-color="${colors[1]}"/></linearGradient></defs>
<rect width="1600" height="900" fill="url(#g)"/>${circles}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * Creates the demo organizer and its published events through the real services, once: a second
 * run finds the organizer and does nothing. Returns whether anything was created.
 */
export async function seedDemo(
  db: TDb,
  services: TServices,
  clock: TClock,
  activityStore: TActivityStore = createDatabaseActivityStore(db),
): Promise<boolean> {
  const existing = await db
    .selectFrom('organizers')
    .select('id')
    .where('slug', '=', demoOrganizerSlug)
    .executeTakeFirst();
  if (existing) return false;
  const owner = await createUsersRepository().findOrCreateByEmail(db, demoOwnerEmail);
  await db
    .updateTable('users')
    .set({ name: 'Demo Organizer' })
    .where('id', '=', owner.id)
    .execute();
  const actor: TActor = { userId: owner.id, email: owner.email, isAdmin: false, sessionId: 'seed' };
  const organizer = await services.organizers.createOrganizer(actor, { name: 'TickItNow Demo' });

  const today = new Date(clock.now().toISOString().slice(0, 10) + 'T00:00:00Z').getTime();
  for (const [index, demo] of demoEvents.entries()) {
    const { inDays, hour, hours, colors, currency, ticketTypes, ...fields } = demo;
    const startsAt = new Date(today + inDays * DAY + hour * 3_600_000);
    const event = await services.events.createEvent(actor, organizer.id, {
      ...fields,
      startsAt,
      endsAt: new Date(startsAt.getTime() + hours * 3_600_000),
    });
    await services.events.setEventImage(actor, event.id, await makeDemoImage(colors, index + 1));
    for (const [sortOrder, type] of ticketTypes.entries()) {
      await services.ticketTypes.createTicketType(actor, event.id, {
        name: type.name,
        description: type.description ?? '',
        priceCents: type.priceCents,
        currency,
        capacity: type.capacity,
        maxPerOrder: type.maxPerOrder ?? 10,
        salesStartAt: null,
        salesEndAt: null,
        hidden: false,
        sortOrder,
      });
    }
    await services.events.publishEvent(actor, event.id);
    if (index === 0) await seedDemoSales(db, services, activityStore, clock, event.id, today);
  }
  return true;
}

/**
 * Gives the first demo event a history, so its organizer sees real charts at once: two weeks of
 * page views from returning and new visitors, and paid orders made through the order service.
 */
async function seedDemoSales(
  db: TDb,
  services: TServices,
  activityStore: TActivityStore,
  clock: TClock,
  eventId: string,
  today: number,
) {
  const views: TActivityRecord[] = [];
  for (let day = 13; day >= 0; day -= 1) {
    const count = 6 + ((day * 7) % 11);
    for (let i = 0; i < count; i += 1)
      views.push({
        type: 'event_view',
        eventId,
        userId: null,
        visitorId: `demo-visitor-${(day * 5 + i) % 60}`,
        metadata: {},
        occurredAt: new Date(
          Math.min(today - day * DAY + (9 + (i % 12)) * 3_600_000, clock.now().getTime()),
        ),
      });
  }
  await activityStore.append(views);
  const [type] = await services.ticketTypes.listTicketTypes(null, eventId);
  if (!type) return;
  const users = createUsersRepository();
  for (let i = 1; i <= 8; i += 1) {
    const buyer = await users.findOrCreateByEmail(db, `attendee-${i}@demo.tickitnow.localhost`);
    const actor: TActor = {
      userId: buyer.id,
      email: buyer.email,
      isAdmin: false,
      sessionId: 'seed',
    };
    const { order } = await services.orders.createOrder(
      actor,
      { eventId, items: [{ ticketTypeId: type.id, quantity: 1 + (i % 3) }], attendees: [] },
      `demo-${i}`,
    );
    if (order.status === 'pending')
      await services.orders.payOrder(actor, order.id, {
        provider: 'test',
        paymentToken: 'test_ok',
      });
  }
}
