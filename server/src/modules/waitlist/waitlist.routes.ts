import { z } from 'zod';
import { ZEmail, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZTicketTypeParams } from '../ticket-types/ticket-types.schema.js';
import type { TWaitlistService } from './waitlist.service.js';

const ZWaitlistJoined = z.object({
  status: z.enum(['waiting', 'offered', 'claimed', 'lapsed']),
  position: z.number().int(),
});

export function registerWaitlistRoutes(app: TApp, { waitlist }: { waitlist: TWaitlistService }) {
  app.post(
    '/ticket-types/:id/waitlist',
    {
      schema: {
        tags: ['Waiting list'],
        summary: 'Join the waiting list of a sold-out ticket type',
        params: ZTicketTypeParams,
        body: z.strictObject({ email: ZEmail }),
        response: { 202: ZWaitlistJoined, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await waitlist.join(req.params.id, req.body.email, req.ip)),
  );
}
