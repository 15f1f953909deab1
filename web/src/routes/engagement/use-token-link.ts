import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { asApiError, request, type ApiError } from '../../api/errors';
import { genericTopicTarget, loadTopicTarget, type TTopicTarget } from './topic';

type TSubscription = { email: string; topic: string; status: string };

export type TTokenLinkState =
  | { status: 'loading' }
  | { status: 'done'; subscription: TSubscription; target: TTopicTarget }
  | { status: 'error'; error: ApiError };

const calls = {
  confirm: (token: string) =>
    request(api.GET('/api/v1/subscriptions/confirm', { params: { query: { token } } })),
  unsubscribe: (token: string) =>
    request(api.GET('/api/v1/subscriptions/unsubscribe', { params: { query: { token } } })),
};

/**
 * Follows a one-time e-mail link (`confirm` or `unsubscribe`) once, as soon as the page opens, and
 * names the topic it was about. The request is not repeated on re-render or by React's
 * development double effects: a confirmation link works only once, and a second call would
 * wrongly report it as used. `retry` tries again after a network failure.
 */
export function useTokenLink(
  action: keyof typeof calls,
  token: string,
): { state: TTokenLinkState; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<TTokenLinkState>({ status: 'loading' });
  const pending = useRef<{ key: string; promise: Promise<TTokenLinkState> } | null>(null);

  useEffect(() => {
    const key = `${action}:${token}#${attempt}`;
    if (pending.current?.key !== key) {
      pending.current = {
        key,
        promise: calls[action](token).then(
          async (subscription): Promise<TTokenLinkState> => ({
            status: 'done',
            subscription,
            target: await loadTopicTarget(subscription.topic).catch(() =>
              genericTopicTarget(subscription.topic),
            ),
          }),
          (error: unknown): TTokenLinkState => ({ status: 'error', error: asApiError(error) }),
        ),
      };
    }
    let isActive = true;
    void pending.current.promise.then((next) => {
      if (isActive) setState(next);
    });
    return () => {
      isActive = false;
    };
  }, [action, token, attempt]);

  return {
    state,
    retry: () => {
      setState({ status: 'loading' });
      setAttempt((a) => a + 1);
    },
  };
}
