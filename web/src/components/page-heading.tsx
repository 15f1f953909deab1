import { createContext, useContext, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';

export type TRouteFocus = {
  /** Records that the page at `pathname` rendered; true when focus should move to its heading. */
  arrive: (pathname: string) => boolean;
};

/**
 * Decides when a page heading takes focus: never on the first page of a visit (the skip link
 * comes first), always when a navigation reached a new path, and again when the same page swaps
 * its heading (loading → loaded) while focus was on the heading that went away.
 */
export function createRouteFocus(doc: {
  activeElement: Element | null;
  body: Element | null;
}): TRouteFocus {
  let lastPath: string | null = null;
  let hasNavigated = false;
  return {
    arrive(pathname) {
      if (lastPath === null) {
        lastPath = pathname;
        return false;
      }
      if (pathname !== lastPath) {
        lastPath = pathname;
        hasNavigated = true;
        return true;
      }
      return hasNavigated && (doc.activeElement === null || doc.activeElement === doc.body);
    },
  };
}

/** Tells headings whether they are the first page of the visit or reached by navigation. */
export const RouteFocusContext = createContext<TRouteFocus>({ arrive: () => false });

/**
 * The page's `<h1>`. After a client-side navigation it takes keyboard focus, so screen-reader
 * and keyboard users start at the new page's top instead of on the link they just followed.
 * On the first page load focus stays where the browser puts it (so the skip link comes first).
 */
export function PageHeading({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();
  const routeFocus = useContext(RouteFocusContext);

  useEffect(() => {
    if (routeFocus.arrive(pathname)) ref.current?.focus();
  }, [pathname, routeFocus]);

  return (
    <h1 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}

/** Sets the document title for the current page. */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · TickItNow` : 'TickItNow';
  }, [title]);
}
