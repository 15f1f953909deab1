import {
  formatCount,
  formatDay,
  formatPercent,
  formatRevenue,
  sortedDays,
  type TAnalytics,
} from './insights-data';

/*
 * The numbers behind each chart, as tables: the accessible alternative to the canvas, and what a
 * reader copies into a spreadsheet.
 */

export function TrafficTable({ analytics }: { analytics: TAnalytics }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Views and unique visitors per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" className="numeric">
            Views
          </th>
          <th scope="col" className="numeric">
            Unique visitors
          </th>
        </tr>
      </thead>
      <tbody>
        {sortedDays(analytics).map((day) => (
          <tr key={day.date}>
            <th scope="row">
              <time dateTime={day.date}>{formatDay(day.date)}</time>
            </th>
            <td className="numeric">{formatCount(day.views)}</td>
            <td className="numeric">{formatCount(day.uniqueVisitors)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="numeric">{formatCount(analytics.views)}</td>
          <td className="numeric">{formatCount(analytics.uniqueVisitors)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function SalesTable({ analytics }: { analytics: TAnalytics }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Orders, tickets sold and revenue per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col" className="numeric">
            Orders
          </th>
          <th scope="col" className="numeric">
            Tickets sold
          </th>
          <th scope="col" className="numeric">
            Revenue
          </th>
        </tr>
      </thead>
      <tbody>
        {sortedDays(analytics).map((day) => (
          <tr key={day.date}>
            <th scope="row">
              <time dateTime={day.date}>{formatDay(day.date)}</time>
            </th>
            <td className="numeric">{formatCount(day.orders)}</td>
            <td className="numeric">{formatCount(day.ticketsSold)}</td>
            <td className="numeric">{formatRevenue(day.revenueCents, analytics.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="numeric">{formatCount(analytics.orders)}</td>
          <td className="numeric">{formatCount(analytics.ticketsSold)}</td>
          <td className="numeric">{formatRevenue(analytics.revenueCents, analytics.currency)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function TicketTypeTable({ analytics }: { analytics: TAnalytics }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">Sales and check-ins by ticket type</caption>
      <thead>
        <tr>
          <th scope="col">Ticket type</th>
          <th scope="col" className="numeric">
            Sold
          </th>
          <th scope="col" className="numeric">
            Capacity
          </th>
          <th scope="col" className="numeric">
            Revenue
          </th>
          <th scope="col" className="numeric">
            Checked in
          </th>
        </tr>
      </thead>
      <tbody>
        {analytics.byTicketType.map((type) => (
          <tr key={type.ticketTypeId}>
            <th scope="row">{type.name}</th>
            <td className="numeric">{formatCount(type.ticketsSold)}</td>
            <td className="numeric">{formatCount(type.capacity)}</td>
            <td className="numeric">{formatRevenue(type.revenueCents, analytics.currency)}</td>
            <td className="numeric">{formatCount(type.checkedIn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CheckInTable({ analytics }: { analytics: TAnalytics }) {
  const { admitted, total } = analytics.checkIns;
  return (
    <table className="data-table">
      <caption className="visually-hidden">Check-in progress</caption>
      <tbody>
        <tr>
          <th scope="row">Checked in</th>
          <td className="numeric">{formatCount(admitted)}</td>
        </tr>
        <tr>
          <th scope="row">Not yet checked in</th>
          <td className="numeric">{formatCount(Math.max(total - admitted, 0))}</td>
        </tr>
        <tr>
          <th scope="row">Share checked in</th>
          <td className="numeric">{formatPercent(total > 0 ? admitted / total : null)}</td>
        </tr>
      </tbody>
    </table>
  );
}
