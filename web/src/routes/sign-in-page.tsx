import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/client';
import type { ApiError } from '../api/errors';
import { asApiError, fieldErrors, request } from '../api/errors';
import { Field } from '../components/field';
import { LiveMessage } from '../components/live-message';
import { PageHeading, useDocumentTitle } from '../components/page-heading';
import { useIsDevMailboxAvailable } from '../lib/dev-mailbox-context';
import { safeRedirectPath } from '../lib/safe-redirect';
import { useSession } from '../session/session-context';

type TStep = 'email' | 'code';

function formatWait(seconds: number | undefined): string {
  if (!seconds) return 'a little while';
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** What to tell the person for each sign-in error the API can give. */
export function describeSignInError(error: ApiError): string {
  switch (error.code) {
    case 'code_invalid': {
      const left = error.detailNumber('attemptsLeft');
      if (left === undefined)
        return 'That code is not right. Check the latest e-mail, or send a new code.';
      return `That code is not right. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`;
    }
    case 'code_expired':
      return 'This code has expired. Send a new code to continue.';
    case 'code_locked':
      return 'Too many wrong attempts: this code no longer works. Send a new code.';
    case 'code_used':
      return 'This code has already been used. Send a new code.';
    case 'rate_limited':
      return `Too many attempts. Try again in ${formatWait(error.detailNumber('retryAfterSeconds'))}.`;
    case 'network_error':
      return error.message;
    default:
      return error.message;
  }
}

export function SignInPage() {
  useDocumentTitle('Sign in');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { user, setUser } = useSession();
  const isDevMailboxAvailable = useIsDevMailboxAvailable();
  const next = safeRedirectPath(searchParams.get('next'));

  const [step, setStep] = useState<TStep>('email');
  const [email, setEmail] = useState(searchParams.get('email') ?? '');
  const [code, setCode] = useState('');
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const hasStepChanged = useRef(false);

  useEffect(() => {
    // Move focus to the field of the new step (not on first render: the heading comes first).
    if (!hasStepChanged.current) {
      hasStepChanged.current = true;
      return;
    }
    (step === 'code' ? codeInput : emailInput).current?.focus();
  }, [step]);

  async function requestCode(event?: FormEvent) {
    event?.preventDefault();
    setIsSubmitting(true);
    setError(null);
    setStatus('');
    try {
      await request(api.POST('/api/v1/auth/otp', { body: { email: email.trim() } }));
      setCode('');
      setStep('code');
      setStatus(`We sent a 6-digit code to ${email.trim()}. It is valid for 10 minutes.`);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setIsSubmitting(false);
    }
  }

  async function verifyCode(event: FormEvent) {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    try {
      const session = await request(
        api.POST('/api/v1/auth/session', { body: { email: email.trim(), code: code.trim() } }),
      );
      setUser(session.user);
      void navigate(next, { replace: true });
    } catch (e) {
      setError(asApiError(e));
      setIsSubmitting(false);
    }
  }

  const errors = fieldErrors(error, ['email', 'code']);
  const generalError =
    error && !errors['email'] && !errors['code'] ? describeSignInError(error) : null;
  const needsNewCode =
    error?.code === 'code_expired' || error?.code === 'code_locked' || error?.code === 'code_used';

  if (user && !isSubmitting) {
    return (
      <section className="narrow">
        <PageHeading>Sign in</PageHeading>
        <p>
          You are signed in as <strong>{user.email}</strong>.
        </p>
        <p>
          <Link to={next}>Continue</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="narrow">
      <PageHeading>Sign in</PageHeading>
      <p className="lead">
        No password needed: we e-mail you a 6-digit code. New here? The same steps create your
        account.
      </p>
      <LiveMessage tone="success">{step === 'code' ? status : null}</LiveMessage>
      <LiveMessage tone="error">{generalError}</LiveMessage>

      {step === 'email' ? (
        <form className="card form" onSubmit={(e) => void requestCode(e)} noValidate>
          <Field id="sign-in-email" label="E-mail address" error={errors['email']}>
            {(props) => (
              <input
                {...props}
                ref={emailInput}
                type="email"
                name="email"
                autoComplete="email"
                inputMode="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={isSubmitting || !email.trim()}
            >
              {isSubmitting ? 'Sending…' : 'Send me a code'}
            </button>
          </div>
        </form>
      ) : (
        <form className="card form" onSubmit={(e) => void verifyCode(e)} noValidate>
          <Field
            id="sign-in-code"
            label="6-digit code"
            hint={`Sent to ${email.trim()}.`}
            error={errors['code']}
          >
            {(props) => (
              <input
                {...props}
                ref={codeInput}
                className="code-input"
                name="code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={isSubmitting || code.length !== 6}
            >
              {isSubmitting ? 'Signing in…' : 'Sign in'}
            </button>
            <button
              type="button"
              className={`button ${needsNewCode ? 'button-primary' : 'button-secondary'}`}
              disabled={isSubmitting}
              onClick={() => void requestCode()}
            >
              Send a new code
            </button>
            <button
              type="button"
              className="button button-link"
              disabled={isSubmitting}
              onClick={() => {
                setStep('email');
                setError(null);
                setStatus('');
              }}
            >
              Use a different e-mail
            </button>
          </div>
          {isDevMailboxAvailable ? (
            <p className="muted">
              Running locally? The code is in the{' '}
              <a
                href={`/dev/mailbox?to=${encodeURIComponent(email.trim().toLowerCase())}`}
                target="_blank"
                rel="noopener"
              >
                dev mailbox<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
              .
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}
