import { z } from 'zod';
import { ZUuid } from '../../http/common.schema.js';

const ZGate = z.string().trim().min(1).max(60);
const ZDeviceId = z.string().trim().min(1).max(100);
/** Codes are checked cryptographically, so any bounded text is accepted here and judged there. */
const ZScannedCode = z.string().min(1).max(1000);

export const ZCheckInRequest = z.strictObject({
  code: ZScannedCode,
  gate: ZGate.optional(),
  deviceId: ZDeviceId.optional(),
});
export type TCheckInRequest = z.infer<typeof ZCheckInRequest>;

export const ZSyncScan = z.strictObject({
  code: ZScannedCode,
  scannedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  gate: ZGate.optional(),
  deviceId: ZDeviceId,
  scanId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Chosen by the device; makes re-sending the same scan harmless.'),
});
export type TSyncScan = z.infer<typeof ZSyncScan>;
export const ZSyncRequest = z.array(ZSyncScan).min(1).max(1000);

export const ZCheckInResultName = z.enum([
  'ok',
  'already_checked_in',
  'invalid',
  'void',
  'wrong_event',
]);

export const ZScannedTicket = z
  .object({
    id: z.uuid(),
    ticketTypeId: z.uuid(),
    ticketTypeName: z.string(),
    attendeeName: z.string(),
    checkedInAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ScannedTicket' });

export const ZCheckInResult = z
  .object({
    result: ZCheckInResultName,
    message: z.string(),
    ticket: ZScannedTicket.optional(),
    checkedInAt: z.iso
      .datetime()
      .optional()
      .describe('When the ticket was first admitted (already_checked_in).'),
    gate: z.string().nullable().optional(),
    deviceId: z.string().nullable().optional(),
  })
  .meta({ id: 'CheckInResult' });
export type TCheckInResult = z.infer<typeof ZCheckInResult>;

export const ZSyncResult = ZCheckInResult.extend({
  index: z.number().int().describe('Position of the scan in the request.'),
  scanId: z.string().nullable(),
  isReplay: z.boolean().describe('This scan was synced before; the original result is repeated.'),
  isDuplicateAcrossDevices: z.boolean().describe('Another device admitted the ticket first.'),
}).meta({ id: 'SyncResult' });

export const ZScannerKeysQuery = z.strictObject({
  since: z.coerce
    .number()
    .int()
    .min(0)
    // Versions are PostgreSQL integers; a larger number is no version at all (and overflowed the query).
    .max(2_147_483_647)
    .optional()
    .describe('Revocation version already held: only later revocations are listed.'),
});

export const ZScannerKeys = z
  .object({
    eventId: z.uuid(),
    event: z.object({
      title: z.string(),
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime(),
      timezone: z.string(),
    }),
    publicKeys: z.array(
      z.object({
        keyId: z.string(),
        algorithm: z.literal('Ed25519'),
        publicKey: z.string().describe('32-byte raw key, base64url'),
      }),
    ),
    ticketTypes: z.array(z.object({ id: z.uuid(), name: z.string() })),
    revoked: z
      .array(z.uuid())
      .describe('Ids of void tickets (all of them, or those revoked after `since`).'),
    revocationVersion: z.number().int(),
    isFullList: z.boolean(),
  })
  .meta({ id: 'ScannerKeys' });

export const ZCheckInStats = z
  .object({
    total: z.number().int(),
    admitted: z.number().int(),
    remaining: z.number().int(),
    byTicketType: z.array(
      z.object({
        ticketTypeId: z.uuid(),
        name: z.string(),
        total: z.number().int(),
        admitted: z.number().int(),
      }),
    ),
    byGate: z.array(z.object({ gate: z.string().nullable(), admitted: z.number().int() })),
    perMinute: z.array(z.object({ minute: z.iso.datetime(), admitted: z.number().int() })),
    scans: z.object({
      ok: z.number().int(),
      already_checked_in: z.number().int(),
      invalid: z.number().int(),
      void: z.number().int(),
      wrong_event: z.number().int(),
      undone: z.number().int(),
    }),
  })
  .meta({ id: 'CheckInStats' });

export const ZCheckInTicketParams = z.strictObject({ id: ZUuid, ticketId: ZUuid });
