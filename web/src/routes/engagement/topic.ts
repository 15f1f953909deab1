import { api } from '../../api/client';
import { request } from '../../api/errors';

/** What a subscription topic points at, with a link to its public page when there is one. */
export type TTopicTarget = { label: string; href: string | null };

/** Parses `newsletter`, `organizer:<id>` or `event:<id>`; null for anything else. */
export function parseTopic(
  topic: string,
): { kind: 'newsletter' } | { kind: 'organizer' | 'event'; id: string } | null {
  if (topic === 'newsletter') return { kind: 'newsletter' };
  const match = /^(organizer|event):(.+)$/.exec(topic);
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1] as 'organizer' | 'event', id: match[2] };
}

/** A generic description of a topic, used until (or unless) its name can be looked up. */
export function genericTopicTarget(topic: string): TTopicTarget {
  const parsed = parseTopic(topic);
  if (parsed?.kind === 'newsletter') return { label: 'the TickItNow newsletter', href: '/' };
  if (parsed?.kind === 'organizer') return { label: 'news from this organizer', href: null };
  if (parsed?.kind === 'event') return { label: 'updates about this event', href: null };
  return { label: 'these e-mails', href: null };
}

/**
 * Names a topic for people ("updates about Harbour Lights Jazz Night"), looking up the event or
 * organizer; falls back to the generic wording when it is not public (any more).
 */
export async function loadTopicTarget(topic: string, signal?: AbortSignal): Promise<TTopicTarget> {
  const parsed = parseTopic(topic);
  try {
    if (parsed?.kind === 'event') {
      const event = await request(
        api.GET('/api/v1/events/{id}', { params: { path: { id: parsed.id } }, signal }),
      );
      return { label: `updates about ${event.title}`, href: `/events/${event.slug}` };
    }
    if (parsed?.kind === 'organizer') {
      const organizer = await request(
        api.GET('/api/v1/organizers/{id}', { params: { path: { id: parsed.id } }, signal }),
      );
      return { label: `news from ${organizer.name}`, href: null };
    }
  } catch {
    // The generic wording below is good enough.
  }
  return genericTopicTarget(topic);
}
