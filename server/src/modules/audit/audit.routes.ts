import { ZIdParams, ZList, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZAuditEntry, ZAuditQuery } from './audit.schema.js';
import type { TAuditService } from './audit.service.js';

export function registerAuditRoutes(app: TApp, { audit }: { audit: TAuditService }) {
  app.get(
    '/organizers/:id/audit-log',
    {
      schema: {
        tags: ['Organizers'],
        summary: 'Who changed what, newest first',
        params: ZIdParams,
        querystring: ZAuditQuery,
        response: { 200: ZList(ZAuditEntry), ...errorResponses },
      },
    },
    (req) => audit.listAuditLog(req.actor, req.params.id, req.query),
  );
}
