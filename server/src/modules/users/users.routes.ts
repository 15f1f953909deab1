import { errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZUpdateMe, ZUser } from './users.schema.js';
import type { TUsersService } from './users.service.js';

export function registerUsersRoutes(app: TApp, { users }: { users: TUsersService }) {
  const tags = ['Account'];
  app.get('/me', { schema: { tags, response: { 200: ZUser, ...errorResponses } } }, (req) =>
    users.getMe(req.actor),
  );
  app.patch(
    '/me',
    { schema: { tags, body: ZUpdateMe, response: { 200: ZUser, ...errorResponses } } },
    (req) => users.updateMe(req.actor, req.body),
  );
}
