import type {
  TLocalAdmission,
  TScanResultName,
  TScannerBundle,
  TScannerKeys,
} from './checkin-types';
import { parseTicketCode, verifyTicketCode, type TSignatureVerifier } from './ticket-code';

/** The verdict on a code made on the device alone, from the event's bundle. */
export type TOfflineVerdict = {
  result: TScanResultName;
  ticketId: string | null;
  ticketTypeId: string | null;
  ticketTypeName: string | null;
  /** For `already_checked_in`: when and where this device saw it admitted. */
  checkedInAt?: string;
  gate?: string | null;
};

/**
 * Judges a code without the server, with the same rules in the same order as the server:
 * signature, event, validity, then revocation (void) and the admissions this device knows of.
 * A code signed with a key of another event cannot be verified here; it is refused as
 * `wrong_event` when it says it is for another event, else as `invalid`.
 */
export async function checkCodeOffline(input: {
  code: string;
  bundle: TScannerBundle;
  now: Date;
  verifySignature: TSignatureVerifier;
  findAdmission: (ticketId: string) => Promise<TLocalAdmission | undefined>;
}): Promise<TOfflineVerdict> {
  const { code, bundle, now } = input;
  const refused = (result: TScanResultName): TOfflineVerdict => ({
    result,
    ticketId: null,
    ticketTypeId: null,
    ticketTypeName: null,
  });
  const claims = await verifyTicketCode(code, bundle.publicKeys, input.verifySignature);
  if (!claims) {
    const parsed = parseTicketCode(code);
    const isOtherEventsKey = parsed && !bundle.publicKeys.some((k) => k.keyId === parsed.keyId);
    return refused(
      isOtherEventsKey && parsed.claims.eventId !== bundle.eventId ? 'wrong_event' : 'invalid',
    );
  }
  if (claims.eventId !== bundle.eventId) return refused('wrong_event');
  if (claims.validUntil.getTime() < now.getTime()) return refused('invalid');
  const ticket = {
    ticketId: claims.ticketId,
    ticketTypeId: claims.ticketTypeId,
    ticketTypeName: bundle.ticketTypes.find((t) => t.id === claims.ticketTypeId)?.name ?? null,
  };
  if (bundle.revoked.includes(claims.ticketId)) return { result: 'void', ...ticket };
  const admission = await input.findAdmission(claims.ticketId);
  if (admission)
    return {
      result: 'already_checked_in',
      ...ticket,
      checkedInAt: admission.checkedInAt,
      gate: admission.gate,
    };
  return { result: 'ok', ...ticket };
}

/**
 * The bundle after a `scanner-keys` answer: keys, names and event details are replaced, and
 * revocations are replaced by a full list or added to by a partial one (`?since=`).
 */
export function mergeScannerKeys(
  previous: TScannerBundle | undefined,
  answer: TScannerKeys,
  now: Date,
): TScannerBundle {
  const { isFullList, ...rest } = answer;
  const revoked =
    isFullList || !previous || previous.eventId !== answer.eventId
      ? answer.revoked
      : [...new Set([...previous.revoked, ...answer.revoked])];
  return { ...rest, revoked, refreshedAt: now.toISOString() };
}
