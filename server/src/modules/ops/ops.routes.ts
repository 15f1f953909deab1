import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { TDeps } from '../../deps.js';
import { createHttpMetrics } from './http-metrics.js';

/** Prometheus metrics for one app instance: process defaults plus HTTP request counts and latency. */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, http: createHttpMetrics() };
}

/**
 * Operations endpoints outside /api/v1: liveness (the process answers), readiness (the database
 * and cache answer, so a load balancer can take the instance out while they do not), metrics.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: Pick<TDeps, 'database' | 'cache'>) {
  const metrics = createMetrics();

  // A plain callback, like the other hooks every request runs: no promise per request.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.http.record(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const check = async (ping: () => Promise<void>) => {
      try {
        await withTimeout(ping(), 2_000);
        return 'ok' as const;
      } catch {
        return 'unavailable' as const;
      }
    };
    const [database, cache] = await Promise.all([
      check(() => deps.database.ping()),
      check(() => deps.cache.ping()),
    ]);
    const isReady = database === 'ok' && cache === 'ok';
    return reply
      .code(isReady ? 200 : 503)
      .send({ status: isReady ? 'ready' : 'not_ready', checks: { database, cache } });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type(metrics.registry.contentType)
      .send(`${await metrics.registry.metrics()}\n${metrics.http.render()}`),
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
