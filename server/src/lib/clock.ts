/** Time is injected so that expiry rules can be tested without waiting. */
export type TClock = { now(): Date };

export const systemClock: TClock = { now: () => new Date() };

/** A clock that only moves when told to; for tests. */
export function createManualClock(start = new Date('2030-01-01T10:00:00Z')): TClock & {
  advance(ms: number): void;
  set(date: Date): void;
} {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}
