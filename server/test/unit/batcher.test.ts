import { describe, expect, it } from 'vitest';
import { createBatcher } from '../../src/lib/batcher.js';

describe('createBatcher', () => {
  it('runs a lone call at once and the calls arriving meanwhile together, at most maxBatch', async () => {
    const batches: number[][] = [];
    const batcher = createBatcher(async (inputs: number[]) => {
      batches.push(inputs);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return inputs.map((n) => n * 10);
    }, 3);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.call(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(await batcher.call(7)).toBe(70);
    expect(batches.at(-1)).toEqual([7]);
  });

  it('reruns a failed batch one input at a time, so only the bad input fails', async () => {
    const batches: string[][] = [];
    const batcher = createBatcher((inputs: string[]) => {
      batches.push(inputs);
      if (inputs.includes('bad')) return Promise.reject(new Error(`refused ${inputs.join(',')}`));
      return Promise.resolve(inputs.map((s) => s.toUpperCase()));
    });
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c'].map((s) => batcher.call(s)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      'A',
      'B',
      'Error: refused bad',
      'C',
    ]);
    expect(batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });
});
