-- Engagement: double opt-in subscriptions, broadcasts (announcements, reminders, change notices)
-- with one delivery row per recipient, and the activity log that analytics read.

CREATE TABLE subscriptions (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  -- 'newsletter', 'organizer:<uuid>' or 'event:<uuid>'
  topic text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  -- Bumped each time a confirmation link is sent: only the newest link confirms.
  confirm_generation integer NOT NULL DEFAULT 0,
  confirm_expires_at timestamptz,
  -- When the newest confirmation link was sent: at most one per CONFIRM_RESEND_INTERVAL.
  confirm_sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  UNIQUE (email, topic)
);
CREATE INDEX subscriptions_topic_idx ON subscriptions (topic) WHERE status = 'confirmed';

-- One message to many people. `kind` says why it is sent; announcements are written by a
-- manager, the others by the system when an event is about to start or has changed.
CREATE TABLE broadcasts (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('announcement', 'reminder', 'event_changed', 'event_cancelled')),
  subject text NOT NULL,
  body text NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when every recipient has a delivery row.
  fanned_out_at timestamptz,
  -- A system broadcast is made once per reason (e.g. the reminder for one start time).
  dedupe_key text UNIQUE
);
CREATE INDEX broadcasts_event_idx ON broadcasts (event_id, created_at DESC);

-- One row per recipient of a broadcast, so nobody gets it twice: the row is claimed
-- ('sending', committed) before the mail is handed over, and only 'pending' rows are ever
-- claimed. A worker that dies during the hand-over leaves 'sending': counted as unconfirmed,
-- never re-sent (at most once).
CREATE TABLE broadcast_deliveries (
  id bigserial PRIMARY KEY,
  broadcast_id bigint NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  email text NOT NULL,
  -- The topic the recipient can unsubscribe from with the link in the mail.
  topic text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  sent_at timestamptz,
  UNIQUE (broadcast_id, email)
);
CREATE INDEX broadcast_deliveries_pending_idx ON broadcast_deliveries (broadcast_id, id) WHERE status = 'pending';

-- The start time the last reminder was sent for: a moved event is reminded again.
ALTER TABLE events ADD COLUMN reminded_for_starts_at timestamptz;

-- Page views and actions, from browsers (anonymous visitor id or user) and from the server.
CREATE TABLE activity (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  event_id uuid,
  user_id uuid,
  visitor_id text,
  metadata jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_event_idx ON activity (event_id, type, occurred_at) WHERE event_id IS NOT NULL;
