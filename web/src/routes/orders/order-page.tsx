import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { request } from '../../api/errors';
import type { TOrder } from '../../api/ticketing';
import { LiveMessage } from '../../components/live-message';
import {
  OrderStatusBadge,
  TicketStateBadge,
  ticketHolder,
} from '../../components/order-status-badge';
import { OrderSummary } from '../../components/order-summary';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { useIsDevMailboxAvailable } from '../../lib/dev-mailbox-context';
import { formatEventStart, formatTimestamp } from '../../lib/event-time';
import { useApiData } from '../../lib/use-api-data';

/** `/orders/:id`: the confirmation after paying, and an order's page afterwards. */
export default function OrderPage() {
  const { id = '' } = useParams();
  return <RequireSignIn>{() => <Order key={id} orderId={id} />}</RequireSignIn>;
}

function Order({ orderId }: { orderId: string }) {
  const order = useApiData(`order:${orderId}`, (signal) =>
    request(api.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } }, signal })),
  );
  const current = order.data;
  useDocumentTitle(current?.status === 'paid' ? 'Order confirmed' : 'Your order');

  if (!current) {
    const isNotFound = order.error?.status === 404 || order.error?.code === 'validation_failed';
    return (
      <section className="narrow">
        <PageHeading>{isNotFound ? 'Order not found' : 'Your order'}</PageHeading>
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

  return (
    <section className="order-page">
      <p className="breadcrumb">
        <Link to="/tickets">My tickets</Link> /{' '}
        <Link to={`/events/${current.event.slug}`}>{current.event.title}</Link>
      </p>
      <div className="page-title-row">
        <PageHeading>{current.status === 'paid' ? 'Order confirmed' : 'Your order'}</PageHeading>
        <OrderStatusBadge status={current.status} />
      </div>
      <p className="lead">
        {current.event.title},{' '}
        <time dateTime={current.event.startsAt}>
          {formatEventStart(current.event.startsAt, current.event.timezone)}
        </time>
      </p>
      <OrderStatusNote order={current} />
      <div className="checkout-layout">
        {current.tickets.length > 0 ? (
          <section className="card" aria-labelledby="order-tickets-heading">
            <h2 id="order-tickets-heading">
              {current.tickets.length === 1
                ? 'Your ticket'
                : `Your ${current.tickets.length} tickets`}
            </h2>
            <ul className="order-ticket-list">
              {current.tickets.map((ticket) => (
                <li key={ticket.id} className="list-card">
                  <span className="event-row-main">
                    <span className="list-card-title">{ticketHolder(ticket)}</span>
                    <span className="muted">
                      {current.items.find((i) => i.ticketTypeId === ticket.ticketTypeId)?.name}
                    </span>
                  </span>
                  <TicketStateBadge ticket={ticket} />
                </li>
              ))}
            </ul>
            <Link to="/tickets" className="button button-primary">
              Go to My tickets
            </Link>
          </section>
        ) : null}
        <section className="card" aria-labelledby="order-summary-heading">
          <h2 id="order-summary-heading">Summary</h2>
          <OrderSummary order={current} />
          <p className="muted">
            Ordered {formatTimestamp(current.createdAt)}
            {current.paidAt ? `, paid ${formatTimestamp(current.paidAt)}` : ''}. Order reference{' '}
            <code>{current.id.slice(0, 8).toUpperCase()}</code>.
          </p>
        </section>
      </div>
    </section>
  );
}

function OrderStatusNote({ order }: { order: TOrder }) {
  const isDevMailboxAvailable = useIsDevMailboxAvailable();
  switch (order.status) {
    case 'paid':
      return (
        <div className="notice notice-success" role="status">
          <p>
            <strong>You&apos;re going!</strong> We are e-mailing your tickets to{' '}
            <strong>{order.buyerEmail}</strong>, with a PDF to print or keep on your phone. Show the
            QR code at the door.
          </p>
          {isDevMailboxAvailable ? (
            <p>
              Running locally? Read the e-mail in the{' '}
              <Link to={`/dev/mailbox?to=${encodeURIComponent(order.buyerEmail)}`}>
                dev mailbox
              </Link>
              .
            </p>
          ) : null}
        </div>
      );
    case 'pending':
      return (
        <p className="notice notice-info">
          This order is not paid yet. <Link to={`/checkout/${order.id}`}>Continue to payment</Link>{' '}
          before the hold runs out.
        </p>
      );
    case 'expired':
      return (
        <p className="notice notice-info">
          The hold on these tickets expired before payment, so they were released. Nothing was
          charged.
        </p>
      );
    case 'cancelled':
      return <p className="notice notice-info">This order was cancelled.</p>;
    case 'refunded':
      return (
        <p className="notice notice-info">
          This order was refunded and its tickets are void. The money goes back to the card used.
        </p>
      );
  }
}
