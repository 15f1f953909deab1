/**
 * Request counts and latencies, recorded on every response and rendered in the Prometheus text
 * format (0.0.4) when `/metrics` is scraped: `http_requests_total` by method, route and status,
 * `http_request_duration_seconds` by method and route.
 *
 * Why not prom-client's Counter and Histogram, as the process metrics use: each of their `inc`
 * and `observe` calls validates its label object and builds a string key from it, on every
 * response of the API (docs/BENCHMARKS.md, item 43). Here a response costs three map lookups and a
 * bucket scan; formatting waits for a scrape.
 */
export type THttpMetrics = {
  record(method: string, route: string, status: number, seconds: number): void;
  /** Both families, in the exposition format, ending with a newline. */
  render(): string;
};

/** Upper bounds of the latency buckets, in seconds. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

type TSeries = {
  /** `method="GET",route="/api/v1/events/:id"`, escaped once. */
  labels: string;
  byStatus: Map<number, number>;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
};

export function createHttpMetrics(): THttpMetrics {
  const byMethod = new Map<string, Map<string, TSeries>>();

  function seriesOf(method: string, route: string): TSeries {
    let byRoute = byMethod.get(method);
    if (!byRoute) byMethod.set(method, (byRoute = new Map<string, TSeries>()));
    let series = byRoute.get(route);
    if (!series) {
      series = {
        labels: `method="${escapeLabel(method)}",route="${escapeLabel(route)}"`,
        byStatus: new Map(),
        buckets: new Array<number>(latencyBuckets.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byRoute.set(route, series);
    }
    return series;
  }

  return {
    record(method, route, status, seconds) {
      const series = seriesOf(method, route);
      series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
      let bucket = 0;
      while (bucket < latencyBuckets.length && seconds > latencyBuckets[bucket]!) bucket++;
      series.buckets[bucket]! += 1;
      series.sum += seconds;
      series.count += 1;
    },
    render() {
      const all = [...byMethod.values()].flatMap((byRoute) => [...byRoute.values()]);
      const lines = [
        '# HELP http_requests_total HTTP requests by method, route and status',
        '# TYPE http_requests_total counter',
      ];
      for (const series of all)
        for (const [status, n] of series.byStatus)
          lines.push(`http_requests_total{${series.labels},status="${status}"} ${n}`);
      lines.push(
        '',
        '# HELP http_request_duration_seconds HTTP request latency by method and route',
        '# TYPE http_request_duration_seconds histogram',
      );
      for (const series of all) {
        let cumulative = 0;
        latencyBuckets.forEach((bound, i) => {
          cumulative += series.buckets[i] ?? 0;
          lines.push(
            `http_request_duration_seconds_bucket{le="${bound}",${series.labels}} ${cumulative}`,
          );
        });
        lines.push(
          `http_request_duration_seconds_bucket{le="+Inf",${series.labels}} ${series.count}`,
          `http_request_duration_seconds_sum{${series.labels}} ${series.sum}`,
          `http_request_duration_seconds_count{${series.labels}} ${series.count}`,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

/** The exposition format's escapes for label values: backslash, double quote, line feed. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
