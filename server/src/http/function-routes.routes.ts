import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FastifyRequest } from 'fastify';
import { functionRoutes } from '../lambda/function-routes.js';
import { handleFunctionEvent, type TFunctionRuntime } from '../lambda/runtime.js';
import type { TApp } from './types.js';

/** The API Gateway HTTP API (payload 2.0) event for a request, as AWS would build it. */
function toApiGatewayEvent(req: FastifyRequest, rawBody: string | null): APIGatewayProxyEventV2 {
  const url = new URL(req.url, 'http://local');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers))
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  const query = Object.fromEntries(url.searchParams.entries());
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${req.method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(headers['cookie'] ? { cookies: headers['cookie'].split(';').map((c) => c.trim()) } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: req.host,
      domainPrefix: 'local',
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.ip,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: req.id,
      routeKey: `${req.method} ${url.pathname}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(rawBody !== null ? { body: rawBody } : {}),
    isBase64Encoded: false,
  };
}

/**
 * Mounts the six Lambda handlers under `/fn` on the local server: each request becomes the API
 * Gateway event AWS would send, and the handler's result becomes the reply, so the code that
 * runs in Lambda is the code tested here.
 */
export function registerFunctionRoutes(
  app: TApp,
  runtime: TFunctionRuntime,
  options: { bodyLimit: number },
) {
  app.register(
    (scope, _opts, done) => {
      // The handler parses the body itself, as in Lambda.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: options.bodyLimit },
        (_req, body, next) => next(null, body),
      );
      for (const route of functionRoutes) {
        scope.route({
          method: route.method,
          url: `/${route.name}`,
          schema: { tags: ['Functions'], summary: `${route.summary} (Lambda handler)` },
          handler: async (req, reply) => {
            const body = typeof req.body === 'string' ? req.body : null;
            const result = await handleFunctionEvent(route, toApiGatewayEvent(req, body), runtime);
            void reply.code(result.statusCode ?? 200);
            for (const [name, value] of Object.entries(result.headers ?? {}))
              void reply.header(name, String(value));
            return reply.send(result.body ?? '');
          },
        });
      }
      done();
    },
    { prefix: '/fn' },
  );
}
