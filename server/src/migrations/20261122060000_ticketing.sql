-- Ticketing: ticket types with inventory counters, orders with holds, tickets with signed codes,
-- per-event signing keys, waiting lists, and the durable job queue.

-- Whether a buyer may cancel a paid order for a refund (the team can always refund).
ALTER TABLE organizers ADD COLUMN allows_refunds boolean NOT NULL DEFAULT true;

CREATE TABLE ticket_types (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  capacity integer NOT NULL CHECK (capacity > 0),
  -- Seats paid for, and seats held by pending orders or waiting-list offers.
  sold integer NOT NULL DEFAULT 0,
  held integer NOT NULL DEFAULT 0,
  sales_start_at timestamptz,
  sales_end_at timestamptz,
  max_per_order integer NOT NULL DEFAULT 10 CHECK (max_per_order BETWEEN 1 AND 100),
  hidden boolean NOT NULL DEFAULT false,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- THE no-oversell guarantee. Every hold and sale changes these counters in a single UPDATE of
  -- this row; PostgreSQL evaluates the check on the new row version while holding the row lock,
  -- so no interleaving of transactions on any number of API instances can commit a row where
  -- sold + held exceeds capacity. Application code cannot get around it.
  CONSTRAINT ticket_types_no_oversell CHECK (sold >= 0 AND held >= 0 AND sold + held <= capacity),
  CONSTRAINT ticket_types_sales_window CHECK (sales_end_at IS NULL OR sales_start_at IS NULL OR sales_end_at > sales_start_at)
);
CREATE INDEX ticket_types_event_idx ON ticket_types (event_id, sort_order);

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL REFERENCES events (id),
  user_id uuid NOT NULL REFERENCES users (id),
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled', 'refunded')),
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  currency text NOT NULL,
  -- When the hold lapses (pending orders only).
  expires_at timestamptz NOT NULL,
  idempotency_key text,
  -- Hash of the request that created the order, so a replayed key with another body is refused.
  request_hash text NOT NULL,
  attendees jsonb NOT NULL DEFAULT '[]',
  payment_provider text,
  payment_reference text,
  -- Set while a payment call is running; the hold does not expire under it until this passes.
  paying_until timestamptz,
  paid_at timestamptz,
  cancelled_at timestamptz,
  refunded_at timestamptz,
  expired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX orders_idempotency_key ON orders (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_event_idx ON orders (event_id, created_at DESC);
-- The expiry sweep reads only pending orders, oldest deadline first.
CREATE INDEX orders_pending_expiry_idx ON orders (expires_at) WHERE status = 'pending';

CREATE TABLE order_items (
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  ticket_type_id uuid NOT NULL REFERENCES ticket_types (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, ticket_type_id)
);
CREATE INDEX order_items_ticket_type_idx ON order_items (ticket_type_id);

-- One signing key pair per event; the private key is encrypted with a key derived from APP_SECRET.
CREATE TABLE event_keys (
  id text PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  public_key text NOT NULL,
  private_key_encrypted text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX event_keys_active_idx ON event_keys (event_id) WHERE retired_at IS NULL;

CREATE TABLE tickets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id),
  event_id uuid NOT NULL REFERENCES events (id),
  ticket_type_id uuid NOT NULL REFERENCES ticket_types (id),
  -- Position within the order (attendee i gets seat i).
  seat integer NOT NULL DEFAULT 0,
  -- The QR payload: a signed token holding ids and validity, no personal data.
  code text NOT NULL,
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
  attendee_name text NOT NULL DEFAULT '',
  attendee_email text NOT NULL,
  checked_in_at timestamptz,
  qr_key text,
  voided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tickets_code_key ON tickets (code);
CREATE INDEX tickets_order_idx ON tickets (order_id, seat);
CREATE INDEX tickets_event_idx ON tickets (event_id, status);
CREATE INDEX tickets_attendee_email_idx ON tickets (attendee_email);

CREATE TABLE waitlist_entries (
  id bigserial PRIMARY KEY,
  ticket_type_id uuid NOT NULL REFERENCES ticket_types (id) ON DELETE CASCADE,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'claimed', 'lapsed')),
  -- A released seat kept for this person (counted in ticket_types.held) until the offer lapses.
  offer_expires_at timestamptz,
  claim_token_hash text,
  order_id uuid REFERENCES orders (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX waitlist_one_live_entry ON waitlist_entries (ticket_type_id, email) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_queue_idx ON waitlist_entries (ticket_type_id, id) WHERE status = 'waiting';
CREATE INDEX waitlist_offers_idx ON waitlist_entries (offer_expires_at) WHERE status = 'offered';
CREATE UNIQUE INDEX waitlist_claim_token_key ON waitlist_entries (claim_token_hash) WHERE claim_token_hash IS NOT NULL;

-- The durable job queue: survives restarts, shared by every instance, claimed with SKIP LOCKED.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- Enqueueing a job whose key was ever enqueued is a no-op (e.g. one confirmation e-mail per order).
  dedupe_key text,
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 8,
  locked_until timestamptz,
  last_error text,
  done_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;
