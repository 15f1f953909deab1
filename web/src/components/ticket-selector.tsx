import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, type TEvent, type TUser } from '../api/client';
import { asApiError, request, type ApiError } from '../api/errors';
import type { TAttendeeInput, TTicketType } from '../api/ticketing';
import { formatEventStart } from '../lib/event-time';
import { formatMoney, formatPrice } from '../lib/money';
import { describeOrderError } from '../lib/order-errors';
import { signInPath } from '../lib/safe-redirect';
import {
  encodeSelection,
  fitSelection,
  maxSelectable,
  newIdempotencyKey,
  saleState,
  selectedItems,
  selectionTotal,
  type TQuantities,
} from '../lib/ticket-selection';
import { useNow } from '../lib/countdown';
import { useApiData } from '../lib/use-api-data';
import { useSession } from '../session/session-context';
import { LiveMessage } from './live-message';
import { QuantityStepper } from './quantity-stepper';
import { WaitlistForm } from './waitlist-form';

/** How often availability is refreshed while the page is visible. */
const POLL_MS = 10_000;

/**
 * Loads an event's ticket types and keeps them fresh: every few seconds while the tab is
 * visible, and at once when the person comes back to it.
 */
export function useTicketTypes(eventId: string) {
  const types = useApiData(`ticket-types:${eventId}`, (signal) =>
    request(
      api.GET('/api/v1/events/{id}/ticket-types', { params: { path: { id: eventId } }, signal }),
    ),
  );
  const { reload } = types;
  useEffect(() => {
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    const timer = window.setInterval(refreshIfVisible, POLL_MS);
    window.addEventListener('focus', refreshIfVisible);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refreshIfVisible);
      document.removeEventListener('visibilitychange', refreshIfVisible);
    };
  }, [reload]);
  return types;
}

type TSeat = { index: number; typeName: string };

/** One row per seat of the selection, in the order the API matches attendees to seats. */
function seatsOf(quantities: TQuantities, types: readonly TTicketType[]): TSeat[] {
  const seats: TSeat[] = [];
  for (const type of types) {
    for (let i = 0; i < (quantities[type.id] ?? 0); i += 1)
      seats.push({ index: seats.length, typeName: type.name });
  }
  return seats;
}

type TAttendeeDraft = { name: string; email: string };

/**
 * Attendees for the order body. Seats left blank before a named one carry the buyer, as the API
 * does for seats without an attendee; trailing blank seats are simply left out.
 */
export function attendeesForOrder(
  drafts: readonly TAttendeeDraft[],
  seatCount: number,
  buyer: Pick<TUser, 'name' | 'email'>,
): { attendees: TAttendeeInput[]; errors: Record<number, string> } {
  const errors: Record<number, string> = {};
  let last = -1;
  for (let i = 0; i < seatCount; i += 1) {
    const draft = drafts[i];
    const name = draft?.name.trim() ?? '';
    const email = draft?.email.trim() ?? '';
    if (!name && !email) continue;
    if (!name) errors[i] = 'Add the name, or clear the e-mail.';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      errors[i] = 'Add a valid e-mail address for this ticket.';
    last = i;
  }
  const attendees: TAttendeeInput[] = [];
  for (let i = 0; i <= last; i += 1) {
    const draft = drafts[i];
    const name = draft?.name.trim() ?? '';
    attendees.push(
      name
        ? { name, email: draft?.email.trim() ?? '' }
        : { name: buyer.name.trim() || buyer.email, email: buyer.email },
    );
  }
  return { attendees, errors };
}

function availabilityText(type: TTicketType): string {
  if (type.available <= 0) {
    return type.held > 0
      ? `Sold out for now: ${type.held} held in other checkouts may come back.`
      : 'Sold out.';
  }
  return type.available <= 10 ? `Only ${type.available} left.` : `${type.available} left.`;
}

/**
 * The event page's ticket box: every visible ticket type with its price, live availability and
 * a quantity stepper; sold-out types offer the waiting list. "Get tickets" holds the seats in a
 * new order and goes to checkout.
 */
export function TicketSelector({
  event,
  initialSelection,
}: {
  event: TEvent;
  initialSelection: TQuantities;
}) {
  const navigate = useNavigate();
  const { user } = useSession();
  const ticketTypes = useTicketTypes(event.id);
  const now = useNow(15_000);
  const [wanted, setWanted] = useState<TQuantities>(initialSelection);
  const [drafts, setDrafts] = useState<TAttendeeDraft[]>([]);
  const [seatErrors, setSeatErrors] = useState<Record<number, string>>({});
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // One key per checkout attempt: a retry of the same request reuses it, so a lost answer never
  // creates a second order; a changed selection is a new attempt with a new key.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const types = (ticketTypes.data?.items ?? []).filter((t) => !t.hidden);
  // Fresh availability can undercut what was chosen; show and send only what still fits.
  const { quantities, reduced } = fitSelection(wanted, types, now);
  const { totalMinor, count } = selectionTotal(quantities, types);
  const currency = types[0]?.currency ?? 'EUR';
  const seats = seatsOf(quantities, types);
  const eventPath = `/events/${event.slug}`;

  function setQuantity(type: TTicketType, quantity: number) {
    setWanted({ ...quantities, [type.id]: quantity });
    setError(null);
  }

  function setDraft(index: number, field: keyof TAttendeeDraft, value: string) {
    setDrafts((current) => {
      const next = [...current];
      next[index] = { ...(next[index] ?? { name: '', email: '' }), [field]: value };
      return next;
    });
  }

  async function getTickets() {
    if (!user) {
      const back = `${eventPath}?select=${encodeURIComponent(encodeSelection(quantities))}`;
      void navigate(signInPath(back));
      return;
    }
    const { attendees, errors } = attendeesForOrder(drafts, seats.length, user);
    setSeatErrors(errors);
    const firstInvalid = Object.keys(errors)[0];
    if (firstInvalid !== undefined) {
      document.getElementById(`attendee-${firstInvalid}-name`)?.focus();
      return;
    }
    const body = {
      eventId: event.id,
      items: selectedItems(quantities, types),
      ...(attendees.length > 0 ? { attendees } : {}),
    };
    const bodyText = JSON.stringify(body);
    if (attempt.current?.body !== bodyText)
      attempt.current = { body: bodyText, key: newIdempotencyKey() };
    setIsSubmitting(true);
    setError(null);
    try {
      const order = await request(
        api.POST('/api/v1/orders', {
          body,
          headers: { 'Idempotency-Key': attempt.current.key },
        }),
      );
      void navigate(order.status === 'paid' ? `/orders/${order.id}` : `/checkout/${order.id}`);
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      setIsSubmitting(false);
      if (apiError.status === 401) {
        void navigate(signInPath(eventPath));
        return;
      }
      if (apiError.code === 'sold_out' || apiError.code === 'sales_closed') ticketTypes.reload();
    }
  }

  if (!ticketTypes.data) {
    return (
      <section className="card ticket-box ticket-box-loading" aria-labelledby="tickets-heading">
        <h2 id="tickets-heading">Tickets</h2>
        <LiveMessage tone="error">
          {ticketTypes.error ? `Tickets could not be loaded: ${ticketTypes.error.message}` : null}
        </LiveMessage>
        {!ticketTypes.error ? <p className="loading">Loading tickets…</p> : null}
      </section>
    );
  }

  const isCancelled = event.status === 'cancelled';
  const canBuyAny = !isCancelled && types.some((t) => saleState(t, now) === 'on_sale');

  return (
    <section className="card ticket-box" aria-labelledby="tickets-heading">
      <h2 id="tickets-heading">Tickets</h2>
      {types.length === 0 ? (
        <p className="muted">No tickets are offered for this event yet.</p>
      ) : null}
      <LiveMessage>
        {reduced.length > 0
          ? reduced
              .map((t) => {
                const left = maxSelectable(t, now);
                if (left > 0) return `Only ${left} ${t.name} left: your selection was reduced.`;
                return t.isOnSale
                  ? `${t.name} just sold out and was taken out of your selection.`
                  : `${t.name} is no longer on sale and was taken out of your selection.`;
              })
              .join(' ')
          : null}
      </LiveMessage>
      <ul className="ticket-type-list">
        {types.map((type) => {
          const state = isCancelled ? 'unavailable' : saleState(type, now);
          const max = maxSelectable(type, now);
          const availabilityId = `ticket-type-${type.id}-availability`;
          return (
            <li key={type.id} className={`ticket-type ticket-type-${state}`}>
              <div className="ticket-type-info">
                <h3 className="ticket-type-name">{type.name}</h3>
                <p className="ticket-type-price">{formatPrice(type.priceCents, type.currency)}</p>
                {type.description ? (
                  <p className="ticket-type-description">{type.description}</p>
                ) : null}
                <p className="ticket-type-availability" id={availabilityId}>
                  {state === 'on_sale' ? (
                    <>
                      {availabilityText(type)}{' '}
                      <span className="muted">
                        Up to {Math.min(type.maxPerOrder, max)} per order.
                      </span>
                    </>
                  ) : state === 'sold_out' ? (
                    <strong>{availabilityText(type)}</strong>
                  ) : state === 'not_started' && type.salesStartAt ? (
                    <>
                      On sale from{' '}
                      <time dateTime={type.salesStartAt}>
                        {formatEventStart(type.salesStartAt, event.timezone)}
                      </time>
                      .
                    </>
                  ) : state === 'ended' ? (
                    'Sales have ended.'
                  ) : event.status === 'draft' ? (
                    'On sale once the event is published.'
                  ) : (
                    'Not on sale.'
                  )}
                </p>
              </div>
              <div className="ticket-type-action">
                {state === 'on_sale' ? (
                  <QuantityStepper
                    id={`ticket-type-${type.id}-quantity`}
                    name={type.name}
                    value={quantities[type.id] ?? 0}
                    max={max}
                    describedBy={availabilityId}
                    onChange={(q) => setQuantity(type, q)}
                  />
                ) : state === 'sold_out' ? (
                  <>
                    <span className="badge badge-sold-out">Sold out</span>
                    <WaitlistForm
                      ticketTypeId={type.id}
                      ticketTypeName={type.name}
                      defaultEmail={user?.email ?? ''}
                    />
                  </>
                ) : (
                  <span className="badge badge-closed">
                    {state === 'not_started' ? 'Not yet on sale' : 'Closed'}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>

      {user && seats.length > 0 ? (
        <details className="attendee-details">
          <summary>Tickets for other people? Add their names (optional)</summary>
          <p className="field-hint">
            Each ticket shows its holder&apos;s name. Tickets left blank are in your name.
          </p>
          <ol className="attendee-list">
            {seats.map((seat) => {
              const error = seatErrors[seat.index];
              const errorId = error ? `attendee-${seat.index}-error` : undefined;
              return (
                <li key={seat.index} className="attendee-row">
                  <fieldset>
                    <legend>
                      Ticket {seat.index + 1}: {seat.typeName}
                    </legend>
                    <div className="form-row">
                      <div className="field">
                        <label htmlFor={`attendee-${seat.index}-name`}>Name</label>
                        <input
                          id={`attendee-${seat.index}-name`}
                          autoComplete="off"
                          maxLength={120}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={errorId}
                          value={drafts[seat.index]?.name ?? ''}
                          onChange={(e) => setDraft(seat.index, 'name', e.target.value)}
                        />
                      </div>
                      <div className="field">
                        <label htmlFor={`attendee-${seat.index}-email`}>E-mail</label>
                        <input
                          id={`attendee-${seat.index}-email`}
                          type="email"
                          inputMode="email"
                          autoComplete="off"
                          aria-invalid={error ? true : undefined}
                          aria-describedby={errorId}
                          value={drafts[seat.index]?.email ?? ''}
                          onChange={(e) => setDraft(seat.index, 'email', e.target.value)}
                        />
                      </div>
                    </div>
                    {error ? (
                      <p className="field-error" id={errorId}>
                        {error}
                      </p>
                    ) : null}
                  </fieldset>
                </li>
              );
            })}
          </ol>
        </details>
      ) : null}

      {canBuyAny ? (
        <div className="ticket-summary">
          <p className="ticket-total" aria-live="polite" aria-atomic="true">
            {count === 0 ? (
              'Choose how many tickets you want.'
            ) : (
              <>
                {count} {count === 1 ? 'ticket' : 'tickets'}, total{' '}
                <strong>{formatMoney(totalMinor, currency)}</strong>
              </>
            )}
          </p>
          <LiveMessage tone="error">{error ? describeOrderError(error) : null}</LiveMessage>
          <button
            type="button"
            className="button button-primary ticket-buy"
            disabled={count === 0 || isSubmitting}
            onClick={() => void getTickets()}
          >
            {isSubmitting
              ? 'Holding your tickets…'
              : user
                ? 'Get tickets'
                : 'Sign in to get tickets'}
          </button>
          {!user ? (
            <p className="field-hint">We e-mail you a code to sign in; your selection is kept.</p>
          ) : (
            <p className="field-hint">
              Your tickets are held for you for a few minutes while you pay.
            </p>
          )}
        </div>
      ) : null}
    </section>
  );
}
