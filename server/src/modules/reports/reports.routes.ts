import { z } from 'zod';
import { errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZEventParams } from '../events/events.schema.js';
import { ZAnalytics, ZAttendee, ZExportQuery } from './reports.schema.js';
import type { TReportsService } from './reports.service.js';

const ZCsv = z.string().describe('text/csv (RFC 4180)');

export function registerReportsRoutes(app: TApp, { reports }: { reports: TReportsService }) {
  const tags = ['Reports'];
  app.get(
    '/events/:id/analytics',
    {
      schema: {
        tags,
        summary: 'Views, visitors, conversion, sales, revenue and check-ins (managers)',
        params: ZEventParams,
        response: { 200: ZAnalytics, ...errorResponses },
      },
    },
    (req) => reports.analytics(req.actor, req.params.id),
  );
  app.get(
    '/events/:id/attendees',
    {
      schema: {
        tags,
        summary: 'Attendees of an event; `?format=csv` for a spreadsheet (managers)',
        params: ZEventParams,
        querystring: ZExportQuery,
        response: { 200: z.object({ items: z.array(ZAttendee) }).or(ZCsv), ...errorResponses },
      },
    },
    async (req, reply) => {
      if (req.query.format === 'json')
        return { items: await reports.attendees(req.actor, req.params.id) };
      const csv = await reports.attendeesCsv(req.actor, req.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .send(csv.body);
    },
  );
  app.get(
    '/events/:id/orders.csv',
    {
      schema: {
        tags,
        summary: 'Orders of an event as CSV (managers)',
        params: ZEventParams,
        response: { 200: ZCsv, ...errorResponses },
      },
    },
    async (req, reply) => {
      const csv = await reports.ordersCsv(req.actor, req.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .send(csv.body);
    },
  );
  app.get(
    '/me/calendar.ics',
    {
      schema: {
        tags,
        summary: 'A calendar of every event I hold tickets for',
        response: { 200: z.string().describe('text/calendar'), ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="my-tickets.ics"')
        .send(await reports.myCalendar(req.actor)),
  );
}
