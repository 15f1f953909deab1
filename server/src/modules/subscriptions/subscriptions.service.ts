import type { TRateLimiter } from '../../adapters/cache/rate-limiter.js';
import type { TDb } from '../../adapters/database/database.js';
import { enqueueJob } from '../../adapters/jobs/job-queue.js';
import type { TMail } from '../../adapters/mail/mailer.js';
import type { TSubscribeInput, TWorkflows } from '../../adapters/workflows/workflows.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { hmacBase64Url, safeEqual } from '../../lib/hashing.js';
import type { TEventsRepository } from '../events/events.repository.js';
import type { TSubscriptionsRepository } from './subscriptions.repository.js';
import {
  parseTopic,
  type TSubscribeRequest,
  type TSubscription,
  type TTopic,
} from './subscriptions.schema.js';

export type TSubscriptionsServiceDeps = {
  db: TDb;
  repo: TSubscriptionsRepository;
  events: TEventsRepository;
  rateLimiter: TRateLimiter;
  workflows: TWorkflows;
  /** Renders the confirmation e-mail of a round (the subscription mails module). */
  renderConfirmation: (id: number, generation: number) => Promise<TMail | null>;
  clock: TClock;
  settings: { appSecret: string; confirmTtlMs: number };
};

const confirmationMac = (appSecret: string, id: number, generation: number) =>
  hmacBase64Url(appSecret, `subscription-confirm:${id}:${generation}`);

/** The token of a confirmation round's link: `<id>.<generation>.<HMAC>`. */
export const subscriptionConfirmToken = (appSecret: string, id: number, generation: number) =>
  `${id}.${generation}.${confirmationMac(appSecret, id, generation)}`;

/** At most one confirmation e-mail per address and topic in this interval, however often asked. */
export const CONFIRM_RESEND_INTERVAL_MS = 10 * 60_000;

/**
 * Double opt-in subscriptions (the seed's `/subscribe` workflow). Subscribing starts a durable
 * workflow — here a job on the queue, in AWS a Step Functions execution — whose steps check
 * whether the address is already confirmed and, if not, send a one-time confirmation link.
 */
export function createSubscriptionsService(deps: TSubscriptionsServiceDeps) {
  const { db, repo, events, rateLimiter, workflows, renderConfirmation, clock, settings } = deps;

  const confirmMac = (id: number, generation: number) =>
    confirmationMac(settings.appSecret, id, generation);
  const unsubscribeMac = (email: string, topic: string) =>
    hmacBase64Url(settings.appSecret, `unsubscribe:${email}\n${topic}`);

  /**
   * The confirmation link's token, derived from the row and its generation rather than stored,
   * so a retried e-mail job sends the same link; a newer generation makes older links useless.
   */
  const confirmToken = (id: number, generation: number) =>
    subscriptionConfirmToken(settings.appSecret, id, generation);

  /** A stable, stateless token that unsubscribes `email` from `topic`; no row needs to exist. */
  const unsubscribeToken = (email: string, topic: string) =>
    `${Buffer.from(`${email}\n${topic}`).toString('base64url')}.${unsubscribeMac(email, topic)}`;

  function readConfirmToken(token: string): { id: number; generation: number } {
    const [id, generation, mac, ...rest] = token.split('.');
    const parsed = { id: Number(id), generation: Number(generation) };
    if (
      rest.length ||
      !mac ||
      !Number.isSafeInteger(parsed.id) ||
      !Number.isSafeInteger(parsed.generation) ||
      !safeEqual(mac, confirmMac(parsed.id, parsed.generation))
    )
      throw new AppError('token_invalid');
    return parsed;
  }

  function readUnsubscribeToken(token: string): { email: string; topic: string } {
    const [encoded, mac, ...rest] = token.split('.');
    if (rest.length || !encoded || !mac) throw new AppError('token_invalid');
    const [email, topic, ...more] = Buffer.from(encoded, 'base64url').toString().split('\n');
    if (more.length || !email || !topic || !safeEqual(mac, unsubscribeMac(email, topic)))
      throw new AppError('token_invalid');
    return { email, topic };
  }

  /** 404 for an organizer or event that does not exist or is not public. */
  async function requireTopicExists(topic: TTopic) {
    const target = parseTopic(topic);
    if (target.kind === 'newsletter') return;
    if (target.kind === 'organizer') {
      // Public once it has published an event, as its page is: before that, a subscription would
      // confirm the id and e-mail the organizer's name ("news from …") to anyone holding it.
      const published = await db
        .selectFrom('events')
        .select('id')
        .where('organizer_id', '=', target.id)
        .where('published_at', 'is not', null)
        .limit(1)
        .executeTakeFirst();
      if (!published) throw new AppError('not_found', { resource: 'organizer' });
      return;
    }
    const event = await events.findById(db, target.id);
    if (!event || event.status !== 'published')
      throw new AppError('not_found', { resource: 'event' });
  }

  const present = (row: { email: string; topic: string; status: TSubscription['status'] }) => ({
    email: row.email,
    topic: row.topic,
    status: row.status,
  });

  /** Step 1 and 2 of the workflow, under the row lock so concurrent runs agree. */
  async function checkAndStartRound(
    trx: TDb,
    input: TSubscribeInput,
  ): Promise<
    | { outcome: 'already_confirmed' | 'recently_sent' }
    | { outcome: 'confirmation_due'; round: { id: number; generation: number } }
  > {
    const row = await repo.lockOrCreate(trx, input.email, input.topic);
    if (row.status === 'confirmed') return { outcome: 'already_confirmed' };
    const now = clock.now();
    if (
      row.status === 'pending' &&
      row.confirm_sent_at &&
      now.getTime() - row.confirm_sent_at.getTime() < CONFIRM_RESEND_INTERVAL_MS
    )
      return { outcome: 'recently_sent' };
    const round = await repo.startConfirmation(
      trx,
      row.id,
      now,
      new Date(now.getTime() + settings.confirmTtlMs),
    );
    return {
      outcome: 'confirmation_due',
      round: { id: round.id, generation: round.confirm_generation },
    };
  }

  return {
    confirmToken,
    unsubscribeToken,

    /**
     * Starts the subscribe workflow. The answer is the same whether or not the address is known
     * or already confirmed, so it reveals nothing about anyone's subscriptions.
     */
    async subscribe(input: TSubscribeRequest, ip: string): Promise<void> {
      await rateLimiter.consume(`subscribe-ip:${ip}`, 30, 3_600_000);
      await rateLimiter.consume(`subscribe-email:${input.email}`, 10, 3_600_000);
      await requireTopicExists(input.topic);
      await workflows.startSubscribe({ email: input.email, topic: input.topic });
    },

    /**
     * The workflow's steps on the local engine, each safe to run again: is the address already
     * confirmed? If not, start a confirmation round (unless one was sent moments ago) and queue
     * its e-mail in the same transaction. Returns what it did, for the log and the tests.
     */
    async runSubscribeWorkflow(
      input: TSubscribeInput,
    ): Promise<'already_confirmed' | 'recently_sent' | 'confirmation_sent'> {
      return db.transaction().execute(async (trx) => {
        const step = await checkAndStartRound(trx, input);
        if (step.outcome !== 'confirmation_due') return step.outcome;
        await enqueueJob(trx, clock, {
          kind: 'mail.send',
          dedupeKey: `subscription-confirm:${step.round.id}:${step.round.generation}`,
          payload: {
            template: 'subscription_confirm',
            subscriptionId: step.round.id,
            generation: step.round.generation,
          },
        });
        return 'confirmation_sent';
      });
    },

    /**
     * The same step for Step Functions: the state machine delivers the returned message itself
     * (an SNS publish), so it is rendered here instead of queued.
     */
    async runSubscribeStep(
      input: TSubscribeInput,
    ): Promise<{ shouldSend: boolean; outcome: string; message: TMail | null }> {
      const step = await db.transaction().execute((trx) => checkAndStartRound(trx, input));
      if (step.outcome !== 'confirmation_due')
        return { shouldSend: false, outcome: step.outcome, message: null };
      const message = await renderConfirmation(step.round.id, step.round.generation);
      return { shouldSend: message !== null, outcome: 'confirmation_sent', message };
    },

    /** Confirms with the one-time link: a used, superseded, expired or forged link is refused. */
    async confirm(token: string): Promise<TSubscription & { unsubscribeToken: string }> {
      const { id, generation } = readConfirmToken(token);
      return db.transaction().execute(async (trx) => {
        const row = await repo.lockById(trx, id);
        if (!row || row.confirm_generation !== generation) throw new AppError('token_invalid');
        if (row.status !== 'pending' || !row.confirm_expires_at) throw new AppError('token_used');
        if (row.confirm_expires_at.getTime() <= clock.now().getTime())
          throw new AppError('token_expired');
        await repo.markConfirmed(trx, id, clock.now());
        return {
          ...present({ ...row, status: 'confirmed' }),
          unsubscribeToken: unsubscribeToken(row.email, row.topic),
        };
      });
    },

    /** One click, no sign-in; doing it twice is harmless. */
    async unsubscribe(token: string): Promise<TSubscription> {
      const { email, topic } = readUnsubscribeToken(token);
      await db
        .transaction()
        .execute((trx) => repo.markUnsubscribed(trx, email, topic, clock.now()));
      return { email, topic, status: 'unsubscribed' };
    },
  };
}

export type TSubscriptionsService = ReturnType<typeof createSubscriptionsService>;
