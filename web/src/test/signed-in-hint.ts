/** The browser as the server leaves it after sign-in: the readable hint beside the session cookie. */
export function setSignedInHint() {
  document.cookie = 'tin_signed_in=1; Path=/';
}
