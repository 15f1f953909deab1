import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type {
  TActivityRecord,
  TActivityStore,
} from '../../src/adapters/activity/activity-store.js';

/** One behaviour for every activity store: PostgreSQL and DynamoDB pass the same cases. */
export function activityContract(setup: () => { store: TActivityStore }) {
  const view = (
    eventId: string,
    at: string,
    who: Partial<TActivityRecord> = {},
  ): TActivityRecord => ({
    type: 'event_view',
    eventId,
    userId: null,
    visitorId: null,
    metadata: {},
    occurredAt: new Date(at),
    ...who,
  });

  it('counts an event’s views, unique visitors and views per day in its time zone', async () => {
    const { store } = setup();
    const eventId = randomUUID();
    const userId = randomUUID();
    const records: TActivityRecord[] = [
      // 23:30 UTC on the 1st is already the 2nd in Berlin.
      view(eventId, '2030-05-01T23:30:00Z', { visitorId: 'visitor-aaaa' }),
      view(eventId, '2030-05-02T08:00:00Z', { visitorId: 'visitor-aaaa' }),
      view(eventId, '2030-05-02T09:00:00Z', { userId }),
      view(eventId, '2030-05-03T09:00:00Z', { userId, visitorId: 'visitor-bbbb' }),
      view(eventId, '2030-05-03T10:00:00Z'),
      {
        ...view(eventId, '2030-05-03T10:00:00Z', { visitorId: 'visitor-cccc' }),
        type: 'ticket_select',
      },
      view(randomUUID(), '2030-05-03T10:00:00Z', { visitorId: 'visitor-dddd' }),
      {
        ...view(eventId, '2030-05-03T11:00:00Z'),
        eventId: null,
        type: 'page_view',
        metadata: { path: '/' },
      },
    ];
    await store.append(records);
    const views = await store.eventViews(eventId, 'Europe/Berlin');
    expect(views.views).toBe(5);
    // visitor-aaaa, the user (with or without a visitor id), and nobody for the anonymous one.
    expect(views.uniqueVisitors).toBe(2);
    expect(views.daily).toEqual([
      { date: '2030-05-02', views: 3, uniqueVisitors: 2 },
      { date: '2030-05-03', views: 2, uniqueVisitors: 1 },
    ]);
  });

  it('takes large batches in one call', async () => {
    const { store } = setup();
    const eventId = randomUUID();
    await store.append(
      Array.from({ length: 120 }, (_, i) =>
        view(eventId, `2030-06-01T10:${String(i % 60).padStart(2, '0')}:00Z`, {
          visitorId: `visitor-${i % 40}-xx`,
        }),
      ),
    );
    const views = await store.eventViews(eventId, 'UTC');
    expect(views.views).toBe(120);
    expect(views.uniqueVisitors).toBe(40);
  });

  it('answers zeros for an event nobody has seen', async () => {
    expect(await setup().store.eventViews(randomUUID(), 'UTC')).toEqual({
      views: 0,
      uniqueVisitors: 0,
      daily: [],
    });
  });

  it('answers a health check', async () => {
    await expect(setup().store.ping()).resolves.toBeUndefined();
  });
}
