import { errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZActivityAccepted, ZActivityRequest } from './activity.schema.js';
import type { TActivityService } from './activity.service.js';

export function registerActivityRoutes(app: TApp, { activity }: { activity: TActivityService }) {
  app.post(
    '/activity',
    {
      // A batch of 50 small items fits easily; anything bigger is not a page view.
      bodyLimit: 32 * 1024,
      schema: {
        tags: ['Engagement'],
        summary: 'Record page views and actions (one or a batch of up to 50)',
        body: ZActivityRequest,
        response: { 202: ZActivityAccepted, ...errorResponses },
      },
    },
    async (req, reply) => {
      const items = Array.isArray(req.body) ? req.body : [req.body];
      return reply.code(202).send({ accepted: await activity.record(req.actor, items, req.ip) });
    },
  );
}
