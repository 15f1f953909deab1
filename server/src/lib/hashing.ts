import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** One-shot `crypto.hash`: ≈ 1 µs cheaper than a Hash object, and every signed-in request hashes its token. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

export function hmacBase64Url(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
