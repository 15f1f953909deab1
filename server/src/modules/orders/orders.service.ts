import { recordServerActivity, serverActivityRow } from '../activity/activity.service.js';
import { z } from 'zod';
import { createMemo } from '../../adapters/cache/memo.js';
import type { TSaleGate } from '../../adapters/cache/sale-gate.js';
import type { TDb } from '../../adapters/database/database.js';
import type { TOrderStatus } from '../../adapters/database/schema.js';
import { enqueueJob, enqueueJobs, jobRows, type TEnqueue } from '../../adapters/jobs/job-queue.js';
import type { TPaymentProvider } from '../../adapters/payments/payment-provider.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { sha256Hex } from '../../lib/hashing.js';
import { createSingleFlight } from '../../lib/single-flight.js';
import type { TActor, TSignedInActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import type { TEventRow, TEventsRepository } from '../events/events.repository.js';
import { findRole, requirePermission, rolePermissions } from '../organizers/organizer-access.js';
import type { TOrganizersRepository } from '../organizers/organizers.repository.js';
import type {
  TTicketTypeRow,
  TTicketTypesRepository,
} from '../ticket-types/ticket-types.repository.js';
import { isOnSale } from '../ticket-types/ticket-types.service.js';
import type { TTicketIssuer } from '../tickets/ticket-issuer.js';
import { presentTicket } from '../tickets/tickets.service.js';
import type { TTicketRow, TTicketsRepository } from '../tickets/tickets.repository.js';
import type { TUsersRepository } from '../users/users.repository.js';
import type { TWaitlistRepository } from '../waitlist/waitlist.repository.js';
import type { TWaitlistService } from '../waitlist/waitlist.service.js';
import { createHoldBatcher } from './hold-batcher.js';
import { createPaymentBatcher } from './payment-batcher.js';
import type { TInventoryRepository } from './inventory.repository.js';
import type { TCreateOrder, TOrder, TOrderListQuery, TPayOrder } from './orders.schema.js';
import type {
  TClaimedOrder,
  TOrderItemRow,
  TOrderRow,
  TOrdersRepository,
} from './orders.repository.js';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;
const ZOrderCursor = z.object({ c: z.iso.datetime(), i: z.uuid() });
/** Lapsed holds are expired a batch per transaction, so the order row locks are held only briefly. */
const EXPIRY_BATCH = 200;
/** At most this many batches per sweep, so one sweep cannot starve the other work of its worker. */
const EXPIRY_ROUNDS = 20;
/** How old the remembered sale rows may be while a reload is under way or failed (see saleRows). */
const SALE_ROWS_STALE_MS = 10_000;

export type TOrdersServiceDeps = {
  db: TDb;
  repo: TOrdersRepository;
  inventory: TInventoryRepository;
  ticketTypes: TTicketTypesRepository;
  events: TEventsRepository;
  organizers: TOrganizersRepository;
  users: TUsersRepository;
  tickets: TTicketsRepository;
  issuer: TTicketIssuer;
  waitlist: TWaitlistService;
  waitlistEntries: TWaitlistRepository;
  payments: { test: TPaymentProvider };
  audit: TAuditRepository;
  /** Answers sold_out for sold-out ticket types without touching the database (see sale-gate.ts). */
  gate: TSaleGate;
  clock: TClock;
  settings: { holdTtlMs: number; paymentLeaseMs: number };
};

type TSaleRows = { event: TEventRow | undefined; types: TTicketTypeRow[] };

/** Thrown inside a transaction to roll it back when a lapsed hold cannot be re-taken after payment. */
class SeatsGoneError extends Error {}
/** Thrown inside a transaction to roll it back when the event was cancelled while the order was held. */
class EventCancelledError extends Error {}

export function createOrdersService(deps: TOrdersServiceDeps) {
  const {
    db,
    repo,
    inventory,
    ticketTypes,
    events,
    organizers,
    users,
    tickets,
    issuer,
    waitlist,
    waitlistEntries,
    payments,
    audit,
    gate,
    clock,
    settings,
  } = deps;
  const holds = createHoldBatcher(db, clock);
  const paymentBatches = createPaymentBatcher(db, repo);

  /** What the sale gate remembers of an Idempotency-Key: a hash, never the key itself. */
  const gateMarker = (userId: string, key: string | undefined) =>
    key ? sha256Hex(`${userId}:${key}`).slice(0, 32) : null;

  /** Opens the gate of every ticket type whose seats a committed transaction released. */
  const reopenGates = (ticketTypeIds: Iterable<string>) =>
    Promise.all([...new Set(ticketTypeIds)].map((id) => gate.reopen(id)));

  /** Seedings of a gate's key set, one per ticket type at a time. */
  const seedings = createSingleFlight<string>();

  /**
   * After the database refused a hold: closes the gate at the seats it saw left, and seeds the
   * gate's key set from the database the first time (so replays of earlier keys are recognised).
   * The refusals of one hold batch arrive together, and each would read every key of the ticket
   * type and send them all to the gate (82 times over in a flash sale of 10,000 seats), so they
   * share one seeding. Keys that reach the database after its read were recorded by the gate as
   * it let them through.
   */
  async function closeGate(
    scope: { eventId: string; ticketTypeId: string },
    available: number,
    version: number | null,
  ) {
    if (!(await gate.close(scope, available, version))) return;
    await seedings.run(scope.ticketTypeId, async () => {
      const keyed = await repo.idempotencyKeysFor(db, scope.ticketTypeId);
      await gate.seed(
        scope,
        keyed.flatMap((k) => gateMarker(k.user_id, k.idempotency_key ?? undefined) ?? []),
      );
    });
  }

  async function present(rows: TOrderRow[]): Promise<TOrder[]> {
    const ids = rows.map((r) => r.id);
    const [items, ticketRows] = await Promise.all([
      repo.itemsFor(db, ids),
      tickets.listForOrders(db, ids),
    ]);
    const eventIds = [...new Set(rows.map((r) => r.event_id))];
    const eventRows = await Promise.all(eventIds.map((id) => events.findById(db, id)));
    const eventsById = new Map(
      eventRows.filter((e): e is TEventRow => e !== undefined).map((e) => [e.id, e]),
    );
    const buyers = await Promise.all(
      [...new Set(rows.map((r) => r.user_id))].map((id) => users.findById(db, id)),
    );
    const buyerEmails = new Map(buyers.filter((u) => u !== undefined).map((u) => [u.id, u.email]));
    return rows.map((row) => {
      const event = eventsById.get(row.event_id);
      if (!event) throw new Error(`order ${row.id} without event`);
      return presentWith(row, {
        items: items.filter((i) => i.order_id === row.id),
        tickets: ticketRows.filter((t) => t.order_id === row.id),
        event,
        buyerEmail: buyerEmails.get(row.user_id) ?? '',
      });
    });
  }

  async function presentOne(row: TOrderRow): Promise<TOrder> {
    const [order] = await present([row]);
    if (!order) throw new Error('order vanished');
    return order;
  }

  /** The buyer may see and act on their order; so may the organizer's team with `orders:manage`. Others get 404. */
  async function authorizeOrder(
    actor: TActor,
    order: TOrderRow,
  ): Promise<{ user: TSignedInActor; isBuyer: boolean; isManager: boolean; organizerId: string }> {
    const user = requireUser(actor);
    const event = await events.findById(db, order.event_id);
    if (!event) throw new AppError('not_found', { resource: 'order' });
    const role = user.isAdmin ? 'owner' : await findRole(db, user.userId, event.organizer_id);
    const isManager = role !== null && rolePermissions[role].has('orders:manage');
    const isBuyer = order.user_id === user.userId;
    if (!isBuyer && !isManager) throw new AppError('not_found', { resource: 'order' });
    return { user, isBuyer, isManager, organizerId: event.organizer_id };
  }

  async function loadOrder(id: string): Promise<TOrderRow> {
    const order = await repo.findById(db, id);
    if (!order) throw new AppError('not_found', { resource: 'order' });
    return order;
  }

  /**
   * What a payment needs that does not depend on the order's lock: the signed tickets. Prepared
   * before the transaction, so it holds a connection for its writes only.
   */
  async function prepareFulfilment(
    db: TDb,
    order: TOrderRow,
    event: TEventRow,
    items: TOrderItemRow[],
    buyer: { name: string; email: string } | undefined,
  ) {
    if (!buyer) throw new Error('buyer vanished');
    const tickets = await issuer.prepare(
      db,
      {
        id: order.id,
        eventId: order.event_id,
        eventEndsAt: event.ends_at,
        buyer: { name: buyer.name, email: buyer.email },
        attendees: order.attendees,
      },
      items.map((i) => ({ ticketTypeId: i.ticket_type_id, quantity: i.quantity })),
    );
    return { tickets, buyerEmail: buyer.email, seats: items.reduce((n, i) => n + i.quantity, 0) };
  }

  /**
   * Everything that follows a payment, inside its transaction: tickets, e-mails, QR images.
   * Returns the tickets and the buyer's address, so the paid order can be shown without reading
   * it back.
   */
  async function writeFulfilment(
    trx: TDb,
    order: TOrderRow,
    prepared: Awaited<ReturnType<typeof prepareFulfilment>>,
  ): Promise<{ tickets: TTicketRow[]; buyerEmail: string }> {
    const tickets = await issuer.insert(trx, prepared.tickets);
    await recordServerActivity(trx, purchaseActivity(order, prepared.seats));
    await enqueueJobs(trx, clock, fulfilmentJobs(order.id));
    return { tickets, buyerEmail: prepared.buyerEmail };
  }

  /** The activity a paid order records. */
  const purchaseActivity = (order: TOrderRow, seats: number) => ({
    type: 'ticket_purchase' as const,
    eventId: order.event_id,
    userId: order.user_id,
    at: clock.now(),
    metadata: { orderId: order.id, tickets: seats },
  });

  /** The jobs a paid order starts: its QR images, then its confirmation mail. */
  const fulfilmentJobs = (orderId: string): TEnqueue[] => [
    { kind: 'tickets.store_qr', dedupeKey: `store-qr:${orderId}`, payload: { orderId } },
    {
      kind: 'mail.send',
      dedupeKey: `order-confirmed:${orderId}`,
      payload: { template: 'order_confirmed', orderId },
    },
  ];

  /** Both steps in one transaction, for the paths that are not hot (free, offline, waiting list). */
  async function fulfil(trx: TDb, order: TOrderRow, event: TEventRow, items: TOrderItemRow[]) {
    const buyer = await users.findById(trx, order.user_id);
    return writeFulfilment(trx, order, await prepareFulfilment(trx, order, event, items, buyer));
  }

  async function explainUnpayable(order: TOrderRow, now: Date): Promise<AppError> {
    const current = (await repo.findById(db, order.id)) ?? order;
    switch (current.status) {
      case 'paid':
        return new AppError('order_already_paid');
      case 'expired':
        return new AppError('order_expired');
      case 'cancelled':
      case 'refunded':
        return new AppError('order_not_payable', { status: current.status });
      case 'pending':
        if (current.expires_at <= now) return new AppError('order_expired');
        return new AppError('payment_in_progress');
    }
  }

  /**
   * Marks a charged order paid. If its hold lapsed while the payment ran (the provider took
   * longer than PAYMENT_LEASE), the seats are taken again if still free; otherwise the charge is
   * refunded and the order stays expired. Either way there is one outcome.
   */
  async function completePayment(
    claimed: TClaimedOrder,
    provider: string,
    reference: string,
    refund: () => Promise<void>,
  ): Promise<TOrder> {
    const { order, items, buyer } = claimed;
    const now = clock.now();
    const payment = { payment_provider: provider, payment_reference: reference };
    try {
      // The event as holds see it (at most a second old; a cancellation also cancels the order,
      // which the payment's own UPDATE then finds). Tickets are signed before any write.
      const { event } = await saleRows.get(order.event_id, () => loadSaleRows(order.event_id));
      if (!event) throw new Error('event vanished');
      if (event.status === 'cancelled') throw new EventCancelledError();
      const prepared = await prepareFulfilment(db, order, event, items, buyer);
      // The usual case, a hold still pending: one statement (shared with the payments completing
      // at the same moment, see payment-batcher.ts) marks it paid and writes the rest.
      const written = await paymentBatches.pay({
        orderId: order.id,
        now,
        payment,
        tickets: prepared.tickets,
        activity: serverActivityRow(purchaseActivity(order, prepared.seats)),
        jobs: jobRows(clock, fulfilmentJobs(order.id)),
        seatMoves: sortedByType(items).map((i) => ({
          ticket_type_id: i.ticket_type_id,
          held_change: -i.quantity,
          sold_change: i.quantity,
        })),
      });
      if (written.length) {
        const paid = { ...order, ...payment, status: 'paid' as const, paying_until: null };
        return presentWith(
          { ...paid, paid_at: now, updated_at: now },
          { items, event, tickets: written, buyerEmail: buyer.email },
        );
      }
      // The hold lapsed while the payment ran: its seats are taken again if still free.
      return await db.transaction().execute(async (trx) => {
        const locked = await repo.lockById(trx, order.id);
        const current = await events.findById(trx, order.event_id);
        if (current?.status === 'cancelled') throw new EventCancelledError();
        if (locked?.status !== 'expired') throw new SeatsGoneError();
        const paid = await repo.transition(trx, order.id, ['expired'], 'paid', now, payment);
        if (!paid) throw new Error('order changed under its lock');
        const fulfilled = await writeFulfilment(trx, paid, prepared);
        // Locks the row every buyer of the type needs only from here to the commit.
        for (const item of sortedByType(items))
          if (!(await inventory.sell(trx, item.ticket_type_id, item.quantity, now)))
            throw new SeatsGoneError();
        return presentWith(paid, { items, event, ...fulfilled });
      });
    } catch (error) {
      if (error instanceof EventCancelledError) {
        await refund();
        throw new AppError(
          'order_not_payable',
          { status: 'cancelled', refunded: true },
          'The event was cancelled; the payment was refunded.',
        );
      }
      if (!(error instanceof SeatsGoneError)) throw error;
      await refund();
      throw new AppError(
        'order_expired',
        { refunded: true },
        'The hold expired during payment and the tickets were taken; the payment was refunded.',
      );
    }
  }

  /** Charges a claimed order with the test card and completes it (the claim is released on failure). */
  async function payByCard(claimed: TClaimedOrder, paymentToken: string): Promise<TOrder> {
    const provider = payments.test;
    const { order } = claimed;
    let result;
    try {
      result = await provider.charge({
        orderId: order.id,
        amountCents: order.total_cents,
        currency: order.currency,
        token: paymentToken,
      });
    } catch {
      await repo.releasePaymentClaim(db, order.id, clock.now());
      throw new AppError('payment_failed');
    }
    if (result.status === 'declined') {
      await repo.releasePaymentClaim(db, order.id, clock.now());
      throw new AppError('payment_declined', { reason: result.reason });
    }
    const reference = result.reference;
    return completePayment(claimed, provider.name, reference, () =>
      provider.refund({ reference, amountCents: order.total_cents, currency: order.currency }),
    );
  }

  /** Cancels or refunds one order inside `trx` (the caller holds its lock). */
  async function cancelLocked(
    trx: TDb,
    order: TOrderRow,
    reason: 'buyer' | 'organizer' | 'event_cancelled',
  ): Promise<TOrderRow> {
    const now = clock.now();
    const items = await repo.itemsFor(trx, [order.id]);
    if (order.status === 'pending') {
      const cancelled = await repo.transition(trx, order.id, ['pending'], 'cancelled', now);
      if (!cancelled) throw new Error('order changed under its lock');
      for (const item of sortedByType(items))
        await waitlist.releaseSeats(trx, item.ticket_type_id, {
          fromHeld: item.quantity,
          fromSold: 0,
        });
      return cancelled;
    }
    // A paid order: free ones are simply cancelled, paid-for ones refunded (by a durable job, so
    // the provider call happens outside this transaction and is retried until it succeeds).
    const next: TOrderStatus = order.total_cents > 0 ? 'refunded' : 'cancelled';
    const changed = await repo.transition(trx, order.id, ['paid'], next, now);
    if (!changed) throw new Error('order changed under its lock');
    await tickets.voidForOrder(trx, order.id, order.event_id, now);
    for (const item of sortedByType(items))
      await waitlist.releaseSeats(trx, item.ticket_type_id, {
        fromHeld: 0,
        fromSold: item.quantity,
      });
    if (next === 'refunded') {
      await enqueueJob(trx, clock, {
        kind: 'payments.refund',
        dedupeKey: `refund:${order.id}`,
        payload: { orderId: order.id },
      });
    }
    await enqueueJob(trx, clock, {
      kind: 'mail.send',
      dedupeKey: `order-${next}:${order.id}`,
      payload: {
        template: reason === 'event_cancelled' ? 'event_cancelled' : `order_${next}`,
        orderId: order.id,
      },
    });
    return changed;
  }

  async function listPage(rows: TOrderRow[], limit: number) {
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await present(page),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ c: last.created_at.toISOString(), i: last.id })
          : null,
    };
  }

  /**
   * The event and its ticket types as a sale needs them, remembered for a second: every hold of a
   * flash sale needs the same rows, and seats are never decided from them (take_holds decides on
   * the locked counters). A remembered row only ever says yes: a request it refuses is checked
   * again on fresh rows. So a new ticket type or a reopened sale counts at once, while a price
   * edit, a hidden type or a closed sale reaches holds a second later; a hold taken on a just
   * cancelled event cannot be paid (completePayment checks the event) and lapses. The rows are
   * reloaded in the background before they expire, and while a reload waits for a busy pool (or
   * failed), holds go on with rows up to SALE_ROWS_STALE_MS old instead of all queueing behind
   * it.
   */
  const saleRows = createMemo<TSaleRows>(clock, {
    ttlMs: 1_000,
    refreshAfterMs: 500,
    staleMs: SALE_ROWS_STALE_MS - 1_000,
    maxEntries: 1_000,
  });
  async function loadSaleRows(eventId: string): Promise<TSaleRows> {
    const event = await events.findById(db, eventId);
    return {
      event,
      types: event ? await ticketTypes.listForEvent(db, event.id, true) : [],
    };
  }

  /** Checks that every item can be ordered now; the order's prices come from here. */
  async function checkOnSale(input: TCreateOrder, now: Date) {
    try {
      const rows = await saleRows.get(input.eventId, () => loadSaleRows(input.eventId));
      return checkOnSaleWith(rows, input, now);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return checkOnSaleWith(await loadSaleRows(input.eventId), input, now);
    }
  }

  function checkOnSaleWith({ event, types: allTypes }: TSaleRows, input: TCreateOrder, now: Date) {
    if (!event || event.published_at === null)
      throw new AppError('not_found', { resource: 'event' });
    if (event.status !== 'published' || event.ends_at <= now)
      throw new AppError('event_not_on_sale', { status: event.status });
    const wanted = new Set(input.items.map((i) => i.ticketTypeId));
    const types = allTypes.filter((t) => wanted.has(t.id));
    const typesById = new Map(types.map((t) => [t.id, t]));
    for (const item of input.items) {
      const type = typesById.get(item.ticketTypeId);
      if (!type) throw new AppError('invalid_ticket_type', { ticketTypeId: item.ticketTypeId });
      if (item.quantity > type.max_per_order)
        throw new AppError('quantity_not_allowed', {
          ticketTypeId: type.id,
          maxPerOrder: type.max_per_order,
        });
      if (!isOnSale(type, event.status, now))
        throw new AppError('sales_closed', { ticketTypeId: type.id });
    }
    const currencies = new Set(types.map((t) => t.currency));
    if (currencies.size > 1) throw new AppError('mixed_currencies');
    const totalCents = input.items.reduce(
      (sum, i) => sum + (typesById.get(i.ticketTypeId)?.price_cents ?? 0) * i.quantity,
      0,
    );
    return { event, types, typesById, currency: [...currencies][0] ?? 'EUR', totalCents };
  }

  /**
   * A free order is sold and its tickets issued in one transaction. Returns null when the
   * Idempotency-Key was taken by a concurrent request that committed first.
   */
  async function sellFreeOrder(
    userId: string,
    input: TCreateOrder,
    idempotencyKey: string | undefined,
    requestHash: string,
    sale: Awaited<ReturnType<typeof checkOnSale>>,
    now: Date,
    refuse: (refused: { ticketTypeId: string; available: number }) => Promise<AppError>,
  ): Promise<TOrderRow | null> {
    let soldOut: { ticketTypeId: string; available: number } | null = null;
    try {
      return await db.transaction().execute(async (trx) => {
        const order = await repo.insertUnlessKeyUsed(trx, {
          event_id: sale.event.id,
          user_id: userId,
          status: 'paid',
          total_cents: 0,
          currency: sale.currency,
          expires_at: now,
          idempotency_key: idempotencyKey ?? null,
          request_hash: requestHash,
          attendees: JSON.stringify(input.attendees ?? []),
          payment_provider: 'free',
          paid_at: now,
        });
        if (!order) return null;
        await repo.insertItems(
          trx,
          input.items.map((i) => ({
            order_id: order.id,
            ticket_type_id: i.ticketTypeId,
            quantity: i.quantity,
            unit_price_cents: 0,
          })),
        );
        // Seats are taken last, in a fixed order, so each ticket-type row lock is held only
        // until the commit right after and two multi-type orders cannot deadlock.
        for (const item of [...input.items].sort((a, b) =>
          a.ticketTypeId.localeCompare(b.ticketTypeId),
        )) {
          if (!(await inventory.sell(trx, item.ticketTypeId, item.quantity, now))) {
            soldOut = {
              ticketTypeId: item.ticketTypeId,
              available: await inventory.available(trx, item.ticketTypeId),
            };
            throw new AppError('sold_out', soldOut);
          }
        }
        await fulfil(trx, order, sale.event, await repo.itemsFor(trx, [order.id]));
        return order;
      });
    } catch (error) {
      if (soldOut) throw await refuse(soldOut);
      throw error;
    }
  }

  return {
    /**
     * Holds tickets for a new pending order (or sells them at once when the total is zero).
     * Replaying the same Idempotency-Key returns the first order; reusing it for another
     * request is refused.
     */
    async createOrder(
      actor: TActor,
      input: TCreateOrder,
      idempotencyKey: string | undefined,
    ): Promise<{ order: TOrder; isReplay: boolean }> {
      const user = requireUser(actor);
      if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey))
        throw new AppError('invalid_idempotency_key');
      // The gate refuses sold-out requests before any query (a key it has seen goes on to the
      // replay check) and records the key of every request it lets through, in one round trip.
      const marker = gateMarker(user.userId, idempotencyKey);
      const versions = new Map<string, number | null>();
      for (const item of input.items) {
        const verdict = await gate.admit(
          { eventId: input.eventId, ticketTypeId: item.ticketTypeId },
          item.quantity,
          marker,
        );
        if (verdict.verdict === 'sold_out')
          throw new AppError('sold_out', {
            ticketTypeId: item.ticketTypeId,
            available: verdict.available,
          });
        versions.set(item.ticketTypeId, verdict.version);
      }
      // Hashed once past the gate: a sold-out refusal does not need it.
      const requestHash = sha256Hex(JSON.stringify(input));
      const replay = async (existing: TOrderRow) => {
        if (existing.request_hash !== requestHash)
          throw new AppError('idempotency_key_reused', { orderId: existing.id });
        return { order: await presentOne(existing), isReplay: true };
      };
      const isGateUnaware = marker !== null && [...versions.values()].some((v) => v === null);
      // The gate could not record this key; it must not vouch for the key set any more.
      const forgetUnrecordedKey = async () => {
        if (isGateUnaware)
          await Promise.all(input.items.map((i) => gate.forgetMarkers(i.ticketTypeId)));
      };
      const answerWithKeyedOrder = async () => {
        const existing = idempotencyKey
          ? await repo.findByKey(db, user.userId, idempotencyKey)
          : undefined;
        return existing ? replay(existing) : undefined;
      };

      const now = clock.now();
      let sale;
      try {
        sale = await checkOnSale(input, now);
      } catch (error) {
        // A replay gets its order back even if the sale has closed since.
        const replayed = await answerWithKeyedOrder();
        if (replayed) return replayed;
        throw error;
      }
      const { event, types, typesById, currency, totalCents } = sale;
      const refuse = async (refused: { ticketTypeId: string; available: number }) => {
        await closeGate(
          { eventId: event.id, ticketTypeId: refused.ticketTypeId },
          refused.available,
          versions.get(refused.ticketTypeId) ?? null,
        );
        return new AppError('sold_out', refused);
      };

      if (totalCents === 0) {
        const replayed = await answerWithKeyedOrder();
        if (replayed) return replayed;
        const created = await sellFreeOrder(
          user.userId,
          input,
          idempotencyKey,
          requestHash,
          sale,
          now,
          refuse,
        );
        await forgetUnrecordedKey();
        if (!created) {
          const replayed = await answerWithKeyedOrder();
          if (!replayed) throw new Error('idempotent order vanished');
          return replayed;
        }
        return { order: await presentOne(created), isReplay: false };
      }

      const expiresAt = new Date(now.getTime() + settings.holdTtlMs);
      const held = await holds.take({
        eventId: event.id,
        userId: user.userId,
        totalCents,
        currency,
        expiresAt,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        attendees: input.attendees ?? [],
        items: input.items.map((i) => ({
          ticketTypeId: i.ticketTypeId,
          quantity: i.quantity,
          unitPriceCents: typesById.get(i.ticketTypeId)?.price_cents ?? 0,
        })),
      });
      await forgetUnrecordedKey();
      if (held.outcome === 'sold_out')
        throw await refuse({ ticketTypeId: held.ticketTypeId, available: held.available });
      if (held.outcome === 'key_used') {
        // The key was taken by an earlier or concurrent request: answer with its order.
        const replayed = await answerWithKeyedOrder();
        if (!replayed) throw new Error('idempotent order vanished');
        return replayed;
      }
      // A new hold is presented from what is in hand: no second round of queries on the hot path.
      const sortedTypes = [...types].sort(
        (a, b) => a.sort_order - b.sort_order || a.created_at.getTime() - b.created_at.getTime(),
      );
      const quantities = new Map(input.items.map((i) => [i.ticketTypeId, i.quantity]));
      return {
        order: {
          id: held.orderId,
          eventId: event.id,
          status: 'pending',
          items: sortedTypes
            .filter((t) => quantities.has(t.id))
            .map((t) => ({
              ticketTypeId: t.id,
              quantity: quantities.get(t.id) ?? 0,
              unitPriceCents: t.price_cents,
              name: t.name,
            })),
          totalCents,
          currency,
          expiresAt: expiresAt.toISOString(),
          buyerEmail: user.email,
          paymentProvider: null,
          paidAt: null,
          createdAt: held.createdAt.toISOString(),
          event: presentEventSummary(event),
          tickets: [],
        },
        isReplay: false,
      };
    },

    async getOrder(actor: TActor, id: string): Promise<TOrder> {
      const order = await loadOrder(id);
      await authorizeOrder(actor, order);
      return presentOne(order);
    },

    /**
     * Pays a pending order. `test` is the buyer's card payment; `offline` is the organizer's team
     * recording money received another way. The provider is called outside any transaction.
     */
    async payOrder(actor: TActor, id: string, input: TPayOrder): Promise<TOrder> {
      const now = clock.now();
      // The buyer paying by card with a token: claiming the order is the first query, and
      // proves it is theirs. Every other case (and every refusal) is sorted out below.
      if (input.provider === 'test' && input.paymentToken && actor !== null) {
        const claimed = await paymentBatches.claim({
          orderId: id,
          buyerId: actor.userId,
          now,
          payingUntil: new Date(now.getTime() + settings.paymentLeaseMs),
        });
        if (claimed) return payByCard(claimed, input.paymentToken);
      }
      const order = await loadOrder(id);
      const access = await authorizeOrder(actor, order);
      switch (input.provider) {
        case 'free':
          throw order.status === 'paid'
            ? new AppError('order_already_paid')
            : new AppError(
                'order_not_payable',
                undefined,
                'Only free orders use the free provider; they are paid when created.',
              );
        case 'offline': {
          if (!access.isManager)
            throw new AppError(
              'forbidden',
              undefined,
              'Only the organizer’s team can record an offline payment.',
            );
          const paid = await db.transaction().execute(async (trx) => {
            const locked = await repo.lockById(trx, id);
            if (!locked || locked.status !== 'pending' || locked.expires_at <= now) return null;
            const event = await events.findById(trx, locked.event_id);
            if (!event) throw new Error('event vanished');
            const items = await repo.itemsFor(trx, [id]);
            for (const item of sortedByType(items))
              await inventory.convertHeldToSold(trx, item.ticket_type_id, item.quantity);
            const updated = await repo.transition(trx, id, ['pending'], 'paid', now, {
              payment_provider: 'offline',
              payment_reference: `offline:${access.user.userId}`,
            });
            if (!updated) throw new Error('order changed under its lock');
            await fulfil(trx, updated, event, items);
            await audit.record(trx, {
              organizerId: access.organizerId,
              actorUserId: access.user.userId,
              action: 'order.mark_paid',
              entityType: 'order',
              entityId: id,
              before: { status: 'pending' },
              after: { status: 'paid', provider: 'offline' },
            });
            return updated;
          });
          if (!paid) throw await explainUnpayable(order, now);
          return presentOne(paid);
        }
        case 'test': {
          if (!access.isBuyer)
            throw new AppError('forbidden', undefined, 'Only the buyer can pay by card.');
          if (!input.paymentToken) {
            throw new AppError('validation_failed', {
              issues: [{ path: ['paymentToken'], message: 'required for the test provider' }],
            });
          }
          const claimed = await paymentBatches.claim({
            orderId: id,
            buyerId: access.user.userId,
            now,
            payingUntil: new Date(now.getTime() + settings.paymentLeaseMs),
          });
          if (!claimed) throw await explainUnpayable(order, now);
          return payByCard(claimed, input.paymentToken);
        }
      }
    },

    /**
     * Cancels an order: a pending one releases its seats; a paid one is refunded and its tickets
     * voided — by the buyer only while the organizer allows refunds and the event has not started.
     */
    async cancelOrder(actor: TActor, id: string): Promise<TOrder> {
      const order = await loadOrder(id);
      const access = await authorizeOrder(actor, order);
      const now = clock.now();
      const changed = await db.transaction().execute(async (trx) => {
        const locked = await repo.lockById(trx, id);
        if (!locked) throw new AppError('not_found', { resource: 'order' });
        if (locked.status === 'pending' && locked.paying_until && locked.paying_until > now)
          throw new AppError('payment_in_progress');
        if (locked.status !== 'pending' && locked.status !== 'paid')
          throw new AppError('order_not_cancellable', { status: locked.status });
        if (locked.status === 'paid' && !access.isManager) {
          const event = await events.findById(trx, locked.event_id);
          const organizer = event ? await organizers.findById(trx, event.organizer_id) : undefined;
          if (!event || !organizer?.allows_refunds || event.starts_at <= now)
            throw new AppError('refund_not_allowed');
        }
        const result = await cancelLocked(
          trx,
          locked,
          access.isManager && !access.isBuyer ? 'organizer' : 'buyer',
        );
        if (access.isManager && !access.isBuyer) {
          await audit.record(trx, {
            organizerId: access.organizerId,
            actorUserId: access.user.userId,
            action: 'order.cancel',
            entityType: 'order',
            entityId: id,
            before: { status: locked.status },
            after: { status: result.status },
          });
        }
        return result;
      });
      await reopenGates((await repo.itemsFor(db, [id])).map((i) => i.ticket_type_id));
      return presentOne(changed);
    },

    async listMyOrders(actor: TActor, query: TOrderListQuery) {
      const user = requireUser(actor);
      const before = decodeCursor(query.cursor, ZOrderCursor);
      const rows = await repo.listForUser(db, user.userId, {
        status: query.status,
        before: before ? { createdAt: new Date(before.c), id: before.i } : undefined,
        limit: query.limit,
      });
      return listPage(rows, query.limit);
    },

    /** The organizer's view of an event's orders (owners and managers). */
    async listEventOrders(actor: TActor, eventId: string, query: TOrderListQuery) {
      const event = await events.findById(db, eventId);
      if (!event) throw new AppError('not_found', { resource: 'event' });
      await requirePermission(db, actor, event.organizer_id, 'orders:manage', 'event');
      const before = decodeCursor(query.cursor, ZOrderCursor);
      const rows = await repo.listForEvent(db, eventId, {
        status: query.status,
        before: before ? { createdAt: new Date(before.c), id: before.i } : undefined,
        limit: query.limit,
      });
      return listPage(rows, query.limit);
    },

    /** Turns a waiting-list offer into a pending order holding the kept seat, for the signed-in user. */
    async claimWaitlistOffer(actor: TActor, token: string): Promise<TOrder> {
      const user = requireUser(actor);
      const now = clock.now();
      const order = await db.transaction().execute(async (trx) => {
        const entry = await waitlistEntries.findOfferByTokenHash(
          trx,
          waitlist.hashClaimToken(token),
        );
        if (
          !entry ||
          entry.status !== 'offered' ||
          !entry.offer_expires_at ||
          entry.offer_expires_at <= now
        )
          throw new AppError('offer_not_available');
        const type = await ticketTypes.findById(trx, entry.ticket_type_id);
        const event = type ? await events.findById(trx, type.event_id) : undefined;
        if (!type || !event || event.status !== 'published')
          throw new AppError('offer_not_available');
        // The offered seat is already counted in `held`; it now belongs to this order's hold.
        const created = await repo.insertUnlessKeyUsed(trx, {
          event_id: event.id,
          user_id: user.userId,
          status: 'pending',
          total_cents: type.price_cents,
          currency: type.currency,
          expires_at: new Date(now.getTime() + settings.holdTtlMs),
          idempotency_key: null,
          request_hash: sha256Hex(`waitlist:${entry.id}`),
          attendees: JSON.stringify([]),
        });
        if (!created) throw new Error('order insert without key returned nothing');
        await repo.insertItems(trx, [
          {
            order_id: created.id,
            ticket_type_id: type.id,
            quantity: 1,
            unit_price_cents: type.price_cents,
          },
        ]);
        await waitlistEntries.markClaimed(trx, entry.id, created.id, now);
        if (type.price_cents === 0) {
          await inventory.convertHeldToSold(trx, type.id, 1);
          const paid = await repo.transition(trx, created.id, ['pending'], 'paid', now, {
            payment_provider: 'free',
          });
          if (!paid) throw new Error('order changed under its lock');
          await fulfil(trx, paid, event, await repo.itemsFor(trx, [paid.id]));
          return paid;
        }
        return created;
      });
      return presentOne(order);
    },

    /** Sweep: pending orders past their hold become expired and their seats return (or go to the waiting list). */
    async expireLapsedHolds(): Promise<number> {
      let total = 0;
      // Batch after batch until none is left (bounded, so one sweep cannot run forever).
      for (let round = 0; round < EXPIRY_ROUNDS; round++) {
        const released = await db.transaction().execute(async (trx) => {
          const now = clock.now();
          const lapsed = await repo.takeLapsedHolds(trx, now, EXPIRY_BATCH);
          // A handful of statements per batch, whatever its size: the orders, their items, the
          // e-mails, and one counter update per ticket type — the counter row is the one every
          // buyer needs, so it is written as rarely as possible.
          const expired = await repo.expirePending(
            trx,
            lapsed.map((o) => o.id),
            now,
          );
          const seats = new Map<string, number>();
          for (const item of await repo.itemsFor(trx, expired))
            seats.set(item.ticket_type_id, (seats.get(item.ticket_type_id) ?? 0) + item.quantity);
          await enqueueJobs(
            trx,
            clock,
            expired.map((id) => ({
              kind: 'mail.send',
              dedupeKey: `hold-expired:${id}`,
              payload: { template: 'hold_expired', orderId: id },
            })),
          );
          for (const [ticketTypeId, quantity] of [...seats].sort(([a], [b]) => a.localeCompare(b)))
            await waitlist.releaseSeats(trx, ticketTypeId, { fromHeld: quantity, fromSold: 0 });
          return { count: lapsed.length, ticketTypeIds: [...seats.keys()] };
        });
        await reopenGates(released.ticketTypeIds);
        total += released.count;
        if (released.count < EXPIRY_BATCH) break;
      }
      return total;
    },

    /** Called inside the event-cancelling transaction: pending orders are cancelled, paid ones refunded. */
    async cancelAllForEvent(trx: TDb, eventId: string): Promise<number> {
      const open = await repo.listIdsForEvent(trx, eventId, ['pending', 'paid']);
      for (const { id } of open) {
        const locked = await repo.lockById(trx, id);
        if (locked && (locked.status === 'pending' || locked.status === 'paid'))
          await cancelLocked(trx, locked, 'event_cancelled');
      }
      return open.length;
    },

    /** Job: returns the money of a refunded order (idempotent at the provider, retried until done). */
    async refundPayment(orderId: string): Promise<void> {
      const order = await repo.findById(db, orderId);
      if (!order || order.status !== 'refunded' || !order.payment_reference) return;
      if (order.payment_provider === 'test') {
        await payments.test.refund({
          reference: order.payment_reference,
          amountCents: order.total_cents,
          currency: order.currency,
        });
      }
      // `offline` payments are returned by the organizer outside TickItNow; nothing to call.
    },
  };
}

export type TOrdersService = ReturnType<typeof createOrdersService>;

/** An order as the API shows it, from rows already in hand. */
function presentWith(
  row: TOrderRow,
  parts: { items: TOrderItemRow[]; tickets: TTicketRow[]; event: TEventRow; buyerEmail: string },
): TOrder {
  const { event } = parts;
  return {
    id: row.id,
    eventId: row.event_id,
    status: row.status,
    items: parts.items.map((i) => ({
      ticketTypeId: i.ticket_type_id,
      quantity: i.quantity,
      unitPriceCents: i.unit_price_cents,
      name: i.name,
    })),
    totalCents: row.total_cents,
    currency: row.currency,
    expiresAt: row.expires_at.toISOString(),
    buyerEmail: parts.buyerEmail,
    paymentProvider: row.payment_provider,
    paidAt: row.paid_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    event: presentEventSummary(event),
    tickets: parts.tickets.map(presentTicket),
  };
}

/** The event as an order shows it. */
function presentEventSummary(event: TEventRow): TOrder['event'] {
  return {
    id: event.id,
    title: event.title,
    slug: event.slug,
    startsAt: event.starts_at.toISOString(),
    timezone: event.timezone,
  };
}

function sortedByType<T extends { ticket_type_id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.ticket_type_id.localeCompare(b.ticket_type_id));
}
