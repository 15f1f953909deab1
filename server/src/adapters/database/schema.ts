import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database fills in; read as Date, written as Date or left out. */
type TCreatedAt = ColumnType<Date, Date | undefined, Date>;

export interface TUsersTable {
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  is_admin: Generated<boolean>;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
}

export interface TOtpCodesTable {
  email: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Date;
  consumed_at: Date | null;
  created_at: TCreatedAt;
}

export interface TSessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: TCreatedAt;
  last_seen_at: TCreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

export interface TOrganizersTable {
  id: Generated<string>;
  name: string;
  slug: string;
  allows_refunds: Generated<boolean>;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
}

export type TMemberRole = 'owner' | 'manager' | 'staff';

export interface TOrganizerMembersTable {
  organizer_id: string;
  user_id: string;
  role: TMemberRole;
  created_at: TCreatedAt;
}

export type TEventStatus = 'draft' | 'published' | 'cancelled';

export interface TEventsTable {
  id: Generated<string>;
  organizer_id: string;
  slug: string;
  title: string;
  description: Generated<string>;
  category: string;
  tags: Generated<string[]>;
  language: Generated<string>;
  age_rating: Generated<string>;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  venue_name: string | null;
  venue_address: string | null;
  venue_city: string | null;
  venue_country: string | null;
  online_url: string | null;
  image_key: string | null;
  status: Generated<TEventStatus>;
  published_at: Date | null;
  cancelled_at: Date | null;
  reminded_for_starts_at: Generated<Date | null>;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
  search: ColumnType<string, never, never>;
  revocation_version: Generated<number>;
}

export interface TAuditLogTable {
  id: Generated<number>;
  organizer_id: string;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  created_at: TCreatedAt;
}

export interface TDevMailTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  attachments: ColumnType<
    { filename: string; contentType: string; size: number; key?: string }[],
    string,
    string
  >;
  created_at: TCreatedAt;
}

export interface TTicketTypesTable {
  id: Generated<string>;
  event_id: string;
  name: string;
  description: Generated<string>;
  price_cents: number;
  currency: string;
  capacity: number;
  sold: Generated<number>;
  held: Generated<number>;
  sales_start_at: Date | null;
  sales_end_at: Date | null;
  max_per_order: Generated<number>;
  hidden: Generated<boolean>;
  sort_order: Generated<number>;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
}

export type TOrderStatus = 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
export type TAttendee = { name: string; email: string };

export interface TOrdersTable {
  id: Generated<string>;
  event_id: string;
  user_id: string;
  status: TOrderStatus;
  total_cents: number;
  currency: string;
  expires_at: Date;
  idempotency_key: string | null;
  request_hash: string;
  attendees: ColumnType<TAttendee[], string, string>;
  payment_provider: string | null;
  payment_reference: string | null;
  paying_until: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  refunded_at: Date | null;
  expired_at: Date | null;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
}

export interface TOrderItemsTable {
  order_id: string;
  ticket_type_id: string;
  quantity: number;
  unit_price_cents: number;
}

export interface TEventKeysTable {
  id: string;
  event_id: string;
  public_key: string;
  private_key_encrypted: string;
  created_at: TCreatedAt;
  retired_at: Date | null;
}

export type TTicketStatus = 'valid' | 'void';

export interface TTicketsTable {
  id: string;
  order_id: string;
  event_id: string;
  ticket_type_id: string;
  seat: number;
  code: string;
  status: Generated<TTicketStatus>;
  attendee_name: Generated<string>;
  attendee_email: string;
  checked_in_at: Date | null;
  checked_in_gate: string | null;
  checked_in_device: string | null;
  qr_key: string | null;
  voided_at: Date | null;
  void_version: number | null;
  created_at: TCreatedAt;
}

export type TWaitlistStatus = 'waiting' | 'offered' | 'claimed' | 'lapsed';

export interface TWaitlistEntriesTable {
  id: Generated<number>;
  ticket_type_id: string;
  email: string;
  status: Generated<TWaitlistStatus>;
  offer_expires_at: Date | null;
  claim_token_hash: string | null;
  order_id: string | null;
  created_at: TCreatedAt;
  updated_at: TCreatedAt;
}

export interface TJobsTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  dedupe_key: string | null;
  run_at: Date;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_until: Date | null;
  last_error: string | null;
  done_at: Date | null;
  failed_at: Date | null;
  created_at: TCreatedAt;
}

export type TCheckInResult =
  'ok' | 'already_checked_in' | 'invalid' | 'void' | 'wrong_event' | 'undone';

export interface TCheckInsTable {
  id: Generated<number>;
  event_id: string;
  ticket_id: string | null;
  ticket_type_id: string | null;
  result: TCheckInResult;
  gate: string | null;
  device_id: string | null;
  scanned_by: string | null;
  scanned_at: Date;
  received_at: TCreatedAt;
  source: 'online' | 'offline' | 'manual';
  code_fingerprint: string;
  dedupe_key: string | null;
}

export type TSubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';

export interface TSubscriptionsTable {
  id: Generated<number>;
  email: string;
  topic: string;
  status: TSubscriptionStatus;
  confirm_generation: Generated<number>;
  confirm_expires_at: Date | null;
  confirm_sent_at: Date | null;
  created_at: TCreatedAt;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
}

export type TBroadcastKind = 'announcement' | 'reminder' | 'event_changed' | 'event_cancelled';

export interface TBroadcastsTable {
  id: Generated<number>;
  event_id: string;
  kind: TBroadcastKind;
  subject: string;
  body: string;
  created_by: string | null;
  created_at: TCreatedAt;
  fanned_out_at: Date | null;
  dedupe_key: string | null;
}

export type TDeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface TBroadcastDeliveriesTable {
  id: Generated<number>;
  broadcast_id: number;
  email: string;
  topic: string;
  status: Generated<TDeliveryStatus>;
  attempts: Generated<number>;
  sent_at: Date | null;
}

export interface TActivityTable {
  id: Generated<number>;
  type: string;
  event_id: string | null;
  user_id: string | null;
  visitor_id: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  occurred_at: TCreatedAt;
}

/** A counter change applied when its transaction commits (see the deferred_seat_moves migration). */
export interface TDeferredSeatMovesTable {
  id: Generated<number>;
  ticket_type_id: string;
  held_change: number;
  sold_change: number;
}

/** Every table, as Kysely sees it. Kept by hand beside the SQL migrations it mirrors. */
export interface TDB {
  users: TUsersTable;
  otp_codes: TOtpCodesTable;
  sessions: TSessionsTable;
  organizers: TOrganizersTable;
  organizer_members: TOrganizerMembersTable;
  events: TEventsTable;
  audit_log: TAuditLogTable;
  dev_mail: TDevMailTable;
  ticket_types: TTicketTypesTable;
  orders: TOrdersTable;
  order_items: TOrderItemsTable;
  event_keys: TEventKeysTable;
  tickets: TTicketsTable;
  waitlist_entries: TWaitlistEntriesTable;
  jobs: TJobsTable;
  check_ins: TCheckInsTable;
  subscriptions: TSubscriptionsTable;
  broadcasts: TBroadcastsTable;
  broadcast_deliveries: TBroadcastDeliveriesTable;
  activity: TActivityTable;
  deferred_seat_moves: TDeferredSeatMovesTable;
}
