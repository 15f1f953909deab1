import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { asApiError, request, type ApiError } from '../../api/errors';
import type { TOrder } from '../../api/ticketing';
import { HoldCountdown } from '../../components/hold-countdown';
import { LiveMessage } from '../../components/live-message';
import { OrderSummary } from '../../components/order-summary';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { remainingMs, useNow } from '../../lib/countdown';
import { formatEventStart } from '../../lib/event-time';
import { formatMoney } from '../../lib/money';
import { describeOrderError } from '../../lib/order-errors';
import { useApiData } from '../../lib/use-api-data';

/** The test provider's cards, said in plain words. */
export const testCards = [
  { token: 'test_ok', label: 'Test card — succeeds', hint: 'The payment goes through at once.' },
  {
    token: 'test_declined',
    label: 'Test card — declined',
    hint: 'The bank says no; nothing is charged.',
  },
  {
    token: 'test_slow',
    label: 'Test card — slow',
    hint: 'The payment goes through after about two seconds.',
  },
] as const;

type TTestToken = (typeof testCards)[number]['token'];

/** `/checkout/:orderId`: pay for held tickets before the hold runs out, or let them go. */
export default function CheckoutPage() {
  const { orderId = '' } = useParams();
  useDocumentTitle('Checkout');
  return <RequireSignIn>{() => <Checkout key={orderId} orderId={orderId} />}</RequireSignIn>;
}

function Checkout({ orderId }: { orderId: string }) {
  const order = useApiData(`order:${orderId}`, (signal) =>
    request(api.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } }, signal })),
  );
  const now = useNow(1000);
  const current = order.data;

  if (!current) {
    const isNotFound = order.error?.status === 404 || order.error?.code === 'validation_failed';
    return (
      <section className="narrow">
        <PageHeading>{isNotFound ? 'Order not found' : 'Checkout'}</PageHeading>
        <LiveMessage tone="error">
          {isNotFound
            ? 'This order does not exist or belongs to someone else.'
            : order.error
              ? `The order could not be loaded: ${order.error.message}`
              : null}
        </LiveMessage>
        {!order.error ? <p className="loading">Loading your order…</p> : null}
      </section>
    );
  }

  // Paid (also free orders, paid at once) and refunded orders live on the order page.
  if (current.status === 'paid' || current.status === 'refunded')
    return <Navigate to={`/orders/${current.id}`} replace />;

  const remaining = remainingMs(current.expiresAt, now);
  const isExpired =
    current.status === 'expired' || (current.status === 'pending' && remaining === 0);

  return (
    <section className="checkout">
      <p className="breadcrumb">
        <Link to={`/events/${current.event.slug}`}>{current.event.title}</Link>
      </p>
      <PageHeading>Checkout</PageHeading>
      <p className="muted">
        <time dateTime={current.event.startsAt}>
          {formatEventStart(current.event.startsAt, current.event.timezone)}
        </time>
      </p>
      <div className="checkout-layout">
        <section className="card" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Your order</h2>
          <OrderSummary order={current} />
        </section>
        {current.status === 'cancelled' ? (
          <Ended
            title="Order cancelled"
            text="You cancelled this order and its tickets went back on sale."
            order={current}
          />
        ) : isExpired ? (
          <Ended
            title="Time is up"
            text="The hold on these tickets expired, so they were released. Nothing was charged."
            order={current}
          />
        ) : (
          <div>
            <HoldCountdown remaining={remaining} />
            <PaymentForm order={current} onChange={order.setData} reload={order.reload} />
            <CancelOrder order={current} onCancelled={order.setData} />
          </div>
        )}
      </div>
    </section>
  );
}

/** The end of a checkout that did not end in payment, with the way back to the event. */
function Ended({ title, text, order }: { title: string; text: string; order: TOrder }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The payment form this replaces may have held focus, which is then lost to the page body;
    // start the reader here instead.
    if (document.activeElement === document.body) heading.current?.focus();
  }, []);
  return (
    <section className="card checkout-ended" aria-labelledby="ended-heading">
      <h2 id="ended-heading" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p>{text}</p>
      <Link to={`/events/${order.event.slug}`} className="button button-primary">
        Choose tickets again
      </Link>
    </section>
  );
}

function PaymentForm({
  order,
  onChange,
  reload,
}: {
  order: TOrder;
  onChange: (order: TOrder) => void;
  reload: () => void;
}) {
  const navigate = useNavigate();
  const [token, setToken] = useState<TTestToken>('test_ok');
  const [isPaying, setIsPaying] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function pay(event: FormEvent) {
    event.preventDefault();
    setIsPaying(true);
    setError(null);
    try {
      const paid = await request(
        api.POST('/api/v1/orders/{id}/pay', {
          params: { path: { id: order.id } },
          body: { provider: 'test', paymentToken: token },
        }),
      );
      onChange(paid);
      void navigate(`/orders/${paid.id}`, { replace: true });
    } catch (e) {
      const apiError = asApiError(e);
      setIsPaying(false);
      if (apiError.code === 'order_already_paid') {
        void navigate(`/orders/${order.id}`, { replace: true });
        return;
      }
      setError(apiError);
      if (apiError.code === 'order_expired' || apiError.code === 'order_not_payable') reload();
    }
  }

  return (
    <form className="card form" onSubmit={(e) => void pay(e)} aria-labelledby="payment-heading">
      <h2 id="payment-heading">Payment</h2>
      <p className="notice notice-info">
        This TickItNow runs the <strong>test payment provider</strong>: no real money moves. Pick
        how the test card should behave.
      </p>
      <LiveMessage tone="error">{error ? describeOrderError(error) : null}</LiveMessage>
      <LiveMessage>{isPaying ? 'Processing your payment…' : null}</LiveMessage>
      <fieldset>
        <legend>Card</legend>
        <div className="choice-list">
          {testCards.map((card) => (
            <label key={card.token} className="choice">
              <input
                type="radio"
                name="paymentToken"
                value={card.token}
                checked={token === card.token}
                aria-describedby={`card-${card.token}-hint`}
                onChange={() => setToken(card.token)}
              />
              <span>
                <span className="choice-label">{card.label}</span>
                <span className="choice-hint" id={`card-${card.token}-hint`}>
                  {card.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={isPaying}>
          {isPaying ? 'Paying…' : `Pay ${formatMoney(order.totalCents, order.currency)}`}
        </button>
      </div>
    </form>
  );
}

function CancelOrder({ order, onCancelled }: { order: TOrder; onCancelled: (o: TOrder) => void }) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (isConfirming) keepButton.current?.focus();
  }, [isConfirming]);

  async function cancel() {
    setIsBusy(true);
    setError(null);
    try {
      onCancelled(
        await request(
          api.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: order.id } } }),
        ),
      );
    } catch (e) {
      setError(asApiError(e));
      setIsBusy(false);
      setIsConfirming(false);
    }
  }

  return (
    <div className="checkout-cancel">
      <LiveMessage tone="error">{error ? describeOrderError(error) : null}</LiveMessage>
      {isConfirming ? (
        <div className="confirm-box" role="group" aria-labelledby="confirm-cancel-order">
          <p id="confirm-cancel-order">
            <strong>Cancel this order?</strong> Your held tickets go back on sale.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={isBusy}
              onClick={() => void cancel()}
            >
              {isBusy ? 'Cancelling…' : 'Yes, cancel the order'}
            </button>
            <button
              ref={keepButton}
              type="button"
              className="button button-secondary"
              disabled={isBusy}
              onClick={() => setIsConfirming(false)}
            >
              Keep my tickets
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button-link" onClick={() => setIsConfirming(true)}>
          Cancel order
        </button>
      )}
    </div>
  );
}
