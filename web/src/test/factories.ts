import type { TEvent } from '../api/client';

/** A published event as the API returns it; override what a test cares about. */
export function makeEvent(overrides: Partial<TEvent> = {}): TEvent {
  return {
    id: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
    slug: 'harbour-lights-jazz-night',
    organizerId: '0a25008e-b57a-41f9-9f39-3b27df5b4fa4',
    organizer: { id: '0a25008e-b57a-41f9-9f39-3b27df5b4fa4', name: 'Demo', slug: 'demo' },
    title: 'Harbour Lights Jazz Night',
    description: 'Live **jazz**.',
    descriptionHtml: '<p>Live <strong>jazz</strong>.</p>',
    category: 'music',
    tags: ['jazz'],
    language: 'en',
    ageRating: '18+',
    startsAt: '2026-12-05T20:00:00.000Z',
    endsAt: '2026-12-06T00:00:00.000Z',
    timezone: 'Europe/Lisbon',
    venue: { name: 'Armazém 16', address: 'Rua 16', city: 'Lisbon', country: 'PT' },
    onlineUrl: null,
    status: 'published',
    imageUrl: '/files/e/lg.webp',
    imageVariants: { sm: '/files/e/sm.webp', md: '/files/e/md.webp', lg: '/files/e/lg.webp' },
    publishedAt: '2026-11-01T10:00:00.000Z',
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}
