/** One recorded page view or action. */
export type TActivityRecord = {
  type: string;
  eventId: string | null;
  userId: string | null;
  visitorId: string | null;
  metadata: Record<string, unknown>;
  occurredAt: Date;
};

export type TEventViews = {
  views: number;
  uniqueVisitors: number;
  /** Per day in the given time zone, ascending. */
  daily: { date: string; views: number; uniqueVisitors: number }[];
};

/**
 * The activity log port: PostgreSQL by default, DynamoDB in AWS. It takes the high-volume
 * browser activity; what the server itself observes (purchases) is written beside the change
 * in PostgreSQL, and analytics read sales from the orders and tickets tables.
 */
export type TActivityStore = {
  readonly kind: 'database' | 'dynamodb';
  append(records: TActivityRecord[]): Promise<void>;
  eventViews(eventId: string, timezone: string): Promise<TEventViews>;
  ping(): Promise<void>;
};

/** The visitor a record counts for: the signed-in user if any, else the browser's id. */
export const visitorKey = (r: Pick<TActivityRecord, 'userId' | 'visitorId'>) =>
  r.userId ? `u:${r.userId}` : r.visitorId ? `v:${r.visitorId}` : null;

/** YYYY-MM-DD of an instant in a time zone. */
export function dayIn(timezone: string) {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (instant: Date) => format.format(instant);
}
