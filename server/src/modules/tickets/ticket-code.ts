import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * Ticket codes: the QR payload. `TIN1.<keyId>.<payload>.<signature>`, where the payload is
 * 53 bytes — version, ticket id, event id, ticket type id (16 bytes each) and the last valid
 * moment (uint32 seconds) — and the signature is Ed25519 over `<keyId>.<payload>` with the
 * event's private key. No personal data, so a scanner holding only the event's public key can
 * verify a code offline; changing any byte breaks the signature.
 */
const PREFIX = 'TIN1';
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 * 3 + 4;

export type TTicketClaims = {
  ticketId: string;
  eventId: string;
  ticketTypeId: string;
  validUntil: Date;
};

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function signTicketCode(
  claims: TTicketClaims,
  key: { id: string; privateKey: KeyObject },
): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidToBytes(claims.ticketId).copy(payload, 1);
  uuidToBytes(claims.eventId).copy(payload, 17);
  uuidToBytes(claims.ticketTypeId).copy(payload, 33);
  payload.writeUInt32BE(Math.floor(claims.validUntil.getTime() / 1000), 49);
  const signed = `${key.id}.${payload.toString('base64url')}`;
  const signature = sign(null, Buffer.from(signed), key.privateKey).toString('base64url');
  return `${PREFIX}.${signed}.${signature}`;
}

/**
 * What a well-formed code claims, and the key id it names, without checking its signature: only
 * for a caller that confirms the code otherwise (check-in compares it with the code the ticket
 * was issued). Null for anything malformed.
 */
export function readTicketCode(
  code: string,
): { keyId: string; claims: TTicketClaims; signed: Buffer; signature: Buffer } | null {
  if (code.length > 300) return null;
  const parts = code.split('.');
  if (parts.length !== 4) return null;
  const [prefix, keyId, payloadText, signatureText] = parts;
  if (prefix !== PREFIX || !keyId || !payloadText || !signatureText) return null;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) return null;
  const payload = Buffer.from(payloadText, 'base64url');
  const signature = Buffer.from(signatureText, 'base64url');
  if (
    payload.length !== PAYLOAD_BYTES ||
    signature.length !== 64 ||
    payload.readUInt8(0) !== VERSION
  )
    return null;
  // Re-encode to refuse non-canonical base64 variants of the same bytes.
  if (
    payload.toString('base64url') !== payloadText ||
    signature.toString('base64url') !== signatureText
  )
    return null;
  return {
    keyId,
    claims: {
      ticketId: bytesToUuid(payload.subarray(1, 17)),
      eventId: bytesToUuid(payload.subarray(17, 33)),
      ticketTypeId: bytesToUuid(payload.subarray(33, 49)),
      validUntil: new Date(payload.readUInt32BE(49) * 1000),
    },
    signed: Buffer.from(`${keyId}.${payloadText}`),
    signature,
  };
}

/** The claims of a code if its signature verifies with `publicKey`; null for anything forged or malformed. */
export function verifyTicketCode(code: string, publicKey: KeyObject): TTicketClaims | null {
  const read = readTicketCode(code);
  if (!read || !verify(null, read.signed, publicKey, read.signature)) return null;
  return read.claims;
}

export type TEncryptedKeyPair = { publicKey: string; privateKeyEncrypted: string };

/** AES-256-GCM key for event private keys, derived from the app secret (never stored). */
function keyEncryptionKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'tickitnow', 'event-signing-keys', 32));
}

/** A new Ed25519 key pair: the public key as raw base64url, the private key encrypted at rest. */
export function generateEventKeyPair(appSecret: string, iv: Buffer): TEncryptedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey(appSecret), iv);
  const encrypted = Buffer.concat([cipher.update(der), cipher.final()]);
  return {
    publicKey: exportRawPublicKey(publicKey),
    privateKeyEncrypted: [iv, cipher.getAuthTag(), encrypted]
      .map((b) => b.toString('base64url'))
      .join('.'),
  };
}

export function decryptPrivateKey(privateKeyEncrypted: string, appSecret: string): KeyObject {
  const [iv, tag, data] = privateKeyEncrypted.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !data) throw new Error('malformed encrypted key');
  const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey(appSecret), iv);
  decipher.setAuthTag(tag);
  const der = Buffer.concat([decipher.update(data), decipher.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** The 32-byte raw Ed25519 public key, base64url — the form scanners download. */
export function exportRawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return jwk.x;
}

export function importRawPublicKey(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}
