import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../../src/modules/ops/http-metrics.js';

describe('HTTP metrics', () => {
  it('counts requests by method, route and status and renders them in the Prometheus text format', () => {
    const metrics = createHttpMetrics();
    metrics.record('GET', '/api/v1/events/:id', 200, 0.003);
    metrics.record('GET', '/api/v1/events/:id', 200, 0.004);
    metrics.record('GET', '/api/v1/events/:id', 304, 0.001);
    metrics.record('POST', '/api/v1/orders', 409, 0.2);
    const text = metrics.render();
    const lines = text.split('\n');
    expect(lines).toContain('# TYPE http_requests_total counter');
    expect(lines).toContain(
      'http_requests_total{method="GET",route="/api/v1/events/:id",status="200"} 2',
    );
    expect(lines).toContain(
      'http_requests_total{method="GET",route="/api/v1/events/:id",status="304"} 1',
    );
    expect(lines).toContain(
      'http_requests_total{method="POST",route="/api/v1/orders",status="409"} 1',
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('keeps cumulative latency buckets whose +Inf bucket equals the count', () => {
    const metrics = createHttpMetrics();
    // On a bound counts as within it (`le`); 7 s is beyond the last bound.
    for (const seconds of [0.005, 0.006, 0.3, 7]) metrics.record('GET', '/healthz', 200, seconds);
    const bucket = (le: string) =>
      new RegExp(
        `^http_request_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}",method="GET",route="/healthz"\\} (\\d+)$`,
        'm',
      ).exec(metrics.render())?.[1];
    expect(metrics.render()).toContain('# TYPE http_request_duration_seconds histogram');
    expect(bucket('0.005')).toBe('1');
    expect(bucket('0.01')).toBe('2');
    expect(bucket('0.25')).toBe('2');
    expect(bucket('0.5')).toBe('3');
    expect(bucket('5')).toBe('3');
    expect(bucket('+Inf')).toBe('4');
    expect(metrics.render()).toContain(
      'http_request_duration_seconds_count{method="GET",route="/healthz"} 4',
    );
    const sum = /^http_request_duration_seconds_sum\{method="GET",route="\/healthz"\} (\S+)$/m.exec(
      metrics.render(),
    )?.[1];
    expect(Number(sum)).toBeCloseTo(7.311, 9);
  });

  it('escapes label values', () => {
    const metrics = createHttpMetrics();
    metrics.record('GET', 'a"b\\c\nd', 404, 0.001);
    expect(metrics.render()).toContain(
      'http_requests_total{method="GET",route="a\\"b\\\\c\\nd",status="404"} 1',
    );
  });

  it('renders exactly what prom-client, which it replaced, renders for the same responses', async () => {
    // The metrics the API exposed before (names, help, labels, buckets), fed the same responses:
    // dashboards and alerts built on them must not notice the change.
    const registry = new Registry();
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const metrics = createHttpMetrics();
    const responses: [string, string, number, number][] = [
      ['GET', '/api/v1/events/:id', 200, 0.0031],
      ['GET', '/api/v1/events/:id', 304, 0.01],
      ['GET', '/api/v1/events/:id', 200, 0.27],
      ['POST', '/api/v1/orders', 201, 0.049],
      ['POST', '/api/v1/orders', 409, 6.5],
      ['GET', 'unmatched', 404, 0.0004],
      ['GET', 'a"b\\c\nd', 200, 1],
    ];
    for (const [method, route, status, seconds] of responses) {
      requests.inc({ method, route, status });
      duration.observe({ method, route }, seconds);
      metrics.record(method, route, status, seconds);
    }
    const lines = (text: string) => text.split('\n').filter(Boolean).sort();
    expect(lines(metrics.render())).toEqual(lines(await registry.metrics()));
  });
});
