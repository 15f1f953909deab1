import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type TDevMail } from '../api/client';
import { request } from '../api/errors';
import { LiveMessage } from '../components/live-message';
import { PageHeading, useDocumentTitle } from '../components/page-heading';
import { formatTimestamp } from '../lib/event-time';
import { formText } from '../lib/form-data';
import { extractSignInCode } from '../lib/sign-in-code';
import { useApiData } from '../lib/use-api-data';

/**
 * The dev mailbox (local mode only): every e-mail the app "sent", newest first. Sign-in codes are
 * pulled out so they can be copied with one click.
 */
export default function DevMailboxPage() {
  useDocumentTitle('Dev mailbox');
  const [searchParams, setSearchParams] = useSearchParams();
  const to = searchParams.get('to')?.trim().toLowerCase() ?? '';
  const openId = Number(searchParams.get('open') ?? NaN);
  const [status, setStatus] = useState('');

  const mailbox = useApiData(`mailbox:${to}`, (signal) =>
    request(
      api.GET('/api/v1/dev/mailbox', {
        params: { query: { limit: 200, ...(to ? { to } : {}) } },
        signal,
      }),
    ),
  );
  const mails = mailbox.data ?? [];
  const openMail = mails.find((m) => m.id === openId);

  function filter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = formText(new FormData(event.currentTarget), 'to');
    setSearchParams(value ? { to: value } : {});
  }

  function open(mail: TDevMail) {
    const next = new URLSearchParams(searchParams);
    next.set('open', String(mail.id));
    setSearchParams(next);
  }

  async function copy(code: string) {
    try {
      await navigator.clipboard.writeText(code);
      setStatus(`Code ${code} copied to the clipboard.`);
    } catch {
      setStatus(`Copying is not allowed here; select the code ${code} and copy it.`);
    }
  }

  if (mailbox.error?.status === 404) {
    return (
      <section className="narrow">
        <PageHeading>Dev mailbox</PageHeading>
        <p>The dev mailbox is off: this server sends real e-mail.</p>
      </section>
    );
  }

  return (
    <section>
      <PageHeading>Dev mailbox</PageHeading>
      <p className="lead">
        Mail the app sent while running locally. Nothing here leaves this machine.
      </p>
      <form key={to} className="filter-bar" role="search" aria-label="Mailbox" onSubmit={filter}>
        <div className="field">
          <label htmlFor="mailbox-to">Recipient</label>
          <input
            id="mailbox-to"
            name="to"
            type="email"
            defaultValue={to}
            placeholder="someone@example.com"
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Filter
          </button>
          {to ? (
            <Link to="/dev/mailbox" className="button button-secondary">
              Show all
            </Link>
          ) : null}
          <button
            type="button"
            className="button button-secondary"
            onClick={mailbox.reload}
            disabled={mailbox.isLoading}
          >
            Refresh
          </button>
        </div>
      </form>
      <LiveMessage tone="success">{status || null}</LiveMessage>
      <LiveMessage tone={mailbox.error ? 'error' : 'info'}>
        {mailbox.error
          ? `The mailbox could not be loaded: ${mailbox.error.message}`
          : mailbox.isLoading
            ? 'Loading mail…'
            : `${mails.length} ${mails.length === 1 ? 'message' : 'messages'}${to ? ` to ${to}` : ''}.`}
      </LiveMessage>

      <div className="mailbox">
        <ul className="mail-list" aria-label="Messages">
          {mails.map((mail) => {
            const code = extractSignInCode(mail);
            return (
              <li
                key={mail.id}
                className={`mail-item${mail.id === openId ? ' mail-item-open' : ''}`}
              >
                <button
                  type="button"
                  className="mail-open"
                  aria-current={mail.id === openId ? 'true' : undefined}
                  onClick={() => open(mail)}
                >
                  <span className="mail-subject">{mail.subject}</span>
                  <span className="mail-meta">
                    To {mail.to} ·{' '}
                    <time dateTime={mail.createdAt}>{formatTimestamp(mail.createdAt)}</time>
                  </span>
                </button>
                {code ? (
                  <div className="mail-code">
                    <span>
                      Code: <code data-testid="sign-in-code">{code}</code>
                    </span>
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      onClick={() => void copy(code)}
                    >
                      Copy code<span className="visually-hidden"> {code}</span>
                    </button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>

        {openMail ? (
          <article className="mail-detail card" aria-labelledby="mail-detail-subject">
            <h2 id="mail-detail-subject">{openMail.subject}</h2>
            <p className="muted">
              To {openMail.to} · {formatTimestamp(openMail.createdAt)}
            </p>
            {openMail.attachments.length > 0 ? (
              <>
                <h3>Attachments</h3>
                <ul className="attachment-list">
                  {openMail.attachments.map((file) => (
                    <li key={file.filename}>
                      {file.url ? (
                        <a href={file.url} download={file.filename}>
                          {file.filename}
                        </a>
                      ) : (
                        file.filename
                      )}{' '}
                      <span className="muted">
                        ({file.contentType}, {Math.ceil(file.size / 1024)} KB)
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>Text</h3>
            <pre className="mail-text">{openMail.text}</pre>
            {openMail.html ? (
              <>
                <h3>HTML</h3>
                {/* An empty sandbox: the mail's HTML cannot run scripts or reach this app. */}
                <iframe
                  className="mail-html"
                  title={`HTML version of “${openMail.subject}”`}
                  sandbox=""
                  srcDoc={openMail.html}
                />
              </>
            ) : null}
          </article>
        ) : null}
      </div>
    </section>
  );
}
