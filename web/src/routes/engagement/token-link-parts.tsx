import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../../api/errors';
import { LiveMessage } from '../../components/live-message';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';

/** What a failed e-mail link means for the reader, and what to do next. */
export type TLinkProblem = { title: string; explanation: string; nextSteps: ReactNode };

/** The frame of a page that follows a link from an e-mail: one heading, one message. */
export function TokenLinkFrame({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <section className="narrow token-link-page">
      <PageHeading>{title}</PageHeading>
      {children}
    </section>
  );
}

/** A link problem in plain words, announced as an alert, with its next steps and a retry. */
export function LinkProblem({
  problem,
  error,
  onRetry,
}: {
  problem: TLinkProblem;
  /** null: the link had no token at all. */
  error: ApiError | null;
  onRetry: () => void;
}) {
  const canRetry =
    error !== null && (error.status === 0 || error.status >= 500 || error.status === 429);
  return (
    <TokenLinkFrame title={problem.title}>
      <LiveMessage tone="error">{problem.explanation}</LiveMessage>
      <div className="card">
        <h2>What you can do</h2>
        {problem.nextSteps}
        {canRetry ? (
          <button type="button" className="button button-primary" onClick={onRetry}>
            Try again
          </button>
        ) : null}
        <p>
          <Link to="/">Go to TickItNow</Link>
        </p>
      </div>
    </TokenLinkFrame>
  );
}

/** Problems every e-mail link page shares: a missing token, the network, the server. */
export function commonLinkProblem(error: ApiError | null): TLinkProblem | null {
  if (error === null)
    return {
      title: 'This link is incomplete',
      explanation: 'The link you opened has no code in it, so we cannot tell what it is for.',
      nextSteps: (
        <p>
          Open the link straight from the e-mail. If your e-mail program split it over two lines,
          copy the whole address into the browser.
        </p>
      ),
    };
  if (error.status === 0)
    return {
      title: 'We could not reach TickItNow',
      explanation: 'Your browser could not connect to us, so nothing has changed yet.',
      nextSteps: <p>Check your connection and try again.</p>,
    };
  if (error.status === 429)
    return {
      title: 'Too many tries',
      explanation: 'This link was opened too often in a short time.',
      nextSteps: <p>Wait a minute, then try again.</p>,
    };
  if (error.status >= 500)
    return {
      title: 'Something went wrong on our side',
      explanation: 'Nothing has changed yet; the problem is ours, not your link’s.',
      nextSteps: <p>Try again in a moment.</p>,
    };
  return null;
}
