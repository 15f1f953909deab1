import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, test } from 'vitest';
import { makeEvent } from '../test/factories';
import { EventCard } from './event-card';

function renderCard(...args: Parameters<typeof makeEvent>) {
  return render(
    <MemoryRouter>
      <EventCard event={makeEvent(...args)} locale="en-GB" />
    </MemoryRouter>,
  );
}

describe('EventCard', () => {
  test('shows the start in the event’s own time zone, whatever the reader’s zone', () => {
    // 18:00 UTC is 10:00 in Los Angeles (PST) and 19:00 in Berlin.
    renderCard({ startsAt: '2026-11-28T18:00:00.000Z', timezone: 'America/Los_Angeles' });
    const time = screen.getByText(/2026/);
    expect(time.tagName).toBe('TIME');
    expect(time.getAttribute('datetime')).toBe('2026-11-28T18:00:00.000Z');
    expect(time.textContent).toBe('Sat, 28 Nov 2026, 10:00');
  });

  test('a late evening in Tokyo is the next day there', () => {
    renderCard({ startsAt: '2026-11-28T23:30:00.000Z', timezone: 'Asia/Tokyo' });
    expect(screen.getByText(/2026/).textContent).toMatch(/^Sun, 29 Nov 2026, 0?8:30$/);
  });

  test('links the title to the event page and names the city', () => {
    renderCard();
    const link = screen.getByRole('link', { name: 'Harbour Lights Jazz Night' });
    expect(link.getAttribute('href')).toBe('/events/harbour-lights-jazz-night');
    expect(screen.getByText('Lisbon')).toBeTruthy();
    expect(screen.getByText('Music')).toBeTruthy();
  });

  test('online events say so', () => {
    renderCard({ venue: null, onlineUrl: 'https://meet.example.org/x' });
    expect(screen.getByText('Online')).toBeTruthy();
  });

  test('the image offers renditions by width, reserves its box and loads lazily', () => {
    const { container } = renderCard();
    const img = container.querySelector('img');
    expect(img?.getAttribute('srcset')).toBe(
      '/files/e/sm.webp 400w, /files/e/md.webp 800w, /files/e/lg.webp 1600w',
    );
    expect(img?.getAttribute('src')).toBe('/files/e/md.webp');
    expect(img?.getAttribute('width')).toBe('800');
    expect(img?.getAttribute('height')).toBe('450');
    expect(img?.getAttribute('loading')).toBe('lazy');
  });

  test('without an image a neutral placeholder keeps the layout', () => {
    const { container } = renderCard({ imageUrl: null, imageVariants: null });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.event-image-placeholder')).not.toBeNull();
  });
});
