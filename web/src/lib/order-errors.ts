import type { ApiError } from '../api/errors';

/** What to tell a buyer for each error the order, payment and waiting-list routes can give. */
export function describeOrderError(error: ApiError): string {
  switch (error.code) {
    case 'sold_out':
      return 'Not enough tickets are left for your selection. The availability is updated: choose again.';
    case 'sales_closed':
      return 'Tickets of this type are not on sale right now.';
    case 'event_not_on_sale':
      return 'This event is not open for orders.';
    case 'quantity_not_allowed': {
      const max = error.detailNumber('maxPerOrder');
      return max === undefined
        ? 'That many tickets of one type cannot be bought in one order.'
        : `At most ${max} tickets of this type fit in one order.`;
    }
    case 'payment_declined':
      return 'Your card was declined. Nothing was charged: try another card.';
    case 'payment_failed':
      return 'The payment provider did not answer. Nothing was charged: try again.';
    case 'payment_in_progress':
      return 'A payment for this order is already under way. Wait a moment, then reload the page.';
    case 'order_expired':
      return 'The hold on these tickets has expired, so they were released.';
    case 'order_already_paid':
      return 'This order is already paid.';
    case 'order_not_payable':
      return 'This order cannot be paid in its current state.';
    case 'order_not_cancellable':
      return 'This order cannot be cancelled in its current state.';
    case 'refund_not_allowed':
      return 'The organizer does not allow refunds for this order (or the event has started), so it cannot be cancelled here. Contact the organizer.';
    case 'offer_not_available':
      return 'This waiting-list offer has expired or was already used.';
    default:
      return error.message;
  }
}
