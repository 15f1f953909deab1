import { expect, it } from 'vitest';
import type { TStorage } from '../../src/adapters/storage/storage.js';

export type TStorageUnderTest = {
  storage: TStorage;
  /** GETs a signed URL the way a browser would; returns status and body. */
  fetchUrl: (url: string) => Promise<{ status: number; body: Buffer }>;
  /**
   * Whether this server checks URL signatures itself. s3rver checks expiry but not SigV4
   * signatures (AWS S3 does); the altered-URL case is skipped only there, and says so.
   */
  isSignatureChecked: boolean;
  /** The store's notion of now. */
  now: () => Date;
  /** Lets `ms` of time pass for the store's notion of expiry. */
  passTime: (ms: number) => Promise<void>;
};

/** One behaviour for every object store: the local folder and S3 must pass the same cases. */
export function storageContract(setup: () => TStorageUnderTest) {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

  it('stores, reads back and deletes objects', async () => {
    const { storage } = setup();
    await storage.put('contract/round-trip.png', png, 'image/png');
    const read = await storage.get('contract/round-trip.png');
    expect(read?.body.equals(png)).toBe(true);
    expect(read?.contentType).toBe('image/png');
    await storage.put('contract/round-trip.png', Buffer.from('v2'), 'image/png');
    expect((await storage.get('contract/round-trip.png'))?.body.toString()).toBe('v2');
    await storage.delete('contract/round-trip.png');
    expect(await storage.get('contract/round-trip.png')).toBeNull();
    await storage.delete('contract/never-existed.png');
  });

  it('lets concurrent writers of one key all succeed, leaving one whole version', async () => {
    const { storage } = setup();
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.from(`version-${i}`.repeat(500)));
    await Promise.all(versions.map((v) => storage.put('contract/raced.png', v, 'image/png')));
    const read = await storage.get('contract/raced.png');
    expect(versions.some((v) => read?.body.equals(v))).toBe(true);
  });

  it('answers null for a missing object', async () => {
    expect(await setup().storage.get('contract/missing.pdf')).toBeNull();
  });

  it('refuses keys that could escape the store', async () => {
    const { storage } = setup();
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'UPPER/case', 'a//b', ''])
      await expect(storage.put(key, png, 'image/png'), key).rejects.toThrow();
  });

  it('hands out signed URLs that work until they expire and not when altered', async () => {
    const { storage, fetchUrl, passTime, now, isSignatureChecked } = setup();
    await storage.put('contract/signed.pdf', Buffer.from('%PDF-1.7 ticket'), 'application/pdf');
    const signed = await storage.signedUrl(
      'contract/signed.pdf',
      new Date(now().getTime() + 2_000),
    );
    expect(Math.abs(signed.expiresAt.getTime() - (now().getTime() + 2_000))).toBeLessThan(1_001);
    const ok = await fetchUrl(signed.url);
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('%PDF-1.7 ticket');

    if (!isSignatureChecked) {
      await passTime(3_500);
      expect((await fetchUrl(signed.url)).status).toBe(403);
      return;
    }
    const url = new URL(signed.url);
    const sigParam = url.searchParams.has('sig') ? 'sig' : 'X-Amz-Signature';
    const sig = url.searchParams.get(sigParam) ?? '';
    url.searchParams.set(sigParam, `${sig.slice(0, -2)}${sig.endsWith('aa') ? 'bb' : 'aa'}`);
    expect((await fetchUrl(url.toString())).status).toBe(403);

    const otherKey = new URL(signed.url.replace('signed.pdf', 'other.pdf'));
    expect([403, 404]).toContain((await fetchUrl(otherKey.toString())).status);

    await passTime(3_500);
    expect((await fetchUrl(signed.url)).status).toBe(403);
  });

  it('answers a health check', async () => {
    await expect(setup().storage.ping()).resolves.toBeUndefined();
  });
}
