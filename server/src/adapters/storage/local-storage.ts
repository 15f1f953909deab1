import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, rename, access, constants } from 'node:fs/promises';
import path from 'node:path';
import { hmacBase64Url, safeEqual } from '../../lib/hashing.js';
import type { TClock } from '../../lib/clock.js';
import { assertStorageKey, contentTypeForKey, type TStorage } from './storage.js';

/** Route under which the API serves local files; `verifySignedUrl` guards it. */
export const localFilesPrefix = '/files/';

export type TLocalStorage = TStorage & {
  /** True when `sig` is this server's signature of `key` until `expires` and that time is still ahead. */
  verifySignature(key: string, expires: number, sig: string): boolean;
};

/**
 * Files in a folder, served by the API at /files/<key>?expires=&sig=. The signature is an HMAC of
 * key and expiry with the app secret, so a URL cannot be altered or extended.
 */
export function createLocalStorage(options: {
  dir: string;
  publicUrl: string;
  secret: string;
  clock: TClock;
}): TLocalStorage {
  const { dir, publicUrl, secret, clock } = options;
  const fileFor = (key: string) => {
    assertStorageKey(key);
    return path.join(dir, ...key.split('/'));
  };
  const sign = (key: string, expires: number) => hmacBase64Url(secret, `storage:${key}:${expires}`);

  return {
    kind: 'local',
    async put(key, body) {
      const file = fileFor(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file and a crash leaves no torn file.
      // A unique temp name: two writers of the same key (a job and a request storing the same
      // QR code) must not share one, or the second rename fails.
      const temp = `${file}.${randomUUID()}.tmp`;
      await writeFile(temp, body);
      await rename(temp, file);
    },
    async get(key) {
      try {
        return { body: await readFile(fileFor(key)), contentType: contentTypeForKey(key) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(fileFor(key), { force: true });
    },
    signedUrl(key, expiresAt) {
      assertStorageKey(key);
      const expires = Math.floor(expiresAt.getTime() / 1000);
      const url = `${publicUrl}${localFilesPrefix}${key}?expires=${expires}&sig=${sign(key, expires)}`;
      return Promise.resolve({ url, expiresAt: new Date(expires * 1000) });
    },
    verifySignature(key, expires, sig) {
      if (!Number.isSafeInteger(expires) || expires * 1000 <= clock.now().getTime()) return false;
      return safeEqual(sign(key, expires), sig);
    },
    async ping() {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.W_OK);
    },
  };
}
