import { z } from 'zod';
import { ZNoContent, errorResponses } from '../../http/common.schema.js';
import { createSharedBodies } from '../../http/shared-bodies.js';
import type { TApp } from '../../http/types.js';
import { ZEventParams } from '../events/events.schema.js';
import {
  ZCreateTicketType,
  ZTicketType,
  ZTicketTypeParams,
  ZUpdateTicketType,
  type TTicketType,
} from './ticket-types.schema.js';
import type { TTicketTypesService } from './ticket-types.service.js';

export function registerTicketTypesRoutes(
  app: TApp,
  { ticketTypes }: { ticketTypes: TTicketTypesService },
) {
  const tags = ['Ticket types'];
  // Visitors share one memoized list per event; it is serialized once, not per request.
  const listBodies = createSharedBodies((items: TTicketType[]) => ({ items, nextCursor: null }));
  app.get(
    '/events/:id/ticket-types',
    {
      schema: {
        tags,
        summary: 'Ticket types with live availability',
        params: ZEventParams,
        response: {
          200: z.object({ items: z.array(ZTicketType), nextCursor: z.null() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      listBodies.send(req, reply, await ticketTypes.listTicketTypes(req.actor, req.params.id)),
  );
  app.post(
    '/events/:id/ticket-types',
    {
      schema: {
        tags,
        params: ZEventParams,
        body: ZCreateTicketType,
        response: { 201: ZTicketType, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await ticketTypes.createTicketType(req.actor, req.params.id, req.body)),
  );
  app.patch(
    '/ticket-types/:id',
    {
      schema: {
        tags,
        params: ZTicketTypeParams,
        body: ZUpdateTicketType,
        response: { 200: ZTicketType, ...errorResponses },
      },
    },
    (req) => ticketTypes.updateTicketType(req.actor, req.params.id, req.body),
  );
  app.delete(
    '/ticket-types/:id',
    {
      schema: { tags, params: ZTicketTypeParams, response: { 204: ZNoContent, ...errorResponses } },
    },
    async (req, reply) => {
      await ticketTypes.deleteTicketType(req.actor, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
