/**
 * One run per key at a time: a call made while the same key's run is in flight waits for that
 * run and shares its outcome instead of starting another. For work whose result any caller
 * arriving meanwhile can use, such as seeding a cache from the database.
 */
export function createSingleFlight<TKey>() {
  const running = new Map<TKey, Promise<void>>();
  return {
    run(key: TKey, work: () => Promise<void>): Promise<void> {
      let flight = running.get(key);
      if (!flight) {
        flight = work().finally(() => running.delete(key));
        running.set(key, flight);
      }
      return flight;
    },
  };
}
