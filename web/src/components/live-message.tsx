import type { ReactNode } from 'react';

/**
 * A message region that is always in the page, so screen readers announce what appears in it.
 * `tone="error"` is assertive (an alert); anything else is polite (a status).
 */
export function LiveMessage({
  tone = 'info',
  children,
  id,
}: {
  tone?: 'info' | 'success' | 'error';
  children?: ReactNode;
  id?: string;
}) {
  const hasContent = children !== undefined && children !== null && children !== false;
  return (
    <div
      id={id}
      role={tone === 'error' ? 'alert' : 'status'}
      aria-live={tone === 'error' ? 'assertive' : 'polite'}
      className={hasContent ? `notice notice-${tone}` : 'notice-empty'}
    >
      {hasContent ? children : null}
    </div>
  );
}
