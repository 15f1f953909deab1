import { z } from 'zod';
import { ZIdParams, ZNoContent, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import {
  ZAddMember,
  ZCreateOrganizer,
  ZMember,
  ZMemberParams,
  ZOrganizer,
  ZUpdateMember,
} from './organizers.schema.js';
import type { TOrganizersService } from './organizers.service.js';

export function registerOrganizersRoutes(
  app: TApp,
  { organizers }: { organizers: TOrganizersService },
) {
  const tags = ['Organizers'];

  app.post(
    '/organizers',
    { schema: { tags, body: ZCreateOrganizer, response: { 201: ZOrganizer, ...errorResponses } } },
    async (req, reply) =>
      reply.code(201).send(await organizers.createOrganizer(req.actor, req.body)),
  );
  app.get(
    '/organizers/:id',
    { schema: { tags, params: ZIdParams, response: { 200: ZOrganizer, ...errorResponses } } },
    (req) => organizers.getOrganizer(req.actor, req.params.id),
  );
  app.get(
    '/me/organizers',
    {
      schema: {
        tags,
        response: {
          200: z.object({ items: z.array(ZOrganizer), nextCursor: z.null() }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await organizers.listMyOrganizers(req.actor), nextCursor: null }),
  );
  app.get(
    '/organizers/:id/members',
    {
      schema: {
        tags,
        params: ZIdParams,
        response: {
          200: z.object({ items: z.array(ZMember), nextCursor: z.null() }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      items: await organizers.listMembers(req.actor, req.params.id),
      nextCursor: null,
    }),
  );
  app.post(
    '/organizers/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member by e-mail',
        params: ZIdParams,
        body: ZAddMember,
        response: { 201: ZMember, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await organizers.addMember(req.actor, req.params.id, req.body)),
  );
  app.patch(
    '/organizers/:id/members/:userId',
    {
      schema: {
        tags,
        params: ZMemberParams,
        body: ZUpdateMember,
        response: { 200: ZMember, ...errorResponses },
      },
    },
    (req) => organizers.updateMember(req.actor, req.params.id, req.params.userId, req.body),
  );
  app.delete(
    '/organizers/:id/members/:userId',
    { schema: { tags, params: ZMemberParams, response: { 204: ZNoContent, ...errorResponses } } },
    async (req, reply) => {
      await organizers.removeMember(req.actor, req.params.id, req.params.userId);
      return reply.code(204).send(null);
    },
  );
}
