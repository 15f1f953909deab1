import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ageRatings, api, eventCategories, type TEvent, type TOrganizer } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { asApiError, fieldErrors, request } from '../../api/errors';
import { EventAdminNav } from '../../components/event-admin-nav';
import { EventImage } from '../../components/event-image';
import { Field } from '../../components/field';
import { LiveMessage } from '../../components/live-message';
import { MarkdownPreview } from '../../components/markdown-preview';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { StatusBadge } from '../../components/status-badge';
import { ageRatingLabel, categoryLabel } from '../../lib/labels';
import { permissionsFor } from '../../lib/permissions';
import { useApiData } from '../../lib/use-api-data';
import { browserTimeZone, listTimeZones } from '../../lib/zoned-time';
import {
  emptyEventForm,
  eventFieldKeys,
  eventToForm,
  formToEventBody,
  type TEventFormValues,
} from './event-form';

const acceptedImageTypes = 'image/jpeg,image/png,image/gif,image/webp,image/avif';

type TNavState = { notice?: string; error?: string } | null;

/** `/dashboard/organizers/:orgId/events/new` and `/dashboard/events/:id/edit`. */
export default function EventEditorPage() {
  const { id, orgId } = useParams();
  return (
    <RequireSignIn>
      {() =>
        id ? (
          <EditEvent key={id} eventId={id} />
        ) : (
          <NewEvent key={orgId} organizerId={orgId ?? ''} />
        )
      }
    </RequireSignIn>
  );
}

function useOrganizer(organizerId: string | undefined) {
  return useApiData(organizerId ? `organizer:${organizerId}` : null, (signal) =>
    request(
      api.GET('/api/v1/organizers/{id}', { params: { path: { id: organizerId ?? '' } }, signal }),
    ),
  );
}

function NewEvent({ organizerId }: { organizerId: string }) {
  useDocumentTitle('New event');
  const organizer = useOrganizer(organizerId);
  const org = organizer.data;
  if (!org) {
    return (
      <section>
        <PageHeading>New event</PageHeading>
        <LiveMessage tone="error">
          {organizer.error ? `The organizer could not be loaded: ${organizer.error.message}` : null}
        </LiveMessage>
        {organizer.isLoading ? <p className="loading">Loading…</p> : null}
      </section>
    );
  }
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> /{' '}
        <Link to={`/dashboard/organizers/${org.id}`}>{org.name}</Link>
      </p>
      <PageHeading>New event</PageHeading>
      {permissionsFor(org.role).canEditEvents ? (
        <EventForm organizer={org} event={null} />
      ) : (
        <p className="notice notice-info">Your role cannot create events for {org.name}.</p>
      )}
    </section>
  );
}

function EditEvent({ eventId }: { eventId: string }) {
  const location = useLocation();
  const navState = location.state as TNavState;
  const event = useApiData(`event:${eventId}`, (signal) =>
    request(api.GET('/api/v1/events/{id}', { params: { path: { id: eventId } }, signal })),
  );
  const organizer = useOrganizer(event.data?.organizerId);
  useDocumentTitle(event.data ? `Edit: ${event.data.title}` : 'Edit event');
  const org = organizer.data;
  const current = event.data;

  if (!current || !org) {
    const error = event.error ?? organizer.error;
    return (
      <section>
        <PageHeading>{error?.status === 404 ? 'Event not found' : 'Edit event'}</PageHeading>
        <LiveMessage tone="error">
          {error
            ? error.status === 404
              ? 'This event does not exist, or you are not on its team.'
              : error.message
            : null}
        </LiveMessage>
        {!error ? <p className="loading">Loading…</p> : null}
      </section>
    );
  }

  const canEdit = permissionsFor(org.role).canEditEvents;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> /{' '}
        <Link to={`/dashboard/organizers/${org.id}`}>{org.name}</Link>
      </p>
      <div className="page-title-row">
        <PageHeading>Edit event</PageHeading>
        <StatusBadge status={current.status} />
      </div>
      {canEdit ? <EventAdminNav eventId={current.id} /> : null}
      {canEdit ? (
        <>
          <EventStatusPanel
            event={current}
            onChange={event.setData}
            initialNotice={navState?.notice}
            initialError={navState?.error}
          />
          {current.status === 'cancelled' ? (
            <p className="notice notice-info">A cancelled event can no longer be edited.</p>
          ) : (
            <>
              <ImageUploader event={current} onUploaded={event.setData} />
              <EventForm organizer={org} event={current} onSaved={event.setData} />
            </>
          )}
        </>
      ) : (
        <p className="notice notice-info">
          Your role can view this event but not change it.{' '}
          <Link to={`/events/${current.slug}`}>Open the event page</Link>.
        </p>
      )}
    </section>
  );
}

/** Status, publish and cancel (with confirmation), and the link to the public page. */
function EventStatusPanel({
  event,
  onChange,
  initialNotice,
  initialError,
}: {
  event: TEvent;
  onChange: (event: TEvent) => void;
  initialNotice?: string | undefined;
  initialError?: string | undefined;
}) {
  const [isBusy, setIsBusy] = useState(false);
  const [isConfirmingCancel, setIsConfirmingCancel] = useState(false);
  const [status, setStatus] = useState(initialNotice ?? '');
  const [error, setError] = useState(initialError ?? '');
  const keepButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (isConfirmingCancel) keepButton.current?.focus();
  }, [isConfirmingCancel]);

  async function change(action: 'publish' | 'cancel') {
    setIsBusy(true);
    setError('');
    setStatus('');
    try {
      const path =
        action === 'publish' ? '/api/v1/events/{id}/publish' : '/api/v1/events/{id}/cancel';
      const updated = await request(api.POST(path, { params: { path: { id: event.id } } }));
      onChange(updated);
      setStatus(
        action === 'publish'
          ? 'Published. The event is now public and listed on Discover.'
          : 'The event is cancelled.',
      );
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setIsBusy(false);
      setIsConfirmingCancel(false);
    }
  }

  return (
    <section className="card status-panel" aria-labelledby="status-heading">
      <h2 id="status-heading">Status</h2>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">{error || null}</LiveMessage>
      <p>
        {event.status === 'draft'
          ? 'This event is a draft: only your team can see it.'
          : event.status === 'published'
            ? 'This event is public.'
            : 'This event is cancelled.'}
      </p>
      <div className="form-actions">
        {event.status === 'draft' ? (
          <button
            type="button"
            className="button button-primary"
            disabled={isBusy}
            onClick={() => void change('publish')}
          >
            {isBusy ? 'Publishing…' : 'Publish'}
          </button>
        ) : null}
        <Link to={`/events/${event.slug}`} className="button button-secondary">
          {event.status === 'draft' ? 'Preview public page' : 'View public page'}
        </Link>
        {event.status !== 'cancelled' && !isConfirmingCancel ? (
          <button
            type="button"
            className="button button-danger-outline"
            disabled={isBusy}
            onClick={() => setIsConfirmingCancel(true)}
          >
            Cancel event
          </button>
        ) : null}
      </div>
      {isConfirmingCancel ? (
        <div className="confirm-box" role="group" aria-labelledby="confirm-cancel-text">
          <p id="confirm-cancel-text">
            <strong>Cancel “{event.title}”?</strong> Ticket holders and subscribers are told, and a
            cancelled event cannot be published again.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={isBusy}
              onClick={() => void change('cancel')}
            >
              {isBusy ? 'Cancelling…' : 'Yes, cancel the event'}
            </button>
            <button
              ref={keepButton}
              type="button"
              className="button button-secondary"
              disabled={isBusy}
              onClick={() => setIsConfirmingCancel(false)}
            >
              Keep the event
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** Messages for what the image endpoint can refuse. */
export function describeImageError(error: ApiError): string {
  switch (error.status) {
    case 413:
      return 'This image is too large. Choose a smaller file (at most 10 MB).';
    case 415:
      return 'This type of file is not supported. Choose a JPEG, PNG, GIF, WebP or AVIF image.';
    case 422:
      return `${error.message} Choose a JPEG, PNG, GIF, WebP or AVIF image.`;
    default:
      return error.message;
  }
}

/** Sends the file as the raw request body with its own content type. */
async function uploadImage(eventId: string, file: File) {
  return request(
    api.PUT('/api/v1/events/{id}/image', {
      params: { path: { id: eventId } },
      // The OpenAPI document does not describe this body yet, hence the cast.
      body: file as never,
      bodySerializer: (body: unknown) => body as File,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
    }),
  );
}

/** Keeps an object URL for a chosen file, revoking the old one whenever it changes. */
function useFilePreview() {
  const [preview, setPreview] = useState<{ file: File; url: string } | null>(null);
  const latest = useRef<string | null>(null);
  useEffect(() => {
    latest.current = preview?.url ?? null;
  }, [preview]);
  useEffect(
    () => () => {
      if (latest.current) URL.revokeObjectURL(latest.current);
    },
    [],
  );
  function choose(file: File | null) {
    if (preview) URL.revokeObjectURL(preview.url);
    setPreview(file ? { file, url: URL.createObjectURL(file) } : null);
  }
  return { preview, choose };
}

function ImageField({
  id,
  preview,
  onChoose,
  hint,
}: {
  id: string;
  preview: { file: File; url: string } | null;
  onChoose: (file: File | null) => void;
  hint: string;
}) {
  return (
    <>
      <Field id={id} label="Event image" hint={hint}>
        {(props) => (
          <input
            {...props}
            type="file"
            accept={acceptedImageTypes}
            onChange={(e: ChangeEvent<HTMLInputElement>) => onChoose(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      {preview ? (
        <figure className="image-preview">
          <img src={preview.url} alt={`Preview of ${preview.file.name}`} width={400} height={225} />
          <figcaption>
            {preview.file.name} · {Math.ceil(preview.file.size / 1024)} KB
          </figcaption>
        </figure>
      ) : null}
    </>
  );
}

function ImageUploader({
  event,
  onUploaded,
}: {
  event: TEvent;
  onUploaded: (event: TEvent) => void;
}) {
  const { preview, choose } = useFilePreview();
  const [isUploading, setIsUploading] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [inputKey, setInputKey] = useState(0);

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!preview) return;
    setIsUploading(true);
    setError('');
    setStatus('');
    try {
      const image = await uploadImage(event.id, preview.file);
      onUploaded({ ...event, imageUrl: image.imageUrl, imageVariants: image.variants });
      choose(null);
      setInputKey((k) => k + 1);
      setStatus('Image uploaded.');
    } catch (err) {
      setError(describeImageError(asApiError(err)));
    } finally {
      setIsUploading(false);
    }
  }

  return (
    <form className="card form" onSubmit={(e) => void upload(e)} aria-labelledby="image-heading">
      <h2 id="image-heading">Image</h2>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">{error || null}</LiveMessage>
      {event.imageVariants ? (
        <figure className="image-current">
          <EventImage event={event} sizes="400px" />
          <figcaption>Current image</figcaption>
        </figure>
      ) : (
        <p className="muted">No image yet.</p>
      )}
      <ImageField
        key={inputKey}
        id="event-image"
        preview={preview}
        onChoose={(file) => {
          setError('');
          choose(file);
        }}
        hint="JPEG, PNG, GIF, WebP or AVIF, up to 10 MB. It is cropped to 16:9."
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={!preview || isUploading}>
          {isUploading ? 'Uploading…' : 'Upload image'}
        </button>
      </div>
    </form>
  );
}

const fieldIds: Record<string, string> = {
  title: 'event-title',
  description: 'event-description',
  category: 'event-category',
  tags: 'event-tags',
  language: 'event-language',
  ageRating: 'event-age',
  startsAt: 'event-starts',
  endsAt: 'event-ends',
  timezone: 'event-timezone',
  venue: 'event-venue-name',
  'venue.name': 'event-venue-name',
  'venue.address': 'event-venue-address',
  'venue.city': 'event-venue-city',
  'venue.country': 'event-venue-country',
  onlineUrl: 'event-online-url',
};

function EventForm({
  organizer,
  event,
  onSaved,
}: {
  organizer: TOrganizer;
  event: TEvent | null;
  onSaved?: (event: TEvent) => void;
}) {
  const navigate = useNavigate();
  const [values, setValues] = useState<TEventFormValues>(() =>
    event ? eventToForm(event) : emptyEventForm(browserTimeZone()),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [status, setStatus] = useState('');
  const [timeZones] = useState(() => listTimeZones(values.timezone));
  const { preview, choose } = useFilePreview();

  const set =
    <K extends keyof TEventFormValues>(key: K) =>
    (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      setValues((v) => ({ ...v, [key]: e.target.value }));

  function showErrors(next: Record<string, string>) {
    setErrors(next);
    setStatus('');
    // Take the user to the first field that needs attention.
    const first = eventFieldKeys.find((k) => next[k]);
    const id = first ? fieldIds[first] : undefined;
    if (id) window.requestAnimationFrame(() => document.getElementById(id)?.focus());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = formToEventBody(values);
    if (!result.ok) {
      showErrors(result.errors);
      return;
    }
    setIsSubmitting(true);
    setErrors({});
    setStatus('');
    try {
      if (event) {
        const updated = await request(
          api.PATCH('/api/v1/events/{id}', {
            params: { path: { id: event.id } },
            body: result.body,
          }),
        );
        onSaved?.(updated);
        setStatus('Changes saved.');
        setIsSubmitting(false);
        return;
      }
      const created = await request(
        api.POST('/api/v1/organizers/{id}/events', {
          params: { path: { id: organizer.id } },
          body: result.body,
        }),
      );
      let navState: TNavState = { notice: 'Draft created. Publish it when it is ready.' };
      if (preview) {
        try {
          await uploadImage(created.id, preview.file);
          navState = { notice: 'Draft created with its image. Publish it when it is ready.' };
        } catch (err) {
          navState = {
            notice: 'Draft created.',
            error: `The image was not uploaded: ${describeImageError(asApiError(err))}`,
          };
        }
      }
      void navigate(`/dashboard/events/${created.id}/edit`, { replace: true, state: navState });
    } catch (err) {
      const apiError = asApiError(err);
      const next = fieldErrors(apiError, eventFieldKeys);
      if (Object.keys(next).length === 0) next[''] = apiError.message;
      else if (next[''] === undefined && apiError.issues.length === 0) next[''] = apiError.message;
      showErrors(next);
      setIsSubmitting(false);
    }
  }

  const venueError = errors['venue'];
  const formError = errors[''];
  const errorCount = Object.keys(errors).length;

  return (
    <form
      className="card form event-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="details-heading"
    >
      <h2 id="details-heading">Details</h2>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">
        {errorCount > 0
          ? (formError ??
            `Please fix ${errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below.`)
          : null}
      </LiveMessage>

      <fieldset>
        <legend>About</legend>
        <Field id="event-title" label="Title" error={errors['title']}>
          {(props) => (
            <input
              {...props}
              name="title"
              required
              maxLength={200}
              value={values.title}
              onChange={set('title')}
            />
          )}
        </Field>
        <Field id="event-category" label="Category" error={errors['category']}>
          {(props) => (
            <select
              {...props}
              name="category"
              required
              value={values.category}
              onChange={set('category')}
            >
              <option value="">Choose a category</option>
              {eventCategories.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="markdown-editor">
          <Field
            id="event-description"
            label="Description"
            hint="Markdown: **bold**, *italic*, - lists, [links](https://…), # headings."
            error={errors['description']}
          >
            {(props) => (
              <textarea
                {...props}
                name="description"
                rows={10}
                maxLength={20000}
                value={values.description}
                onChange={set('description')}
              />
            )}
          </Field>
          <section className="markdown-preview" aria-labelledby="preview-heading">
            <h3 id="preview-heading" className="preview-label">
              Preview
            </h3>
            <div className="prose">
              <MarkdownPreview source={values.description} />
            </div>
          </section>
        </div>
      </fieldset>

      <fieldset>
        <legend>When</legend>
        <Field
          id="event-timezone"
          label="Time zone"
          hint="The start and end below are times in this zone."
          error={errors['timezone']}
        >
          {(props) => (
            <select {...props} name="timezone" value={values.timezone} onChange={set('timezone')}>
              {timeZones.map((tz) => (
                <option key={tz} value={tz}>
                  {tz.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-row">
          <Field id="event-starts" label="Starts" error={errors['startsAt']}>
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                name="startsAt"
                required
                value={values.startsLocal}
                onChange={set('startsLocal')}
              />
            )}
          </Field>
          <Field id="event-ends" label="Ends" error={errors['endsAt']}>
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                name="endsAt"
                required
                value={values.endsLocal}
                onChange={set('endsLocal')}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Where</legend>
        <div className="radio-group" role="radiogroup" aria-label="Location type">
          <label className="radio">
            <input
              type="radio"
              name="locationMode"
              value="venue"
              checked={values.locationMode === 'venue'}
              onChange={() => setValues((v) => ({ ...v, locationMode: 'venue' }))}
            />
            At a venue
          </label>
          <label className="radio">
            <input
              type="radio"
              name="locationMode"
              value="online"
              checked={values.locationMode === 'online'}
              onChange={() => setValues((v) => ({ ...v, locationMode: 'online' }))}
            />
            Online
          </label>
        </div>
        {values.locationMode === 'venue' ? (
          <>
            <Field
              id="event-venue-name"
              label="Venue name"
              error={errors['venue.name'] ?? venueError}
            >
              {(props) => (
                <input
                  {...props}
                  name="venueName"
                  required
                  maxLength={200}
                  value={values.venueName}
                  onChange={set('venueName')}
                />
              )}
            </Field>
            <Field
              id="event-venue-address"
              label="Address (optional)"
              error={errors['venue.address']}
            >
              {(props) => (
                <input
                  {...props}
                  name="venueAddress"
                  autoComplete="street-address"
                  maxLength={300}
                  value={values.venueAddress}
                  onChange={set('venueAddress')}
                />
              )}
            </Field>
            <div className="form-row">
              <Field id="event-venue-city" label="City" error={errors['venue.city']}>
                {(props) => (
                  <input
                    {...props}
                    name="venueCity"
                    required
                    maxLength={100}
                    value={values.venueCity}
                    onChange={set('venueCity')}
                  />
                )}
              </Field>
              <Field
                id="event-venue-country"
                label="Country code"
                hint="Two letters, e.g. DE, PT, US."
                error={errors['venue.country']}
              >
                {(props) => (
                  <input
                    {...props}
                    name="venueCountry"
                    required
                    maxLength={2}
                    autoCapitalize="characters"
                    className="input-short"
                    value={values.venueCountry}
                    onChange={set('venueCountry')}
                  />
                )}
              </Field>
            </div>
          </>
        ) : (
          <Field
            id="event-online-url"
            label="Online event link"
            hint="Where attendees join, e.g. a video call or stream."
            error={errors['onlineUrl'] ?? venueError}
          >
            {(props) => (
              <input
                {...props}
                type="url"
                name="onlineUrl"
                required
                inputMode="url"
                value={values.onlineUrl}
                onChange={set('onlineUrl')}
              />
            )}
          </Field>
        )}
      </fieldset>

      <fieldset>
        <legend>More</legend>
        <Field
          id="event-tags"
          label="Tags (optional)"
          hint="Separate with commas, up to 10."
          error={errors['tags']}
        >
          {(props) => <input {...props} name="tags" value={values.tags} onChange={set('tags')} />}
        </Field>
        <div className="form-row">
          <Field
            id="event-language"
            label="Language"
            hint="A language tag such as en or pt-BR."
            error={errors['language']}
          >
            {(props) => (
              <input
                {...props}
                name="language"
                className="input-short"
                maxLength={6}
                value={values.language}
                onChange={set('language')}
              />
            )}
          </Field>
          <Field id="event-age" label="Age rating" error={errors['ageRating']}>
            {(props) => (
              <select
                {...props}
                name="ageRating"
                value={values.ageRating}
                onChange={set('ageRating')}
              >
                {ageRatings.map((r) => (
                  <option key={r} value={r}>
                    {ageRatingLabel(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>

      {!event ? (
        <fieldset>
          <legend>Image</legend>
          <ImageField
            id="event-image"
            preview={preview}
            onChoose={choose}
            hint="Optional. JPEG, PNG, GIF, WebP or AVIF, up to 10 MB; uploaded when you create the draft."
          />
        </fieldset>
      ) : null}

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>
          {isSubmitting ? 'Saving…' : event ? 'Save changes' : 'Create draft'}
        </button>
        <Link to={`/dashboard/organizers/${organizer.id}`} className="button button-link">
          Back to {organizer.name}
        </Link>
      </div>
    </form>
  );
}
