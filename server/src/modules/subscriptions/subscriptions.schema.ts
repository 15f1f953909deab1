import { z } from 'zod';
import { ZEmail } from '../../http/common.schema.js';

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const topicPattern = new RegExp(`^(newsletter|organizer:${uuidPattern}|event:${uuidPattern})$`);

/** What one can subscribe to: the platform newsletter, an organizer, or one event. */
export const ZTopic = z
  .string()
  .trim()
  .toLowerCase()
  .max(60)
  .regex(topicPattern, { error: 'must be newsletter, organizer:<id> or event:<id>' })
  .describe('`newsletter`, `organizer:<id>` or `event:<id>`');
export type TTopic = z.infer<typeof ZTopic>;

export const ZSubscribeRequest = z.strictObject({ email: ZEmail, topic: ZTopic });
export type TSubscribeRequest = z.infer<typeof ZSubscribeRequest>;

export const ZTokenQuery = z.strictObject({ token: z.string().min(10).max(600) });

export const ZSubscription = z
  .object({
    email: z.string(),
    topic: z.string(),
    status: z.enum(['pending', 'confirmed', 'unsubscribed']),
  })
  .meta({ id: 'Subscription' });
export type TSubscription = z.infer<typeof ZSubscription>;

/** Parses a topic into what it points at. */
export function parseTopic(
  topic: string,
): { kind: 'newsletter' } | { kind: 'organizer' | 'event'; id: string } {
  if (topic === 'newsletter') return { kind: 'newsletter' };
  const [kind, id] = topic.split(':') as ['organizer' | 'event', string];
  return { kind, id };
}
