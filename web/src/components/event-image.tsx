import type { TEvent } from '../api/client';

/** Stored renditions are 16:9 at these widths (see the server's image processing). */
const variantWidths = { sm: 400, md: 800, lg: 1600 } as const;

/** The `sizes` of the two images that are a page's largest paint. */
export const cardImageSizes = '(min-width: 1100px) 340px, (min-width: 700px) 45vw, 100vw';
export const heroImageSizes = '(min-width: 1100px) 1040px, 100vw';

type TVariants = NonNullable<TEvent['imageVariants']>;
const srcSetOf = (variants: TVariants) =>
  `${variants.sm} ${variantWidths.sm}w, ${variants.md} ${variantWidths.md}w, ${variants.lg} ${variantWidths.lg}w`;

/**
 * Starts loading the image a page is about to show first (its largest paint) as soon as the
 * page's data is known, before React has rendered the `<img>`: the same `srcset` and `sizes`,
 * so the browser picks the same rendition and uses this download for the image.
 */
export function preloadEventImage(
  event: Pick<TEvent, 'imageVariants'> | undefined,
  sizes: string,
): void {
  if (!event?.imageVariants) return;
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'image';
  link.setAttribute('imagesrcset', srcSetOf(event.imageVariants));
  link.setAttribute('imagesizes', sizes);
  link.setAttribute('fetchpriority', 'high');
  document.head.append(link);
}

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
      srcSet={srcSetOf(variants)}
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
