import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../api/errors';
import { describeOrderError } from '../lib/order-errors';
import { Field } from './field';
import { LiveMessage } from './live-message';

/** Joining a sold-out ticket type's waiting list: released tickets are offered by e-mail. */
export function WaitlistForm({
  ticketTypeId,
  ticketTypeName,
  defaultEmail,
}: {
  ticketTypeId: string;
  ticketTypeName: string;
  defaultEmail: string;
}) {
  const [email, setEmail] = useState(defaultEmail);
  const [isOpen, setIsOpen] = useState(false);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [joined, setJoined] = useState<{ email: string; position: number } | null>(null);
  const fieldId = `waitlist-${ticketTypeId}-email`;

  async function join(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    try {
      const result = await request(
        api.POST('/api/v1/ticket-types/{id}/waitlist', {
          params: { path: { id: ticketTypeId } },
          body: { email: email.trim() },
        }),
      );
      setJoined({ email: email.trim(), position: result.position });
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSubmitting(false);
    }
  }

  const errors = fieldErrors(error, ['email']);
  const generalError = error && !errors['email'] ? describeOrderError(error) : null;

  if (joined) {
    return (
      <LiveMessage tone="success">
        You are number {joined.position} on the {ticketTypeName} waiting list. If a ticket comes
        free, we e-mail {joined.email} a link to claim it; the offer is kept for you for a limited
        time.
      </LiveMessage>
    );
  }
  if (!isOpen) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        aria-expanded="false"
        onClick={() => setIsOpen(true)}
      >
        Join waiting list<span className="visually-hidden"> for {ticketTypeName}</span>
      </button>
    );
  }
  return (
    <form
      className="waitlist-form"
      onSubmit={(e) => void join(e)}
      noValidate
      aria-label={`Waiting list for ${ticketTypeName}`}
    >
      <LiveMessage tone="error">{generalError}</LiveMessage>
      <Field
        id={fieldId}
        label="Your e-mail address"
        hint="We write only if a ticket comes free."
        error={errors['email']}
      >
        {(props) => (
          <input
            {...props}
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={isSubmitting || !email.trim()}
        >
          {isSubmitting ? 'Joining…' : 'Join waiting list'}
        </button>
        <button
          type="button"
          className="button button-link button-small"
          onClick={() => setIsOpen(false)}
        >
          Not now
        </button>
      </div>
    </form>
  );
}
