/**
 * The cache port: short-lived shared state (rate-limit counters, cached values). In-process by
 * default; Redis when REDIS_URL is set, so several API instances share the same counters.
 */
export type TCache = {
  readonly kind: 'memory' | 'redis';
  /** Adds one to a counter that lives `windowMs` from its first hit; returns the new count. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Throws when the cache cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
};
