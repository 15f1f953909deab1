import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
  type ChartTypeRegistry,
} from 'chart.js';
import { useId, type ReactNode } from 'react';
import { Chart, Doughnut, Line } from 'react-chartjs-2';
import {
  describeCheckIns,
  describeSales,
  describeTicketTypes,
  describeTraffic,
  formatDay,
  formatRevenue,
  sortedDays,
  toMajorUnits,
  type TAnalytics,
} from './insights-data';
import { CheckInTable, SalesTable, TicketTypeTable, TrafficTable } from './insights-tables';

// Only the parts these charts use, so the chunk stays small.
ChartJS.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

const colors = {
  primary: '#4338ca',
  teal: '#0f766e',
  orange: '#c2410c',
  grey: '#d6d7e1',
};

const prefersReducedMotion = () =>
  typeof window.matchMedia === 'function' &&
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;

function baseOptions<T extends keyof ChartTypeRegistry>(): ChartOptions<T> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: prefersReducedMotion() ? false : undefined,
    plugins: { legend: { position: 'bottom' } },
  } as ChartOptions<T>;
}

/**
 * A chart with its accessible alternatives: the canvas is an image whose name summarises it in a
 * sentence, and the exact numbers are one click away as a table.
 */
function ChartFigure({
  title,
  summary,
  table,
  children,
}: {
  title: string;
  summary: string;
  table: ReactNode;
  children: (label: string) => ReactNode;
}) {
  const headingId = useId();
  return (
    <figure className="chart-figure" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p className="muted chart-summary">{summary}</p>
      <div className="chart-canvas">{children(`${title}. ${summary}`)}</div>
      <details className="chart-table">
        <summary>
          Show the numbers<span className="visually-hidden"> for {title.toLowerCase()}</span>
        </summary>
        {table}
      </details>
    </figure>
  );
}

/** Views and visitors, sales and revenue per day, sales by ticket type, check-in progress. */
export default function InsightsCharts({ analytics }: { analytics: TAnalytics }) {
  const days = sortedDays(analytics);
  const labels = days.map((d) => formatDay(d.date));
  const { admitted, total } = analytics.checkIns;
  const currency = analytics.currency;

  return (
    <div className="chart-grid">
      <ChartFigure
        title="Views and visitors per day"
        summary={describeTraffic(analytics)}
        table={<TrafficTable analytics={analytics} />}
      >
        {(label) => (
          <Line
            role="img"
            aria-label={label}
            options={{
              ...baseOptions<'line'>(),
              scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
            }}
            data={{
              labels,
              datasets: [
                {
                  label: 'Views',
                  data: days.map((d) => d.views),
                  borderColor: colors.primary,
                  backgroundColor: colors.primary,
                  tension: 0.25,
                },
                {
                  label: 'Unique visitors',
                  data: days.map((d) => d.uniqueVisitors),
                  borderColor: colors.teal,
                  backgroundColor: colors.teal,
                  borderDash: [6, 4],
                  tension: 0.25,
                },
              ],
            }}
          />
        )}
      </ChartFigure>

      <ChartFigure
        title="Tickets sold and revenue per day"
        summary={describeSales(analytics)}
        table={<SalesTable analytics={analytics} />}
      >
        {(label) => (
          <Chart<'bar' | 'line'>
            type="bar"
            role="img"
            aria-label={label}
            options={{
              ...baseOptions<'bar' | 'line'>(),
              scales: {
                y: {
                  beginAtZero: true,
                  position: 'left',
                  title: { display: true, text: 'Tickets' },
                  ticks: { precision: 0 },
                },
                revenue: {
                  beginAtZero: true,
                  position: 'right',
                  grid: { drawOnChartArea: false },
                  title: { display: true, text: currency ? `Revenue (${currency})` : 'Revenue' },
                },
              },
              plugins: {
                legend: { position: 'bottom' },
                tooltip: {
                  callbacks: {
                    label: (item) => {
                      const day = days[item.dataIndex];
                      if (!day) return '';
                      return item.dataset.yAxisID === 'revenue'
                        ? `Revenue: ${formatRevenue(day.revenueCents, currency)}`
                        : `Tickets sold: ${day.ticketsSold}`;
                    },
                  },
                },
              },
            }}
            data={{
              labels,
              datasets: [
                {
                  type: 'bar' as const,
                  label: 'Tickets sold',
                  data: days.map((d) => d.ticketsSold),
                  backgroundColor: colors.primary,
                  yAxisID: 'y',
                },
                {
                  type: 'line' as const,
                  label: 'Revenue',
                  data: days.map((d) => toMajorUnits(d.revenueCents, currency)),
                  borderColor: colors.orange,
                  backgroundColor: colors.orange,
                  yAxisID: 'revenue',
                },
              ],
            }}
          />
        )}
      </ChartFigure>

      <ChartFigure
        title="Sales by ticket type"
        summary={describeTicketTypes(analytics)}
        table={<TicketTypeTable analytics={analytics} />}
      >
        {(label) => (
          <Chart
            type="bar"
            role="img"
            aria-label={label}
            options={{
              ...baseOptions<'bar'>(),
              indexAxis: 'y',
              scales: {
                x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
                y: { stacked: true },
              },
            }}
            data={{
              labels: analytics.byTicketType.map((t) => t.name),
              datasets: [
                {
                  label: 'Sold',
                  data: analytics.byTicketType.map((t) => t.ticketsSold),
                  backgroundColor: colors.primary,
                },
                {
                  label: 'Still available',
                  data: analytics.byTicketType.map((t) => Math.max(t.capacity - t.ticketsSold, 0)),
                  backgroundColor: colors.grey,
                },
              ],
            }}
          />
        )}
      </ChartFigure>

      <ChartFigure
        title="Check-in progress"
        summary={describeCheckIns(analytics)}
        table={<CheckInTable analytics={analytics} />}
      >
        {(label) => (
          <Doughnut
            role="img"
            aria-label={label}
            options={{ ...baseOptions<'doughnut'>(), cutout: '65%' }}
            data={{
              labels: ['Checked in', 'Not yet checked in'],
              datasets: [
                {
                  data: [admitted, Math.max(total - admitted, 0)],
                  backgroundColor: [colors.teal, colors.grey],
                  borderWidth: 0,
                },
              ],
            }}
          />
        )}
      </ChartFigure>
    </div>
  );
}
