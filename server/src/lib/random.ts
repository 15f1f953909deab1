import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Randomness is injected so that codes and tokens can be made predictable in tests. */
export type TRandom = {
  /** Cryptographically strong random bytes. */
  bytes(size: number): Buffer;
  /** A uniformly distributed integer in [0, max). */
  int(max: number): number;
  /** A random (v4) UUID. */
  uuid(): string;
};

export const cryptoRandom: TRandom = {
  bytes: (size) => randomBytes(size),
  int: (max) => randomInt(max),
  uuid: () => randomUUID(),
};

/** A URL-safe opaque token with `bytes` bytes of entropy. */
export function createToken(random: TRandom, bytes = 32): string {
  return random.bytes(bytes).toString('base64url');
}
