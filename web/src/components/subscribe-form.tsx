import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../api/errors';
import { useActivity } from '../lib/activity';
import { useIsDevMailboxAvailable } from '../lib/dev-mailbox-context';
import { useSession } from '../session/session-context';
import { Field } from './field';
import { LiveMessage } from './live-message';

/** What one can subscribe to: `newsletter`, `organizer:<id>` or `event:<id>`. */
export type TTopic = 'newsletter' | `organizer:${string}` | `event:${string}`;

/** Says what went wrong in words for someone who just typed their address. */
function describeSubscribeError(error: ApiError): string {
  if (error.status === 429) return 'Too many sign-ups from here just now. Try again in an hour.';
  if (error.status === 404) return 'This can no longer be followed.';
  return error.message;
}

/**
 * A "follow" button that opens a one-field form for an e-mail address (filled in for signed-in
 * users) and starts the double opt-in. The answer is the same whether or not the address was
 * already subscribed, and so is what we say: nobody learns someone else's subscriptions.
 */
export function SubscribeForm({
  topic,
  eventId,
  buttonLabel,
  description,
  className,
}: {
  topic: TTopic;
  /** The event the form sits on, for the activity log. */
  eventId?: string;
  /** The button that opens the form, e.g. "Follow Harbour Events". */
  buttonLabel: string;
  /** One sentence on what will be sent. */
  description: string;
  className?: string;
}) {
  const { user } = useSession();
  const activity = useActivity();
  const isDevMailboxAvailable = useIsDevMailboxAvailable();
  const id = useId();
  const [isOpen, setIsOpen] = useState(false);
  const [email, setEmail] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  // Filled from the session until the visitor types something else.
  const value = email ?? user?.email ?? '';
  const formId = `${id}-form`;
  const doneRef = useRef<HTMLDivElement>(null);

  // The form goes away once sent: keep keyboard focus on the answer rather than losing it.
  useEffect(() => {
    if (sentTo) doneRef.current?.focus();
  }, [sentTo]);

  async function subscribe(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    try {
      const address = value.trim();
      await request(api.POST('/api/v1/subscriptions', { body: { email: address, topic } }));
      activity.record({
        type: 'subscribe',
        ...(eventId ? { eventId } : {}),
        metadata: { topic: topic.split(':')[0] ?? topic },
      });
      setSentTo(address);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSubmitting(false);
    }
  }

  const errors = fieldErrors(error, ['email', 'topic']);
  const emailError = errors['email'] ? 'Enter an e-mail address like name@example.com.' : undefined;
  return (
    <div className={`subscribe${className ? ` ${className}` : ''}`}>
      <p className="subscribe-description">{description}</p>
      {!sentTo ? (
        <button
          type="button"
          className="button button-secondary"
          aria-expanded={isOpen}
          aria-controls={isOpen ? formId : undefined}
          onClick={() => setIsOpen((open) => !open)}
        >
          {buttonLabel}
        </button>
      ) : null}
      <div ref={doneRef} tabIndex={-1} className="subscribe-done">
        <LiveMessage tone="success">
          {sentTo ? (
            <>
              <strong>Check your inbox.</strong> If {sentTo} still needs to confirm, we have sent it
              a link; open it to start receiving e-mails. Nothing is sent until you confirm.
              {isDevMailboxAvailable ? (
                <>
                  {' '}
                  Local mode: the e-mail is in the{' '}
                  <Link to={`/dev/mailbox?to=${encodeURIComponent(sentTo)}`}>dev mailbox</Link>.
                </>
              ) : null}
            </>
          ) : null}
        </LiveMessage>
      </div>
      {isOpen && !sentTo ? (
        <form id={formId} className="subscribe-form" onSubmit={(e) => void subscribe(e)} noValidate>
          <LiveMessage tone="error">
            {error && !errors['email'] ? describeSubscribeError(error) : null}
          </LiveMessage>
          <Field
            id={`${id}-email`}
            label="E-mail for updates"
            hint="We send a link to confirm first. Every e-mail has an unsubscribe link."
            error={emailError}
          >
            {(props) => (
              <input
                {...props}
                type="email"
                name="email"
                autoComplete="email"
                required
                maxLength={254}
                value={value}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={isSubmitting || !value.trim()}
            >
              {isSubmitting ? 'Subscribing…' : 'Subscribe'}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

/** The event page's follow options: this event (when published) and its organizer. */
export function EventFollowSection({
  event,
}: {
  event: { id: string; status: string; organizer: { id: string; name: string } };
}) {
  return (
    <section className="event-follow card" aria-labelledby="event-follow-heading">
      <h2 id="event-follow-heading">Stay informed</h2>
      <div className="event-follow-options">
        {event.status === 'published' ? (
          <SubscribeForm
            topic={`event:${event.id}`}
            eventId={event.id}
            buttonLabel="Get updates about this event"
            description="Changes of time or place, reminders and news from the organizer."
          />
        ) : null}
        <SubscribeForm
          topic={`organizer:${event.organizer.id}`}
          eventId={event.id}
          buttonLabel={`Follow ${event.organizer.name}`}
          description={`Hear when ${event.organizer.name} announces something new.`}
        />
      </div>
    </section>
  );
}

/** The newsletter sign-up in the page footer. */
export function NewsletterSignup() {
  return (
    <SubscribeForm
      topic="newsletter"
      className="newsletter-signup"
      buttonLabel="Get the newsletter"
      description="New events on TickItNow, now and then. No spam."
    />
  );
}
