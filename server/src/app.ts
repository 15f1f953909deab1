import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { TConfig } from './config.js';
import type { TDeps } from './deps.js';
import { AppError, toHttpError } from './errors.js';
import { findUnsafeText } from './lib/unsafe-text.js';
import { registerFilesRoutes } from './http/files.routes.js';
import { registerFunctionRoutes } from './http/function-routes.routes.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerSessionHook } from './http/session-hook.js';
import type { TApp } from './http/types.js';
import { registerActivityRoutes } from './modules/activity/activity.routes.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { registerBroadcastsRoutes } from './modules/broadcasts/broadcasts.routes.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import { registerCheckinRoutes } from './modules/checkin/checkin.routes.js';
import { registerDevMailboxRoutes } from './modules/dev-mailbox/dev-mailbox.routes.js';
import { registerEventsRoutes } from './modules/events/events.routes.js';
import { registerOpsRoutes } from './modules/ops/ops.routes.js';
import { registerOrdersRoutes } from './modules/orders/orders.routes.js';
import { registerOrganizersRoutes } from './modules/organizers/organizers.routes.js';
import { registerReportsRoutes } from './modules/reports/reports.routes.js';
import { registerSubscriptionsRoutes } from './modules/subscriptions/subscriptions.routes.js';
import { registerTicketTypesRoutes } from './modules/ticket-types/ticket-types.routes.js';
import { registerTicketsRoutes } from './modules/tickets/tickets.routes.js';
import { registerUsersRoutes } from './modules/users/users.routes.js';
import { registerWaitlistRoutes } from './modules/waitlist/waitlist.routes.js';
import { createServices, type TServices } from './services.js';

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Builds the HTTP server from config and adapters. `main` and the tests build it the same way;
 * the caller owns the adapters and closes them after `app.close()`.
 */
export async function buildApp(
  config: TConfig,
  deps: TDeps,
  logger: FastifyBaseLogger,
): Promise<{ app: TApp; services: TServices }> {
  const services = createServices(config, deps);
  const app = Fastify({
    loggerInstance: logger,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    // Reuse a well-formed upstream request id (nginx, ALB) so one id follows a request end to end.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming)
        ? incoming
        : randomUUID();
    },
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The hooks every request runs are plain callbacks: no promise per request.
  registerSecurityHeaders(app, config);
  app.addHook('onSend', (req, reply, payload, done) => {
    void reply.header('x-request-id', req.id);
    // Visitors' ticket-type lists (live availability, on sale or not) are memoized for
    // PUBLIC_READ_TTL_MS. Any successful write through this instance (an order, a payment, a
    // waiting-list claim, an event cancelled) may change them, so it drops them before its
    // answer leaves: whoever made the change sees it at once; changes made elsewhere (another
    // instance, the worker's hold expiry) show within the bound.
    if (reply.statusCode < 400 && unsafeMethods.has(req.method))
      services.ticketTypes.forgetPublicReads();
    done(null, payload);
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send({
        error: 'validation_failed',
        message: `The request ${error.validationContext ?? 'input'} is not valid.`,
        details: {
          issues: error.validation.map((v) => ({
            path: v.instancePath.split('/').filter(Boolean),
            message: v.message ?? 'is not valid',
          })),
        },
      });
    }
    const mapped = toHttpError(error);
    if (!mapped.isExpected) req.log.error({ err: error }, 'unhandled error');
    if (mapped.headers) void reply.headers(mapped.headers);
    return reply.code(mapped.status).send(mapped.body);
  });

  // Text PostgreSQL cannot store (NUL, unpaired surrogates) is a 400 here, on every route,
  // rather than a database error in whichever query first meets it.
  app.addHook('preValidation', (req, _reply, done) => {
    const refuse = (part: string, path: string[]) => {
      const issue = { path, message: 'must not contain NUL characters or unpaired surrogates' };
      done(
        new AppError('validation_failed', { issues: [issue] }, `The request ${part} is not valid.`),
      );
    };
    let path;
    if ((path = findUnsafeText(req.body))) refuse('body', path);
    else if ((path = findUnsafeText(req.query))) refuse('querystring', path);
    else if ((path = findUnsafeText(req.params))) refuse('params', path);
    else done();
  });

  await app.register(fastifyCookie);
  // JSON is the only text format the API speaks; anything else is a clear 415.
  app.removeContentTypeParser('text/plain');
  // Raw image uploads arrive as a Buffer; which routes accept them is decided by the route.
  app.addContentTypeParser(
    /^(image\/[a-z0-9.+-]+|application\/octet-stream)$/i,
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TickItNow API',
        version: '1.0.0',
        description:
          'Event management and ticketing. Errors are `{error, message, details?}` with a 4xx status; lists are `{items, nextCursor}`.',
      },
      components: { securitySchemes: { session: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  registerOpsRoutes(app, deps);
  if (deps.localStorage)
    registerFilesRoutes(app, { storage: deps.localStorage, clock: deps.clock });

  await app.register(
    (api, _opts, done) => {
      const v1 = api.withTypeProvider<ZodTypeProvider>();
      registerSessionHook(v1, { auth: services.auth, publicUrl: config.publicUrl });
      registerAuthRoutes(v1, {
        auth: services.auth,
        secureCookies: config.publicUrl.startsWith('https:'),
      });
      registerUsersRoutes(v1, services);
      registerOrganizersRoutes(v1, services);
      registerEventsRoutes(v1, { events: services.events, imageMaxBytes: config.imageMaxBytes });
      registerTicketTypesRoutes(v1, services);
      registerOrdersRoutes(v1, services);
      registerTicketsRoutes(v1, services);
      registerWaitlistRoutes(v1, services);
      registerCheckinRoutes(v1, services);
      registerAuditRoutes(v1, services);
      registerSubscriptionsRoutes(v1, services);
      registerBroadcastsRoutes(v1, services);
      registerActivityRoutes(v1, services);
      registerReportsRoutes(v1, services);
      if (deps.mailer.kind === 'dev-mailbox')
        registerDevMailboxRoutes(v1, {
          db: deps.database.db,
          storage: deps.storage,
          clock: deps.clock,
        });
      done();
    },
    { prefix: '/api/v1' },
  );
  // Base64 grows the image by a third; the handler checks the decoded size.
  registerFunctionRoutes(
    app,
    { services, config, logger: app.log },
    { bodyLimit: Math.ceil((config.imageMaxBytes * 4) / 3) + 4096 },
  );

  const hasWeb = config.web.serve && existsSync(path.join(config.web.dist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.web.dist,
      wildcard: false,
      index: false,
      // The web build ships .br/.gz siblings of its text files (web/vite.config.ts); they are
      // sent to clients that accept them, the plain file to the others.
      preCompressed: true,
      // Hashed assets never change under the same name; the HTML shell must always be revalidated.
      setHeaders: (res, file) => {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const isApi = /^\/(api|fn|files)(\/|$)/.test(req.url);
    if (hasWeb && !isApi && (req.method === 'GET' || req.method === 'HEAD')) {
      // Client-side routes (/events/x, /dashboard…) all load the single-page app.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'route_not_found', message: 'No such endpoint.' });
  });

  return { app, services };
}
