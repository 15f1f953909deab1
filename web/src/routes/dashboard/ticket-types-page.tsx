import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { useParams } from 'react-router';
import { api, type TEvent } from '../../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../../api/errors';
import type { TTicketType } from '../../api/ticketing';
import { EventAdminFrame } from '../../components/event-admin-nav';
import { Field } from '../../components/field';
import { LiveMessage } from '../../components/live-message';
import { useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { useTicketTypes } from '../../components/ticket-selector';
import { formatEventStart, formatTimeZone } from '../../lib/event-time';
import { formatPrice } from '../../lib/money';
import { permissionsFor } from '../../lib/permissions';
import {
  changedFields,
  emptyTicketTypeForm,
  formToTicketTypeBody,
  ticketTypeFieldKeys,
  ticketTypeToForm,
  type TTicketTypeFormValues,
} from './ticket-types-form';

/** `/dashboard/events/:id/ticket-types`: what an event sells, and how it is selling. */
export default function TicketTypesPage() {
  const { id = '' } = useParams();
  useDocumentTitle('Ticket types');
  return (
    <RequireSignIn>
      {() => (
        <EventAdminFrame key={id} eventId={id} title="Ticket types">
          {(event, organizer) => (
            <TicketTypes event={event} canEdit={permissionsFor(organizer.role).canEditEvents} />
          )}
        </EventAdminFrame>
      )}
    </RequireSignIn>
  );
}

function TicketTypes({ event, canEdit }: { event: TEvent; canEdit: boolean }) {
  const ticketTypes = useTicketTypes(event.id);
  const [status, setStatus] = useState('');
  const [editingId, setEditingId] = useState<string | null>(null);
  // A fresh, empty "add" form after each addition (not on every availability refresh).
  const [addedCount, setAddedCount] = useState(0);
  const types = ticketTypes.data?.items ?? [];
  const isEditable = canEdit && event.status !== 'cancelled';

  function saved(message: string) {
    setStatus(message);
    setEditingId(null);
    ticketTypes.reload();
  }

  return (
    <>
      <p className="lead">
        {event.title} ·{' '}
        <time dateTime={event.startsAt}>{formatEventStart(event.startsAt, event.timezone)}</time>
      </p>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">
        {ticketTypes.error
          ? `Ticket types could not be loaded: ${ticketTypes.error.message}`
          : null}
      </LiveMessage>
      {!canEdit ? (
        <p className="notice notice-info">
          Your role can see the ticket types but not change them.
        </p>
      ) : event.status === 'cancelled' ? (
        <p className="notice notice-info">The event is cancelled; its ticket types are final.</p>
      ) : null}
      {ticketTypes.data && types.length === 0 ? (
        <p>No ticket types yet. Add one so people can get tickets.</p>
      ) : null}
      <ul className="ticket-type-admin-list">
        {types.map((type) => (
          <li key={type.id} className="card ticket-type-admin">
            {editingId === type.id ? (
              <TicketTypeForm
                event={event}
                type={type}
                onSaved={(t) => saved(`Saved “${t.name}”.`)}
                onCancel={() => setEditingId(null)}
              />
            ) : (
              <TicketTypeRow
                event={event}
                type={type}
                canEdit={isEditable}
                onEdit={() => setEditingId(type.id)}
                onDeleted={() => saved(`Deleted “${type.name}”.`)}
              />
            )}
          </li>
        ))}
      </ul>
      {isEditable ? (
        <section className="card" aria-labelledby="new-ticket-type-heading">
          <h2 id="new-ticket-type-heading">Add a ticket type</h2>
          <TicketTypeForm
            key={addedCount}
            event={event}
            type={null}
            defaultCurrency={types[0]?.currency}
            onSaved={(t) => {
              setAddedCount((n) => n + 1);
              saved(`Added “${t.name}”.`);
            }}
          />
        </section>
      ) : null}
    </>
  );
}

/** Sold, held and available as numbers and as a bar (the bar is decoration; the text says it). */
function SalesBar({ type }: { type: TTicketType }) {
  const percent = (n: number) => `${Math.min(100, (n / Math.max(1, type.capacity)) * 100)}%`;
  return (
    <div className="sales">
      <p className="sales-numbers">
        <strong>{type.sold}</strong> sold · <strong>{type.held}</strong> held ·{' '}
        <strong>{type.available}</strong> available · {type.capacity} in total
      </p>
      <div className="sales-bar" aria-hidden="true">
        <span className="sales-bar-sold" style={{ width: percent(type.sold) }} />
        <span className="sales-bar-held" style={{ width: percent(type.held) }} />
      </div>
    </div>
  );
}

function salesWindow(type: TTicketType, timeZone: string): string {
  const start = type.salesStartAt ? formatEventStart(type.salesStartAt, timeZone) : null;
  const end = type.salesEndAt ? formatEventStart(type.salesEndAt, timeZone) : null;
  if (start && end) return `On sale ${start} – ${end}`;
  if (start) return `On sale from ${start}`;
  if (end) return `On sale until ${end}`;
  return 'On sale until the event ends';
}

function TicketTypeRow({
  event,
  type,
  canEdit,
  onEdit,
  onDeleted,
}: {
  event: TEvent;
  type: TTicketType;
  canEdit: boolean;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState('');
  const keepButton = useRef<HTMLButtonElement>(null);
  const headingId = `ticket-type-${type.id}-name`;

  useEffect(() => {
    if (isConfirming) keepButton.current?.focus();
  }, [isConfirming]);

  async function remove() {
    setIsBusy(true);
    setError('');
    try {
      await request(api.DELETE('/api/v1/ticket-types/{id}', { params: { path: { id: type.id } } }));
      onDeleted();
    } catch (e) {
      const apiError = asApiError(e);
      setError(
        apiError.code === 'ticket_type_has_sales'
          ? 'This ticket type has orders, so it cannot be deleted. Hide it instead to stop selling it.'
          : apiError.message,
      );
      setIsBusy(false);
      setIsConfirming(false);
    }
  }

  return (
    <article aria-labelledby={headingId}>
      <div className="section-title-row">
        <h2 id={headingId}>{type.name}</h2>
        <span>
          {type.hidden ? <span className="badge badge-draft">Hidden</span> : null}{' '}
          <span className={`badge ${type.isOnSale ? 'badge-published' : 'badge-draft'}`}>
            {type.isOnSale ? 'On sale' : 'Not on sale'}
          </span>
        </span>
      </div>
      <p>
        <strong>{formatPrice(type.priceCents, type.currency)}</strong> · up to {type.maxPerOrder}{' '}
        per order · {salesWindow(type, event.timezone)}
      </p>
      {type.description ? <p className="muted">{type.description}</p> : null}
      <SalesBar type={type} />
      <LiveMessage tone="error">{error || null}</LiveMessage>
      {canEdit ? (
        isConfirming ? (
          <div className="confirm-box" role="group" aria-labelledby={`confirm-delete-${type.id}`}>
            <p id={`confirm-delete-${type.id}`}>
              <strong>Delete “{type.name}”?</strong> This cannot be undone.
            </p>
            <div className="form-actions">
              <button
                type="button"
                className="button button-danger"
                disabled={isBusy}
                onClick={() => void remove()}
              >
                {isBusy ? 'Deleting…' : 'Yes, delete'}
              </button>
              <button
                ref={keepButton}
                type="button"
                className="button button-secondary"
                disabled={isBusy}
                onClick={() => setIsConfirming(false)}
              >
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <div className="form-actions">
            <button type="button" className="button button-secondary button-small" onClick={onEdit}>
              Edit<span className="visually-hidden"> {type.name}</span>
            </button>
            <button
              type="button"
              className="button button-danger-outline button-small"
              onClick={() => setIsConfirming(true)}
            >
              Delete<span className="visually-hidden"> {type.name}</span>
            </button>
          </div>
        )
      ) : null}
    </article>
  );
}

/** What the API can refuse on a ticket type, said beside the field it is about. */
function errorsFrom(error: ApiError): Record<string, string> {
  switch (error.code) {
    case 'capacity_below_sold': {
      const sold = error.detailNumber('sold') ?? 0;
      const held = error.detailNumber('held') ?? 0;
      return { capacity: `Use at least ${sold + held}: ${sold} sold and ${held} held right now.` };
    }
    case 'currency_locked':
      return { currency: 'The currency cannot change once tickets have been ordered.' };
    default: {
      const errors = fieldErrors(error, ticketTypeFieldKeys);
      if (Object.keys(errors).length === 0) errors[''] = error.message;
      return errors;
    }
  }
}

function TicketTypeForm({
  event,
  type,
  defaultCurrency,
  onSaved,
  onCancel,
}: {
  event: TEvent;
  type: TTicketType | null;
  defaultCurrency?: string | undefined;
  onSaved: (type: TTicketType) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState<TTicketTypeFormValues>(() =>
    type ? ticketTypeToForm(type, event.timezone) : emptyTicketTypeForm(defaultCurrency),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [isSaving, setIsSaving] = useState(false);
  const prefix = `tt-${type?.id ?? 'new'}`;
  const ids: Record<string, string> = {
    name: `${prefix}-name`,
    description: `${prefix}-description`,
    priceCents: `${prefix}-price`,
    currency: `${prefix}-currency`,
    capacity: `${prefix}-capacity`,
    maxPerOrder: `${prefix}-max`,
    salesStartAt: `${prefix}-sales-start`,
    salesEndAt: `${prefix}-sales-end`,
    hidden: `${prefix}-hidden`,
  };

  const set =
    (key: Exclude<keyof TTicketTypeFormValues, 'hidden'>) =>
    (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      setValues((v) => ({ ...v, [key]: e.target.value }));

  function showErrors(next: Record<string, string>) {
    setErrors(next);
    const first = ticketTypeFieldKeys.find((k) => next[k]);
    const id = first ? ids[first] : undefined;
    if (id) window.requestAnimationFrame(() => document.getElementById(id)?.focus());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = formToTicketTypeBody(values, event.timezone);
    if (!result.ok) {
      showErrors(result.errors);
      return;
    }
    setIsSaving(true);
    setErrors({});
    try {
      let saved: TTicketType;
      if (type) {
        const before = formToTicketTypeBody(ticketTypeToForm(type, event.timezone), event.timezone);
        const body = before.ok ? changedFields(before.body, result.body) : result.body;
        saved = await request(
          api.PATCH('/api/v1/ticket-types/{id}', { params: { path: { id: type.id } }, body }),
        );
      } else {
        saved = await request(
          api.POST('/api/v1/events/{id}/ticket-types', {
            params: { path: { id: event.id } },
            body: result.body,
          }),
        );
      }
      setIsSaving(false);
      onSaved(saved);
    } catch (err) {
      showErrors(errorsFrom(asApiError(err)));
      setIsSaving(false);
    }
  }

  const errorCount = Object.keys(errors).length;
  const zone = formatTimeZone(event.timezone, event.startsAt);
  return (
    <form className="form ticket-type-form" onSubmit={(e) => void submit(e)} noValidate>
      {type ? <h2 className="visually-hidden">Edit {type.name}</h2> : null}
      <LiveMessage tone="error">
        {errorCount > 0
          ? (errors[''] ??
            `Please fix ${errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below.`)
          : null}
      </LiveMessage>
      <Field
        id={ids['name'] ?? ''}
        label="Name"
        hint="e.g. Early bird, Standard, VIP."
        error={errors['name']}
      >
        {(props) => (
          <input {...props} required maxLength={120} value={values.name} onChange={set('name')} />
        )}
      </Field>
      <Field
        id={ids['description'] ?? ''}
        label="Description (optional)"
        error={errors['description']}
      >
        {(props) => (
          <textarea
            {...props}
            rows={2}
            maxLength={2000}
            value={values.description}
            onChange={set('description')}
          />
        )}
      </Field>
      <div className="form-row">
        <Field
          id={ids['priceCents'] ?? ''}
          label="Price"
          hint={`In ${values.currency.toUpperCase() || 'the currency'}, e.g. 25.00. Use 0 for free tickets.`}
          error={errors['priceCents']}
        >
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              autoComplete="off"
              required
              value={values.price}
              onChange={set('price')}
            />
          )}
        </Field>
        <Field
          id={ids['currency'] ?? ''}
          label="Currency"
          hint="Three letters, e.g. EUR, USD, GBP."
          error={errors['currency']}
        >
          {(props) => (
            <input
              {...props}
              className="input-short"
              maxLength={3}
              autoCapitalize="characters"
              autoComplete="off"
              required
              value={values.currency}
              onChange={(e) => setValues((v) => ({ ...v, currency: e.target.value.toUpperCase() }))}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field
          id={ids['capacity'] ?? ''}
          label="Capacity"
          hint="How many of these tickets exist."
          error={errors['capacity']}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={1}
              required
              value={values.capacity}
              onChange={set('capacity')}
            />
          )}
        </Field>
        <Field
          id={ids['maxPerOrder'] ?? ''}
          label="Most per order"
          hint="1 to 100."
          error={errors['maxPerOrder']}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={1}
              max={100}
              required
              value={values.maxPerOrder}
              onChange={set('maxPerOrder')}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field
          id={ids['salesStartAt'] ?? ''}
          label="Sales start (optional)"
          hint={`Time in ${zone}. Empty: on sale once published.`}
          error={errors['salesStartAt']}
        >
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={values.salesStartLocal}
              onChange={set('salesStartLocal')}
            />
          )}
        </Field>
        <Field
          id={ids['salesEndAt'] ?? ''}
          label="Sales end (optional)"
          hint={`Time in ${zone}. Empty: until the event ends.`}
          error={errors['salesEndAt']}
        >
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              value={values.salesEndLocal}
              onChange={set('salesEndLocal')}
            />
          )}
        </Field>
      </div>
      <div className="field">
        <label className="checkbox" htmlFor={ids['hidden']}>
          <input
            id={ids['hidden']}
            type="checkbox"
            checked={values.hidden}
            aria-describedby={`${prefix}-hidden-hint`}
            onChange={(e) => setValues((v) => ({ ...v, hidden: e.target.checked }))}
          />
          Hidden
        </label>
        <p className="field-hint" id={`${prefix}-hidden-hint`}>
          Hidden types are not shown on the public event page.
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={isSaving}>
          {isSaving ? 'Saving…' : type ? 'Save ticket type' : 'Add ticket type'}
        </button>
        {onCancel ? (
          <button type="button" className="button button-link" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
