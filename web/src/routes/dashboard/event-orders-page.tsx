import { useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { api, type TEvent } from '../../api/client';
import { asApiError, request } from '../../api/errors';
import { orderStatuses, type TOrder, type TOrderStatus } from '../../api/ticketing';
import { EventAdminFrame } from '../../components/event-admin-nav';
import { LiveMessage } from '../../components/live-message';
import { OrderStatusBadge, orderStatusLabel } from '../../components/order-status-badge';
import { useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { useNow } from '../../lib/countdown';
import { formatTimestamp } from '../../lib/event-time';
import { formatMoney } from '../../lib/money';
import { describeOrderError } from '../../lib/order-errors';
import { permissionsFor } from '../../lib/permissions';
import { useApiData } from '../../lib/use-api-data';

const PAGE_SIZE = 25;

const isOrderStatus = (value: string | null): value is TOrderStatus =>
  orderStatuses.some((s) => s === value);

/** `/dashboard/events/:id/orders`: an event's orders for its managers, newest first. */
export default function EventOrdersPage() {
  const { id = '' } = useParams();
  useDocumentTitle('Orders');
  return (
    <RequireSignIn>
      {() => (
        <EventAdminFrame key={id} eventId={id} title="Orders">
          {(event, organizer) =>
            permissionsFor(organizer.role).canEditEvents ? (
              <EventOrders event={event} />
            ) : (
              <p className="notice notice-info">Only owners and managers can see orders.</p>
            )
          }
        </EventAdminFrame>
      )}
    </RequireSignIn>
  );
}

function EventOrders({ event }: { event: TEvent }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const statusParam = searchParams.get('status');
  const status = isOrderStatus(statusParam) ? statusParam : undefined;
  const key = `event-orders:${event.id}:${status ?? 'all'}`;
  const first = useApiData(key, (signal) =>
    request(
      api.GET('/api/v1/events/{id}/orders', {
        params: {
          path: { id: event.id },
          query: { limit: PAGE_SIZE, ...(status ? { status } : {}) },
        },
        signal,
      }),
    ),
  );
  // Later pages and local changes (mark paid) belong to the list they were loaded for.
  const [more, setMore] = useState<{ key: string; items: TOrder[]; cursor: string | null }>({
    key: '',
    items: [],
    cursor: null,
  });
  const [changed, setChanged] = useState<Record<string, TOrder>>({});
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const extra = more.key === key ? more : null;
  const orders = [...(first.data?.items ?? []), ...(extra?.items ?? [])].map(
    (o) => changed[o.id] ?? o,
  );
  const nextCursor = extra ? extra.cursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!nextCursor) return;
    setIsLoadingMore(true);
    setError('');
    try {
      const page = await request(
        api.GET('/api/v1/events/{id}/orders', {
          params: {
            path: { id: event.id },
            query: { limit: PAGE_SIZE, cursor: nextCursor, ...(status ? { status } : {}) },
          },
        }),
      );
      setMore({ key, items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setIsLoadingMore(false);
    }
  }

  function filter(value: string) {
    const next = new URLSearchParams(searchParams);
    if (value) next.set('status', value);
    else next.delete('status');
    setSearchParams(next, { replace: true });
    setNotice('');
  }

  return (
    <>
      <div className="filter-bar">
        <div className="field">
          <label htmlFor="orders-status">Status</label>
          <select id="orders-status" value={status ?? ''} onChange={(e) => filter(e.target.value)}>
            <option value="">All orders</option>
            {orderStatuses.map((s) => (
              <option key={s} value={s}>
                {orderStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <LiveMessage tone="success">{notice || null}</LiveMessage>
      <LiveMessage tone="error">
        {first.error ? `Orders could not be loaded: ${first.error.message}` : error || null}
      </LiveMessage>
      {first.isLoading && !first.data ? <p className="loading">Loading orders…</p> : null}
      {first.data && orders.length === 0 ? (
        <p>{status ? `No orders with status “${orderStatusLabel(status)}”.` : 'No orders yet.'}</p>
      ) : null}
      {orders.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="orders-caption" tabIndex={0}>
          <table className="data-table">
            <caption id="orders-caption">
              {status ? `${orderStatusLabel(status)} orders` : 'All orders'} of {event.title},
              newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Buyer</th>
                <th scope="col">Tickets</th>
                <th scope="col" className="numeric">
                  Total
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <OrderRow
                  key={order.id}
                  order={order}
                  onPaid={(paid) => {
                    setChanged((c) => ({ ...c, [paid.id]: paid }));
                    setNotice(
                      `Order ${paid.id.slice(0, 8).toUpperCase()} is marked paid; its tickets were sent to ${paid.buyerEmail}.`,
                    );
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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
    </>
  );
}

function OrderRow({ order, onPaid }: { order: TOrder; onPaid: (order: TOrder) => void }) {
  const now = useNow(15_000);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState('');
  const confirmButton = useRef<HTMLButtonElement>(null);
  const reference = order.id.slice(0, 8).toUpperCase();
  const canMarkPaid = order.status === 'pending' && Date.parse(order.expiresAt) > now;

  useEffect(() => {
    if (isConfirming) confirmButton.current?.focus();
  }, [isConfirming]);

  async function markPaid() {
    setIsBusy(true);
    setError('');
    try {
      onPaid(
        await request(
          api.POST('/api/v1/orders/{id}/pay', {
            params: { path: { id: order.id } },
            body: { provider: 'offline' },
          }),
        ),
      );
    } catch (e) {
      setError(describeOrderError(asApiError(e)));
    } finally {
      setIsBusy(false);
      setIsConfirming(false);
    }
  }

  return (
    <tr>
      <th scope="row">
        <code>{reference}</code>
        <span className="block muted">{formatTimestamp(order.createdAt)}</span>
      </th>
      <td className="cell-wrap">{order.buyerEmail}</td>
      <td>
        {order.items.map((i) => (
          <span key={i.ticketTypeId} className="block">
            {i.quantity} × {i.name}
          </span>
        ))}
      </td>
      <td className="numeric">{formatMoney(order.totalCents, order.currency)}</td>
      <td>
        <OrderStatusBadge status={order.status} />
        {order.paymentProvider === 'offline' ? <span className="block muted">offline</span> : null}
      </td>
      <td>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {canMarkPaid ? (
          isConfirming ? (
            <span className="confirm-inline">
              <button
                ref={confirmButton}
                type="button"
                className="button button-primary button-small"
                disabled={isBusy}
                onClick={() => void markPaid()}
              >
                {isBusy
                  ? 'Saving…'
                  : `Confirm ${formatMoney(order.totalCents, order.currency)} received`}
              </button>
              <button
                type="button"
                className="button button-link button-small"
                disabled={isBusy}
                onClick={() => setIsConfirming(false)}
              >
                Not yet
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setIsConfirming(true)}
            >
              Mark paid<span className="visually-hidden"> (order {reference})</span>
            </button>
          )
        ) : null}
      </td>
    </tr>
  );
}
