import { z } from 'zod';
import { ZEmail } from '../http/common.schema.js';
import { ZActivityRequest } from '../modules/activity/activity.schema.js';
import type { TActor } from '../modules/auth/actor.js';
import { ZTopic } from '../modules/subscriptions/subscriptions.schema.js';
import type { TServices } from '../services.js';

export type TFunctionCall<TInput> = {
  services: TServices;
  actor: TActor;
  ip: string;
  userAgent: string | null;
  input: TInput;
};

/** One of the six function routes of SPEC §5: its input schema and the one service call it makes. */
export type TFunctionRoute<TSchema extends z.ZodType = z.ZodType> = {
  name: string;
  method: 'GET' | 'POST';
  summary: string;
  /** The JSON body (POST) or the query string (GET). */
  input: TSchema;
  run(call: TFunctionCall<z.infer<TSchema>>): Promise<{ status: number; body: unknown }>;
};

const defineRoute = <TSchema extends z.ZodType>(route: TFunctionRoute<TSchema>) => route;

/** Base64 of the image bytes; the decoded size is checked by the image pipeline. */
const ZBase64 = z
  .string()
  .min(4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64' })
  .refine((s) => s.length % 4 === 0, { error: 'must be base64 (length a multiple of 4)' });

export const sendOtp = defineRoute({
  name: 'send-otp',
  method: 'POST',
  summary: 'Send a sign-in code by e-mail',
  input: z.strictObject({ email: ZEmail }),
  async run({ services, input, ip, userAgent }) {
    await services.auth.requestCode(input.email, { ip, userAgent });
    return { status: 202, body: null };
  },
});

export const subscribe = defineRoute({
  name: 'subscribe',
  method: 'POST',
  summary: 'Subscribe an e-mail to a topic (starts the double opt-in workflow)',
  input: z.strictObject({ email: ZEmail, topic: ZTopic }),
  async run({ services, input, ip }) {
    await services.subscriptions.subscribe(input, ip);
    return { status: 202, body: null };
  },
});

export const createEvent = defineRoute({
  name: 'create-event',
  method: 'POST',
  summary: 'Process and store an event image (base64)',
  input: z.strictObject({ eventId: z.uuid(), image: ZBase64 }),
  async run({ services, actor, input }) {
    const bytes = Buffer.from(input.image, 'base64');
    return { status: 200, body: await services.events.setEventImage(actor, input.eventId, bytes) };
  },
});

export const createTicket = defineRoute({
  name: 'create-ticket',
  method: 'POST',
  summary: 'Generate and store the QR codes of a paid order',
  input: z.strictObject({ orderId: z.uuid() }),
  async run({ services, actor, input }) {
    return { status: 200, body: await services.tickets.createOrderQrCodes(actor, input.orderId) };
  },
});

export const getQrCode = defineRoute({
  name: 'get-qr-code',
  method: 'GET',
  summary: 'A time-limited signed URL of a ticket’s QR code',
  input: z.strictObject({ ticketId: z.uuid() }),
  async run({ services, actor, input }) {
    return { status: 200, body: await services.tickets.getTicketQrUrl(actor, input.ticketId) };
  },
});

export const logActivity = defineRoute({
  name: 'log-activity',
  method: 'POST',
  summary: 'Record page views and actions',
  input: ZActivityRequest,
  async run({ services, actor, input, ip }) {
    const items = Array.isArray(input) ? input : [input];
    return { status: 202, body: { accepted: await services.activity.record(actor, items, ip) } };
  },
});

/** The six routes, in SPEC order. */
export const functionRoutes: TFunctionRoute[] = [
  sendOtp,
  subscribe,
  createEvent,
  createTicket,
  getQrCode,
  logActivity,
] as TFunctionRoute[];
