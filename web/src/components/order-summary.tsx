import type { TOrder } from '../api/ticketing';
import { formatMoney, formatPrice } from '../lib/money';

/** The lines of an order and its total, as a table a screen reader can walk through. */
export function OrderSummary({ order }: { order: TOrder }) {
  return (
    <table className="order-table">
      <caption className="visually-hidden">Order summary</caption>
      <thead>
        <tr>
          <th scope="col">Ticket</th>
          <th scope="col" className="numeric">
            Quantity
          </th>
          <th scope="col" className="numeric">
            Price
          </th>
          <th scope="col" className="numeric">
            Subtotal
          </th>
        </tr>
      </thead>
      <tbody>
        {order.items.map((item) => (
          <tr key={item.ticketTypeId}>
            <th scope="row">{item.name}</th>
            <td className="numeric">{item.quantity}</td>
            <td className="numeric">{formatPrice(item.unitPriceCents, order.currency)}</td>
            <td className="numeric">
              {formatMoney(item.unitPriceCents * item.quantity, order.currency)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="numeric order-total">{formatMoney(order.totalCents, order.currency)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
