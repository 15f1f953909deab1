import type { components, paths } from './schema';

/** The ticketing shapes of the API (ticket types, orders, tickets), named for the web app. */
type TSchemas = components['schemas'];
export type TTicketType = TSchemas['TicketType'];
export type TOrder = TSchemas['Order'];
export type TOrderStatus = TOrder['status'];
export type TOrderItem = TOrder['items'][number];
export type TTicket = TSchemas['Ticket'];
export type TTicketDetail = TSchemas['TicketDetail'];
export type TCreateOrderBody =
  paths['/api/v1/orders']['post']['requestBody']['content']['application/json'];
export type TAttendeeInput = NonNullable<TCreateOrderBody['attendees']>[number];
export type TCreateTicketTypeBody =
  paths['/api/v1/events/{id}/ticket-types']['post']['requestBody']['content']['application/json'];
export type TUpdateTicketTypeBody =
  paths['/api/v1/ticket-types/{id}']['patch']['requestBody']['content']['application/json'];

/** Every order status, in the order a person would filter by them. */
export const orderStatuses = [
  'pending',
  'paid',
  'expired',
  'cancelled',
  'refunded',
] as const satisfies readonly TOrderStatus[];

type TMissing<TAll, TListed> = Exclude<TAll, TListed> extends never ? true : never;
const _statusesComplete: TMissing<TOrderStatus, (typeof orderStatuses)[number]> = true;
