import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { asApiError, request, type ApiError } from '../../api/errors';
import { LiveMessage } from '../../components/live-message';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { describeOrderError } from '../../lib/order-errors';

/**
 * `/waitlist/claim?token=…`, the link in a waiting-list offer e-mail. Claiming turns the kept
 * ticket into an order of the signed-in person and goes on to pay for it.
 */
export default function WaitlistClaimPage() {
  useDocumentTitle('Claim your ticket');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token')?.trim() ?? '';
  return (
    <section className="narrow">
      <PageHeading>Claim your ticket</PageHeading>
      {token ? (
        <RequireSignIn>{(user) => <Claim token={token} email={user.email} />}</RequireSignIn>
      ) : (
        <p className="notice notice-error">
          This link is incomplete. Open the link from the e-mail again, or copy all of it into the
          address bar.
        </p>
      )}
    </section>
  );
}

function Claim({ token, email }: { token: string; email: string }) {
  const navigate = useNavigate();
  const [isClaiming, setIsClaiming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function claim() {
    setIsClaiming(true);
    setError(null);
    try {
      const order = await request(api.POST('/api/v1/waitlist/claim', { body: { token } }));
      void navigate(order.status === 'paid' ? `/orders/${order.id}` : `/checkout/${order.id}`, {
        replace: true,
      });
    } catch (e) {
      setError(asApiError(e));
      setIsClaiming(false);
    }
  }

  const isGone = error?.code === 'offer_not_available' || error?.code === 'validation_failed';
  return (
    <div className="card">
      <p className="lead">
        A ticket came free and is being kept for you. Claim it to hold it in an order, then pay
        within the time shown at checkout.
      </p>
      <p className="muted">You are signed in as {email}; the ticket will be in your account.</p>
      <LiveMessage tone="error">
        {error
          ? isGone
            ? 'This offer has expired or was already used. The ticket may have gone to the next person on the waiting list.'
            : describeOrderError(error)
          : null}
      </LiveMessage>
      <div className="form-actions">
        {!isGone ? (
          <button
            type="button"
            className="button button-primary"
            disabled={isClaiming}
            onClick={() => void claim()}
          >
            {isClaiming ? 'Claiming…' : 'Claim ticket'}
          </button>
        ) : null}
        <Link to="/tickets" className="button button-link">
          My tickets
        </Link>
      </div>
    </div>
  );
}
