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
  /** Tells every instance sharing the cache (this one included) about a change; best effort. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `handler` with each message published on `channel`, and with null when messages may
   * have been missed (the connection to a shared cache was lost and is back).
   */
  subscribe(channel: string, handler: (message: string | null) => void): void;
  /** Throws when the cache cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
};
