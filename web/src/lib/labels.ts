import type { TAgeRating, TCategory, TRole } from '../api/client';

const categoryLabels: Record<TCategory, string> = {
  music: 'Music',
  conference: 'Conference',
  workshop: 'Workshop',
  sports: 'Sports',
  theatre: 'Theatre',
  festival: 'Festival',
  food: 'Food & drink',
  community: 'Community',
  exhibition: 'Exhibition',
  comedy: 'Comedy',
  film: 'Film',
  other: 'Other',
};

export const categoryLabel = (category: TCategory) => categoryLabels[category];

const ageRatingLabels: Record<TAgeRating, string> = {
  all: 'All ages',
  '12+': '12 and over',
  '16+': '16 and over',
  '18+': '18 and over',
};

export const ageRatingLabel = (rating: TAgeRating) => ageRatingLabels[rating];

const roleLabels: Record<TRole | 'admin', string> = {
  owner: 'Owner',
  manager: 'Manager',
  staff: 'Staff',
  admin: 'Administrator',
};

export const roleLabel = (role: TRole | 'admin') => roleLabels[role];

/** What each role may do, phrased for the team page. */
export const roleDescriptions: Record<TRole, string> = {
  owner: 'everything, including the team',
  manager: 'events, orders and reports',
  staff: 'check-in only; can view events',
};

/** Language name for a tag like `pt-BR`, falling back to the tag. */
export function languageLabel(tag: string, locale?: string): string {
  try {
    return (
      new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'language' }).of(tag) ?? tag
    );
  } catch {
    return tag;
  }
}
