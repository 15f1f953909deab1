import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import {
  api,
  roles,
  type TEvent,
  type TMember,
  type TOrganizer,
  type TRole,
} from '../../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../../api/errors';
import { Field } from '../../components/field';
import { LiveMessage } from '../../components/live-message';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { StatusBadge } from '../../components/status-badge';
import { formatEventStart, formatTimestamp } from '../../lib/event-time';
import { roleDescriptions, roleLabel } from '../../lib/labels';
import { permissionsFor } from '../../lib/permissions';
import { useApiData } from '../../lib/use-api-data';

export default function OrganizerPage() {
  const { id = '' } = useParams();
  return (
    <RequireSignIn>
      {(user) => (
        <OrganizerView key={`${id}:${user.id}`} organizerId={id} currentUserId={user.id} />
      )}
    </RequireSignIn>
  );
}

function OrganizerView({
  organizerId,
  currentUserId,
}: {
  organizerId: string;
  currentUserId: string;
}) {
  const location = useLocation();
  const isJustCreated = (location.state as { created?: boolean } | null)?.created === true;
  const organizer = useApiData(`organizer:${organizerId}`, (signal) =>
    request(api.GET('/api/v1/organizers/{id}', { params: { path: { id: organizerId } }, signal })),
  );
  const org = organizer.data;
  useDocumentTitle(org?.name ?? 'Organizer');

  if (!org) {
    const isNotFound =
      organizer.error?.status === 404 || organizer.error?.code === 'validation_failed';
    return (
      <section>
        <PageHeading>
          {isNotFound
            ? 'Organizer not found'
            : organizer.error
              ? 'Organizer'
              : 'Loading organizer…'}
        </PageHeading>
        <LiveMessage tone="error">
          {isNotFound
            ? 'This organizer does not exist, or you are not on its team.'
            : organizer.error
              ? `The organizer could not be loaded: ${organizer.error.message}`
              : null}
        </LiveMessage>
        <p>
          <Link to="/dashboard">Back to the dashboard</Link>
        </p>
      </section>
    );
  }

  const can = permissionsFor(org.role);
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link>
      </p>
      <div className="page-title-row">
        <PageHeading>{org.name}</PageHeading>
        {org.role ? (
          <span className="badge badge-role">Your role: {roleLabel(org.role)}</span>
        ) : null}
      </div>
      <LiveMessage tone="success">
        {isJustCreated ? `${org.name} is ready. Create its first event.` : null}
      </LiveMessage>
      {!can.canEditEvents ? (
        <p className="notice notice-info">
          As staff you can view this organizer&apos;s events. Ask an owner if you need to change
          them.
        </p>
      ) : null}
      <EventsSection organizer={org} canEdit={can.canEditEvents} />
      {can.canSeeMembers ? (
        <MembersSection
          organizer={org}
          canManage={can.canManageMembers}
          currentUserId={currentUserId}
          onOwnRoleChanged={organizer.reload}
        />
      ) : null}
      {can.canSeeAuditLog ? <AuditLogSection organizerId={org.id} /> : null}
    </section>
  );
}

type TEventsPage = { items: TEvent[]; nextCursor: string | null };

function EventsSection({ organizer, canEdit }: { organizer: TOrganizer; canEdit: boolean }) {
  const first = useApiData(`organizer-events:${organizer.id}`, (signal) =>
    request(
      api.GET('/api/v1/organizers/{id}/events', {
        params: { path: { id: organizer.id }, query: { limit: 50 } },
        signal,
      }),
    ),
  );
  const [more, setMore] = useState<TEventsPage[]>([]);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const pages = first.data ? [first.data, ...more] : [];
  const events = pages.flatMap((p) => p.items);
  const nextCursor = pages.at(-1)?.nextCursor ?? null;

  async function loadMore() {
    if (!nextCursor) return;
    setIsLoadingMore(true);
    setMoreError(null);
    try {
      const page = await request(
        api.GET('/api/v1/organizers/{id}/events', {
          params: { path: { id: organizer.id }, query: { limit: 50, cursor: nextCursor } },
        }),
      );
      setMore((m) => [...m, page]);
    } catch (e) {
      setMoreError(asApiError(e));
    } finally {
      setIsLoadingMore(false);
    }
  }

  return (
    <section aria-labelledby="events-heading" className="section">
      <div className="section-title-row">
        <h2 id="events-heading">Events</h2>
        {canEdit ? (
          <Link
            to={`/dashboard/organizers/${organizer.id}/events/new`}
            className="button button-primary"
          >
            New event
          </Link>
        ) : null}
      </div>
      <LiveMessage tone={first.error ? 'error' : 'info'}>
        {first.error
          ? `Events could not be loaded: ${first.error.message}`
          : first.isLoading
            ? 'Loading events…'
            : null}
      </LiveMessage>
      {first.data && events.length === 0 ? <p>No events yet.</p> : null}
      {events.length > 0 ? (
        <ul className="list-cards">
          {events.map((event) => (
            <li key={event.id} className="list-card event-row">
              <div className="event-row-main">
                <span className="list-card-title">{event.title}</span>
                <span className="muted">
                  <time dateTime={event.startsAt}>
                    {formatEventStart(event.startsAt, event.timezone)}
                  </time>
                  {' · '}
                  {event.venue ? event.venue.city : 'Online'}
                </span>
              </div>
              <StatusBadge status={event.status} />
              <div className="event-row-actions">
                {canEdit ? (
                  <Link
                    to={`/dashboard/events/${event.id}/edit`}
                    className="button button-small button-secondary"
                  >
                    Edit<span className="visually-hidden"> {event.title}</span>
                  </Link>
                ) : null}
                <Link to={`/events/${event.slug}`} className="button button-small button-link">
                  {event.status === 'draft' ? 'Preview' : 'View'}
                  <span className="visually-hidden"> {event.title}</span>
                </Link>
                {event.status === 'published' ? (
                  <Link
                    to={`/scanner/${event.id}`}
                    className="button button-small button-secondary"
                  >
                    Scan tickets<span className="visually-hidden"> for {event.title}</span>
                  </Link>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {moreError ? <p className="notice notice-error">{moreError.message}</p> : null}
      {nextCursor ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={isLoadingMore}
          onClick={() => void loadMore()}
        >
          {isLoadingMore ? 'Loading…' : 'Load more events'}
        </button>
      ) : null}
    </section>
  );
}

function MembersSection({
  organizer,
  canManage,
  currentUserId,
  onOwnRoleChanged,
}: {
  organizer: TOrganizer;
  canManage: boolean;
  currentUserId: string;
  onOwnRoleChanged: () => void;
}) {
  const members = useApiData(`members:${organizer.id}`, (signal) =>
    request(
      api.GET('/api/v1/organizers/{id}/members', {
        params: { path: { id: organizer.id } },
        signal,
      }),
    ),
  );
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  function report(message: string) {
    setError(null);
    setStatus(message);
    members.reload();
  }
  function fail(e: unknown) {
    setStatus('');
    setError(asApiError(e));
  }

  return (
    <section aria-labelledby="team-heading" className="section">
      <h2 id="team-heading">Team</h2>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">
        {error
          ? error.message
          : members.error
            ? `The team could not be loaded: ${members.error.message}`
            : null}
      </LiveMessage>
      {members.data ? (
        <ul className="list-cards">
          {members.data.items.map((member) => (
            <MemberRow
              key={`${member.userId}:${member.role}`}
              organizerId={organizer.id}
              member={member}
              canManage={canManage}
              isSelf={member.userId === currentUserId}
              onDone={(message, isOwnChange) => {
                report(message);
                if (isOwnChange) onOwnRoleChanged();
              }}
              onError={fail}
            />
          ))}
        </ul>
      ) : null}
      {canManage ? (
        <AddMemberForm
          organizerId={organizer.id}
          onAdded={(email) => report(`${email} was added to the team.`)}
        />
      ) : null}
    </section>
  );
}

function MemberRow({
  organizerId,
  member,
  canManage,
  isSelf,
  onDone,
  onError,
}: {
  organizerId: string;
  member: TMember;
  canManage: boolean;
  isSelf: boolean;
  onDone: (message: string, isOwnChange: boolean) => void;
  onError: (error: unknown) => void;
}) {
  const [role, setRole] = useState<TRole>(member.role);
  const [isBusy, setIsBusy] = useState(false);
  const [isConfirmingRemove, setIsConfirmingRemove] = useState(false);
  const who = member.name || member.email;
  const path = { id: organizerId, userId: member.userId };

  async function changeRole(event: FormEvent) {
    event.preventDefault();
    setIsBusy(true);
    try {
      await request(
        api.PATCH('/api/v1/organizers/{id}/members/{userId}', { params: { path }, body: { role } }),
      );
      onDone(`${who} is now ${roleLabel(role).toLowerCase()}.`, isSelf);
    } catch (e) {
      onError(e);
      setRole(member.role);
      setIsBusy(false);
    }
  }

  async function remove() {
    setIsBusy(true);
    try {
      await request(api.DELETE('/api/v1/organizers/{id}/members/{userId}', { params: { path } }));
      onDone(`${who} was removed from the team.`, isSelf);
    } catch (e) {
      onError(e);
      setIsBusy(false);
      setIsConfirmingRemove(false);
    }
  }

  return (
    <li className="list-card member-row">
      <div className="member-who">
        <span className="list-card-title">
          {member.name || member.email}
          {isSelf ? ' (you)' : ''}
        </span>
        {member.name ? <span className="muted">{member.email}</span> : null}
      </div>
      {canManage ? (
        <div className="member-actions">
          <form className="inline-form" onSubmit={(e) => void changeRole(e)}>
            <label htmlFor={`role-${member.userId}`} className="visually-hidden">
              Role of {who}
            </label>
            <select
              id={`role-${member.userId}`}
              value={role}
              onChange={(e) => setRole(e.target.value as TRole)}
              disabled={isBusy}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
            <button
              type="submit"
              className="button button-small button-secondary"
              disabled={isBusy || role === member.role}
            >
              Change role<span className="visually-hidden"> of {who}</span>
            </button>
          </form>
          {isConfirmingRemove ? (
            <div className="confirm-inline" role="group" aria-label={`Confirm removing ${who}`}>
              <span>Remove {who}?</span>
              <button
                type="button"
                className="button button-small button-danger"
                disabled={isBusy}
                onClick={() => void remove()}
              >
                Yes, remove
              </button>
              <button
                type="button"
                className="button button-small button-link"
                disabled={isBusy}
                onClick={() => setIsConfirmingRemove(false)}
              >
                Keep
              </button>
            </div>
          ) : (
            <button
              type="button"
              className="button button-small button-link"
              disabled={isBusy}
              onClick={() => setIsConfirmingRemove(true)}
            >
              Remove<span className="visually-hidden"> {who}</span>
            </button>
          )}
        </div>
      ) : (
        <span className="badge badge-role">{roleLabel(member.role)}</span>
      )}
    </li>
  );
}

function AddMemberForm({
  organizerId,
  onAdded,
}: {
  organizerId: string;
  onAdded: (email: string) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TRole>('staff');
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    try {
      const member = await request(
        api.POST('/api/v1/organizers/{id}/members', {
          params: { path: { id: organizerId } },
          body: { email: email.trim(), role },
        }),
      );
      setEmail('');
      onAdded(member.email);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSubmitting(false);
    }
  }

  const errors = fieldErrors(error, ['email', 'role']);
  return (
    <form
      className="card form"
      onSubmit={(e) => void add(e)}
      noValidate
      aria-labelledby="add-member-heading"
    >
      <h3 id="add-member-heading">Add a team member</h3>
      <p className="muted">They sign in with this address; no invitation needed.</p>
      <LiveMessage tone="error">
        {error && !errors['email'] && !errors['role'] ? error.message : null}
      </LiveMessage>
      <div className="form-row">
        <Field id="member-email" label="E-mail address" error={errors['email']}>
          {(props) => (
            <input
              {...props}
              type="email"
              name="email"
              autoComplete="off"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field id="member-role" label="Role" error={errors['role']} hint={roleDescriptions[role]}>
          {(props) => (
            <select
              {...props}
              name="role"
              value={role}
              onChange={(e) => setRole(e.target.value as TRole)}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={isSubmitting || !email.trim()}
        >
          {isSubmitting ? 'Adding…' : 'Add member'}
        </button>
      </div>
    </form>
  );
}

const auditActionLabels: Record<string, string> = {
  'organizer.create': 'Created the organizer',
  'event.create': 'Created an event',
  'event.update': 'Edited an event',
  'event.publish': 'Published an event',
  'event.cancel': 'Cancelled an event',
  'event.image': 'Uploaded an event image',
  'event.announce': 'Sent an announcement',
  'member.add': 'Added a team member',
  'member.update': 'Changed a role',
  'member.remove': 'Removed a team member',
  'ticket_type.create': 'Created a ticket type',
  'ticket_type.update': 'Edited a ticket type',
  'ticket_type.delete': 'Deleted a ticket type',
  'order.cancel': 'Cancelled an order',
  'order.mark_paid': 'Marked an order as paid',
};

function AuditLogSection({ organizerId }: { organizerId: string }) {
  const log = useApiData(`audit:${organizerId}`, (signal) =>
    request(
      api.GET('/api/v1/organizers/{id}/audit-log', {
        params: { path: { id: organizerId }, query: { limit: 20 } },
        signal,
      }),
    ),
  );
  return (
    <section aria-labelledby="audit-heading" className="section">
      <div className="section-title-row">
        <h2 id="audit-heading">Audit log</h2>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={log.reload}
          disabled={log.isLoading}
        >
          Refresh<span className="visually-hidden"> audit log</span>
        </button>
      </div>
      <LiveMessage tone="error">
        {log.error ? `The audit log could not be loaded: ${log.error.message}` : null}
      </LiveMessage>
      {log.data && log.data.items.length === 0 ? <p>Nothing recorded yet.</p> : null}
      {log.data && log.data.items.length > 0 ? (
        <ol className="audit-list">
          {log.data.items.map((entry) => (
            <li key={entry.id}>
              <span className="audit-action">
                {auditActionLabels[entry.action] ?? entry.action}
              </span>
              <span className="muted">
                {entry.actor ? entry.actor.email : 'System'} ·{' '}
                <time dateTime={entry.createdAt}>{formatTimestamp(entry.createdAt)}</time>
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
