import type { TDb } from '../../adapters/database/database.js';
import type { TAttendee } from '../../adapters/database/schema.js';
import type { TRandom } from '../../lib/random.js';
import { decryptPrivateKey, generateEventKeyPair, signTicketCode } from './ticket-code.js';
import type { TTicketRow, TTicketsRepository } from './tickets.repository.js';

/** Codes stay valid this long after the event ends (late check-outs, multi-day events running over). */
const VALIDITY_AFTER_END_MS = 2 * 86_400_000;

export type TTicketIssuer = ReturnType<typeof createTicketIssuer>;

/** Issues signed tickets for paid orders, creating the event's signing key on first use. */
export function createTicketIssuer(deps: {
  repo: TTicketsRepository;
  appSecret: string;
  random: TRandom;
}) {
  const { repo, appSecret, random } = deps;

  async function activeKey(db: TDb, eventId: string) {
    let key = await repo.findActiveKey(db, eventId);
    if (!key) {
      const pair = generateEventKeyPair(appSecret, random.bytes(12));
      await repo.insertKeyIfAbsent(db, {
        id: random.bytes(6).toString('base64url'),
        event_id: eventId,
        public_key: pair.publicKey,
        private_key_encrypted: pair.privateKeyEncrypted,
      });
      key = await repo.findActiveKey(db, eventId);
      if (!key) throw new Error('event key vanished');
    }
    return { id: key.id, privateKey: decryptPrivateKey(key.private_key_encrypted, appSecret) };
  }

  return {
    /**
     * One ticket per seat, in item order. Attendee i gets seat i; seats without a named attendee
     * carry the buyer's name (or address, if they have no name) and address. Call inside the transaction that marks the order paid.
     */
    async issueForOrder(
      db: TDb,
      order: {
        id: string;
        eventId: string;
        eventEndsAt: Date;
        buyer: TAttendee;
        attendees: TAttendee[];
      },
      items: { ticketTypeId: string; quantity: number }[],
    ): Promise<TTicketRow[]> {
      const key = await activeKey(db, order.eventId);
      const validUntil = new Date(order.eventEndsAt.getTime() + VALIDITY_AFTER_END_MS);
      const seats = items.flatMap((item) =>
        Array.from({ length: item.quantity }, () => item.ticketTypeId),
      );
      const rows = seats.map((ticketTypeId, index) => {
        const id = random.uuid();
        const attendee = order.attendees[index] ?? order.buyer;
        return {
          id,
          order_id: order.id,
          event_id: order.eventId,
          ticket_type_id: ticketTypeId,
          seat: index,
          code: signTicketCode(
            { ticketId: id, eventId: order.eventId, ticketTypeId, validUntil },
            key,
          ),
          // Someone who never set a profile name is named by their address, never left blank
          // on the ticket, the PDF or the door list.
          attendee_name: attendee.name.trim() || attendee.email,
          attendee_email: attendee.email,
          checked_in_at: null,
          qr_key: null,
          voided_at: null,
        };
      });
      return repo.insertMany(db, rows);
    },
  };
}
