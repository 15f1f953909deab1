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

const subscribeAgain = (
  <p>
    Subscribe again from the event or organizer page (or the newsletter sign-up at the bottom of
    every page) and we will send you a fresh link. Only the newest link works.
  </p>
);

/** Says what a failed confirmation means, in words for the person who clicked the link. */
export function describeConfirmProblem(error: ApiError | null): TLinkProblem {
  const common = commonLinkProblem(error);
  if (common) return common;
  if (error?.code === 'token_used')
    return {
      title: 'This link was already used',
      explanation:
        'This confirmation link has been used before, so the subscription is probably confirmed already.',
      nextSteps: (
        <p>
          Nothing else to do if you confirmed it yourself. If you unsubscribed since and want the
          e-mails again, subscribe again to get a new link.
        </p>
      ),
    };
  if (error?.code === 'token_expired')
    return {
      title: 'This link has expired',
      explanation: 'Confirmation links work for a limited time, and this one is too old.',
      nextSteps: subscribeAgain,
    };
  return {
    title: 'This link does not work',
    explanation:
      'This confirmation link is not valid. It may be incomplete, or a newer link was sent since.',
    nextSteps: (
      <>
        <p>Use the link in the newest confirmation e-mail, copied whole.</p>
        {subscribeAgain}
      </>
    ),
  };
}

/** `/subscriptions/confirm?token=…`: the double opt-in link, confirmed on arrival. */
export default function SubscriptionConfirmPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  if (!token)
    return <LinkProblem problem={describeConfirmProblem(null)} error={null} onRetry={() => {}} />;
  return <ConfirmToken key={token} token={token} />;
}

function ConfirmToken({ token }: { token: string }) {
  const { state, retry } = useTokenLink('confirm', token);
  if (state.status === 'loading')
    return (
      <TokenLinkFrame title="Confirming your subscription…">
        <LiveMessage>Confirming…</LiveMessage>
      </TokenLinkFrame>
    );
  if (state.status === 'error')
    return (
      <LinkProblem
        problem={describeConfirmProblem(state.error)}
        error={state.error}
        onRetry={retry}
      />
    );
  const { subscription, target } = state;
  return (
    <TokenLinkFrame title="Subscription confirmed">
      <LiveMessage tone="success">
        Thank you. <strong>{subscription.email}</strong> will receive {target.label}.
      </LiveMessage>
      <div className="card">
        <p>
          Every e-mail we send has an unsubscribe link at the bottom; one click there stops them.
        </p>
        <p>
          {target.href ? (
            <Link to={target.href} className="button button-primary">
              {target.href === '/' ? 'Discover events' : 'Back to the event'}
            </Link>
          ) : (
            <Link to="/" className="button button-primary">
              Discover events
            </Link>
          )}
        </p>
      </div>
    </TokenLinkFrame>
  );
}
