import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as routes from '../../src/lambda/function-routes.js';
import { handleFunctionEvent, type TFunctionRuntime } from '../../src/lambda/runtime.js';
import { resolveSecretEnv } from '../../src/lambda/secrets.js';
import { runSubscribeStep } from '../../src/lambda/subscribe.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  buyTickets,
  makeOnSaleEvent,
  signIn,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';

let ctx: TTestContext;
let runtime: TFunctionRuntime;
beforeAll(async () => {
  ctx = await createTestContext();
  runtime = { services: ctx.services, config: ctx.config, logger: ctx.app.log };
});
afterAll(() => ctx.close());

/** An API Gateway HTTP API (payload 2.0) event, shaped as AWS sends it. */
function apiGatewayEvent(
  method: 'GET' | 'POST',
  name: string,
  options: {
    body?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    cookies?: string[];
    isBase64Encoded?: boolean;
  } = {},
): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: `${method} /fn/${name}`,
    rawPath: `/fn/${name}`,
    rawQueryString,
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'vitest',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      ...options.headers,
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: `/fn/${name}`,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'vitest',
      },
      requestId: `req-${Math.random()}`,
      routeKey: `${method} /fn/${name}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

const invoke = async (route: routes.TFunctionRoute, event: APIGatewayProxyEventV2) => {
  const result = await handleFunctionEvent(route, event, runtime);
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : null,
  };
};
const bearer = (who: TSignedIn) => ({ authorization: who.headers.authorization });

describe('the six function routes as Lambda handlers (API Gateway events)', () => {
  it('send-otp mails a code and refuses bad input with the JSON error shape', async () => {
    const email = uniqueEmail('fn-otp');
    const ok = await invoke(
      routes.sendOtp,
      apiGatewayEvent('POST', 'send-otp', { body: JSON.stringify({ email }) }),
    );
    expect(ok.status).toBe(202);
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .select('subject')
      .where('to_address', '=', email)
      .executeTakeFirst();
    expect(mail).toBeDefined();

    const bad = await invoke(
      routes.sendOtp,
      apiGatewayEvent('POST', 'send-otp', { body: JSON.stringify({ email: 'nope' }) }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: 'validation_failed',
      details: { issues: [{ path: ['email'] }] },
    });
    expect(bad.headers['content-type']).toContain('application/json');

    const malformed = await invoke(
      routes.sendOtp,
      apiGatewayEvent('POST', 'send-otp', { body: '{"email":' }),
    );
    expect(malformed).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    const noBody = await invoke(routes.sendOtp, apiGatewayEvent('POST', 'send-otp'));
    expect(noBody.status).toBe(400);
    const polluted = await invoke(
      routes.sendOtp,
      apiGatewayEvent('POST', 'send-otp', {
        body: '{"email":"a@example.test","__proto__":{"x":1}}',
      }),
    );
    expect(polluted).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    const base64 = await invoke(
      routes.sendOtp,
      apiGatewayEvent('POST', 'send-otp', {
        body: Buffer.from(JSON.stringify({ email: uniqueEmail('b64') })).toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(base64.status).toBe(202);
    const wrongMethod = await invoke(routes.sendOtp, apiGatewayEvent('GET', 'send-otp'));
    expect(wrongMethod.status).toBe(405);
  });

  it('subscribe starts the double opt-in workflow', async () => {
    const email = uniqueEmail('fn-sub');
    const res = await invoke(
      routes.subscribe,
      apiGatewayEvent('POST', 'subscribe', {
        body: JSON.stringify({ email, topic: 'newsletter' }),
      }),
    );
    expect(res.status).toBe(202);
    await ctx.drainJobs();
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .select('subject')
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Confirm your subscription');
    const badTopic = await invoke(
      routes.subscribe,
      apiGatewayEvent('POST', 'subscribe', { body: JSON.stringify({ email, topic: 'weather' }) }),
    );
    expect(badTopic.status).toBe(400);
  });

  it('create-event processes a base64 image for the event’s team only', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    const png = await sharp({
      create: { width: 640, height: 360, channels: 3, background: '#3b2db3' },
    })
      .png()
      .toBuffer();
    const body = JSON.stringify({ eventId: event.id, image: png.toString('base64') });
    const ok = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', { body, headers: bearer(owner) }),
    );
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveProperty('imageUrl');

    const anonymous = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', { body }),
    );
    expect(anonymous.status).toBe(401);
    const stranger = await signIn(ctx, uniqueEmail('fn-stranger'));
    const denied = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', { body, headers: bearer(stranger) }),
    );
    expect(denied.status).toBe(404);
    const notBase64 = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', {
        body: JSON.stringify({ eventId: event.id, image: 'not base64!' }),
        headers: bearer(owner),
      }),
    );
    expect(notBase64.status).toBe(400);
    const notImage = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', {
        body: JSON.stringify({
          eventId: event.id,
          image: Buffer.from('%PDF-1.7 hello').toString('base64'),
        }),
        headers: bearer(owner),
      }),
    );
    expect(notImage).toMatchObject({ status: 422, json: { error: 'invalid_image' } });
    const forged = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', {
        body,
        headers: { authorization: 'Bearer forged' },
      }),
    );
    expect(forged.status).toBe(401);
    // A cookie session is a browser: a write from another origin is refused (CSRF).
    const crossSite = await invoke(
      routes.createEvent,
      apiGatewayEvent('POST', 'create-event', {
        body,
        cookies: [`tin_session=${owner.token}`],
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(crossSite).toMatchObject({ status: 403, json: { error: 'csrf_rejected' } });
  });

  it('create-ticket and get-qr-code serve the order’s QR codes to their holder only', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 5 });
    const buyer = await signIn(ctx, uniqueEmail('fn-buyer'));
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 2);
    const created = await invoke(
      routes.createTicket,
      apiGatewayEvent('POST', 'create-ticket', {
        body: JSON.stringify({ orderId: order.id }),
        headers: bearer(buyer),
      }),
    );
    expect(created.status).toBe(200);
    expect((created.json as { tickets: unknown[] }).tickets).toHaveLength(2);

    const ticketId = order.tickets[0]!.id;
    const qr = await invoke(
      routes.getQrCode,
      apiGatewayEvent('GET', 'get-qr-code', { query: { ticketId }, headers: bearer(buyer) }),
    );
    expect(qr.status).toBe(200);
    const url = new URL(String(qr.json?.['url']));
    const png = await ctx.app.inject(`${url.pathname}${url.search}`);
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');

    const other = await signIn(ctx, uniqueEmail('fn-other'));
    const stolen = await invoke(
      routes.getQrCode,
      apiGatewayEvent('GET', 'get-qr-code', { query: { ticketId }, headers: bearer(other) }),
    );
    expect(stolen.status).toBe(404);
    const notOwn = await invoke(
      routes.createTicket,
      apiGatewayEvent('POST', 'create-ticket', {
        body: JSON.stringify({ orderId: order.id }),
        headers: bearer(other),
      }),
    );
    expect(notOwn.status).toBe(404);
    const badId = await invoke(
      routes.getQrCode,
      apiGatewayEvent('GET', 'get-qr-code', {
        query: { ticketId: '../etc' },
        headers: bearer(buyer),
      }),
    );
    expect(badId.status).toBe(400);
  });

  it('log-activity takes one item or a batch', async () => {
    const one = await invoke(
      routes.logActivity,
      apiGatewayEvent('POST', 'log-activity', { body: JSON.stringify({ type: 'page_view' }) }),
    );
    expect(one).toMatchObject({ status: 202, json: { accepted: 1 } });
    const batch = await invoke(
      routes.logActivity,
      apiGatewayEvent('POST', 'log-activity', {
        body: JSON.stringify([{ type: 'page_view' }, { type: 'search', metadata: { q: 'jazz' } }]),
      }),
    );
    expect(batch).toMatchObject({ status: 202, json: { accepted: 2 } });
    const serverType = await invoke(
      routes.logActivity,
      apiGatewayEvent('POST', 'log-activity', {
        body: JSON.stringify({ type: 'ticket_purchase' }),
      }),
    );
    expect(serverType.status).toBe(400);
  });
});

describe('the same handlers mounted under /fn on the local server', () => {
  it('answers every route end to end', async () => {
    const email = uniqueEmail('fn-local');
    const otp = await ctx.app.inject({ method: 'POST', url: '/fn/send-otp', payload: { email } });
    expect(otp.statusCode).toBe(202);

    const buyer = await signIn(ctx, uniqueEmail('fn-local-buyer'));
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 3 });
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/fn/create-ticket',
      headers: buyer.headers,
      payload: { orderId: order.id },
    });
    expect(created.statusCode).toBe(200);
    const qr = await ctx.app.inject({
      url: `/fn/get-qr-code?ticketId=${order.tickets[0]!.id}`,
      headers: buyer.headers,
    });
    expect(qr.statusCode).toBe(200);
    expect(qr.json()).toHaveProperty('expiresAt');

    const sub = await ctx.app.inject({
      method: 'POST',
      url: '/fn/subscribe',
      payload: { email, topic: `event:${event.id}` },
    });
    expect(sub.statusCode).toBe(202);
    const act = await ctx.app.inject({
      method: 'POST',
      url: '/fn/log-activity',
      payload: { type: 'event_view', eventId: event.id, visitorId: 'visitor-fn-1' },
    });
    expect(act.statusCode).toBe(202);

    const png = await sharp({
      create: { width: 320, height: 180, channels: 3, background: '#fff' },
    })
      .png()
      .toBuffer();
    const image = await ctx.app.inject({
      method: 'POST',
      url: '/fn/create-event',
      headers: owner.headers,
      payload: { eventId: event.id, image: png.toString('base64') },
    });
    expect(image.statusCode).toBe(200);

    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/fn/send-otp',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'invalid_json' });
    const huge = await ctx.app.inject({
      method: 'POST',
      url: '/fn/create-event',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        eventId: event.id,
        image: 'A'.repeat(ctx.config.imageMaxBytes * 2),
      }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: 'payload_too_large' });
  });
});

describe('the subscribe workflow step (Step Functions invokes the subscribe function)', () => {
  it('returns the confirmation message to publish once, then nothing', async () => {
    const email = uniqueEmail('sfn');
    const first = await runSubscribeStep(
      { step: 'check-subscription', email, topic: 'newsletter' },
      runtime,
    );
    expect(first).toMatchObject({ shouldSend: true, confirmed: false });
    const message = JSON.parse(first.message ?? '{}') as { to: string; text: string };
    expect(message.to).toBe(email);
    const token = /confirm\?token=(\S+)/.exec(message.text)?.[1] ?? '';
    const again = await runSubscribeStep(
      { step: 'check-subscription', email, topic: 'newsletter' },
      runtime,
    );
    expect(again).toMatchObject({ shouldSend: false, outcome: 'recently_sent', message: null });
    const confirmed = await ctx.app.inject(`/api/v1/subscriptions/confirm?token=${token}`);
    expect(confirmed.statusCode).toBe(200);
    const after = await runSubscribeStep(
      { step: 'check-subscription', email, topic: 'newsletter' },
      runtime,
    );
    expect(after).toMatchObject({ shouldSend: false, confirmed: true });
    await expect(
      runSubscribeStep({ step: 'check-subscription', email: 'x', topic: 'newsletter' }, runtime),
    ).rejects.toThrow();
  });
});

describe('secrets at a Lambda cold start (aws-sdk-client-mock: no Secrets Manager here)', () => {
  it('turns secret ARNs into the variables the config reads', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand, { SecretId: 'arn:app' })
      .resolves({ SecretString: 'a'.repeat(64) });
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:db' }).resolves({
      SecretString: JSON.stringify({
        username: 'tickitnow',
        password: 'p@ss/word',
        host: 'db.internal',
        port: 5432,
        dbname: 'tickitnow',
      }),
    });
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:redis' }).resolves({ SecretString: 'tok' });
    const env = await resolveSecretEnv(
      {
        APP_SECRET_ARN: 'arn:app',
        DATABASE_SECRET_ARN: 'arn:db',
        REDIS_AUTH_TOKEN_SECRET_ARN: 'arn:redis',
        REDIS_HOST: 'cache.internal',
        SMTP_URL: 'smtp://already.set:25',
        SMTP_URL_SECRET_ARN: 'arn:never-read',
      },
      new SecretsManagerClient({ region: 'eu-west-1' }),
    );
    expect(env['APP_SECRET']).toBe('a'.repeat(64));
    expect(env['DATABASE_URL']).toBe(
      'postgres://tickitnow:p%40ss%2Fword@db.internal:5432/tickitnow?sslmode=require',
    );
    expect(env['REDIS_URL']).toBe('rediss://:tok@cache.internal:6379');
    expect(env['SMTP_URL']).toBe('smtp://already.set:25');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    secrets.restore();
  });
});
