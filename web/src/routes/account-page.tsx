import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, type TUser } from '../api/client';
import { asApiError, fieldErrors, request, type ApiError } from '../api/errors';
import { Field } from '../components/field';
import { LiveMessage } from '../components/live-message';
import { PageHeading, useDocumentTitle } from '../components/page-heading';
import { RequireSignIn } from '../components/require-sign-in';
import { useSession } from '../session/session-context';

export default function AccountPage() {
  useDocumentTitle('Your account');
  return (
    <section className="narrow">
      <PageHeading>Your account</PageHeading>
      <RequireSignIn>{(user) => <AccountForms user={user} />}</RequireSignIn>
    </section>
  );
}

function AccountForms({ user }: { user: TUser }) {
  const { setUser, signOut } = useSession();
  const [name, setName] = useState(user.name);
  const [isSaving, setIsSaving] = useState(false);
  const [isSigningOut, setIsSigningOut] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');

  async function save(event: FormEvent) {
    event.preventDefault();
    setIsSaving(true);
    setError(null);
    setStatus('');
    try {
      const updated = await request(api.PATCH('/api/v1/me', { body: { name: name.trim() } }));
      setUser(updated);
      setStatus('Your name is saved.');
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSaving(false);
    }
  }

  async function handleSignOut() {
    setIsSigningOut(true);
    try {
      // Once signed out, RequireSignIn takes the user home.
      await signOut();
    } catch (e) {
      setError(asApiError(e));
      setIsSigningOut(false);
    }
  }

  const errors = fieldErrors(error, ['name']);
  return (
    <>
      <p>
        Signed in as <strong>{user.email}</strong>.
      </p>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone="error">{error && !errors['name'] ? error.message : null}</LiveMessage>
      <form className="card form" onSubmit={(e) => void save(e)} noValidate>
        <h2>Profile</h2>
        <Field
          id="account-name"
          label="Display name"
          hint="Shown to your team and on your tickets."
          error={errors['name']}
        >
          {(props) => (
            <input
              {...props}
              name="name"
              autoComplete="name"
              maxLength={120}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={isSaving}>
            {isSaving ? 'Saving…' : 'Save name'}
          </button>
        </div>
      </form>
      <div className="card">
        <h2>Session</h2>
        <p>Signing out ends this session on this device.</p>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void handleSignOut()}
          disabled={isSigningOut}
        >
          {isSigningOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </>
  );
}
