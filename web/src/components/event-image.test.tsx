import { render } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { EventImage, heroImageSizes, preloadEventImage } from './event-image';

const event = {
  title: 'Harbour Jazz Night',
  imageVariants: { sm: '/files/a-sm.webp', md: '/files/a-md.webp', lg: '/files/a-lg.webp' },
};

afterEach(() => {
  for (const link of document.head.querySelectorAll('link[rel="preload"]')) link.remove();
});

describe('preloadEventImage', () => {
  test('asks for the very rendition the page’s <img> will pick: same srcset, same sizes', () => {
    preloadEventImage(event, heroImageSizes);
    const { container } = render(<EventImage event={event} sizes={heroImageSizes} isEager />);
    const img = container.querySelector('img');
    const link = document.head.querySelector<HTMLLinkElement>('link[rel="preload"]');

    expect(link?.getAttribute('as')).toBe('image');
    expect(link?.getAttribute('imagesrcset')).toBe(img?.getAttribute('srcset'));
    expect(link?.getAttribute('imagesizes')).toBe(img?.getAttribute('sizes'));
    expect(link?.getAttribute('fetchpriority')).toBe('high');
  });

  test('does nothing for an event without an image, or no event at all', () => {
    preloadEventImage({ imageVariants: null }, heroImageSizes);
    preloadEventImage(undefined, heroImageSizes);
    expect(document.head.querySelectorAll('link[rel="preload"]')).toHaveLength(0);
  });
});
