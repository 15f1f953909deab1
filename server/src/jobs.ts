import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { TConfig } from './config.js';
import type { TDeps } from './deps.js';
import { createJobRunner, type TJob } from './adapters/jobs/job-queue.js';
import type { TServices } from './services.js';

const ZOrderPayload = z.object({ orderId: z.uuid() });
const ZMailPayload = z.union([
  z.object({
    template: z.enum([
      'order_confirmed',
      'order_cancelled',
      'order_refunded',
      'hold_expired',
      'event_cancelled',
    ]),
    orderId: z.uuid(),
  }),
  z.object({ template: z.enum(['waitlist_joined', 'waitlist_offer']), entryId: z.number().int() }),
  z.object({
    template: z.literal('subscription_confirm'),
    subscriptionId: z.number().int(),
    generation: z.number().int(),
  }),
]);
const ZBroadcastPayload = z.object({ broadcastId: z.number().int() });
const ZSubscribePayload = z.object({ email: z.string(), topic: z.string() });

/**
 * The background worker: every job kind and periodic sweep, over the durable queue. It runs
 * inside the API process by default and as `tickitnow worker` when scaled separately.
 */
export function createWorker(
  config: TConfig,
  deps: TDeps,
  services: TServices,
  logger: FastifyBaseLogger,
) {
  const { mails } = services;
  return createJobRunner({
    db: deps.database.db,
    clock: deps.clock,
    logger,
    pollIntervalMs: config.workers.pollIntervalMs,
    handlers: {
      /** Renders from current state at send time; a message whose reason has gone (e.g. an offer already claimed) is skipped. */
      'mail.send': async (job: TJob) => {
        const payload = ZMailPayload.parse(job.payload);
        const mail =
          'orderId' in payload
            ? await mails[payload.template](payload.orderId)
            : 'entryId' in payload
              ? await mails[payload.template](payload.entryId)
              : await mails[payload.template](payload.subscriptionId, payload.generation);
        if (mail)
          await deps.mailer.send({
            ...mail,
            headers: { ...mail.headers, 'X-TickItNow-Message': `job-${job.id}` },
          });
      },
      'tickets.store_qr': async (job) => {
        await services.tickets.storeQrCodes(ZOrderPayload.parse(job.payload).orderId);
      },
      'payments.refund': async (job) => {
        await services.orders.refundPayment(ZOrderPayload.parse(job.payload).orderId);
      },
      /** The local engine of the subscribe workflow (Step Functions runs the same steps in AWS). */
      'subscriptions.subscribe': async (job) => {
        await services.subscriptions.runSubscribeWorkflow(ZSubscribePayload.parse(job.payload));
      },
      'broadcasts.fan_out': async (job) => {
        await services.broadcasts.fanOut(ZBroadcastPayload.parse(job.payload).broadcastId);
      },
      'broadcasts.deliver': async (job) => {
        await services.broadcasts.deliverBatch(ZBroadcastPayload.parse(job.payload).broadcastId);
      },
    },
    sweeps: [
      { name: 'expire-holds', everyMs: 1_000, run: () => services.orders.expireLapsedHolds() },
      {
        name: 'lapse-waitlist-offers',
        everyMs: 10_000,
        run: () => services.waitlist.lapseExpiredOffers(),
      },
      {
        name: 'send-reminders',
        everyMs: 60_000,
        run: () => services.broadcasts.sendDueReminders(),
      },
    ],
  });
}
