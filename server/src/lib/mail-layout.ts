/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The shared frame of every HTML e-mail: inline styles only, as mail clients require. */
export function renderMailLayout(input: {
  title: string;
  body: string;
  publicUrl: string;
  footer?: string;
}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title></head>
<body style="margin:0;background:#f4f4f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a2e">
<div style="max-width:560px;margin:0 auto;padding:24px">
<p style="font-weight:700;font-size:18px;color:#3b2db3">TickItNow</p>
<div style="background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin-top:0">${escapeHtml(input.title)}</h1>
${input.body}
</div>
<p style="font-size:12px;color:#555">${input.footer ?? `Sent by <a href="${escapeHtml(input.publicUrl)}">TickItNow</a>.`}</p>
</div></body></html>`;
}
