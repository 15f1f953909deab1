import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../api/errors';
import { takeEarly, takeSettledEarly } from './early-data';

type TState<T> = { key: string; data?: T; error?: ApiError };

export type TApiData<T> = {
  /** The latest data; kept while a reload for the same key is under way. */
  data: T | undefined;
  error: ApiError | undefined;
  isLoading: boolean;
  /** Loads again (after a change elsewhere). */
  reload: () => void;
  /** Replaces the data locally, e.g. with what a successful write returned. */
  setData: (data: T) => void;
};

/**
 * Loads data for `key` (null: nothing to load yet) and reloads when the key changes. Late answers
 * for an old key are dropped, and requests are aborted when the component goes away.
 */
export function useApiData<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
): TApiData<T> {
  const [generation, setGeneration] = useState(0);
  const fullKey = key === null ? null : `${key}#${generation}`;
  // The page's first answer may have arrived before its first render (early-data.ts).
  const [state, setState] = useState<TState<T>>(() => {
    const settled = key === null ? undefined : takeSettledEarly(key);
    if (!settled || fullKey === null) return { key: '' };
    return 'data' in settled
      ? { key: fullKey, data: settled.data as T }
      : { key: fullKey, error: asApiError(settled.error) };
  });
  const answeredKey = useRef<string | null>(state.key || null);
  const loadRef = useRef(load);

  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    if (fullKey === null) return;
    if (answeredKey.current === fullKey) {
      answeredKey.current = null;
      return;
    }
    const controller = new AbortController();
    // The answer is rendered as a transition: React renders it in slices and yields to the
    // browser in between, so a page of results does not block input on a slow phone.
    // The page's first load may already be on its way (early-data.ts).
    const pending =
      generation === 0 && key !== null ? (takeEarly(key) as Promise<T> | undefined) : undefined;
    (pending ?? loadRef.current(controller.signal)).then(
      (data) => {
        if (!controller.signal.aborted) startTransition(() => setState({ key: fullKey, data }));
      },
      (error: unknown) => {
        if (!controller.signal.aborted)
          startTransition(() => setState({ key: fullKey, error: asApiError(error) }));
      },
    );
    return () => controller.abort();
  }, [fullKey, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((data: T) => setState((s) => ({ key: s.key, data })), []);
  const isCurrent = state.key === fullKey;
  // Keep showing data for the same resource while it reloads; drop it when the key changes.
  const isSameResource = key !== null && state.key.startsWith(`${key}#`);
  return {
    data: isCurrent || isSameResource ? state.data : undefined,
    error: isCurrent ? state.error : undefined,
    isLoading: fullKey !== null && !isCurrent,
    reload,
    setData,
  };
}
