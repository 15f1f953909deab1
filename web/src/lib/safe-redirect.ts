/**
 * Where to go after signing in: only paths inside this app, so a crafted `?next=` link cannot
 * send someone to another site.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return fallback;
  if (next.startsWith('/sign-in')) return fallback;
  return next;
}

/** The sign-in page's address that brings the user back to `path` afterwards. */
export function signInPath(path: string): string {
  return path === '/' || path === '' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(path)}`;
}
