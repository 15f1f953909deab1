import { Link, useSearchParams } from 'react-router';
import type { ApiError } from '../../api/errors';
import { LiveMessage } from '../../components/live-message';
import {
  LinkProblem,
  TokenLinkFrame,
  commonLinkProblem,
  type TLinkProblem,
} from './token-link-parts';
import { useTokenLink } from './use-token-link';

/** Says what a failed unsubscribe means, and how else to stop the e-mails. */
export function describeUnsubscribeProblem(error: ApiError | null): TLinkProblem {
  const common = commonLinkProblem(error);
  if (common) return common;
  return {
    title: 'This unsubscribe link does not work',
    explanation:
      'We could not read this link, so we could not tell which e-mails to stop. Nothing has changed.',
    nextSteps: (
      <>
        <p>
          Open the unsubscribe link again from the newest e-mail, making sure the whole address is
          copied.
        </p>
        <p>
          If it still fails, reply to the e-mail or contact the organizer and ask to be removed.
        </p>
      </>
    ),
  };
}

/**
 * `/unsubscribe?token=…`: the link at the bottom of every notification e-mail. One click is
 * enough: it unsubscribes on arrival, no sign-in, no extra button.
 */
export default function UnsubscribePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  if (!token)
    return (
      <LinkProblem problem={describeUnsubscribeProblem(null)} error={null} onRetry={() => {}} />
    );
  return <UnsubscribeToken key={token} token={token} />;
}

function UnsubscribeToken({ token }: { token: string }) {
  const { state, retry } = useTokenLink('unsubscribe', token);
  if (state.status === 'loading')
    return (
      <TokenLinkFrame title="Unsubscribing…">
        <LiveMessage>Unsubscribing…</LiveMessage>
      </TokenLinkFrame>
    );
  if (state.status === 'error')
    return (
      <LinkProblem
        problem={describeUnsubscribeProblem(state.error)}
        error={state.error}
        onRetry={retry}
      />
    );
  const { subscription, target } = state;
  return (
    <TokenLinkFrame title="You are unsubscribed">
      <LiveMessage tone="success">
        <strong>{subscription.email}</strong> will no longer receive {target.label}.
      </LiveMessage>
      <div className="card">
        <p>
          E-mails about tickets you hold, such as the tickets themselves or a cancellation, still
          reach you.
        </p>
        <p>
          Changed your mind?{' '}
          {target.href && target.href !== '/' ? (
            <Link to={target.href}>Subscribe again from the event page</Link>
          ) : (
            <>Subscribe again from the same page as before</>
          )}
          ; we will ask you to confirm.
        </p>
        <p>
          <Link to="/">Discover events</Link>
        </p>
      </div>
    </TokenLinkFrame>
  );
}
