import type { TEventStatus } from '../api/client';

const labels: Record<TEventStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  cancelled: 'Cancelled',
};

/** An event's status as a coloured label (the colour is never the only cue: the word is there). */
export function StatusBadge({ status }: { status: TEventStatus }) {
  return <span className={`badge badge-${status}`}>{labels[status]}</span>;
}
