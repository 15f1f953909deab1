import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createEd25519Verifier } from './ed25519';
import { makeTestEvent, makeTestKey } from './test-codes';
import { decodeBase64Url, encodeBase64Url, parseTicketCode, verifyTicketCode } from './ticket-code';

const verifier = createEd25519Verifier();

/** The same code with one character of its payload or signature changed. */
function tamper(code: string, part: 2 | 3): string {
  const parts = code.split('.');
  const text = parts[part] ?? '';
  const at = 10;
  parts[part] = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  return parts.join('.');
}

describe('base64url', () => {
  test('round-trips any bytes like Node does', () => {
    for (const length of [0, 1, 2, 3, 32, 53, 64]) {
      const bytes = randomBytes(length);
      const text = encodeBase64Url(bytes);
      expect(text).toBe(bytes.toString('base64url'));
      expect(Buffer.from(decodeBase64Url(text) ?? [])).toEqual(bytes);
    }
  });

  test('refuses other alphabets, padding and non-canonical trailing bits', () => {
    expect(decodeBase64Url('ab+/')).toBeNull();
    expect(decodeBase64Url('YQ==')).toBeNull();
    expect(decodeBase64Url('YR')).toBeNull(); // 'YQ' is the canonical text of "a"
    expect(decodeBase64Url('A')).toBeNull();
  });
});

describe('parseTicketCode', () => {
  test('reads the claims of a code made the server’s way', () => {
    const event = makeTestEvent();
    const { code, ticketId } = event.issue();
    const parsed = parseTicketCode(code);
    expect(parsed?.keyId).toBe(event.key.keyId);
    expect(parsed?.claims).toEqual({
      ticketId,
      eventId: event.eventId,
      ticketTypeId: event.ticketTypeId,
      validUntil: new Date('2030-06-16T23:00:00.000Z'),
    });
  });

  test('refuses text that is not shaped like a code', () => {
    const { code } = makeTestEvent().issue();
    for (const text of [
      '',
      'hello',
      'https://example.com/ticket/1',
      code.replace('TIN1', 'TIN2'),
      `${code}.extra`,
      code.split('.').slice(0, 3).join('.'),
      code.replace(/\.[^.]+$/, '.c2hvcnQ'),
      code + 'A'.repeat(300),
    ])
      expect(parseTicketCode(text), text).toBeNull();
  });
});

describe('verifyTicketCode', () => {
  test('accepts a genuine code with the event’s public key', async () => {
    const event = makeTestEvent();
    const { code, ticketId } = event.issue();
    const claims = await verifyTicketCode(code, event.bundle.publicKeys, verifier);
    expect(claims?.ticketId).toBe(ticketId);
  });

  test('rejects a code whose payload or signature was altered', async () => {
    const event = makeTestEvent();
    const { code } = event.issue();
    expect(await verifyTicketCode(tamper(code, 2), event.bundle.publicKeys, verifier)).toBeNull();
    expect(await verifyTicketCode(tamper(code, 3), event.bundle.publicKeys, verifier)).toBeNull();
  });

  test('rejects a code signed with another key under the same key id', async () => {
    const event = makeTestEvent();
    const impostor = makeTestKey(event.key.keyId);
    const { code } = event.issue({ key: impostor });
    expect(await verifyTicketCode(code, event.bundle.publicKeys, verifier)).toBeNull();
  });

  test('rejects a code whose key id the scanner does not know', async () => {
    const event = makeTestEvent();
    const { code } = makeTestEvent().issue();
    expect(await verifyTicketCode(code, event.bundle.publicKeys, verifier)).toBeNull();
  });

  test('verifies the same with the JavaScript fallback when WebCrypto lacks Ed25519', async () => {
    const event = makeTestEvent();
    const { code } = event.issue();
    const unsupported = {
      importKey: () => Promise.reject(new DOMException('no Ed25519', 'NotSupportedError')),
    } as unknown as SubtleCrypto;
    const fallback = createEd25519Verifier({ subtle: unsupported });
    expect(await verifyTicketCode(code, event.bundle.publicKeys, fallback)).not.toBeNull();
    expect(await verifyTicketCode(tamper(code, 3), event.bundle.publicKeys, fallback)).toBeNull();
  });
});
