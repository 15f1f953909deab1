import { randomBytes, randomUUID, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptPrivateKey,
  exportRawPublicKey,
  generateEventKeyPair,
  importRawPublicKey,
  readTicketCode,
  signTicketCode,
  verifyTicketCode,
} from '../../src/modules/tickets/ticket-code.js';

const secret = 'unit-test-secret-unit-test-secret-123456';

function eventKey() {
  const pair = generateEventKeyPair(secret, randomBytes(12));
  return {
    id: 'k1',
    privateKey: decryptPrivateKey(pair.privateKeyEncrypted, secret),
    publicKey: importRawPublicKey(pair.publicKey),
    raw: pair,
  };
}

const claims = () => ({
  ticketId: randomUUID(),
  eventId: randomUUID(),
  ticketTypeId: randomUUID(),
  validUntil: new Date('2030-06-03T00:00:00Z'),
});

describe('ticket codes', () => {
  it('round-trip the claims and stay compact, with no personal data', () => {
    const key = eventKey();
    const c = claims();
    const code = signTicketCode(c, key);
    expect(code.length).toBeLessThan(180);
    expect(code).toMatch(/^TIN1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(readTicketCode(code)).toMatchObject({ keyId: 'k1', claims: c });
    expect(verifyTicketCode(code, key.publicKey)).toEqual(c);
  });

  it('refuse any altered byte, another key, and malformed input', () => {
    const key = eventKey();
    const code = signTicketCode(claims(), key);
    const [prefix, kid, payload, sig] = code.split('.') as [string, string, string, string];
    const flip = (s: string, i: number) =>
      s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (let i = 0; i < payload.length; i += 7)
      expect(
        verifyTicketCode([prefix, kid, flip(payload, i), sig].join('.'), key.publicKey),
      ).toBeNull();
    expect(
      verifyTicketCode([prefix, kid, payload, flip(sig, 3)].join('.'), key.publicKey),
    ).toBeNull();
    expect(verifyTicketCode([prefix, 'k2', payload, sig].join('.'), key.publicKey)).toBeNull();
    expect(verifyTicketCode(code, eventKey().publicKey)).toBeNull();
    for (const bad of [
      '',
      'TIN1',
      'TIN1.k1..',
      `TIN2.${kid}.${payload}.${sig}`,
      `${code}.extra`,
      'x'.repeat(5000),
      `TIN1.k/1.${payload}.${sig}`,
    ]) {
      expect(verifyTicketCode(bad, key.publicKey)).toBeNull();
      expect(readTicketCode(bad)).toBeNull();
    }
  });

  it('encrypt private keys at rest: the wrong secret cannot decrypt them', () => {
    const { raw } = eventKey();
    expect(raw.privateKeyEncrypted).not.toContain('BEGIN');
    expect(() =>
      decryptPrivateKey(raw.privateKeyEncrypted, 'another-secret-another-secret-another-12'),
    ).toThrow();
  });

  it('export public keys as 32 raw bytes', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = exportRawPublicKey(publicKey);
    expect(Buffer.from(raw, 'base64url')).toHaveLength(32);
    expect(exportRawPublicKey(importRawPublicKey(raw))).toBe(raw);
  });
});
