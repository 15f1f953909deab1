import { describe, expect, it } from 'vitest';
import { createMemo } from '../../src/adapters/cache/memo.js';
import { createManualClock } from '../../src/lib/clock.js';

/** A load whose answers the test releases one by one, counting how many were started. */
function controlledLoads() {
  const pending: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  return {
    started: () => pending.length,
    load: () =>
      new Promise<string>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
    resolve: (n: number, value: string) => pending[n]?.resolve(value),
    reject: (n: number) => pending[n]?.reject(new Error('database busy')),
  };
}
const settle = () => new Promise((r) => setImmediate(r));

/** A memo with `options` whose key 'k' has been loaded once, with 'v1'. */
async function loadedMemo(options: Partial<Parameters<typeof createMemo>[1]>, value = 'v1') {
  const clock = createManualClock();
  const memo = createMemo<string>(clock, { ttlMs: 1_000, maxEntries: 10, ...options });
  const loads = controlledLoads();
  const first = memo.get('k', loads.load);
  loads.resolve(0, value);
  await first;
  return { clock, memo, loads };
}

describe('memo', () => {
  it('shares one load among concurrent misses and keeps the value for ttlMs', async () => {
    const clock = createManualClock();
    const memo = createMemo<string>(clock, { ttlMs: 1_000, maxEntries: 10 });
    const loads = controlledLoads();
    const a = memo.get('k', loads.load);
    const b = memo.get('k', loads.load);
    loads.resolve(0, 'v1');
    expect([await a, await b]).toEqual(['v1', 'v1']);
    clock.advance(999);
    expect(await memo.get('k', loads.load)).toBe('v1');
    expect(loads.started()).toBe(1);
    clock.advance(1);
    const c = memo.get('k', loads.load);
    loads.resolve(1, 'v2');
    expect(await c).toBe('v2');
    memo.clear();
    const d = memo.get('k', loads.load);
    loads.resolve(2, 'v3');
    expect(await d).toBe('v3');
  });

  it('reloads in the background from refreshAfterMs, so readers in steady use never wait', async () => {
    const { clock, memo, loads } = await loadedMemo({ refreshAfterMs: 500 });
    clock.advance(600);
    // Answered at once with the remembered value; one reload starts, however many readers come.
    expect(await memo.get('k', loads.load)).toBe('v1');
    expect(await memo.get('k', loads.load)).toBe('v1');
    expect(loads.started()).toBe(2);
    loads.resolve(1, 'v2');
    await settle();
    expect(await memo.get('k', loads.load)).toBe('v2');
    // The reloaded value is as old as its load's start: fresh until 1,600 ms from the start.
    clock.advance(399);
    expect(await memo.get('k', loads.load)).toBe('v2');
    expect(loads.started()).toBe(2);
  });

  it('does not put back a reload that finishes after clear()', async () => {
    const { clock, memo, loads } = await loadedMemo({ refreshAfterMs: 500 }, 'before the edit');
    clock.advance(600);
    await memo.get('k', loads.load); // starts a reload of the old state
    memo.clear();
    const afterEdit = memo.get('k', loads.load);
    loads.resolve(2, 'after the edit');
    loads.resolve(1, 'old state, late');
    await settle();
    expect(await afterEdit).toBe('after the edit');
    expect(await memo.get('k', loads.load)).toBe('after the edit');
  });

  it('serves a value up to ttlMs + staleMs old only while a reload is under way or after it failed', async () => {
    const { clock, memo, loads } = await loadedMemo({ staleMs: 9_000 });
    // A key read now and then: the first reader after expiry waits for fresh rows.
    clock.advance(5_000);
    const waiting = memo.get('k', loads.load);
    let isAnswered = false;
    void waiting.then(() => (isAnswered = true));
    await settle();
    expect(isAnswered).toBe(false);
    // Everyone else goes on with the old value while that reload is under way.
    expect(await memo.get('k', loads.load)).toBe('v1');
    expect(loads.started()).toBe(2);
    // The reload fails (a busy pool): its reader gets the old value rather than the error.
    loads.reject(1);
    expect(await waiting).toBe('v1');
    // Past ttlMs + staleMs the old value is not served any more: a failing reload fails.
    clock.advance(5_000);
    const tooOld = memo.get('k', loads.load);
    loads.reject(2);
    await expect(tooOld).rejects.toThrow('database busy');
    const fresh = memo.get('k', loads.load);
    loads.resolve(3, 'v2');
    expect(await fresh).toBe('v2');
  });

  it('does not keep a failed first load', async () => {
    const clock = createManualClock();
    const memo = createMemo<string>(clock, { ttlMs: 1_000, staleMs: 9_000, maxEntries: 10 });
    const loads = controlledLoads();
    const failing = memo.get('k', loads.load);
    loads.reject(0);
    await expect(failing).rejects.toThrow('database busy');
    const next = memo.get('k', loads.load);
    loads.resolve(1, 'v1');
    expect(await next).toBe('v1');
  });
});
