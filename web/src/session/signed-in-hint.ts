/**
 * The server sets `tin_signed_in=1` beside the HttpOnly session cookie at sign-in and clears both
 * at sign-out. It holds no secret; it only tells the app whether asking `GET /me` can be worth a
 * request: without it the visitor is signed out, and pages render at once without a 401.
 */
const name = 'tin_signed_in';

export function hasSignedInHint(): boolean {
  return document.cookie.split(';').some((c) => c.trim() === `${name}=1`);
}

/** After a 401: the session behind the hint has expired or was revoked elsewhere. */
export function forgetSignedInHint(): void {
  document.cookie = `${name}=; Max-Age=0; Path=/; SameSite=Lax`;
}
