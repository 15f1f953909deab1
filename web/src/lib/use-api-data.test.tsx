import { act, render, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { earlyDataSettled, loadEarly, takeEarly } from './early-data';
import { useApiData } from './use-api-data';

function Shows({ dataKey, load }: { dataKey: string; load: () => Promise<string> }) {
  const { data, error, isLoading } = useApiData(dataKey, load);
  return <p>{isLoading ? 'loading' : (data ?? `error: ${error?.message ?? ''}`)}</p>;
}

describe('useApiData with the first page data requested early', () => {
  test('an answer that arrived before the first render is rendered at once, without asking again', async () => {
    loadEarly('page:a', () => Promise.resolve('early answer'));
    await earlyDataSettled(1_000);
    const load = vi.fn(() => Promise.resolve('second answer'));

    render(<Shows dataKey="page:a" load={load} />);
    expect(screen.getByText('early answer')).toBeTruthy();
    await act(() => Promise.resolve());
    expect(load).not.toHaveBeenCalled();
  });

  test('a request still on its way is awaited instead of sending another', async () => {
    let answer: (value: string) => void = () => undefined;
    loadEarly('page:b', () => new Promise<string>((resolve) => (answer = resolve)));
    const load = vi.fn(() => Promise.resolve('second answer'));

    render(<Shows dataKey="page:b" load={load} />);
    expect(screen.getByText('loading')).toBeTruthy();
    act(() => answer('early answer'));
    expect(await screen.findByText('early answer')).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
  });

  test('an early answer is used once: the next page for the same key asks the API', async () => {
    loadEarly('page:c', () => Promise.resolve('early answer'));
    await earlyDataSettled(1_000);
    const first = render(<Shows dataKey="page:c" load={() => Promise.resolve('unused')} />);
    first.unmount();

    render(<Shows dataKey="page:c" load={() => Promise.resolve('fresh answer')} />);
    expect(await screen.findByText('fresh answer')).toBeTruthy();
  });

  test('an early failure is the page’s error, like any load', async () => {
    loadEarly('page:d', () => Promise.reject(new Error('offline')));
    await earlyDataSettled(1_000);
    render(<Shows dataKey="page:d" load={() => Promise.resolve('unused')} />);
    expect(screen.getByText(/^error: /)).toBeTruthy();
  });
});

describe('early data', () => {
  test('is not kept for later visits: an answer older than ten seconds is dropped', () => {
    vi.useFakeTimers();
    try {
      loadEarly('page:e', () => Promise.resolve('old'));
      vi.advanceTimersByTime(10_001);
      expect(takeEarly('page:e')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  test('the first render waits at most the given time for it', async () => {
    vi.useFakeTimers();
    try {
      loadEarly('page:f', () => new Promise(() => undefined));
      let isSettled = false;
      void earlyDataSettled(1_000).then(() => (isSettled = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(isSettled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(isSettled).toBe(true);
      expect(takeEarly('page:f')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
