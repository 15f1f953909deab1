import { describe, expect, it } from 'vitest';
import { createSingleFlight } from '../../src/lib/single-flight.js';

describe('createSingleFlight', () => {
  it('runs a key once for the calls made while it is in flight, and again after', async () => {
    const flights = createSingleFlight<string>();
    const runs: string[] = [];
    const work = (key: string) => async () => {
      runs.push(key);
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await Promise.all([
      flights.run('a', work('a')),
      flights.run('a', work('a')),
      flights.run('b', work('b')),
      flights.run('a', work('a')),
    ]);
    expect(runs).toEqual(['a', 'b']);
    await flights.run('a', work('a'));
    expect(runs).toEqual(['a', 'b', 'a']);
  });

  it('gives every waiting caller the failure, and runs afresh on the next call', async () => {
    const flights = createSingleFlight<string>();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('database gone');
    };
    const results = await Promise.allSettled([
      flights.run('a', failing),
      flights.run('a', failing),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await flights.run('a', () => Promise.resolve());
    await expect(flights.run('a', failing)).rejects.toThrow('database gone');
    expect(calls).toBe(2);
  });
});
