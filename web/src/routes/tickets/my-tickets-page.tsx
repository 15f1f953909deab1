import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { asApiError, request, type ApiError } from '../../api/errors';
import type { TOrder, TTicketDetail } from '../../api/ticketing';
import { LiveMessage } from '../../components/live-message';
import {
  OrderStatusBadge,
  TicketStateBadge,
  ticketHolder,
  ticketState,
} from '../../components/order-status-badge';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { DoorView, TicketQrImage } from '../../components/ticket-qr';
import { formatEventStart, formatTimestamp } from '../../lib/event-time';
import { formatMoney } from '../../lib/money';
import { describeOrderError } from '../../lib/order-errors';
import { useApiData } from '../../lib/use-api-data';

/** Pages are fetched until the end: a person holds a handful of tickets, not thousands. */
const MAX_PAGES = 20;

async function loadAllTickets(signal: AbortSignal): Promise<TTicketDetail[]> {
  const tickets: TTicketDetail[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await request(
      api.GET('/api/v1/me/tickets', {
        params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        signal,
      }),
    );
    tickets.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return tickets;
}

export type TEventGroup = {
  event: TTicketDetail['event'];
  tickets: TTicketDetail[];
  /** Orders of this event that hold at least one of the tickets, in first-seen order. */
  orderIds: string[];
};

/** Tickets grouped by event: upcoming events first (soonest first), then past ones. */
export function groupTicketsByEvent(tickets: readonly TTicketDetail[], now: number): TEventGroup[] {
  const groups = new Map<string, TEventGroup>();
  for (const ticket of tickets) {
    let group = groups.get(ticket.event.id);
    if (!group) {
      group = { event: ticket.event, tickets: [], orderIds: [] };
      groups.set(ticket.event.id, group);
    }
    group.tickets.push(ticket);
    if (!group.orderIds.includes(ticket.orderId)) group.orderIds.push(ticket.orderId);
  }
  const isPast = (g: TEventGroup) => Date.parse(g.event.endsAt) < now;
  return [...groups.values()].sort((a, b) => {
    if (isPast(a) !== isPast(b)) return isPast(a) ? 1 : -1;
    const order = Date.parse(a.event.startsAt) - Date.parse(b.event.startsAt);
    return isPast(a) ? -order : order;
  });
}

/** `/tickets`: the signed-in person's tickets with their QR codes, and their orders. */
export default function MyTicketsPage() {
  useDocumentTitle('My tickets');
  return (
    <section className="my-tickets">
      <PageHeading>My tickets</PageHeading>
      <RequireSignIn>{() => <MyTickets />}</RequireSignIn>
    </section>
  );
}

function MyTickets() {
  const tickets = useApiData('my-tickets', loadAllTickets);
  const [now] = useState(() => Date.now());
  const [doorTicket, setDoorTicket] = useState<TTicketDetail | null>(null);
  const [notice, setNotice] = useState('');
  // Bumped when an order changes here, so the orders list below loads again.
  const [ordersVersion, setOrdersVersion] = useState(0);
  const doorTrigger = useRef<HTMLElement | null>(null);

  function openDoorView(ticket: TTicketDetail, trigger: HTMLElement) {
    doorTrigger.current = trigger;
    setDoorTicket(ticket);
  }
  function closeDoorView() {
    setDoorTicket(null);
    // Back to the button that opened it, so keyboard users keep their place.
    window.requestAnimationFrame(() => doorTrigger.current?.focus());
  }

  if (!tickets.data) {
    return (
      <>
        <LiveMessage tone="error">
          {tickets.error ? `Your tickets could not be loaded: ${tickets.error.message}` : null}
        </LiveMessage>
        {!tickets.error ? <p className="loading">Loading your tickets…</p> : null}
      </>
    );
  }

  const groups = groupTicketsByEvent(tickets.data, now);
  return (
    <>
      <LiveMessage tone="success">{notice || null}</LiveMessage>
      {groups.length === 0 ? (
        <p>
          You have no tickets yet. <Link to="/">Discover events</Link>.
        </p>
      ) : (
        <p className="lead">
          Show the QR code at the door; each code admits one person once. Open “Show at the door”
          for a full-screen code.
        </p>
      )}
      {groups.length > 0 ? (
        <p>
          <a
            className="button button-secondary"
            href="/api/v1/me/calendar.ics"
            download="my-tickets.ics"
          >
            Add all my events to my calendar
          </a>
        </p>
      ) : null}
      {groups.map((group) => (
        <EventTickets
          key={group.event.id}
          group={group}
          now={now}
          onShow={openDoorView}
          onCancelled={(message) => {
            setNotice(message);
            tickets.reload();
            setOrdersVersion((v) => v + 1);
          }}
        />
      ))}
      {doorTicket ? <DoorView ticket={doorTicket} onClose={closeDoorView} /> : null}
      <MyOrders key={ordersVersion} />
    </>
  );
}

function EventTickets({
  group,
  now,
  onShow,
  onCancelled,
}: {
  group: TEventGroup;
  now: number;
  onShow: (ticket: TTicketDetail, trigger: HTMLElement) => void;
  onCancelled: (message: string) => void;
}) {
  const { event } = group;
  const headingId = `tickets-${event.id}`;
  const hasStarted = Date.parse(event.startsAt) <= now;
  return (
    <section className="ticket-event" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link to={`/events/${event.slug}`}>{event.title}</Link>
      </h2>
      <p className="muted">
        <time dateTime={event.startsAt}>{formatEventStart(event.startsAt, event.timezone)}</time>
        {' · '}
        {event.place}
        {event.status === 'cancelled' ? (
          <strong className="ticket-event-cancelled"> · This event was cancelled.</strong>
        ) : null}
      </p>
      <ul className="ticket-grid">
        {group.tickets.map((ticket) => {
          const isUsable = ticketState(ticket) === 'valid';
          return (
            <li key={ticket.id} className={`ticket-card${isUsable ? '' : ' ticket-card-inactive'}`}>
              <div className="ticket-card-qr">
                <TicketQrImage ticket={ticket} size={240} />
              </div>
              <div className="ticket-card-body">
                <p className="ticket-card-name">{ticketHolder(ticket)}</p>
                <p className="muted ticket-card-type">{ticket.ticketTypeName}</p>
                <p>
                  <TicketStateBadge ticket={ticket} />
                  {ticket.checkedInAt ? (
                    <span className="muted"> {formatTimestamp(ticket.checkedInAt)}</span>
                  ) : null}
                </p>
                <div className="ticket-card-actions">
                  {isUsable ? (
                    <button
                      type="button"
                      className="button button-primary button-small"
                      onClick={(e) => onShow(ticket, e.currentTarget)}
                    >
                      Show at the door
                      <span className="visually-hidden"> ({ticketHolder(ticket)})</span>
                    </button>
                  ) : null}
                  <a
                    className="button button-secondary button-small"
                    href={`/api/v1/tickets/${ticket.id}/pdf`}
                    download
                  >
                    Download PDF
                    <span className="visually-hidden"> ({ticketHolder(ticket)})</span>
                  </a>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      {!hasStarted && event.status !== 'cancelled'
        ? group.orderIds.map((orderId) => {
            const orderTickets = group.tickets.filter((t) => t.orderId === orderId);
            const canCancel = orderTickets.every((t) => ticketState(t) === 'valid');
            return canCancel ? (
              <CancelPaidOrder
                key={orderId}
                orderId={orderId}
                ticketCount={orderTickets.length}
                onCancelled={onCancelled}
              />
            ) : null;
          })
        : null}
    </section>
  );
}

/** Cancelling a paid order (a refund), behind a confirmation; the server decides if allowed. */
function CancelPaidOrder({
  orderId,
  ticketCount,
  onCancelled,
}: {
  orderId: string;
  ticketCount: number;
  onCancelled: (message: string) => void;
}) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const reference = orderId.slice(0, 8).toUpperCase();
  const what = ticketCount === 1 ? 'its ticket' : `its ${ticketCount} tickets`;

  useEffect(() => {
    if (isConfirming) keepButton.current?.focus();
  }, [isConfirming]);

  async function cancel() {
    setIsBusy(true);
    setError(null);
    try {
      const order = await request(
        api.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: orderId } } }),
      );
      onCancelled(
        order.status === 'refunded'
          ? `Order ${reference} is cancelled and refunded; ${what} no longer work.`
          : `Order ${reference} is cancelled.`,
      );
    } catch (e) {
      setError(asApiError(e));
      setIsBusy(false);
      setIsConfirming(false);
    }
  }

  return (
    <div className="ticket-order-cancel">
      <LiveMessage tone="error">{error ? describeOrderError(error) : null}</LiveMessage>
      {isConfirming ? (
        <div className="confirm-box" role="group" aria-labelledby={`confirm-cancel-${orderId}`}>
          <p id={`confirm-cancel-${orderId}`}>
            <strong>Cancel order {reference}?</strong> The payment is refunded and {what} stop
            working. This cannot be undone.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={isBusy}
              onClick={() => void cancel()}
            >
              {isBusy ? 'Cancelling…' : 'Yes, cancel and refund'}
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
        <button
          type="button"
          className="button button-danger-outline button-small"
          onClick={() => setIsConfirming(true)}
        >
          Cancel order {reference}
          <span className="visually-hidden">
            {' '}
            ({ticketCount === 1 ? '1 ticket' : `${ticketCount} tickets`})
          </span>
        </button>
      )}
    </div>
  );
}

function MyOrders() {
  const [pages, setPages] = useState<TOrder[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useApiData('my-orders', (signal) =>
    request(api.GET('/api/v1/me/orders', { params: { query: { limit: 20 } }, signal })),
  );
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const orders = [...(first.data?.items ?? []), ...pages.flat()];
  const nextCursor = pages.length > 0 ? cursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!nextCursor) return;
    setIsLoadingMore(true);
    setError('');
    try {
      const page = await request(
        api.GET('/api/v1/me/orders', { params: { query: { limit: 20, cursor: nextCursor } } }),
      );
      setPages((p) => [...p, page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setIsLoadingMore(false);
    }
  }

  if (!first.data || orders.length === 0) return null;
  return (
    <section className="section" aria-labelledby="my-orders-heading">
      <h2 id="my-orders-heading">My orders</h2>
      <ul className="list-cards">
        {orders.map((order) => (
          <li key={order.id} className="list-card">
            <span className="event-row-main">
              <span className="list-card-title">{order.event.title}</span>
              <span className="muted">
                {order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')} ·{' '}
                {formatMoney(order.totalCents, order.currency)} · {formatTimestamp(order.createdAt)}
              </span>
            </span>
            <OrderStatusBadge status={order.status} />
            <Link
              className="button button-small button-link"
              to={order.status === 'pending' ? `/checkout/${order.id}` : `/orders/${order.id}`}
            >
              {order.status === 'pending' ? 'Continue to payment' : 'View order'}
              <span className="visually-hidden"> {order.id.slice(0, 8).toUpperCase()}</span>
            </Link>
          </li>
        ))}
      </ul>
      <LiveMessage tone="error">{error || null}</LiveMessage>
      {nextCursor ? (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            disabled={isLoadingMore}
            onClick={() => void loadMore()}
          >
            {isLoadingMore ? 'Loading…' : 'Load more orders'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
