import type { TConfig } from './config.js';
import type { TDeps } from './deps.js';
import { createSaleGate } from './adapters/cache/sale-gate.js';
import { createTestPaymentProvider } from './adapters/payments/test-payment-provider.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createActivityService } from './modules/activity/activity.service.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthRepository } from './modules/auth/auth.repository.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createBroadcastsRepository } from './modules/broadcasts/broadcasts.repository.js';
import { createBroadcastsService } from './modules/broadcasts/broadcasts.service.js';
import { createCheckinRepository } from './modules/checkin/checkin.repository.js';
import { createCheckinService } from './modules/checkin/checkin.service.js';
import { createEventsRepository } from './modules/events/events.repository.js';
import { createEventsService } from './modules/events/events.service.js';
import { createInventoryRepository } from './modules/orders/inventory.repository.js';
import { createOrderMails } from './modules/orders/orders.mail.js';
import { createOrdersRepository } from './modules/orders/orders.repository.js';
import { createOrdersService } from './modules/orders/orders.service.js';
import { createOrganizersRepository } from './modules/organizers/organizers.repository.js';
import { createOrganizersService } from './modules/organizers/organizers.service.js';
import { createReportsRepository } from './modules/reports/reports.repository.js';
import { createReportsService } from './modules/reports/reports.service.js';
import { createSubscriptionMails } from './modules/subscriptions/subscriptions.mail.js';
import { createSubscriptionsRepository } from './modules/subscriptions/subscriptions.repository.js';
import {
  createSubscriptionsService,
  subscriptionConfirmToken,
} from './modules/subscriptions/subscriptions.service.js';
import { createTicketTypesRepository } from './modules/ticket-types/ticket-types.repository.js';
import { createTicketTypesService } from './modules/ticket-types/ticket-types.service.js';
import { createTicketIssuer } from './modules/tickets/ticket-issuer.js';
import { createTicketsRepository } from './modules/tickets/tickets.repository.js';
import { createTicketsService } from './modules/tickets/tickets.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { createUsersService } from './modules/users/users.service.js';
import { createWaitlistMails } from './modules/waitlist/waitlist.mail.js';
import { createWaitlistRepository } from './modules/waitlist/waitlist.repository.js';
import { createWaitlistService } from './modules/waitlist/waitlist.service.js';

/**
 * Wires every domain service to the adapters it uses. The HTTP routes, the worker, the CLI and
 * (later) the Lambda handlers all call these same services.
 */
export function createServices(config: TConfig, deps: TDeps) {
  const db = deps.database.db;
  const { clock, random, storage, mailer, rateLimiter, workflows, activityStore } = deps;
  const repos = {
    audit: createAuditRepository(),
    users: createUsersRepository(),
    organizers: createOrganizersRepository(),
    events: createEventsRepository(),
    ticketTypes: createTicketTypesRepository(),
    orders: createOrdersRepository(),
    inventory: createInventoryRepository(),
    tickets: createTicketsRepository(),
    waitlist: createWaitlistRepository(),
  };

  const waitlist = createWaitlistService({
    db,
    repo: repos.waitlist,
    inventory: repos.inventory,
    ticketTypes: repos.ticketTypes,
    events: repos.events,
    rateLimiter,
    clock,
    settings: { appSecret: config.appSecret, offerTtlMs: config.waitlistOfferTtlMs },
  });
  const tickets = createTicketsService({
    db,
    repo: repos.tickets,
    storage,
    clock,
    settings: { signedUrlTtlMs: config.signedUrlTtlMs },
  });
  const orders = createOrdersService({
    db,
    repo: repos.orders,
    inventory: repos.inventory,
    ticketTypes: repos.ticketTypes,
    events: repos.events,
    organizers: repos.organizers,
    users: repos.users,
    tickets: repos.tickets,
    issuer: createTicketIssuer({ repo: repos.tickets, appSecret: config.appSecret, random }),
    waitlist,
    waitlistEntries: repos.waitlist,
    payments: { test: createTestPaymentProvider() },
    audit: repos.audit,
    gate: createSaleGate(deps.cache, clock),
    clock,
    settings: { holdTtlMs: config.holdTtlMs, paymentLeaseMs: config.paymentLeaseMs },
  });

  const subscriptionMails = createSubscriptionMails({
    db,
    publicUrl: config.publicUrl,
    confirmToken: (id, generation) => subscriptionConfirmToken(config.appSecret, id, generation),
  });
  const subscriptions = createSubscriptionsService({
    db,
    repo: createSubscriptionsRepository(),
    events: repos.events,
    rateLimiter,
    workflows,
    renderConfirmation: (id, generation) => subscriptionMails.subscription_confirm(id, generation),
    clock,
    settings: { appSecret: config.appSecret, confirmTtlMs: config.subscriptionConfirmTtlMs },
  });
  const broadcasts = createBroadcastsService({
    db,
    repo: createBroadcastsRepository(),
    events: repos.events,
    audit: repos.audit,
    mailer,
    clock,
    unsubscribeToken: subscriptions.unsubscribeToken,
    settings: { publicUrl: config.publicUrl, reminderLeadMs: config.reminderLeadMs },
  });

  return {
    auth: createAuthService({
      db,
      repo: createAuthRepository(),
      mailer,
      rateLimiter,
      cache: deps.cache,
      clock,
      random,
      settings: {
        appSecret: config.appSecret,
        publicUrl: config.publicUrl,
        sessionTtlMs: config.sessionTtlMs,
        otp: config.otp,
      },
    }),
    users: createUsersService({ db, repo: repos.users, clock }),
    organizers: createOrganizersService({
      db,
      repo: repos.organizers,
      users: repos.users,
      audit: repos.audit,
      mailer,
      publicUrl: config.publicUrl,
    }),
    events: createEventsService({
      db,
      repo: repos.events,
      audit: repos.audit,
      storage,
      clock,
      settings: { publicUrl: config.publicUrl, imageMaxBytes: config.imageMaxBytes },
      onEventCancelled: async (trx, eventId) => {
        await orders.cancelAllForEvent(trx, eventId);
        await broadcasts.notifyEventCancelled(trx, eventId);
      },
      onEventMoved: (trx, eventId) => broadcasts.notifyEventChanged(trx, eventId),
    }),
    ticketTypes: createTicketTypesService({
      db,
      repo: repos.ticketTypes,
      events: repos.events,
      audit: repos.audit,
      clock,
    }),
    orders,
    tickets,
    waitlist,
    checkin: createCheckinService({
      db,
      repo: createCheckinRepository(),
      events: repos.events,
      audit: repos.audit,
      clock,
    }),
    audit: createAuditService({ db, repo: repos.audit }),
    subscriptions,
    broadcasts,
    activity: createActivityService({ store: activityStore, rateLimiter, clock }),
    reports: createReportsService({
      db,
      repo: createReportsRepository(),
      activity: activityStore,
      events: repos.events,
      publicUrl: config.publicUrl,
    }),
    mails: {
      ...createOrderMails({ db, tickets, publicUrl: config.publicUrl }),
      ...createWaitlistMails({ db, publicUrl: config.publicUrl, claimToken: waitlist.claimToken }),
      ...subscriptionMails,
    },
  };
}

export type TServices = ReturnType<typeof createServices>;
