import type { TOrderStatus, TTicket } from '../api/ticketing';

const orderLabels: Record<TOrderStatus, string> = {
  pending: 'Awaiting payment',
  paid: 'Paid',
  expired: 'Expired',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

/** An order's status in words. */
export const orderStatusLabel = (status: TOrderStatus) => orderLabels[status];

/** An order's status as a coloured label (the word is always there, not only the colour). */
export function OrderStatusBadge({ status }: { status: TOrderStatus }) {
  return <span className={`badge badge-order-${status}`}>{orderLabels[status]}</span>;
}

/**
 * Who a ticket is for, for people: the attendee's name, or their e-mail address when the ticket
 * was issued to a buyer who never set a name.
 */
export function ticketHolder(ticket: Pick<TTicket, 'attendeeName' | 'attendeeEmail'>): string {
  return ticket.attendeeName.trim() || ticket.attendeeEmail;
}

export type TTicketState = 'valid' | 'void' | 'checked_in';

/** A ticket's state at the door: valid, already checked in, or void. */
export function ticketState(ticket: Pick<TTicket, 'status' | 'checkedInAt'>): TTicketState {
  if (ticket.status === 'void') return 'void';
  return ticket.checkedInAt ? 'checked_in' : 'valid';
}

const ticketLabels: Record<TTicketState, string> = {
  valid: 'Valid',
  void: 'Void',
  checked_in: 'Checked in',
};

export function TicketStateBadge({ ticket }: { ticket: Pick<TTicket, 'status' | 'checkedInAt'> }) {
  const state = ticketState(ticket);
  return <span className={`badge badge-ticket-${state}`}>{ticketLabels[state]}</span>;
}
