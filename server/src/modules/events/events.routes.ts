import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParams, ZList, errorResponses, ZErrorResponse } from '../../http/common.schema.js';
import { createSharedBodies } from '../../http/shared-bodies.js';
import type { TApp } from '../../http/types.js';
import { AppError } from '../../errors.js';
import {
  ZCreateEvent,
  ZEvent,
  ZEventImage,
  ZEventListQuery,
  ZEventParams,
  ZEventRefParams,
  ZOrganizerEventsQuery,
  ZUpdateEvent,
} from './events.schema.js';
import type { TEventsService } from './events.service.js';

export function registerEventsRoutes(
  app: TApp,
  opts: { events: TEventsService; imageMaxBytes: number },
) {
  const { events } = opts;
  const tags = ['Events'];
  const eventResponse = { 200: ZEvent, ...errorResponses };
  // The service hands out one memoized object per public page; these serialize each once.
  const catalogueBodies = createSharedBodies();
  const eventBodies = createSharedBodies();

  app.post(
    '/organizers/:id/events',
    {
      schema: {
        tags,
        summary: 'Create a draft event',
        params: ZIdParams,
        body: ZCreateEvent,
        response: { 201: ZEvent, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await events.createEvent(req.actor, req.params.id, req.body)),
  );
  app.get(
    '/organizers/:id/events',
    {
      schema: {
        tags,
        summary: "An organizer's events in every status",
        params: ZIdParams,
        querystring: ZOrganizerEventsQuery,
        response: { 200: ZList(ZEvent), ...errorResponses },
      },
    },
    (req) => events.listOrganizerEvents(req.actor, req.params.id, req.query),
  );
  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: 'Search published events',
        querystring: ZEventListQuery,
        response: { 200: ZList(ZEvent), ...errorResponses },
      },
    },
    async (req, reply) =>
      catalogueBodies.send(req, reply, await events.listPublicEvents(req.query)),
  );
  app.get(
    '/events/:id',
    {
      schema: {
        tags,
        summary: 'One event by id or slug',
        params: ZEventRefParams,
        response: eventResponse,
      },
    },
    async (req, reply) =>
      eventBodies.send(req, reply, await events.getEvent(req.actor, req.params.id)),
  );
  app.patch(
    '/events/:id',
    { schema: { tags, params: ZEventParams, body: ZUpdateEvent, response: eventResponse } },
    (req) => events.updateEvent(req.actor, req.params.id, req.body),
  );
  app.post(
    '/events/:id/publish',
    { schema: { tags, params: ZEventParams, response: eventResponse } },
    (req) => events.publishEvent(req.actor, req.params.id),
  );
  app.post(
    '/events/:id/cancel',
    { schema: { tags, params: ZEventParams, response: eventResponse } },
    (req) => events.cancelEvent(req.actor, req.params.id),
  );
  app.get(
    '/events/:id/calendar.ics',
    {
      schema: {
        tags,
        summary: 'The event as an iCalendar file',
        params: ZEventRefParams,
        response: { 200: z.string().describe('text/calendar'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const calendar = await events.getEventCalendar(req.actor, req.params.id);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${calendar.filename}"`)
        .send(calendar.body);
    },
  );
  // Multipart bodies are read by this route alone, so the plugin is registered for it alone: its
  // per-request hooks (two async hooks and a listener on every response) stay off every other route.
  void app.register(async (multipartScope) => {
    await multipartScope.register(fastifyMultipart, {
      limits: { fileSize: opts.imageMaxBytes, files: 1, fields: 10 },
    });
    const scope = multipartScope.withTypeProvider<ZodTypeProvider>();
    scope.put(
      '/events/:id/image',
      {
        bodyLimit: opts.imageMaxBytes + 64 * 1024,
        schema: {
          tags,
          summary: 'Upload the event image (raw image bytes, or multipart with one file)',
          description:
            'JPEG, PNG, GIF, WebP or AVIF, checked by content; stored as 400/800/1600 px WebP renditions.',
          params: ZEventParams,
          response: {
            200: ZEventImage,
            ...errorResponses,
            413: ZErrorResponse,
            415: ZErrorResponse,
            422: ZErrorResponse,
          },
        },
      },
      async (req) => {
        let bytes: Buffer;
        if (req.isMultipart()) {
          bytes = await readMultipartFile(req, opts.imageMaxBytes);
        } else if (Buffer.isBuffer(req.body)) {
          bytes = req.body;
        } else {
          throw new AppError(
            'unsupported_media_type',
            undefined,
            'Send the image bytes with an image/* content type, or multipart/form-data.',
          );
        }
        return events.setEventImage(req.actor, req.params.id, bytes);
      },
    );
  });
}

/**
 * The one file of a multipart upload. A body the multipart parser cannot read (no boundary,
 * cut-off parts) is the client's mistake: a 422, not the parser's bare Error turned into a 500.
 */
async function readMultipartFile(req: FastifyRequest, maxBytes: number): Promise<Buffer> {
  try {
    const file = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file) throw new AppError('invalid_image', undefined, 'The multipart body holds no file.');
    return await file.toBuffer();
  } catch (error) {
    // Our own errors and Fastify's coded ones (413 file too large…) already say what went wrong.
    if (
      error instanceof AppError ||
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
    )
      throw error;
    throw new AppError('invalid_image', undefined, 'The multipart body could not be read.');
  }
}
