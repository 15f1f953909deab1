import { ZList, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { z } from 'zod';
import { ZSignedUrl, ZTicketDetail, ZTicketListQuery, ZTicketParams } from './tickets.schema.js';
import type { TTicketsService } from './tickets.service.js';

export function registerTicketsRoutes(app: TApp, { tickets }: { tickets: TTicketsService }) {
  const tags = ['Tickets'];
  app.get(
    '/tickets/:id',
    {
      schema: { tags, params: ZTicketParams, response: { 200: ZTicketDetail, ...errorResponses } },
    },
    (req) => tickets.getTicket(req.actor, req.params.id),
  );
  app.get(
    '/tickets/:id/qr',
    {
      schema: {
        tags,
        summary: 'A time-limited URL of the QR code PNG',
        params: ZTicketParams,
        response: { 200: ZSignedUrl, ...errorResponses },
      },
    },
    (req) => tickets.getTicketQrUrl(req.actor, req.params.id),
  );
  app.get(
    '/tickets/:id/pdf',
    {
      schema: {
        tags,
        summary: 'The ticket as a PDF',
        params: ZTicketParams,
        response: { 200: z.instanceof(Buffer).describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { filename, pdf } = await tickets.getTicketPdf(req.actor, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
  app.get(
    '/me/tickets',
    {
      schema: {
        tags,
        querystring: ZTicketListQuery,
        response: { 200: ZList(ZTicketDetail), ...errorResponses },
      },
    },
    (req) => tickets.listMyTickets(req.actor, req.query),
  );
}
