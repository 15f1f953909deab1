import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * The one API client. Its types come from the server's OpenAPI document (`npm run gen:api`), so a
 * changed route or field shows up here as a type error rather than a runtime surprise.
 * The session travels in the httpOnly cookie; same-origin requests carry `Origin`, which the
 * server checks on writes.
 */
export const api = createClient<paths>({
  credentials: 'same-origin',
  // Looked up on every call rather than captured once, so tests can stand in for the network.
  fetch: (input: Request) => globalThis.fetch(input),
});

type TSchemas = components['schemas'];
export type TEvent = TSchemas['Event'];
export type TUser = TSchemas['User'];
export type TOrganizer = TSchemas['Organizer'];
export type TMember = TSchemas['Member'];
export type TAuditEntry = TSchemas['AuditEntry'];
export type TDevMail = TSchemas['DevMail'];
export type TEventImage = TSchemas['EventImage'];
export type TCategory = TEvent['category'];
export type TAgeRating = TEvent['ageRating'];
export type TEventStatus = TEvent['status'];
export type TRole = TMember['role'];
export type TCreateEventBody =
  paths['/api/v1/organizers/{id}/events']['post']['requestBody']['content']['application/json'];
export type TUpdateEventBody = NonNullable<
  paths['/api/v1/events/{id}']['patch']['requestBody']
>['content']['application/json'];
export type TEventListQuery = NonNullable<paths['/api/v1/events']['get']['parameters']['query']>;

/** The categories the API accepts, in the order the server lists them. */
export const eventCategories = [
  'music',
  'conference',
  'workshop',
  'sports',
  'theatre',
  'festival',
  'food',
  'community',
  'exhibition',
  'comedy',
  'film',
  'other',
] as const satisfies readonly TCategory[];

export const ageRatings = ['all', '12+', '16+', '18+'] as const satisfies readonly TAgeRating[];
export const roles = ['owner', 'manager', 'staff'] as const satisfies readonly TRole[];

// Compile-time proof that the lists above name every value the API knows.
type TMissing<TAll, TListed> = Exclude<TAll, TListed> extends never ? true : never;
const _categoriesComplete: TMissing<TCategory, (typeof eventCategories)[number]> = true;
const _ratingsComplete: TMissing<TAgeRating, (typeof ageRatings)[number]> = true;
const _rolesComplete: TMissing<TRole, (typeof roles)[number]> = true;
