import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { TScannerBundle } from './checkin-types';

/**
 * Test helpers (Node only): real Ed25519 key pairs and ticket codes made exactly as the server
 * makes them (`server/src/modules/tickets/ticket-code.ts`), so the scanner is tested against the
 * real format rather than against itself.
 */

export type TTestKey = { keyId: string; privateKey: KeyObject; publicKey: string };

export function makeTestKey(keyId = `k${randomUUID().slice(0, 8)}`): TTestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { keyId, privateKey, publicKey: jwk.x ?? '' };
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');

export function signTestCode(
  key: TTestKey,
  claims: { ticketId: string; eventId: string; ticketTypeId: string; validUntil: Date },
): string {
  const payload = Buffer.alloc(53);
  payload.writeUInt8(1, 0);
  uuidBytes(claims.ticketId).copy(payload, 1);
  uuidBytes(claims.eventId).copy(payload, 17);
  uuidBytes(claims.ticketTypeId).copy(payload, 33);
  payload.writeUInt32BE(Math.floor(claims.validUntil.getTime() / 1000), 49);
  const signed = `${key.keyId}.${payload.toString('base64url')}`;
  return `TIN1.${signed}.${sign(null, Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

/** An event with one key and one ticket type, and a way to issue its tickets. */
export function makeTestEvent(overrides: Partial<TScannerBundle> = {}) {
  const key = makeTestKey();
  const eventId = randomUUID();
  const ticketTypeId = randomUUID();
  const bundle: TScannerBundle = {
    eventId,
    event: {
      title: 'Harbour Lights Jazz Night',
      startsAt: '2030-06-15T19:00:00.000Z',
      endsAt: '2030-06-15T23:00:00.000Z',
      timezone: 'Europe/Lisbon',
    },
    publicKeys: [{ keyId: key.keyId, algorithm: 'Ed25519', publicKey: key.publicKey }],
    ticketTypes: [{ id: ticketTypeId, name: 'General admission' }],
    revoked: [],
    revocationVersion: 0,
    refreshedAt: '2030-06-15T18:00:00.000Z',
    ...overrides,
  };
  const issue = (
    options: { ticketId?: string; validUntil?: Date; eventId?: string; key?: TTestKey } = {},
  ) => {
    const ticketId = options.ticketId ?? randomUUID();
    return {
      ticketId,
      code: signTestCode(options.key ?? key, {
        ticketId,
        eventId: options.eventId ?? eventId,
        ticketTypeId,
        validUntil: options.validUntil ?? new Date('2030-06-16T23:00:00.000Z'),
      }),
    };
  };
  return { key, eventId, ticketTypeId, bundle, issue };
}
