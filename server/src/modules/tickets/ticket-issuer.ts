import type { TDb } from '../../adapters/database/database.js';
import type { TAttendee } from '../../adapters/database/schema.js';
import type { TRandom } from '../../lib/random.js';
import { decryptPrivateKey, generateEventKeyPair, signTicketCode } from './ticket-code.js';
import type { TTicketRow, TTicketsRepository } from './tickets.repository.js';

/** Codes stay valid this long after the event ends (late check-outs, multi-day events running over). */
const VALIDITY_AFTER_END_MS = 2 * 86_400_000;

export type TTicketIssuer = ReturnType<typeof createTicketIssuer>;
type TNewTicket = Parameters<TTicketsRepository['insertMany']>[1][number];

/** Issues signed tickets for paid orders, creating the event's signing key on first use. */
export function createTicketIssuer(deps: {
  repo: TTicketsRepository;
  appSecret: string;
  random: TRandom;
}) {
  const { repo, appSecret, random } = deps;

  // An event's active key never changes once written (nothing retires keys; rotation, if added,
  // must clear this), so each is read and decrypted once per process: a payment signs its
  // tickets without a database round trip. Only keys read outside a transaction are kept, so a
  // key whose creation is rolled back is never used again.
  const activeKeys = new Map<
    string,
    { id: string; privateKey: ReturnType<typeof decryptPrivateKey> }
  >();
  async function activeKey(db: TDb, eventId: string) {
    const cached = activeKeys.get(eventId);
    if (cached) return cached;
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
    const active = {
      id: key.id,
      privateKey: decryptPrivateKey(key.private_key_encrypted, appSecret),
    };
    if (!db.isTransaction) {
      if (activeKeys.size >= 1_000) activeKeys.clear();
      activeKeys.set(eventId, active);
    }
    return active;
  }

  return {
    /**
     * One ticket per seat, in item order. Attendee i gets seat i; seats without a named attendee
     * carry the buyer's name (or address, if they have no name) and address. Signs the codes
     * (creating the event's key if needed) but writes no ticket: call it before the transaction
     * that marks the order paid, and `insert` the rows inside it.
     */
    async prepare(
      db: TDb,
      order: {
        id: string;
        eventId: string;
        eventEndsAt: Date;
        buyer: TAttendee;
        attendees: TAttendee[];
      },
      items: { ticketTypeId: string; quantity: number }[],
    ): Promise<TNewTicket[]> {
      const key = await activeKey(db, order.eventId);
      const validUntil = new Date(order.eventEndsAt.getTime() + VALIDITY_AFTER_END_MS);
      const seats = items.flatMap((item) =>
        Array.from({ length: item.quantity }, () => item.ticketTypeId),
      );
      return seats.map((ticketTypeId, index) => {
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
    },

    /** Writes prepared tickets, in the transaction that marks their order paid. */
    insert: (db: TDb, rows: TNewTicket[]): Promise<TTicketRow[]> => repo.insertMany(db, rows),
  };
}
