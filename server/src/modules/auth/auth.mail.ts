import { escapeHtml, renderMailLayout } from '../../lib/mail-layout.js';

/** The sign-in code e-mail. The code is in the body only: subjects end up in logs and previews. */
export function renderSignInCodeMail(input: { code: string; minutes: number; publicUrl: string }) {
  const text = [
    `Your TickItNow sign-in code is ${input.code}`,
    '',
    `It works once and expires in ${input.minutes} minutes.`,
    'If you did not ask for it, you can ignore this e-mail.',
  ].join('\n');
  const html = renderMailLayout({
    title: 'Your sign-in code',
    publicUrl: input.publicUrl,
    body: `<p>Your TickItNow sign-in code is</p>
<p style="font-size:32px;font-weight:700;letter-spacing:6px;margin:16px 0">${escapeHtml(input.code)}</p>
<p>It works once and expires in ${input.minutes} minutes. If you did not ask for it, you can ignore this e-mail.</p>`,
  });
  return { subject: 'Your TickItNow sign-in code', text, html };
}
