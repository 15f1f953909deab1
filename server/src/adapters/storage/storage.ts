/**
 * The object storage port (event images, QR PNGs, PDFs). Local folder + HMAC-signed URLs by
 * default; S3 presigned URLs in production. Keys are our own, never user-supplied paths.
 */
export type TStorage = {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<{ body: Buffer; contentType: string } | null>;
  delete(key: string): Promise<void>;
  /** A URL anyone can GET until `expiresAt`, and no longer. */
  signedUrl(key: string, expiresAt: Date): Promise<{ url: string; expiresAt: Date }>;
  /** Throws when the store cannot be reached or written. */
  ping(): Promise<void>;
};

/** Keys are lower-case path segments; this refuses traversal and anything unexpected. */
export const storageKeyPattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

export function assertStorageKey(key: string): void {
  if (!storageKeyPattern.test(key) || key.includes('..') || key.length > 300) {
    throw new Error(`Invalid storage key: ${key}`);
  }
}

const contentTypes: Record<string, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
};

export function contentTypeForKey(key: string): string {
  return contentTypes[key.split('.').pop() ?? ''] ?? 'application/octet-stream';
}
