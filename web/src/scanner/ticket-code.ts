/**
 * Reading ticket codes (the QR payload) in the browser, the mirror of the server's
 * `ticket-code.ts`: `TIN1.<keyId>.<payload>.<signature>`, where the payload is 53 bytes —
 * version, ticket id, event id, ticket type id (16 bytes each) and the last valid moment (uint32
 * seconds, big-endian) — and the signature is Ed25519 over the ASCII text `<keyId>.<payload>`.
 */

const PREFIX = 'TIN1';
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 * 3 + 4;
const SIGNATURE_BYTES = 64;
/** Longer than any real code; refusing early keeps garbage QR codes cheap. */
export const MAX_CODE_LENGTH = 300;

export type TTicketClaims = {
  ticketId: string;
  eventId: string;
  ticketTypeId: string;
  validUntil: Date;
};

export type TParsedTicketCode = {
  keyId: string;
  /** The exact bytes the signature covers: `<keyId>.<payload>` as ASCII. */
  signedBytes: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  /** What the code claims; trustworthy only once the signature verifies. */
  claims: TTicketClaims;
};

const base64UrlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64UrlValues = new Map([...base64UrlAlphabet].map((c, i) => [c, i]));

/** Unpadded base64url of `bytes`. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) text += base64UrlAlphabet[(chunk >> (18 - 6 * c)) & 63];
  }
  return text;
}

/**
 * The bytes of unpadded base64url text, or null when it is not canonical base64url. Only the
 * canonical form is accepted, as on the server, so one ticket has exactly one valid code.
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = base64UrlValues.get(char);
    if (value === undefined) return null;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return null;
  return bytes;
}

function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Splits a scanned text into its parts, or null when it is not shaped like a ticket code.
 * This does not verify anything: see `verifyTicketCode`.
 */
export function parseTicketCode(code: string): TParsedTicketCode | null {
  if (code.length > MAX_CODE_LENGTH) return null;
  const parts = code.split('.');
  if (parts.length !== 4) return null;
  const [prefix = '', keyId = '', payloadText = '', signatureText = ''] = parts;
  if (prefix !== PREFIX || !/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) return null;
  const payload = decodeBase64Url(payloadText);
  const signature = decodeBase64Url(signatureText);
  if (!payload || payload.length !== PAYLOAD_BYTES || payload[0] !== VERSION) return null;
  if (!signature || signature.length !== SIGNATURE_BYTES) return null;
  const view = new DataView(payload.buffer);
  return {
    keyId,
    signedBytes: new TextEncoder().encode(`${keyId}.${payloadText}`),
    signature,
    claims: {
      ticketId: bytesToUuid(payload.subarray(1, 17)),
      eventId: bytesToUuid(payload.subarray(17, 33)),
      ticketTypeId: bytesToUuid(payload.subarray(33, 49)),
      validUntil: new Date(view.getUint32(49) * 1000),
    },
  };
}

/** Checks an Ed25519 signature; the raw 32-byte public key, the message and the signature. */
export type TSignatureVerifier = (
  publicKey: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
) => Promise<boolean>;

/**
 * The claims of `code` if it is signed with one of `publicKeys` (raw base64url, by key id);
 * null for anything malformed, unknown or forged.
 */
export async function verifyTicketCode(
  code: string,
  publicKeys: ReadonlyArray<{ keyId: string; publicKey: string }>,
  verifySignature: TSignatureVerifier,
): Promise<TTicketClaims | null> {
  const parsed = parseTicketCode(code);
  if (!parsed) return null;
  const key = publicKeys.find((k) => k.keyId === parsed.keyId);
  const rawKey = key ? decodeBase64Url(key.publicKey) : null;
  if (!rawKey || rawKey.length !== 32) return null;
  const isValid = await verifySignature(rawKey, parsed.signedBytes, parsed.signature);
  return isValid ? parsed.claims : null;
}
