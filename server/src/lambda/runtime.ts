import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig, type TConfig } from '../config.js';
import { createDeps, verifyDeps } from '../deps.js';
import { AppError, toHttpError } from '../errors.js';
import { createLogger } from '../logger.js';
import { findUnsafeText } from '../lib/unsafe-text.js';
import type { TActor } from '../modules/auth/actor.js';
import { createServices, type TServices } from '../services.js';
import type { TFunctionRoute } from './function-routes.js';
import { resolveSecretEnv } from './secrets.js';

export type TFunctionRuntime = {
  services: TServices;
  config: TConfig;
  logger: FastifyBaseLogger;
};

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  },
  body: body === null ? '' : JSON.stringify(body),
});

function cookieValue(event: APIGatewayProxyEventV2, name: string): string | null {
  const pairs = event.cookies ?? (event.headers['cookie'] ?? '').split(';');
  for (const pair of pairs) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * The caller, from `Authorization: Bearer` or the session cookie, exactly as the REST API does:
 * a cookie-authenticated POST must come from our origin (CSRF), a bad bearer token is a 401.
 */
async function resolveActor(
  event: APIGatewayProxyEventV2,
  runtime: TFunctionRuntime,
): Promise<TActor> {
  const header = event.headers['authorization'];
  let bearer: string | null = null;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1])
      throw new AppError('unauthenticated', undefined, 'Use `Authorization: Bearer <token>`.');
    bearer = match[1];
  }
  const token = bearer ?? cookieValue(event, 'tin_session');
  if (!token) return null;
  if (!bearer && event.requestContext.http.method !== 'GET') {
    const origin = event.headers['origin'];
    if (origin !== new URL(runtime.config.publicUrl).origin) throw new AppError('csrf_rejected');
  }
  const actor = await runtime.services.auth.resolveSession(token);
  if (!actor && bearer)
    throw new AppError('unauthenticated', undefined, 'The session is invalid or has expired.');
  return actor;
}

function parseInput(route: TFunctionRoute, event: APIGatewayProxyEventV2): unknown {
  if (route.method === 'GET') return event.queryStringParameters ?? {};
  if (!event.body) throw new AppError('invalid_json', undefined, 'A JSON body is required.');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
  try {
    // Refuse prototype-pollution keys the way Fastify's parser does.
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || key === 'constructor') throw new Error('forbidden key');
      return value;
    });
  } catch {
    throw new AppError('invalid_json');
  }
}

/**
 * Runs one function route for an API Gateway HTTP API (payload 2.0) event: the same auth,
 * validation, services and JSON error shape as the REST API.
 */
export async function handleFunctionEvent(
  route: TFunctionRoute,
  event: APIGatewayProxyEventV2,
  runtime: TFunctionRuntime,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    if (event.requestContext.http.method !== route.method) throw new AppError('method_not_allowed');
    const input = parseInput(route, event);
    // As the REST API does before validation: text PostgreSQL cannot store is a 400.
    const unsafePath = findUnsafeText(input);
    const parsed = unsafePath ? null : route.input.safeParse(input);
    if (!parsed?.success)
      return json(400, {
        error: 'validation_failed',
        message: `The request ${route.method === 'GET' ? 'querystring' : 'body'} is not valid.`,
        details: {
          issues: parsed
            ? parsed.error.issues.map((issue) => ({
                path: issue.path.map(String),
                message: issue.message,
              }))
            : [
                {
                  path: unsafePath,
                  message: 'must not contain NUL characters or unpaired surrogates',
                },
              ],
        },
      });
    const actor = await resolveActor(event, runtime);
    const result = await route.run({
      services: runtime.services,
      actor,
      ip: event.requestContext.http.sourceIp,
      userAgent: event.headers['user-agent'] ?? null,
      input: parsed.data,
    });
    return json(result.status, result.body);
  } catch (error) {
    const mapped = toHttpError(error);
    if (!mapped.isExpected) runtime.logger.error({ err: error, route: route.name }, 'unhandled');
    return json(mapped.status, mapped.body, mapped.headers);
  }
}

let coldStart: Promise<TFunctionRuntime> | null = null;

/** Builds config, adapters and services once per Lambda container and reuses them after. */
export function runtimeFromEnvironment(): Promise<TFunctionRuntime> {
  coldStart ??= (async () => {
    const config = loadConfig(await resolveSecretEnv(process.env));
    const logger = createLogger(config);
    const deps = await createDeps(config, logger);
    await verifyDeps(config, deps);
    return { services: createServices(config, deps), config, logger };
  })();
  return coldStart;
}

/** The Lambda entry point of a function route. */
export function lambdaHandler(route: TFunctionRoute) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
    handleFunctionEvent(route, event, await runtimeFromEnvironment());
}
