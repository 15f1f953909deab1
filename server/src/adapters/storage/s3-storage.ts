import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { TClock } from '../../lib/clock.js';
import { assertStorageKey, type TStorage } from './storage.js';

export type TS3StorageOptions = {
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, s3rver); AWS itself needs none. */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** Key prefix inside the bucket, e.g. `files/`. */
  prefix: string;
  clock: TClock;
  /** Explicit keys for S3-compatible stores; AWS uses the default chain (instance role, env). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

/** S3 allows presigned URLs of at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * Object storage on S3 (or any S3-compatible store): the same port as the local folder, with
 * presigned GET URLs instead of our own HMAC-signed ones.
 */
export function createS3Storage(options: TS3StorageOptions): TStorage & { client: S3Client } {
  const { bucket, prefix, clock } = options;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Only send checksums S3 requires, so S3-compatible stores without the newer checksum
    // headers (and aws-chunked uploads) keep working.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const objectKey = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key}`;
  };

  return {
    kind: 's3',
    client,
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
        }),
      );
    },
    async get(key) {
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        );
        if (!res.Body) return null;
        return {
          body: Buffer.from(await res.Body.transformToByteArray()),
          contentType: res.ContentType ?? 'application/octet-stream',
        };
      } catch (error) {
        if (
          error instanceof NoSuchKey ||
          (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
        )
          return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async signedUrl(key, expiresAt) {
      const seconds = Math.min(
        MAX_PRESIGN_SECONDS,
        Math.max(1, Math.floor((expiresAt.getTime() - clock.now().getTime()) / 1000)),
      );
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        { expiresIn: seconds, signingDate: clock.now() },
      );
      return { url, expiresAt: new Date(clock.now().getTime() + seconds * 1000) };
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
