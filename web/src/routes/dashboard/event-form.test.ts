import { describe, expect, test } from 'vitest';
import { makeEvent } from '../../test/factories';
import { emptyEventForm, eventToForm, formToEventBody, parseTags } from './event-form';

describe('formToEventBody', () => {
  const filled = {
    ...emptyEventForm('America/New_York'),
    title: 'Kayak tour',
    category: 'sports' as const,
    tags: ' kayak, Night ,, ',
    startsLocal: '2030-06-15T19:30',
    endsLocal: '2030-06-15T22:00',
    venueName: 'Boathouse',
    venueCity: 'New York',
    venueCountry: 'us',
  };

  test('turns wall-clock times in the chosen zone into instants with offsets', () => {
    const result = formToEventBody(filled);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body).toMatchObject({
      startsAt: '2030-06-15T19:30:00-04:00',
      endsAt: '2030-06-15T22:00:00-04:00',
      timezone: 'America/New_York',
      tags: ['kayak', 'Night'],
      venue: { name: 'Boathouse', address: '', city: 'New York', country: 'US' },
      onlineUrl: null,
    });
  });

  test('online events send the link and no venue', () => {
    const result = formToEventBody({
      ...filled,
      locationMode: 'online',
      onlineUrl: ' https://x.example/live ',
    });
    expect(result.ok && result.body.venue).toBeNull();
    expect(result.ok && result.body.onlineUrl).toBe('https://x.example/live');
  });

  test('missing or impossible date-times are reported beside their fields', () => {
    expect(formToEventBody({ ...filled, startsLocal: '', endsLocal: '2030-02-30T10:00' })).toEqual({
      ok: false,
      errors: {
        startsAt: 'Enter the start date and time.',
        endsAt: 'Enter a valid end date and time.',
      },
    });
  });

  test('an unknown zone is reported on the zone field', () => {
    const result = formToEventBody({ ...filled, timezone: 'Nowhere/Land' });
    expect(result).toEqual({
      ok: false,
      errors: { timezone: 'Choose a time zone from the list.' },
    });
  });
});

describe('eventToForm', () => {
  test('shows the stored instants as wall-clock times in the event’s zone', () => {
    const form = eventToForm(
      makeEvent({
        startsAt: '2026-11-28T18:00:00.000Z',
        endsAt: '2026-11-28T20:00:00.000Z',
        timezone: 'America/Los_Angeles',
      }),
    );
    expect(form.startsLocal).toBe('2026-11-28T10:00');
    expect(form.endsLocal).toBe('2026-11-28T12:00');
    expect(form.locationMode).toBe('venue');
    expect(form.tags).toBe('jazz');
  });

  test('parseTags drops empty entries', () => {
    expect(parseTags('a, ,b,')).toEqual(['a', 'b']);
  });
});
