import { describe, expect, test, vi } from 'vitest';
import { createActivityTracker, MAX_BATCH, randomVisitorId, type TActivityDeps } from './activity';

/** A page, storage, clock and network made of plain objects, so every effect can be inspected. */
function makeWorld(
  options: { doNotTrack?: string | null; beaconAccepts?: boolean | 'throws' } = {},
) {
  const stored = new Map<string, string>();
  const timers: { callback: () => void; ms: number; isCleared: boolean }[] = [];
  const pageDocument: { visibilityState: DocumentVisibilityState } = { visibilityState: 'visible' };
  const page = Object.assign(new EventTarget(), { document: pageDocument });
  const beacons: { url: string; body: Blob }[] = [];
  const sendBeacon = vi.fn((url: string | URL, body?: BodyInit | null) => {
    if (options.beaconAccepts === 'throws') throw new TypeError('not allowed');
    beacons.push({ url: String(url), body: body as Blob });
    return options.beaconAccepts ?? true;
  });
  const fetch = vi.fn(() => Promise.resolve(new Response(null, { status: 202 })));
  let ids = 0;
  const deps: TActivityDeps = {
    navigator: { doNotTrack: options.doNotTrack ?? null, sendBeacon },
    fetch,
    storage: {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => void stored.set(key, value),
    },
    page,
    randomId: () => `visitor-${++ids}-abcdefgh`,
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, isCleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      (handle as { isCleared: boolean }).isCleared = true;
    },
    flushIntervalMs: 4_000,
  };
  const runTimers = () => {
    for (const timer of timers.splice(0)) if (!timer.isCleared) timer.callback();
  };
  const pendingTimers = () => timers.filter((t) => !t.isCleared);
  return { deps, stored, page, beacons, sendBeacon, fetch, runTimers, pendingTimers };
}

const payload = async (blob: Blob | undefined) => {
  expect(blob?.type).toBe('application/json');
  return JSON.parse((await blob?.text()) ?? 'null') as unknown;
};

describe('activity tracker', () => {
  test('batches what happens within the interval into one beacon of API-shaped items', async () => {
    const world = makeWorld();
    const tracker = createActivityTracker(world.deps);

    tracker.record({ type: 'page_view', metadata: { path: '/' } });
    tracker.record({ type: 'page_view', metadata: { path: '/events/jazz' } });
    tracker.record({ type: 'event_view', eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10' });
    expect(world.sendBeacon).not.toHaveBeenCalled();
    // One timer for the whole batch, at the configured interval.
    expect(world.pendingTimers().map((t) => t.ms)).toEqual([4_000]);

    world.runTimers();
    expect(world.beacons).toHaveLength(1);
    expect(world.beacons[0]?.url).toBe('/api/v1/activity');
    expect(await payload(world.beacons[0]?.body)).toEqual([
      { type: 'page_view', metadata: { path: '/' }, visitorId: 'visitor-1-abcdefgh' },
      { type: 'page_view', metadata: { path: '/events/jazz' }, visitorId: 'visitor-1-abcdefgh' },
      {
        type: 'event_view',
        eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
        visitorId: 'visitor-1-abcdefgh',
      },
    ]);

    // Nothing queued, nothing sent.
    world.runTimers();
    expect(world.beacons).toHaveLength(1);
  });

  test('keeps one anonymous visitor id in storage across page loads', async () => {
    const world = makeWorld();
    const first = createActivityTracker(world.deps);
    first.record({ type: 'page_view' });
    first.flush();
    const second = createActivityTracker(world.deps);
    second.record({ type: 'page_view' });
    second.flush();

    expect(world.stored.get('tin_visitor')).toBe('visitor-1-abcdefgh');
    const ids = await Promise.all(
      world.beacons.map(async (b) => ((await payload(b.body)) as { visitorId: string }[])[0]),
    );
    expect(ids.map((i) => i?.visitorId)).toEqual(['visitor-1-abcdefgh', 'visitor-1-abcdefgh']);
  });

  test('recording touches neither storage nor the network; the id is read once, when a batch goes', () => {
    const world = makeWorld();
    const getItem = vi.spyOn(
      world.deps.storage as NonNullable<TActivityDeps['storage']>,
      'getItem',
    );
    const tracker = createActivityTracker(world.deps);
    tracker.record({ type: 'page_view', metadata: { path: '/' } });
    tracker.record({ type: 'page_view', metadata: { path: '/events/jazz' } });
    expect(getItem).not.toHaveBeenCalled();
    expect(world.stored.size).toBe(0);

    tracker.flush();
    tracker.record({ type: 'page_view', metadata: { path: '/tickets' } });
    tracker.flush();
    expect(getItem).toHaveBeenCalledTimes(1);
    expect(world.beacons).toHaveLength(2);
  });

  test('sends at once when the page is hidden or closed', () => {
    const world = makeWorld();
    const tracker = createActivityTracker(world.deps);
    tracker.record({ type: 'page_view' });

    world.page.dispatchEvent(new Event('visibilitychange'));
    expect(world.beacons).toHaveLength(0);
    world.page.document.visibilityState = 'hidden';
    world.page.dispatchEvent(new Event('visibilitychange'));
    expect(world.beacons).toHaveLength(1);

    tracker.record({ type: 'share' });
    world.page.dispatchEvent(new Event('pagehide'));
    expect(world.beacons).toHaveLength(2);
    // The flush cancelled the interval timer: nothing goes twice.
    world.runTimers();
    expect(world.beacons).toHaveLength(2);
  });

  test('never sends more than the API accepts in one request', async () => {
    const world = makeWorld();
    const tracker = createActivityTracker(world.deps);
    for (let i = 0; i < MAX_BATCH + 5; i++) tracker.record({ type: 'page_view' });
    // A full batch goes without waiting for the timer.
    expect(world.beacons).toHaveLength(1);
    expect(await payload(world.beacons[0]?.body)).toHaveLength(MAX_BATCH);
    tracker.flush();
    expect(await payload(world.beacons[1]?.body)).toHaveLength(5);
  });

  test.each([false, 'throws'] as const)(
    'falls back to a keepalive fetch when the beacon is refused (%s)',
    (beaconAccepts) => {
      const world = makeWorld({ beaconAccepts });
      const tracker = createActivityTracker(world.deps);
      tracker.record({ type: 'calendar_add', eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10' });
      tracker.flush();

      expect(world.fetch).toHaveBeenCalledTimes(1);
      const [url, init] = world.fetch.mock.calls[0] as unknown as [string, RequestInit];
      expect(url).toBe('/api/v1/activity');
      expect(init).toMatchObject({
        method: 'POST',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
      });
      expect(JSON.parse(init.body as string)).toEqual([
        {
          type: 'calendar_add',
          eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
          visitorId: 'visitor-1-abcdefgh',
        },
      ]);
    },
  );

  test('a failing network or storage never reaches the page', async () => {
    const world = makeWorld({ beaconAccepts: false });
    world.fetch.mockRejectedValue(new TypeError('offline'));
    world.deps.storage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const tracker = createActivityTracker(world.deps);
    expect(() => tracker.record({ type: 'page_view' })).not.toThrow();
    expect(() => tracker.flush()).not.toThrow();
    await Promise.resolve();
    expect(world.fetch).toHaveBeenCalledTimes(1);
  });

  test('with Do Not Track on, nothing is stored, scheduled or sent', () => {
    const world = makeWorld({ doNotTrack: '1' });
    const tracker = createActivityTracker(world.deps);
    tracker.record({ type: 'page_view' });
    tracker.flush();
    world.page.document.visibilityState = 'hidden';
    world.page.dispatchEvent(new Event('visibilitychange'));

    expect(world.sendBeacon).not.toHaveBeenCalled();
    expect(world.fetch).not.toHaveBeenCalled();
    expect(world.pendingTimers()).toEqual([]);
    expect(world.stored.size).toBe(0);
  });

  test('visitor ids are opaque and in the shape the API accepts', () => {
    const id = randomVisitorId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(randomVisitorId()).not.toBe(id);
  });
});
