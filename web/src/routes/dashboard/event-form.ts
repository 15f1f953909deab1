import type { TAgeRating, TCategory, TCreateEventBody, TEvent } from '../../api/client';
import { ageRatings, eventCategories } from '../../api/client';
import { instantToZonedLocal, isValidTimeZone, zonedLocalToInstant } from '../../lib/zoned-time';

/** The editor's fields as the inputs hold them (strings), before they become an API body. */
export type TEventFormValues = {
  title: string;
  description: string;
  category: TCategory | '';
  tags: string;
  language: string;
  ageRating: TAgeRating;
  startsLocal: string;
  endsLocal: string;
  timezone: string;
  locationMode: 'venue' | 'online';
  venueName: string;
  venueAddress: string;
  venueCity: string;
  venueCountry: string;
  onlineUrl: string;
};

/** The API's field paths the editor has an input for; issues on other paths go to the form. */
export const eventFieldKeys = [
  'title',
  'description',
  'category',
  'tags',
  'language',
  'ageRating',
  'startsAt',
  'endsAt',
  'timezone',
  'venue',
  'venue.name',
  'venue.address',
  'venue.city',
  'venue.country',
  'onlineUrl',
] as const;

export function emptyEventForm(timezone: string): TEventFormValues {
  return {
    title: '',
    description: '',
    category: '',
    tags: '',
    language: 'en',
    ageRating: 'all',
    startsLocal: '',
    endsLocal: '',
    timezone,
    locationMode: 'venue',
    venueName: '',
    venueAddress: '',
    venueCity: '',
    venueCountry: '',
    onlineUrl: '',
  };
}

/** The form for an existing event: its instants shown as wall-clock times in its own zone. */
export function eventToForm(event: TEvent): TEventFormValues {
  const timezone = isValidTimeZone(event.timezone) ? event.timezone : 'UTC';
  return {
    title: event.title,
    description: event.description,
    category: event.category,
    tags: event.tags.join(', '),
    language: event.language,
    ageRating: event.ageRating,
    startsLocal: instantToZonedLocal(event.startsAt, timezone),
    endsLocal: instantToZonedLocal(event.endsAt, timezone),
    timezone,
    locationMode: event.venue ? 'venue' : 'online',
    venueName: event.venue?.name ?? '',
    venueAddress: event.venue?.address ?? '',
    venueCity: event.venue?.city ?? '',
    venueCountry: event.venue?.country ?? '',
    onlineUrl: event.onlineUrl ?? '',
  };
}

/** Splits "jazz, Live ,  nightlife" into tags; the server lower-cases and de-duplicates. */
export function parseTags(input: string): string[] {
  return input
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export type TFormResult =
  { ok: true; body: TCreateEventBody } | { ok: false; errors: Record<string, string> };

/**
 * Builds the API body. Only what the server cannot judge is checked here: a date-time the
 * browser cannot turn into an instant. Everything else is left to the server's validation, whose
 * messages appear beside the fields.
 */
export function formToEventBody(values: TEventFormValues): TFormResult {
  const errors: Record<string, string> = {};
  const toInstant = (local: string, key: 'startsAt' | 'endsAt', what: string) => {
    if (!local) {
      errors[key] = `Enter the ${what} date and time.`;
      return null;
    }
    if (!isValidTimeZone(values.timezone)) {
      errors['timezone'] = 'Choose a time zone from the list.';
      return null;
    }
    try {
      return zonedLocalToInstant(local, values.timezone);
    } catch {
      errors[key] = `Enter a valid ${what} date and time.`;
      return null;
    }
  };
  const startsAt = toInstant(values.startsLocal, 'startsAt', 'start');
  const endsAt = toInstant(values.endsLocal, 'endsAt', 'end');
  if (!startsAt || !endsAt) return { ok: false, errors };

  const category = eventCategories.find((c) => c === values.category);
  const ageRating = ageRatings.find((r) => r === values.ageRating) ?? 'all';
  const isVenue = values.locationMode === 'venue';
  const body: TCreateEventBody = {
    title: values.title,
    description: values.description,
    // An unchosen category is sent as-is so the server reports it beside the field.
    category: category ?? (values.category as TCategory),
    tags: parseTags(values.tags),
    language: values.language.trim(),
    ageRating,
    startsAt,
    endsAt,
    timezone: values.timezone,
    venue: isVenue
      ? {
          name: values.venueName,
          address: values.venueAddress,
          city: values.venueCity,
          country: values.venueCountry.trim().toUpperCase(),
        }
      : null,
    onlineUrl: isVenue ? null : values.onlineUrl.trim(),
  };
  return { ok: true, body };
}
