import { z } from 'zod';
import { errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZEventParams } from '../events/events.schema.js';
import { ZAnnouncementRequest, ZBroadcast } from './broadcasts.schema.js';
import type { TBroadcastsService } from './broadcasts.service.js';

export function registerBroadcastsRoutes(
  app: TApp,
  { broadcasts }: { broadcasts: TBroadcastsService },
) {
  const tags = ['Engagement'];
  app.post(
    '/events/:id/announcements',
    {
      schema: {
        tags,
        summary: 'Send an announcement to ticket holders and subscribers (managers)',
        params: ZEventParams,
        body: ZAnnouncementRequest,
        response: { 202: ZBroadcast, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await broadcasts.announce(req.actor, req.params.id, req.body)),
  );
  app.get(
    '/events/:id/announcements',
    {
      schema: {
        tags,
        summary: 'Announcements and notices of an event with delivery counts (managers)',
        params: ZEventParams,
        response: { 200: z.object({ items: z.array(ZBroadcast) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await broadcasts.listForEvent(req.actor, req.params.id) }),
  );
}
