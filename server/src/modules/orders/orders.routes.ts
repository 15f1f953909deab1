import { ZList, ZErrorResponse, errorResponses } from '../../http/common.schema.js';
import type { TApp } from '../../http/types.js';
import { ZEventParams } from '../events/events.schema.js';
import {
  ZClaimOffer,
  ZCreateOrder,
  ZOrder,
  ZOrderListQuery,
  ZOrderParams,
  ZPayOrder,
} from './orders.schema.js';
import type { TOrdersService } from './orders.service.js';

export function registerOrdersRoutes(app: TApp, { orders }: { orders: TOrdersService }) {
  const tags = ['Orders'];
  const orderResponse = { 200: ZOrder, ...errorResponses };

  app.post(
    '/orders',
    {
      schema: {
        tags,
        summary: 'Hold tickets in a new order',
        description:
          'Send an `Idempotency-Key` header: repeating the request with the same key returns the same order (200) instead of a second one.',
        body: ZCreateOrder,
        response: { 201: ZOrder, ...orderResponse },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const { order, isReplay } = await orders.createOrder(
        req.actor,
        req.body,
        Array.isArray(key) ? key.join(',') : key,
      );
      if (isReplay) void reply.header('idempotent-replayed', 'true');
      return reply.code(isReplay ? 200 : 201).send(order);
    },
  );
  app.get(
    '/orders/:id',
    { schema: { tags, params: ZOrderParams, response: orderResponse } },
    (req) => orders.getOrder(req.actor, req.params.id),
  );
  app.post(
    '/orders/:id/pay',
    {
      schema: {
        tags,
        summary: 'Pay a pending order',
        params: ZOrderParams,
        body: ZPayOrder,
        response: { ...orderResponse, 402: ZErrorResponse, 502: ZErrorResponse },
      },
    },
    (req) => orders.payOrder(req.actor, req.params.id, req.body),
  );
  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel (pending) or refund (paid)',
        params: ZOrderParams,
        response: orderResponse,
      },
    },
    (req) => orders.cancelOrder(req.actor, req.params.id),
  );
  app.get(
    '/me/orders',
    {
      schema: {
        tags,
        querystring: ZOrderListQuery,
        response: { 200: ZList(ZOrder), ...errorResponses },
      },
    },
    (req) => orders.listMyOrders(req.actor, req.query),
  );
  app.get(
    '/events/:id/orders',
    {
      schema: {
        tags,
        summary: "An event's orders, for its organizer",
        params: ZEventParams,
        querystring: ZOrderListQuery,
        response: { 200: ZList(ZOrder), ...errorResponses },
      },
    },
    (req) => orders.listEventOrders(req.actor, req.params.id, req.query),
  );
  app.post(
    '/waitlist/claim',
    {
      schema: {
        tags: ['Waiting list'],
        summary: 'Claim a waiting-list offer: creates a pending order for the kept ticket',
        body: ZClaimOffer,
        response: { 201: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await orders.claimWaitlistOffer(req.actor, req.body.token)),
  );
}
