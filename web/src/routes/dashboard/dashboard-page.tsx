import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../../api/errors';
import { Field } from '../../components/field';
import { LiveMessage } from '../../components/live-message';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { RequireSignIn } from '../../components/require-sign-in';
import { roleLabel } from '../../lib/labels';
import { useApiData } from '../../lib/use-api-data';

export default function DashboardPage() {
  useDocumentTitle('Dashboard');
  return (
    <section>
      <PageHeading>Dashboard</PageHeading>
      <RequireSignIn>{(user) => <Organizers key={user.id} />}</RequireSignIn>
    </section>
  );
}

function Organizers() {
  const organizers = useApiData('my-organizers', (signal) =>
    request(api.GET('/api/v1/me/organizers', { signal })),
  );
  const items = organizers.data?.items ?? [];

  return (
    <div className="dashboard-grid">
      <section aria-labelledby="organizers-heading">
        <h2 id="organizers-heading">Your organizers</h2>
        <LiveMessage tone={organizers.error ? 'error' : 'info'}>
          {organizers.error
            ? `Your organizers could not be loaded: ${organizers.error.message}`
            : organizers.isLoading && !organizers.data
              ? 'Loading…'
              : null}
        </LiveMessage>
        {organizers.data && items.length === 0 ? (
          <p>
            You are not part of an organizer yet. Create one to publish events, or ask an owner to
            add you to their team.
          </p>
        ) : null}
        {items.length > 0 ? (
          <ul className="list-cards">
            {items.map((organizer) => (
              <li key={organizer.id} className="list-card">
                <Link to={`/dashboard/organizers/${organizer.id}`} className="list-card-title">
                  {organizer.name}
                </Link>
                {organizer.role ? (
                  <span className="badge badge-role">{roleLabel(organizer.role)}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <CreateOrganizerForm />
    </div>
  );
}

function CreateOrganizerForm() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    try {
      const organizer = await request(
        api.POST('/api/v1/organizers', { body: { name: name.trim() } }),
      );
      void navigate(`/dashboard/organizers/${organizer.id}`, { state: { created: true } });
    } catch (e) {
      setError(asApiError(e));
      setIsSubmitting(false);
    }
  }

  const errors = fieldErrors(error, ['name']);
  return (
    <section aria-labelledby="create-organizer-heading" className="card">
      <h2 id="create-organizer-heading">Create an organizer</h2>
      <p className="muted">A company, club or venue that runs events. You become its owner.</p>
      <LiveMessage tone="error">{error && !errors['name'] ? error.message : null}</LiveMessage>
      <form className="form" onSubmit={(e) => void create(e)} noValidate>
        <Field id="organizer-name" label="Organizer name" error={errors['name']}>
          {(props) => (
            <input
              {...props}
              name="name"
              autoComplete="organization"
              maxLength={120}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={isSubmitting || !name.trim()}
          >
            {isSubmitting ? 'Creating…' : 'Create organizer'}
          </button>
        </div>
      </form>
    </section>
  );
}
