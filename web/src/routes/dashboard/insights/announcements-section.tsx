import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../../../api/errors';
import { Field } from '../../../components/field';
import { LiveMessage } from '../../../components/live-message';
import { formatTimestamp } from '../../../lib/event-time';
import { useApiData } from '../../../lib/use-api-data';
import { formatCount, type TBroadcast } from './insights-data';

/** While mails are still going out, the counts are refreshed this often. */
const POLL_MS = 2_000;

const kindLabels: Record<TBroadcast['kind'], string> = {
  announcement: 'Announcement',
  reminder: 'Reminder',
  event_changed: 'Change notice',
  event_cancelled: 'Cancellation notice',
};

/** True while a broadcast still has mails to send (or has not been fanned out yet). */
export function isSending(broadcast: TBroadcast): boolean {
  return !broadcast.isFannedOut || broadcast.deliveries.pending > 0;
}

type TDraft = { subject: string; body: string };

/** Checks the draft before the confirmation step; the server checks again. */
export function validateAnnouncement(draft: TDraft): Partial<Record<keyof TDraft, string>> {
  const errors: Partial<Record<keyof TDraft, string>> = {};
  if (!draft.subject.trim()) errors.subject = 'Write a subject.';
  else if (draft.subject.trim().length > 150) errors.subject = 'Use at most 150 characters.';
  if (!draft.body.trim()) errors.body = 'Write the message.';
  else if (draft.body.trim().length > 10_000) errors.body = 'Use at most 10,000 characters.';
  return errors;
}

/**
 * Announcements to ticket holders and subscribers: write, confirm, send; then the history of
 * everything sent about the event (reminders and notices too) with live delivery counts.
 */
export function AnnouncementsSection({ eventId }: { eventId: string }) {
  const list = useApiData(`announcements:${eventId}`, (signal) =>
    request(
      api.GET('/api/v1/events/{id}/announcements', { params: { path: { id: eventId } }, signal }),
    ),
  );
  const items = list.data?.items;
  const isAnySending = items?.some(isSending) ?? false;
  const { reload } = list;

  // Mails go out in the background: follow the counts until every one is sent or failed.
  useEffect(() => {
    if (!isAnySending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [isAnySending, items, reload]);

  return (
    <section className="section" aria-labelledby="announcements-heading">
      <h2 id="announcements-heading">Announcements</h2>
      <AnnouncementForm eventId={eventId} onSent={reload} />
      <h3>Sent about this event</h3>
      <LiveMessage tone="error">
        {list.error ? `Announcements could not be loaded: ${list.error.message}` : null}
      </LiveMessage>
      {items && items.length === 0 ? <p>Nothing sent yet.</p> : null}
      {items && items.length > 0 ? (
        <ol className="broadcast-list">
          {items.map((b) => (
            <BroadcastItem key={b.id} broadcast={b} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function BroadcastItem({ broadcast }: { broadcast: TBroadcast }) {
  const { recipients, sent, pending, failed, unconfirmed } = broadcast.deliveries;
  return (
    <li className="list-card broadcast-item">
      <div className="broadcast-head">
        <span className="list-card-title">{broadcast.subject}</span>
        <span className="badge">{kindLabels[broadcast.kind]}</span>
      </div>
      <span className="muted">
        <time dateTime={broadcast.createdAt}>{formatTimestamp(broadcast.createdAt)}</time>
        {isSending(broadcast) ? ' · sending…' : ''}
      </span>
      <dl className="delivery-counts" aria-label={`Deliveries of ${broadcast.subject}`}>
        <div>
          <dt>Recipients</dt>
          <dd>{formatCount(recipients)}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{formatCount(sent)}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>{formatCount(pending)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{formatCount(failed)}</dd>
        </div>
        {unconfirmed > 0 ? (
          <div>
            <dt>Unconfirmed</dt>
            <dd>{formatCount(unconfirmed)}</dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

function AnnouncementForm({ eventId, onSent }: { eventId: string; onSent: () => void }) {
  const [draft, setDraft] = useState<TDraft>({ subject: '', body: '' });
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof TDraft, string>>>({});
  const [isConfirming, setIsConfirming] = useState(false);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);

  // The confirmation replaces the submit button: take keyboard focus to it.
  useEffect(() => {
    if (isConfirming) confirmRef.current?.focus();
  }, [isConfirming]);

  function review(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    setError(null);
    const errors = validateAnnouncement(draft);
    setLocalErrors(errors);
    setIsConfirming(Object.keys(errors).length === 0);
  }

  async function send() {
    setIsSending(true);
    setError(null);
    try {
      const sent = await request(
        api.POST('/api/v1/events/{id}/announcements', {
          params: { path: { id: eventId } },
          body: { subject: draft.subject.trim(), body: draft.body.trim() },
        }),
      );
      setDraft({ subject: '', body: '' });
      setStatus(
        sent.isFannedOut
          ? `“${sent.subject}” is on its way to ${formatCount(sent.deliveries.recipients)} ${
              sent.deliveries.recipients === 1 ? 'recipient' : 'recipients'
            }.`
          : `“${sent.subject}” is being sent.`,
      );
      onSent();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSending(false);
      setIsConfirming(false);
    }
  }

  const serverErrors = fieldErrors(error, ['subject', 'body']);
  const errors = { ...serverErrors, ...localErrors };
  return (
    <form className="card form" onSubmit={review} noValidate aria-labelledby="announce-heading">
      <h3 id="announce-heading">Write an announcement</h3>
      <p className="muted">
        Goes by e-mail to everyone holding a ticket, the event’s subscribers and the organizer’s
        followers, each once. Every copy has an unsubscribe link.
      </p>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">
        {error && !serverErrors['subject'] && !serverErrors['body'] ? error.message : null}
      </LiveMessage>
      <Field id="announcement-subject" label="Subject" error={errors['subject']}>
        {(props) => (
          <input
            {...props}
            name="subject"
            maxLength={150}
            required
            value={draft.subject}
            disabled={isConfirming || isSending}
            onChange={(e) => setDraft((d) => ({ ...d, subject: e.target.value }))}
          />
        )}
      </Field>
      <Field
        id="announcement-body"
        label="Message"
        hint="Plain text; leave a blank line between paragraphs."
        error={errors['body']}
      >
        {(props) => (
          <textarea
            {...props}
            name="body"
            rows={6}
            maxLength={10_000}
            required
            value={draft.body}
            disabled={isConfirming || isSending}
            onChange={(e) => setDraft((d) => ({ ...d, body: e.target.value }))}
          />
        )}
      </Field>
      {isConfirming ? (
        <div className="confirm-inline" role="group" aria-label="Confirm sending">
          <span>Send to all ticket holders and subscribers?</span>
          <button
            ref={confirmRef}
            type="button"
            className="button button-primary"
            disabled={isSending}
            onClick={() => void send()}
          >
            {isSending ? 'Sending…' : 'Yes, send it'}
          </button>
          <button
            type="button"
            className="button button-link"
            disabled={isSending}
            onClick={() => setIsConfirming(false)}
          >
            Keep editing
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Send announcement…
          </button>
        </div>
      )}
    </form>
  );
}
