import { z } from 'zod';
import { ZErrorResponse, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZEventParams } from '../events/events.schema.js';
import {
  ZCheckInRequest,
  ZCheckInResult,
  ZCheckInStats,
  ZCheckInTicketParams,
  ZScannedTicket,
  ZScannerKeys,
  ZScannerKeysQuery,
  ZSyncRequest,
  ZSyncResult,
} from './checkin.schema.js';
import { checkInStatus, type TCheckinService } from './checkin.service.js';

export function registerCheckinRoutes(app: TApp, { checkin }: { checkin: TCheckinService }) {
  const tags = ['Check-in'];
  app.post(
    '/events/:id/check-ins',
    {
      schema: {
        tags,
        summary: 'Scan a ticket at a gate',
        description:
          '200 ok · 409 already_checked_in (with when and which gate) · 422 invalid, void or wrong_event.',
        params: ZEventParams,
        body: ZCheckInRequest,
        response: {
          200: ZCheckInResult,
          409: ZCheckInResult.or(ZErrorResponse),
          422: ZCheckInResult,
          ...{
            400: ZErrorResponse,
            401: ZErrorResponse,
            403: ZErrorResponse,
            404: ZErrorResponse,
            429: ZErrorResponse,
          },
        },
      },
    },
    async (req, reply) => {
      const result = await checkin.checkIn(req.actor, req.params.id, req.body);
      return reply.code(checkInStatus[result.result]).send(result);
    },
  );
  app.post(
    '/events/:id/check-ins/sync',
    {
      schema: {
        tags,
        summary: 'Upload scans made offline; each gets its result',
        params: ZEventParams,
        body: ZSyncRequest,
        response: { 200: z.object({ results: z.array(ZSyncResult) }), ...errorResponses },
      },
    },
    (req) => checkin.sync(req.actor, req.params.id, req.body),
  );
  app.get(
    '/events/:id/scanner-keys',
    {
      schema: {
        tags,
        summary: 'Public keys and revocations for offline scanning',
        params: ZEventParams,
        querystring: ZScannerKeysQuery,
        response: { 200: ZScannerKeys, ...errorResponses },
      },
    },
    (req) => checkin.scannerKeys(req.actor, req.params.id, req.query.since),
  );
  app.get(
    '/events/:id/check-ins/stats',
    { schema: { tags, params: ZEventParams, response: { 200: ZCheckInStats, ...errorResponses } } },
    (req) => checkin.stats(req.actor, req.params.id),
  );
  app.delete(
    '/events/:id/check-ins/:ticketId',
    {
      schema: {
        tags,
        summary: 'Undo a check-in (managers)',
        params: ZCheckInTicketParams,
        response: { 200: ZScannedTicket, ...errorResponses },
      },
    },
    (req) => checkin.undo(req.actor, req.params.id, req.params.ticketId),
  );
}
