import { ZNoContent, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZSubscribeRequest, ZSubscription, ZTokenQuery } from './subscriptions.schema.js';
import type { TSubscriptionsService } from './subscriptions.service.js';

export function registerSubscriptionsRoutes(
  app: TApp,
  { subscriptions }: { subscriptions: TSubscriptionsService },
) {
  const tags = ['Subscriptions'];
  const responses = { ...errorResponses, 410: errorResponses[404] };

  app.post(
    '/subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscribe an e-mail to a topic (double opt-in)',
        description:
          'Always 202: a confirmation e-mail is sent unless the address is already confirmed.',
        body: ZSubscribeRequest,
        response: { 202: ZNoContent, ...responses },
      },
    },
    async (req, reply) => {
      await subscriptions.subscribe(req.body, req.ip);
      return reply.code(202).send(null);
    },
  );

  app.get(
    '/subscriptions/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a subscription with the one-time link',
        querystring: ZTokenQuery,
        response: { 200: ZSubscription, ...responses },
      },
    },
    (req) => subscriptions.confirm(req.query.token),
  );

  const unsubscribe = {
    schema: {
      tags,
      summary: 'Unsubscribe in one click (also the List-Unsubscribe target)',
      querystring: ZTokenQuery,
      response: { 200: ZSubscription, ...responses },
    },
  };
  app.get('/subscriptions/unsubscribe', unsubscribe, (req) =>
    subscriptions.unsubscribe(req.query.token),
  );
  // RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click` as a form to the link.
  app.register((scope, _opts, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, _body, next) => next(null, null),
    );
    (scope as TApp).post('/subscriptions/unsubscribe', unsubscribe, (req) =>
      subscriptions.unsubscribe(req.query.token),
    );
    done();
  });
}
