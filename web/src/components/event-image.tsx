import type { TEvent } from '../api/client';

/** Stored renditions are 16:9 at these widths (see the server's image processing). */
const variantWidths = { sm: 400, md: 800, lg: 1600 } as const;

/**
 * The event's image in the size the layout needs: the browser picks a rendition from `srcset`,
 * and width/height reserve the 16:9 box before it loads, so nothing jumps. `isEager` is for the
 * image at the top of a page; the others load when they come near the viewport.
 */
export function EventImage({
  event,
  sizes,
  isEager = false,
  className,
}: {
  event: Pick<TEvent, 'imageVariants' | 'title'>;
  sizes: string;
  isEager?: boolean;
  className?: string;
}) {
  const variants = event.imageVariants;
  if (!variants) {
    return <div className={`event-image-placeholder ${className ?? ''}`} aria-hidden="true" />;
  }
  return (
    <img
      className={className}
      src={variants.md}
      srcSet={`${variants.sm} ${variantWidths.sm}w, ${variants.md} ${variantWidths.md}w, ${variants.lg} ${variantWidths.lg}w`}
      sizes={sizes}
      width={variantWidths.md}
      height={(variantWidths.md * 9) / 16}
      loading={isEager ? 'eager' : 'lazy'}
      // An eager image is the first thing the page shows (its largest paint): fetch it first.
      fetchPriority={isEager ? 'high' : 'auto'}
      decoding="async"
      // Decorative next to the title, which names the event; an alt text would repeat it.
      alt=""
    />
  );
}
